package org.qnnoracle.claims.file;

import java.util.Locale;

/** How claim-file numbers are printed in messages and reports: short, and integers without a fraction. */
final class Numbers {
  private Numbers() {}

  static String format(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e7) {
      return Long.toString((long) x);
    }
    return String.format(Locale.ROOT, "%.4g", x);
  }
}
