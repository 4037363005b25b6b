package org.qnnoracle.claims;

/**
 * What a claim's check measured: the worst value over its cases, the bound it is held to, whether it
 * passed, and a one-line account (cases, seeds, where the worst case was).
 */
public record Measurement(double measured, double bound, boolean passed, String detail) {

  /** Passes when measured &lt;= bound; NaN never passes. */
  public static Measurement atMost(double measured, double bound, String detail) {
    return new Measurement(measured, bound, measured <= bound, detail);
  }

  public static Measurement failure(String detail) {
    return new Measurement(Double.NaN, Double.NaN, false, detail);
  }
}
