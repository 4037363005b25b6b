package org.qnnoracle.reference;

import java.util.Arrays;

/**
 * Digits of agreement of a quantity's elements with the expected values, scored as NIST's Statistical Reference
 * Datasets do: the log relative error LRE = -log10(|x - c| / |c|) per element (-log10 |x| where c = 0), clipped
 * to [0, cap] with cap the digits the expected values are certified to (an exact match scores the cap). The
 * quantity reports its worst (smallest) and median element.
 *
 * <p>Relative digits mean little for an element far below the quantity's scale (an unlearned direction's overlap
 * at 1e-30 scores 0 for any float64 code), which is why the median is reported beside the worst and the verdict
 * stays with the tolerance.
 *
 * @param worst the smallest LRE over the elements
 * @param median the median LRE over the elements
 * @param cap the largest score: the expected values' certified digits
 */
public record Lre(double worst, double median, double cap) {
  /** Cap for version-1 cases, whose values are doubles of our own double-precision route (about 16 digits). */
  public static final double DOUBLE_CAP = 16.0;

  /** The LRE of one element. */
  public static double of(double candidate, double expected, double cap) {
    if (candidate == expected) {
      return cap;
    }
    double err = expected == 0.0 ? Math.abs(candidate) : Math.abs(candidate - expected) / Math.abs(expected);
    double lre = -Math.log10(err);
    return Double.isNaN(lre) ? 0.0 : Math.max(0.0, Math.min(cap, lre));
  }

  /**
   * The scores of {@code candidate} against {@code expected}, element by element.
   *
   * @param candidate the candidate's values, row-major. Not modified.
   * @param expected the expected values, same length. Not modified.
   */
  public static Lre of(double[] candidate, double[] expected, double cap) {
    double[] lre = new double[candidate.length];
    for (int i = 0; i < lre.length; i++) {
      lre[i] = of(candidate[i], expected[i], cap);
    }
    Arrays.sort(lre);
    int n = lre.length;
    double median = n % 2 == 1 ? lre[n / 2] : 0.5 * (lre[n / 2 - 1] + lre[n / 2]);
    return new Lre(lre[0], median, cap);
  }

  /** Every element matches exactly. */
  public static Lre exact(double cap) {
    return new Lre(cap, cap, cap);
  }

  /** "15.2 / 16.0" (worst / median). */
  public String text() {
    return String.format(java.util.Locale.ROOT, "%.1f / %.1f", worst, median);
  }
}
