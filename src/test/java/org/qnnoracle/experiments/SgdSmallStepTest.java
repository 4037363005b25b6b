package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Seeds;

/**
 * The machinery of claim SGD-SMALL-STEP: the warm start, the log-log least-squares fit and its confidence
 * interval (on synthetic data with a known exponent), and a cheap version of the experiment (two step
 * sizes 16x apart, six replicas) in which the gap to the flow shrinks with eta while the gap to a flow run on the
 * wrong clock does not. The full experiment is the registered check (ClaimsTest). Seeds fixed and printed.
 */
class SgdSmallStepTest {
  private static final long SEED = 20_265_128L + 4260;

  @Test
  void warmStartOverlapsEveryTeacherDirection() {
    Instance inst = SgdChecks.warmStart(50, 4, 1.0, 0.5, 0.3, SEED);
    double[][] q = inst.teacher().overlaps(inst.w0());
    // Theta^T M0 Theta = Q Q^T = 0.25 I: H is orthogonal and the perpendicular part has no Theta component;
    // 1e-14: round-off of Gram-Schmidt (|Theta^T Theta - I| ~ 1e-16) times O(1) entries
    double[][] qqt = Linalg.multTransB(q, q);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertThat(qqt[i][j]).as("Q Q^T [%d][%d]", i, j).isCloseTo(i == j ? 0.25 : 0.0, within(1e-14));
      }
    }
    // the perpendicular part has norm about 0.3 sqrt(m (d - r) / d) = 0.58; 0.4..0.8 is +-4 sd of a chi
    double perp = Dense.frobeniusNorm(inst.teacher().perpendicularPart(inst.w0()));
    assertThat(perp).isBetween(0.4, 0.8);
  }

  @Test
  void fitRecoversAnExactPowerLaw() {
    double[] x = {1e-5, 2e-5, 4e-5, 8e-5};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 3.0 * Math.pow(x[i], 0.5);
    }
    SgdChecks.PowerFit fit = SgdChecks.fitPowerLaw(x, y, 0.95);
    // round-off of logs and sums of four terms: 1e-12 is 1e4 ulps of the slope
    assertThat(fit.slope()).isCloseTo(0.5, within(1e-12));
    assertThat(fit.intercept()).isCloseTo(Math.log(3.0), within(1e-11));
    assertThat(fit.slopeSe()).isLessThan(1e-12);
  }

  @Test
  void confidenceIntervalCoversTheTrueExponentAtItsLevel() {
    // log y = log x / 2 + N(0, 0.15^2) at six doubling x: the 95% t interval must cover 1/2 in about 95% of
    // 2000 trials (binomial sd 0.5%; [0.93, 0.97] is +-4 sd), and an interval ignoring the residual noise
    // (the z-interval at 1 SE) would cover far less: the fit's SE is the residual one.
    RandomGenerator rng = Seeds.generator(SEED, "fit-coverage");
    double[] x = {1e-5, 2e-5, 4e-5, 8e-5, 1.6e-4, 3.2e-4};
    int trials = 2000;
    int covered = 0;
    int withinOneSe = 0;
    double[] y = new double[x.length];
    for (int t = 0; t < trials; t++) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.sqrt(x[i]) * Math.exp(0.15 * rng.nextGaussian());
      }
      SgdChecks.PowerFit fit = SgdChecks.fitPowerLaw(x, y, 0.95);
      if (fit.ciLow() <= 0.5 && 0.5 <= fit.ciHigh()) {
        covered++;
      }
      if (Math.abs(fit.slope() - 0.5) <= fit.slopeSe()) {
        withinOneSe++;
      }
    }
    System.out.printf(Locale.ROOT, "coverage of the 95%% CI: %d / %d; within 1 SE: %d (seed %d)%n", covered, trials,
        withinOneSe, SEED);
    assertThat(covered / (double) trials).isBetween(0.93, 0.97);
    assertThat(withinOneSe / (double) trials).isLessThan(0.75);
  }

  @Test
  void gapShrinksWithEtaAndTheWrongClockControlDoesNot() {
    // Two step sizes 16x apart, six replicas each, t in [0, 1]. Measured over 30 seeds of this design:
    // gap ratio g(3.2e-4) / g(2e-5) = 16^slope with slope 0.57 +- 0.10 (min ratio 2.7), wrong-clock
    // slope at most 0.21, wrong-clock gap at the small eta at least 5.6 times the true gap. The bounds
    // below sit about 4 sd from those figures.
    Instance inst = SgdChecks.warmStart(50, 4, 1.0, 0.5, 0.3, SEED);
    double[] etas = {2e-5, 3.2e-4};
    SgdChecks.SmallStepRun run = SgdChecks.smallStep(inst, 1.0, 11, etas, 6, SEED, 2);
    assertThat(run.diverged()).isZero();
    double[] gaps = SgdChecks.meanSupGaps(run);
    double[] wrong = SgdChecks.meanSupGaps(run, k -> SgdChecks.flowRisks(inst, run.sgdTimes()[k], 1.25));
    double slope = Math.log(gaps[1] / gaps[0]) / Math.log(etas[1] / etas[0]);
    double wrongSlope = Math.log(wrong[1] / wrong[0]) / Math.log(etas[1] / etas[0]);
    System.out.printf(Locale.ROOT, "seed %d: gaps %s (two-point slope %.3f); wrong-clock gaps %s (slope %.3f)%n",
        SEED, Arrays.toString(gaps), slope, Arrays.toString(wrong), wrongSlope);
    // the gap grows with eta (shrinks as eta -> 0): 16x eta gives about 4.9x the gap
    assertThat(gaps[1]).isGreaterThan(1.5 * gaps[0]);
    // the wrong clock leaves a gap that does not vanish with eta
    assertThat(wrong[0]).isGreaterThan(3 * gaps[0]);
    assertThat(wrongSlope).isLessThan(0.3);
  }
}
