package org.qnnoracle.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.gaussian.GaussianMonteCarlo;
import org.qnnoracle.gaussian.IdentityCase;
import org.qnnoracle.gaussian.MonteCarloEstimate;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.stats.Bonferroni;

/**
 * The Monte Carlo check of the Gaussian identities: a {@link GaussianMonteCarlo} estimate compared with the
 * closed forms entry by entry, z = (mean - expected) / SE with the SE estimated from the sample, against
 * the two-sided Bonferroni threshold z* = Phi^{-1}(1 - alpha / (2K)) over the K entries of one identity,
 * alpha the family-wise false-alarm rate of one identity check ({@link #DEFAULT_ALPHA}; the threshold is
 * {@link Bonferroni#threshold}). Why the normal
 * approximation is acceptable at these sample sizes (and where it stops being so) is argued in
 * {@link GaussianMonteCarlo}; the default runs (dimension, batch sizes, draws) are fixed here.
 */
public final class GaussianMonteCarloCheck {
  /** Family-wise false-alarm rate of one identity check (all its entries together). */
  public static final double DEFAULT_ALPHA = 1e-6;

  /** The dimension of the default check: well beyond the exact engines, small enough for O(d^2) draws. */
  public static final int DEFAULT_D = 20;

  private GaussianMonteCarloCheck() {}

  // ------------------------------------------------------------------------------------------------------
  // Default runs

  /** Batch sizes the default check runs an identity at: 1 and 3 for the drifts, 1 otherwise. */
  public static int[] defaultBatches(GaussianIdentity g) {
    return (g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT) ? new int[] {1, 3}
        : new int[] {1};
  }

  /**
   * Draws (SGD steps, for the drifts) of the default check at d = 20, with noise, importance sampling:
   * chosen so that all eleven default runs (nine identities, the drifts at b = 1 and 3) take about 7 s on
   * 2 cores (measured: 7.4 s wall, 14.5 s CPU; T(B, M) at 4e6 draws is 2 s of it), and so that each negative
   * control of the tests lands well above its threshold on every seed tried (seeds 1..5: 16 BMB -> 14 at
   * z = 10 to 19 for z* = 5.9, (2d + 8) at 12 to 24 for 5.6, 1.9 |M - A|^2 at 18 to 30 for 4.9, s for s^2
   * at 29 to 90, the drift without eta^2 at 114 to 259). Scale up for a heavier run
   * ({@link #defaultChecks}).
   */
  public static long defaultSamples(GaussianIdentity g, int batch) {
    return switch (g) {
      case HERMITE -> 1_000_000L;
      case HE2_PAIR, RISK, LINEAR_MOMENT, GRADIENT, LABELLED_NOISE_MOMENT -> 400_000L;
      case NOISE_MOMENT -> 4_000_000L;
      case STEP_DRIFT -> 200_000L;
      case OVERLAP_DRIFT -> batch == 1 ? 1_500_000L : 1_000_000L;
    };
  }

  /**
   * The default check of one identity: the instance of {@link GaussianMonteCarlo#studentTeacherCase} at
   * dimension d (seeded by {@code seed}), n importance-sampled draws (seeded by {@code seed}), compared with
   * the closed forms at {@link #DEFAULT_ALPHA}.
   */
  public static MonteCarloCheck check(GaussianIdentity g, int d, int batch, boolean withNoise, long n, long seed,
      int threads) {
    IdentityCase<BigFraction> c = GaussianMonteCarlo.studentTeacherCase(g, seed, d, batch, withNoise);
    return compare(GaussianMonteCarlo.estimate(g, c, n, seed, threads), GaussianMonteCarlo.expectedValues(g, c),
        DEFAULT_ALPHA);
  }

  /**
   * Every default run (each identity at d = 20 with noise, the drifts at b = 1 and 3) with
   * {@code sampleScale} times the default draws: 1 for the default check, more for a heavy one.
   */
  public static List<MonteCarloCheck> defaultChecks(long seed, double sampleScale, int threads) {
    List<MonteCarloCheck> out = new ArrayList<>();
    for (GaussianIdentity g : GaussianIdentity.values()) {
      for (int b : defaultBatches(g)) {
        long n = Math.max(4L, Math.round(defaultSamples(g, b) * sampleScale));
        out.add(check(g, DEFAULT_D, b, true, n, seed, threads));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------------
  // Comparison

  /**
   * Compares an estimate with expected values by output name (e.g. {@link GaussianMonteCarlo#expectedValues},
   * or a wrong closed form for a negative control), entry by entry, at family-wise false-alarm rate alpha.
   */
  public static MonteCarloCheck compare(MonteCarloEstimate est, Map<String, double[][]> expected, double alpha) {
    if (!expected.keySet().equals(est.outputs().keySet())) {
      throw new IllegalArgumentException("expected outputs " + expected.keySet() + " but estimated "
          + est.outputs().keySet());
    }
    int entries = 0;
    int skipped = 0;
    double maxAbsZ = 0.0;
    double maxRatio = Double.NaN;
    String worstName = null;
    int worstRow = -1;
    int worstCol = -1;
    double worstMean = Double.NaN;
    double worstExpected = Double.NaN;
    double worstSe = Double.NaN;
    for (Map.Entry<String, MonteCarloEstimate.Moments> e : est.outputs().entrySet()) {
      MonteCarloEstimate.Moments mo = e.getValue();
      double[][] ex = expected.get(e.getKey());
      if (Dense.rows(ex) != mo.rows() || Dense.cols(ex) != mo.cols()) {
        throw new IllegalArgumentException(e.getKey() + ": expected a " + mo.rows() + "x" + mo.cols()
            + " matrix, got " + Dense.rows(ex) + "x" + Dense.cols(ex));
      }
      for (int i = 0; i < mo.rows(); i++) {
        for (int j = mo.symmetric() ? i : 0; j < mo.cols(); j++) {
          double mean = mo.mean()[i][j];
          double se = mo.standardError()[i][j];
          double x = ex[i][j];
          double z;
          if (se == 0.0) {
            // A constant integrand (He_0 He_0 = 1 under plain sampling): no statistical information; its
            // mean must then equal the closed form up to the closed form's rounding to double.
            if (Math.abs(mean - x) <= 1e-12 * Math.max(1.0, Math.abs(x))) {
              skipped++;
              continue;
            }
            z = mean > x ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
          } else {
            z = (mean - x) / se;
          }
          entries++;
          double s1 = mo.firstHalfStandardError()[i][j];
          double s2 = mo.secondHalfStandardError()[i][j];
          double ratio = Math.max(s1, s2) / Math.min(s1, s2);
          if (Double.isNaN(maxRatio) || ratio > maxRatio) {
            maxRatio = ratio;
          }
          double absZ = Double.isNaN(z) ? Double.POSITIVE_INFINITY : Math.abs(z);
          if (worstName == null || absZ > maxAbsZ) {
            maxAbsZ = absZ;
            worstName = e.getKey();
            worstRow = i;
            worstCol = j;
            worstMean = mean;
            worstExpected = x;
            worstSe = se;
          }
        }
      }
    }
    return new MonteCarloCheck(est.identity(), est.d(), est.batch(), est.noise(), est.n(), est.seed(),
        est.proposalVariance(), entries, skipped, maxAbsZ, worstName, worstRow, worstCol, worstMean,
        worstExpected, worstSe, alpha, Bonferroni.threshold(entries, alpha), maxRatio);
  }
}
