package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.qnnoracle.stats.Bonferroni;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.sgd.OnlineSgd;

/**
 * The drift check of claim SGD-UNBIASED-DRIFT run against deliberately wrong simulators. A tiny, separate
 * step function (the textbook W' = W - (2 eta / b) sum_i e_i (x_i z_i^T - W)) is run correct (positive
 * control: an independent implementation passes the same z test) and with one flaw at a time: the student
 * without its -tr M centring, and eta not divided by b. Each flaw must be rejected by the z test that the
 * simulator passes, on the same state, seeds and n. One setting each, K = 18 entries (12 of Q, 6 of G),
 * Bonferroni threshold at family-wise rate 1e-6 per test: z* = 5.43. Seeds fixed and printed.
 */
class SgdDriftTest {
  /** Family-wise false-alarm rate of one comparison (its 18 entries together). */
  private static final double ALPHA = 1e-6;
  /** Steps per estimate: the claim's default n, where its controls stand at |z| >= 19 (see the note). */
  private static final long N = 100_000L;
  private static final long STATE_SEED = 20_265_128L + 4160;
  private static final long SAMPLE_SEED = 20_265_128L + 4170;
  private static final Instance STATE = ModelSpec.of(20, 4, 3, 1.0, 0.7, STATE_SEED).instance();

  enum Flaw { NONE, NO_CENTRING, ETA_NOT_DIVIDED_BY_B }

  /** The textbook step, written independently of OnlineSgd, with an optional flaw. */
  static SgdChecks.StepFunction tinyStep(Teacher teacher, double eta, int batch, Flaw flaw) {
    return (w, source) -> {
      int d = w.length;
      int m = Dense.cols(w);
      double trM = Dense.frobeniusInner(w, w);
      double c = (flaw == Flaw.ETA_NOT_DIVIDED_BY_B ? 2.0 * eta : 2.0 * eta / batch);
      double[][] sum = new double[d][m];
      double[] x = new double[d];
      for (int i = 0; i < batch; i++) {
        double eps = source.next(x);
        double[] z = new double[m];
        for (int p = 0; p < d; p++) {
          for (int j = 0; j < m; j++) {
            z[j] += w[p][j] * x[p];
          }
        }
        double f = (flaw == Flaw.NO_CENTRING ? 0.0 : -trM);
        for (double zj : z) {
          f += zj * zj;
        }
        double e = f - teacher.value(x) - eps;
        for (int p = 0; p < d; p++) {
          for (int j = 0; j < m; j++) {
            sum[p][j] += e * (x[p] * z[j] - w[p][j]);
          }
        }
      }
      return Dense.addScaled(w, -c, sum);
    };
  }

  private static SgdChecks.DriftComparison check(SgdChecks.StepFunction step, double eta, int batch, double noise,
      boolean secondOrder, String what) {
    Teacher t = STATE.teacher();
    SgdChecks.DriftEstimate est = SgdChecks.estimateDrift(t, STATE.w0(), step, noise, N, SAMPLE_SEED,
        Runtime.getRuntime().availableProcessors());
    SgdChecks.DriftComparison c = SgdChecks.compare(est,
        SgdChecks.expectedDrift(t, STATE.w0(), eta, batch, noise, secondOrder));
    System.out.printf(Locale.ROOT, "%s: state seed %d, sample seed %d, n=%d, b=%d, s=%.1f, eta=%.3g: max|z| %.2f "
        + "(z* %.2f, K=%d) at %s%n", what, STATE_SEED, SAMPLE_SEED, N, batch, noise, eta, c.maxAbsZ(),
        threshold(c), c.entries(), c.worst());
    return c;
  }

  private static double threshold(SgdChecks.DriftComparison c) {
    return Bonferroni.threshold(c.entries(), ALPHA);
  }

  @Test
  void independentTinyStepPassesTheSameTest() {
    // positive control for the flawed steps below: without a flaw the tiny step passes
    SgdChecks.DriftComparison c = check(tinyStep(STATE.teacher(), 0.01, 1, Flaw.NONE), 0.01, 1, 0.0, true,
        "tiny step, no flaw");
    assertThat(c.entries()).isEqualTo(18);
    assertThat(c.maxAbsZ()).isLessThanOrEqualTo(threshold(c));
  }

  @Test
  void stepWithoutCentringIsRejected() {
    // e_i + tr M: the first-order drift is unchanged (E[Q(x)] = 0); the eta^2 term of G gains
    // 4 eta^2 [(tr M)^2 (d + 1) G + 2 tr M E[q_B(x) W^T Q(x)^2 W]] / b (proofs-notes/sgd-simulation.md)
    SgdChecks.DriftComparison c = check(tinyStep(STATE.teacher(), 0.01, 1, Flaw.NO_CENTRING), 0.01, 1, 0.0, true,
        "step without -tr M centring");
    assertThat(c.maxAbsZ()).isGreaterThan(threshold(c));
    assertThat(c.worst()).startsWith("G' - G");
  }

  @Test
  void stepWithEtaNotDividedByBatchIsRejected() {
    SgdChecks.DriftComparison c = check(tinyStep(STATE.teacher(), 0.02, 4, Flaw.ETA_NOT_DIVIDED_BY_B), 0.02, 4,
        2.0, true, "step with eta not divided by b");
    assertThat(c.maxAbsZ()).isGreaterThan(threshold(c));
  }

  @Test
  void simulatorPassesAndTheFormulaWithoutEtaSquaredIsRejected() {
    Teacher t = STATE.teacher();
    SgdChecks.DriftEstimate est = SgdChecks.estimateDrift(t, STATE.w0(), SgdChecks.simulatorStep(t, 0.02, 4),
        2.0, N, SAMPLE_SEED, Runtime.getRuntime().availableProcessors());
    SgdChecks.DriftComparison ok = SgdChecks.compare(est, SgdChecks.expectedDrift(t, STATE.w0(), 0.02, 4, 2.0, true));
    SgdChecks.DriftComparison noEta2 = SgdChecks.compare(est,
        SgdChecks.expectedDrift(t, STATE.w0(), 0.02, 4, 2.0, false));
    SgdChecks.DriftComparison noNoise = SgdChecks.compare(est,
        SgdChecks.expectedDrift(t, STATE.w0(), 0.02, 4, 0.0, true));
    SgdChecks.DriftComparison wrongBatch = SgdChecks.compare(est,
        SgdChecks.expectedDrift(t, STATE.w0(), 0.02, 1, 2.0, true));
    System.out.printf(Locale.ROOT, "simulator b=4 s=2 eta=0.02 (seeds %d, %d): max|z| %.2f (z* %.2f); formula "
        + "without eta^2 %.1f, without the noise term %.1f, with b = 1 %.1f%n", STATE_SEED, SAMPLE_SEED,
        ok.maxAbsZ(), threshold(ok), noEta2.maxAbsZ(), noNoise.maxAbsZ(), wrongBatch.maxAbsZ());
    assertThat(ok.maxAbsZ()).isLessThanOrEqualTo(threshold(ok));
    assertThat(noEta2.maxAbsZ()).isGreaterThan(threshold(ok));
    assertThat(noNoise.maxAbsZ()).isGreaterThan(threshold(ok));
    assertThat(wrongBatch.maxAbsZ()).isGreaterThan(threshold(ok));
  }

  @Test
  void estimateDoesNotDependOnTheThreadCount() {
    Teacher t = STATE.teacher();
    SgdChecks.StepFunction step = SgdChecks.simulatorStep(t, 0.01, 2);
    SgdChecks.DriftEstimate one = SgdChecks.estimateDrift(t, STATE.w0(), step, 1.0, 40_000, SAMPLE_SEED, 1);
    SgdChecks.DriftEstimate three = SgdChecks.estimateDrift(t, STATE.w0(), step, 1.0, 40_000, SAMPLE_SEED, 3);
    // exact: chunks are seeded by index and merged in index order
    assertThat(SgdChecks.differingValues(one.meanDg(), three.meanDg())).isZero();
    assertThat(SgdChecks.differingValues(one.seDq(), three.seDq())).isZero();
    // negative control: another seed differs
    SgdChecks.DriftEstimate other = SgdChecks.estimateDrift(t, STATE.w0(), step, 1.0, 40_000, SAMPLE_SEED + 1, 3);
    assertThat(SgdChecks.differingValues(one.meanDg(), other.meanDg())).isGreaterThan(0);
  }
}
