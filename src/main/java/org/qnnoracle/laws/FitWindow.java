package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.qnnoracle.stats.LinearFit;

/**
 * The documented rule that picks the points a power law is fitted on (proofs-notes/scaling-laws.md, section 5),
 * never chosen by eye: a time-law fit uses the times at which the risk lies between tailRisk(jHigh) and
 * tailRisk(jLow), i.e. while between jLow and jHigh directions are learned. jLow = 4 skips the first escapes,
 * where the risk is a staircase of a few large steps; jHigh = floor(2 sqrt(min(m, r))) stops where the end of
 * the teacher's spectrum (or of the student's width) bends the tail sum: the truncation changes the local
 * exponent by about (J / r)^{2 alpha - 1}, which at J = 2 sqrt(r) vanishes as r grows (a window ending at a
 * fixed fraction of r would keep a fixed bias).
 */
public record FitWindow(int jLow, int jHigh, double riskHigh, double riskLow) {
  public static final int J_LOW = 4;
  /** The window must span at least a factor 2 in J. */
  public static final int MIN_J_HIGH = 8;
  /** The smallest min(m, r) whose window reaches MIN_J_HIGH: 2 sqrt(16) = 8. */
  public static final int MIN_WIDTH = (MIN_J_HIGH / 2) * (MIN_J_HIGH / 2);

  public FitWindow {
    require(jLow >= 0 && jHigh > jLow, "a fit window needs 0 <= jLow < jHigh, got " + jLow + ", " + jHigh);
  }

  /** The rule's window for spectrum lambda and width m; refused when min(m, r) &lt; 16 (no room for a law). */
  public static FitWindow timeLaw(double[] lambda, int m) {
    int k = Math.min(m, lambda.length);
    int jHigh = (int) Math.floor(2.0 * Math.sqrt(k));
    require(jHigh >= MIN_J_HIGH, "a time-law fit needs min(m, r) >= " + MIN_WIDTH + " so that the window of learned directions "
        + "[4, 2 sqrt(min(m, r))] spans a factor 2; got min(m, r) = " + k);
    return between(lambda, J_LOW, jHigh);
  }

  public static FitWindow between(double[] lambda, int jLow, int jHigh) {
    return new FitWindow(jLow, jHigh, ScalingLaws.tailRisk(lambda, jLow), ScalingLaws.tailRisk(lambda, jHigh));
  }

  /** Indices i with riskLow &lt;= risk[i] &lt;= riskHigh (and positive times). */
  public int[] select(double[] times, double[] risk) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      if (times[i] > 0.0 && risk[i] <= riskHigh && risk[i] >= riskLow) {
        keep.add(i);
      }
    }
    return keep.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The log-log fit of risk against time over the window; refused with fewer than 3 points in it. */
  public LinearFit fit(double[] times, double[] risk) {
    int[] idx = select(times, risk);
    require(idx.length >= 3, "only " + idx.length + " output times fall in the fit window (risk between "
        + String.format(Locale.ROOT, "%.4g and %.4g", riskLow, riskHigh) + "); use more points or a longer run");
    double[] x = new double[idx.length];
    double[] y = new double[idx.length];
    for (int k = 0; k < idx.length; k++) {
      x[k] = times[idx[k]];
      y[k] = risk[idx[k]];
    }
    return LinearFit.logLog(x, y);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "J in [%d, %d] (risk %.4g .. %.4g)", jLow, jHigh, riskLow, riskHigh);
  }
}
