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
   * g(h) - h, computed without the cancellation of the direct difference: a series for |2 a h| < 1e-2
   * (truncation error below x^7/5040 ~ 2e-18 relative to h), the direct form above.
   */
  public static double gMinusH(double a, double h) {
    double x = 2.0 * a * h;
    if (Math.abs(x) < 1e-2) {
      // (e^x - 1 - x)/x = x/2 + x^2/6 + x^3/24 + x^4/120 + x^5/720 + ...
      double s = x / 2.0 + x * x / 6.0 + x * x * x / 24.0 + x * x * x * x / 120.0 + x * x * x * x * x / 720.0;
      return h * s;
    }
    return h * ((Math.expm1(x) - x) / x);
  }
}
