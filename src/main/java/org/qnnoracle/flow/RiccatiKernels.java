package org.qnnoracle.flow;

/**
 * Scalar pieces of the exact Riccati solution in A's eigenbasis, one place each. For an eigenvalue a of
 * A and a Riccati time step h: e^{a h}, and g(h) = int_0^h e^{2 a s} ds = (e^{2 a h} - 1) / (2a) (= h at a = 0).
 */
public final class RiccatiKernels {
  private RiccatiKernels() {}

  /** e^{a h} - 1, accurate for small a h. */
  public static double expMinusOne(double a, double h) {
    return Math.expm1(a * h);
  }

  /** g(h) = (e^{2 a h} - 1) / (2 a), with the a -> 0 limit h. */
  public static double g(double a, double h) {
    double x = 2.0 * a * h;
    if (x == 0.0) {
      return h;
    }
    return h * (Math.expm1(x) / x);
  }

  /**
   * g(h) - h, computed without the cancellation of the direct difference. For |x| = |2 a h| &lt; 1e-2 a
   * series: (e^x - 1 - x) / x = x/2 + x^2/6 + ... + x^7/40320, whose first omitted term x^8/362880 is below
   * 6e-20 of the leading x/2 (round-off level); above, the direct form, where expm1(x) - x loses at most
   * log10(2/x) &lt; 2.3 digits.
   */
  public static double gMinusH(double a, double h) {
    double x = 2.0 * a * h;
    if (Math.abs(x) < 1e-2) {
      // Horner form of x/2 + x^2/6 + x^3/24 + x^4/120 + x^5/720 + x^6/5040 + x^7/40320
      double s = x * (1.0 / 2 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120
          + x * (1.0 / 720 + x * (1.0 / 5040 + x * (1.0 / 40320)))))));
      return h * s;
    }
    return h * ((Math.expm1(x) - x) / x);
  }
}
