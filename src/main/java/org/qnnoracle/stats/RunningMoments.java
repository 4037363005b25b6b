package org.qnnoracle.stats;

/**
 * Per-entry running mean and sum of squared deviations of a vector-valued sample (Welford's update),
 * mergeable across chunks (Chan, Golub and LeVeque), so a parallel run merged in a fixed order gives the
 * same numbers whatever the thread count. Numerically stable where the naive sum of squares loses every
 * digit (means large against the spread).
 */
public final class RunningMoments {
  private long n;
  private final double[] mean;
  private final double[] m2;

  public RunningMoments(int entries) {
    mean = new double[entries];
    m2 = new double[entries];
  }

  /** Adds one observation of every entry. */
  public void add(double[] v) {
    n++;
    double inv = 1.0 / n;
    for (int k = 0; k < v.length; k++) {
      double delta = v[k] - mean[k];
      mean[k] += delta * inv;
      m2[k] += delta * (v[k] - mean[k]);
    }
  }

  /** The moments of the union of the two samples (neither argument is changed). */
  public static RunningMoments merge(RunningMoments a, RunningMoments b) {
    RunningMoments c = new RunningMoments(a.mean.length);
    c.n = a.n + b.n;
    if (c.n == 0) {
      return c;
    }
    double fb = (double) b.n / c.n;
    double cross = (double) a.n * b.n / c.n;
    for (int k = 0; k < c.mean.length; k++) {
      double delta = b.mean[k] - a.mean[k];
      c.mean[k] = a.mean[k] + delta * fb;
      c.m2[k] = a.m2[k] + b.m2[k] + delta * delta * cross;
    }
    return c;
  }

  public long count() {
    return n;
  }

  /** The sample means (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** sqrt(sample variance / n): the estimated standard error of each mean (NaN for n < 2). */
  public double[] standardErrors() {
    double[] se = new double[mean.length];
    for (int k = 0; k < se.length; k++) {
      se[k] = Math.sqrt(m2[k] / (n - 1) / n);
    }
    return se;
  }
}
