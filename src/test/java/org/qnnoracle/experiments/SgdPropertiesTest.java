package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qnnoracle.experiments.SgdGenerators.oneStepCases;
import static org.qnnoracle.experiments.SgdGenerators.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.RecordingSamples;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.StepSchedule;
import org.quicktheories.core.Gen;

/**
 * Property tests of the simulator (claims SGD-ONE-STEP and SGD-REPRODUCIBLE): one step of
 * {@link OnlineSgd} against the explicit congruence W' = P W, M' = P M P on random (d, r, m, b, eta, s,
 * sigma0, seed) with d &lt;= 12, with negative controls that build P wrongly and must be told apart by many
 * orders of magnitude; and same-seed / thread-count reproducibility on random small runs. Fixed
 * QuickTheories seed (printed); a failure prints the recipe.
 */
class SgdPropertiesTest {
  /** SGD-ONE-STEP: |W'_sim - P W|_F <= 2 N u S_W (two routes, each within N u S_W; see the note). */
  private static final double W_BOUND = SgdChecks.ONE_STEP_W_BOUND;
  /** SGD-ONE-STEP: |W'W'^T - P M P|_F <= 6 N u S_W^2. */
  private static final double M_BOUND = SgdChecks.ONE_STEP_M_BOUND;

  @Test
  void oneStepEqualsExplicitCongruence() {
    AtomicInteger below = new AtomicInteger();
    AtomicInteger equal = new AtomicInteger();
    AtomicInteger above = new AtomicInteger();
    double[] worst = new double[3];
    qt("oneStepEqualsExplicitCongruence", 500)
        .forAll(oneStepCases(SgdGenerators.MAX_D))
        .checkAssert(c -> {
          SgdChecks.OneStep s = c.run();
          (c.m() < c.d() ? below : c.m() == c.d() ? equal : above).incrementAndGet();
          worst[0] = Math.max(worst[0], s.wRatio());
          worst[1] = Math.max(worst[1], s.mRatio());
          worst[2] = Math.max(worst[2], s.psdRatio());
          assertThat(s.wRatio()).as("|W'_sim - P W| / (N u S_W) for %s", c).isLessThanOrEqualTo(W_BOUND);
          assertThat(s.mRatio()).as("|W'W'^T - P M P| / (N u S_W^2) for %s", c).isLessThanOrEqualTo(M_BOUND);
          // PSD up to Spectral.roundOffCutoff(d) lambda_max: the eigensolver's own error
          assertThat(s.psdRatio()).as("-lambda_min / (100 d eps lambda_max) for %s", c).isLessThanOrEqualTo(1.0);
          assertThat(s.rankBefore()).as("rank of M for %s", c).isEqualTo(s.expectedRank());
          assertThat(s.rankAfter()).as("rank of M' for %s", c).isEqualTo(s.expectedRank());
        });
    System.out.printf(Locale.ROOT, "oneStepEqualsExplicitCongruence: m<d %d, m=d %d, m>d %d; worst ratios W' %.3g "
        + "(bound %.0f), M' %.3g (bound %.0f), PSD %.3g (bound 1)%n", below.get(), equal.get(), above.get(),
        worst[0], W_BOUND, worst[1], M_BOUND, worst[2]);
    // the rank statement is about m < d; the sample must contain plenty of such cases, and the others
    assertThat(below.get()).isGreaterThanOrEqualTo(100);
    assertThat(equal.get() + above.get()).isGreaterThanOrEqualTo(50);
  }

  /** Recorded samples and the simulator's W' after one step of case c. */
  private record Stepped(SgdChecks.OneStepCase c, Instance inst, SgdChecks.Batch batch, double[][] w1) {
    static Stepped of(SgdChecks.OneStepCase c) {
      Instance inst = c.instance();
      RecordingSamples rec = new RecordingSamples(
          new GaussianSamples(Seeds.generator(Seeds.derive(c.seed(), "sgd-one-step")), c.noise()));
      OnlineSgd sgd = new OnlineSgd(inst.teacher(), inst.w0(), new StepSchedule.Constant(c.eta()), c.batch(), rec);
      sgd.step();
      return new Stepped(c, inst, SgdChecks.Batch.of(rec), sgd.weights());
    }

    /** |W'_sim - P_wrong W|_F / (N u S_W), with the tolerance's own scale S_W. */
    double ratioTo(double[][] p) {
      double[][] w = inst.w0();
      double err = Dense.frobeniusDistance(w1, Linalg.mult(p, w));
      double scale = SgdChecks.scale(inst.teacher(), w, batch, c.eta());
      return err / (SgdChecks.terms(c.d(), c.m(), c.r(), c.batch()) * SgdChecks.UNIT_ROUNDOFF * scale);
    }

    double[] residuals() {
      return SgdChecks.residuals(inst.teacher(), inst.w0(), batch);
    }
  }

  @Test
  void negativeControlsWrongCongruencesAreRejected() {
    // The same comparison and tolerance against deliberately wrong explicit steps: each must be rejected on
    // every case, by a wide margin (printed). A wrong algebra is an O(eta) relative error; the tolerance is
    // O(N u), so the margin is many orders of magnitude.
    double[] minRatio = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY};
    AtomicInteger batched = new AtomicInteger();
    qt("negativeControlsWrongCongruencesAreRejected", 150)
        .forAll(oneStepCases(SgdGenerators.MAX_D))
        .checkAssert(c -> {
          Stepped s = Stepped.of(c);
          double[] e = s.residuals();
          double trM = Dense.frobeniusInner(s.inst().w0(), s.inst().w0());
          double rate = 2.0 * c.eta() / c.batch();
          // (1) the student without its -tr M centring: e_i + tr M
          double[] uncentred = e.clone();
          for (int i = 0; i < e.length; i++) {
            uncentred[i] += trM;
          }
          double r1 = s.ratioTo(SgdChecks.congruence(s.batch(), uncentred, rate));
          // (2) Q(x) = x x^T without -I: P = I - c sum_i e_i x_i x_i^T
          double[][] p2 = SgdChecks.congruence(s.batch(), e, rate);
          double sumE = 0.0;
          for (double v : e) {
            sumE += v;
          }
          for (int a = 0; a < c.d(); a++) {
            p2[a][a] -= rate * sumE;
          }
          double r2 = s.ratioTo(p2);
          // (3) a relative error of 1e-6 in eta: the check resolves far smaller errors than algebra bugs
          double r3 = s.ratioTo(SgdChecks.congruence(s.batch(), e, rate * (1 + 1e-6)));
          minRatio[0] = Math.min(minRatio[0], r1);
          minRatio[1] = Math.min(minRatio[1], r2);
          minRatio[2] = Math.min(minRatio[2], r3);
          // 1e3 x the bound: a margin no round-off can bridge
          assertThat(r1).as("uncentred step for %s", c).isGreaterThan(1e3 * W_BOUND);
          assertThat(r2).as("step without -I for %s", c).isGreaterThan(1e3 * W_BOUND);
          assertThat(r3).as("eta * (1 + 1e-6) for %s", c).isGreaterThan(W_BOUND);
          if (c.batch() > 1) {
            // (4) eta not divided by b
            batched.incrementAndGet();
            double r4 = s.ratioTo(SgdChecks.congruence(s.batch(), e, 2.0 * c.eta()));
            minRatio[3] = Math.min(minRatio[3], r4);
            assertThat(r4).as("eta not divided by b for %s", c).isGreaterThan(1e3 * W_BOUND);
          }
        });
    System.out.printf(Locale.ROOT, "negative controls, smallest |W'_sim - P_wrong W| / (N u S_W): uncentred %.3g, "
        + "without -I %.3g, eta(1 + 1e-6) %.3g, eta not divided by b %.3g (%d cases with b > 1); bound %.0f%n",
        minRatio[0], minRatio[1], minRatio[2], minRatio[3], batched.get(), W_BOUND);
    assertThat(batched.get()).isGreaterThan(50);
  }

  @Test
  void negativeControlOtherSamplesAreRejected() {
    // The recording matters: the explicit step built from the samples of another seed (same W0, teacher,
    // eta) is rejected, while the one from the recorded samples passes.
    qt("negativeControlOtherSamplesAreRejected", 50)
        .forAll(oneStepCases(SgdGenerators.MAX_D))
        .checkAssert(c -> {
          Stepped s = Stepped.of(c);
          Stepped other = Stepped.of(new SgdChecks.OneStepCase(c.d(), c.r(), c.m(), c.batch(), c.eta(), c.noise(),
              c.sigma0(), c.seed() + 1));
          // this case's teacher and W0, the other case's samples (same d and b)
          double[][] pOther = SgdChecks.explicitP(s.inst().teacher(), s.inst().w0(), other.batch(), c.eta());
          double[][] pSame = SgdChecks.explicitP(s.inst().teacher(), s.inst().w0(), s.batch(), c.eta());
          assertThat(s.ratioTo(pSame)).isLessThanOrEqualTo(W_BOUND);
          // 1e3 x the bound: other samples change W' by O(eta), far beyond round-off
          assertThat(s.ratioTo(pOther)).as("other samples for %s", c).isGreaterThan(1e3 * W_BOUND);
        });
  }

  // ------------------------------------------------------------------------------ reproducibility

  /** A small random run: shape, batch, noise, replicas and a thread count in 2..4. */
  private record RunCase(int d, int m, int batch, int replicas, int threads, long seed) {
    SgdRunner.Plan plan() {
      Instance inst = ModelSpec.of(d, Math.min(3, d), m, 1.0, 0.5, seed).instance();
      return new SgdRunner.Plan(inst, new StepSchedule.Constant(0.01), batch, 0.3, new long[] {0, 10, 40},
          replicas, Seeds.derive(seed, "samples"));
    }
  }

  @Test
  void runsAreBitIdenticalAcrossRepeatsAndThreadCounts() {
    Gen<Integer> dims = integers().between(2, 20);
    Gen<Integer> widths = integers().between(1, 5);
    Gen<Integer> batches = integers().between(1, 3);
    Gen<Integer> replicas = integers().between(1, 6);
    Gen<Integer> threadCounts = integers().between(2, 4);
    Gen<Long> seeds = longs().between(1L, 1L << 40);
    Gen<RunCase> cases = in -> new RunCase(dims.generate(in), widths.generate(in), batches.generate(in),
        replicas.generate(in), threadCounts.generate(in), seeds.generate(in));
    qt("runsAreBitIdenticalAcrossRepeatsAndThreadCounts", 40)
        .forAll(cases)
        .checkAssert(rc -> {
          int threads = rc.threads();
          SgdRunner.Plan plan = rc.plan();
          List<SgdRunner.Replica> one = SgdRunner.run(plan, 1, SgdProgress.NONE);
          // 0 differing bits: reproducibility is exact by construction (SGD-REPRODUCIBLE)
          assertThat(SgdChecks.differingValues(one, SgdRunner.run(plan, 1, SgdProgress.NONE)))
              .as("repeat of %s", rc).isZero();
          assertThat(SgdChecks.differingValues(one, SgdRunner.run(plan, threads, SgdProgress.NONE)))
              .as("%d threads for %s", threads, rc).isZero();
        });
  }

  @Test
  void negativeControlDifferentSeedIsSeen() {
    // the bitwise comparison can fail: another sample seed changes every snapshot after step 0
    SgdRunner.Plan plan = new RunCase(10, 3, 2, 3, 2, 77L).plan();
    SgdRunner.Plan other = new SgdRunner.Plan(plan.instance(), plan.schedule(), plan.batch(), plan.noise(),
        plan.outputSteps(), plan.replicas(), plan.seed() + 1);
    long diff = SgdChecks.differingValues(SgdRunner.run(plan, 2, SgdProgress.NONE),
        SgdRunner.run(other, 2, SgdProgress.NONE));
    System.out.println("negativeControlDifferentSeedIsSeen: " + diff + " differing values");
    assertThat(diff).isGreaterThan(10);
  }
}
