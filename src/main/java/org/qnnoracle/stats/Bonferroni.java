package org.qnnoracle.stats;

import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * The two-sided Bonferroni threshold of a family of z tests: with K entries each compared by its own z,
 * rejecting when any |z| exceeds z* = Phi^{-1}(1 - alpha / (2K)) keeps the family-wise false-alarm rate at
 * most alpha under the normal approximation. One implementation for the Monte Carlo identity check and the
 * SGD drift checks.
 */
public final class Bonferroni {
  private Bonferroni() {}

  /** Two-sided Bonferroni threshold over K entries: Phi^{-1}(1 - alpha / (2K)). */
  public static double threshold(int entries, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    // Phi^{-1}(1 - p) = -Phi^{-1}(p); Hipparchus is accurate to ~1e-7 here (the tests check it against a
    // bisection on erfc), far below anything that matters for a threshold.
    return -new NormalDistribution(0.0, 1.0).inverseCumulativeProbability(alpha / (2.0 * Math.max(1, entries)));
  }
}
