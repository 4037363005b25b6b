package org.qnnoracle.claims;

/** Tracks the worst value of a "should be small" quantity over many cases, and where it occurred. */
final class WorstCase {
  private double worst = Double.NEGATIVE_INFINITY;
  private String where = "no cases";
  private int cases;

  /** Records one case; NaN counts as the worst possible value. */
  void observe(double value, String at) {
    cases++;
    if (Double.isNaN(value) || (!Double.isNaN(worst) && value > worst)) {
      worst = value;
      where = at;
    }
  }

  int cases() {
    return cases;
  }

  double worst() {
    return worst;
  }

  Measurement atMost(double bound, String what) {
    if (cases == 0) {
      return Measurement.failure("no cases were checked");
    }
    return Measurement.atMost(worst, bound, cases + " cases of " + what + "; worst at " + where);
  }
}
