package org.qnnoracle.model;

import java.util.random.RandomGenerator;

/**
 * Monte Carlo estimate of the risk E[(f - f*)^2] over x ~ N(0, I_d), with its estimated standard error:
 * the independent route to the closed form 2 |M - A|_F^2 (Isserlis; proofs-notes/exact-flow.md
 * section 7).
 */
public final class MonteCarloRisk {
  private MonteCarloRisk() {}

  /** Sample mean of (f - f*)^2 over n draws and its standard error estimated from the same draws. */
  public record Estimate(double mean, double standardError, int n) {}

  /** f(x; W) = sum_i (&lt;w_i, x&gt;^2 - |w_i|^2), the student of spec/model.md. */
  public static double studentValue(double[][] w, double[] x) {
    double f = 0.0;
    for (int c = 0; c < w[0].length; c++) {
      double z = 0.0;
      double norm2 = 0.0;
      for (int p = 0; p < x.length; p++) {
        z += w[p][c] * x[p];
        norm2 += w[p][c] * w[p][c];
      }
      f += z * z - norm2;
    }
    return f;
  }

  public static Estimate estimate(Teacher teacher, double[][] w, int n, RandomGenerator rng) {
    double[] x = new double[teacher.d()];
    double sum = 0.0;
    double sumSq = 0.0;
    for (int k = 0; k < n; k++) {
      for (int p = 0; p < x.length; p++) {
        x[p] = rng.nextGaussian();
      }
      double v = studentValue(w, x) - teacher.value(x);
      double sq = v * v;
      sum += sq;
      sumSq += sq * sq;
    }
    double mean = sum / n;
    return new Estimate(mean, Math.sqrt((sumSq / n - mean * mean) / (n - 1)), n);
  }
}
