package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.sgd.EffectiveStability;

/**
 * SGD against its effective ODE (claims SGD-EFFECTIVE-LIMIT, SGD-HIGH-DIM, SGD-COLD-START, SGD-STABILITY;
 * proofs-notes/effective-dynamics.md): the judgements on small settings, each with a negative control that
 * must make the same judgement fail. The claims themselves run at their scales in ClaimsTest.
 */
class EffectiveAgreementTest {
  private static final long SEED = 20_266_128L;

  // ---------------------------------------------------------------------------------------------------
  // Building blocks

  @Test
  void warmStartHasTheSameOverlapsAtEveryDimension() {
    FlowState.Overlaps a = FlowMethod.initialOverlaps(EffectiveAgreement.warmStart(50, 6, 6, 1.0, 0.15, 0.02, SEED));
    FlowState.Overlaps b = FlowMethod.initialOverlaps(EffectiveAgreement.warmStart(800, 6, 6, 1.0, 0.15, 0.02, SEED));
    assertThat(Dense.frobeniusDistance(a.q(), b.q())).isZero();
    // P0 = 0.02 I exactly up to the round-off of the orthonormalisation
    assertThat(Dense.frobeniusDistance(a.p(), Dense.scale(0.02, Dense.identity(6)))).isLessThan(1e-14);
    assertThat(Dense.frobeniusDistance(b.p(), Dense.scale(0.02, Dense.identity(6)))).isLessThan(1e-14);
  }

  @Test
  void crossingAndInterpolation() {
    double[] t = {0, 1, 2, 3, 4};
    double[] y = {0, 1, 4, 9, 16};
    assertThat(EffectiveAgreement.firstCrossing(t, y, 6.5)).isCloseTo(2.5, within(1e-15));
    assertThat(EffectiveAgreement.firstCrossing(t, y, 17)).isNaN();
    // the cubic interpolant is exact on a cubic; the linear one is not
    double[] cube = Arrays.stream(t).map(x -> x * x * x - 2 * x).toArray();
    assertThat(EffectiveAgreement.interpolateCubic(t, cube, 2.3)).isCloseTo(2.3 * 2.3 * 2.3 - 4.6, within(1e-12));
    assertThat(EffectiveAgreement.interpolate(t, y, 2.5)).isCloseTo(6.5, within(1e-15));
  }

  /** The pooled log-log fit recovers a known slope, and its interval covers it. */
  @Test
  void logLogFitRecoversASlope() {
    SplittableRandom rng = new SplittableRandom(SEED);
    int[] dims = {100, 200, 400, 800};
    double[][] g = new double[dims.length][16];
    for (int k = 0; k < dims.length; k++) {
      for (int i = 0; i < 16; i++) {
        g[k][i] = 2.0 * Math.pow(dims[k], -0.5) * Math.exp(0.35 * gaussian(rng));
      }
    }
    org.qnnoracle.stats.LinearFit f = EffectiveAgreement.logLogFit(dims, g);
    double[] ci = f.interval(0.999);
    System.out.printf(Locale.ROOT, "synthetic d^-1/2 gaps, seed %d: slope %.3f CI [%.3f, %.3f]%n", SEED, f.slope(),
        ci[0], ci[1]);
    assertThat(ci[0]).isLessThan(-0.5);
    assertThat(ci[1]).isGreaterThan(-0.5).isNegative();
  }

  /** The F test rejects "sd ~ d^{-1/2}" for equal spreads and does not for spreads that do shrink so. */
  @Test
  void varianceRatioTest() {
    double equal = EffectiveAgreement.shrinkHypothesisPValue(0.12, 32, 100, 0.12, 32, 1600);
    double shrinking = EffectiveAgreement.shrinkHypothesisPValue(0.12, 32, 100, 0.03, 32, 1600);
    System.out.printf(Locale.ROOT, "F test: equal spreads p = %.2g; shrinking like d^-1/2 p = %.2g%n", equal, shrinking);
    assertThat(equal).isLessThan(1e-9);
    assertThat(shrinking).isCloseTo(0.5, within(1e-9));
  }

  // ---------------------------------------------------------------------------------------------------
  // SGD-EFFECTIVE-LIMIT

  /** eta = 0 is the flow to 1e-9; the negative control c = 1e-3 (eta = 1e-3 / d) is far from it. */
  @Test
  void limitHoldsAtEtaZeroAndFailsAtPositiveEta() {
    double worstZero = 0.0;
    double leastPositive = Double.POSITIVE_INFINITY;
    for (int k = 0; k < 8; k++) {
      Instance inst = RandomInstances.draw(SEED + k, RandomInstances.Family.standard(12));
      worstZero = Math.max(worstZero, EffectiveAgreement.limitDistance(inst, 0.0, 1e-13));
      leastPositive = Math.min(leastPositive, EffectiveAgreement.limitDistance(inst, 1e-3, 1e-13));
    }
    System.out.printf(Locale.ROOT, "SGD-EFFECTIVE-LIMIT, seeds %d..%d: eta = 0: %.2e; c = 1e-3: at least %.2e%n",
        SEED, SEED + 7, worstZero, leastPositive);
    assertThat(worstZero).isLessThan(1e-9);
    assertThat(leastPositive).isGreaterThan(1e-6);
  }

  // ---------------------------------------------------------------------------------------------------
  // SGD-HIGH-DIM

  /**
   * The judgement passes for the effective ODE and fails, on both counts, with the population flow in its
   * place: the flow's gap does not shrink with d (slope interval around 0) and the ODE is the closer one.
   */
  @Test
  void highDimPassesForTheEffectiveOdeAndFailsForTheFlow() {
    int[] dims = {100, 200, 400};
    EffectiveAgreement.HighDimSetup s = new EffectiveAgreement.HighDimSetup(6, 6, 1.0, 0.1, 0.15, 0.02, dims, 8, 1.5,
        30, SEED, Runtime.getRuntime().availableProcessors());
    EffectiveAgreement.HighDimResult res = EffectiveAgreement.highDim(s);
    EffectiveAgreement.Verdict eff = EffectiveAgreement.judgeHighDim(dims, res.effGaps(), res.flowGaps(), 0.999, 3.0);
    EffectiveAgreement.Verdict flow = EffectiveAgreement.judgeHighDim(dims, res.flowGaps(), res.effGaps(), 0.999, 3.0);
    System.out.println("SGD-HIGH-DIM small, seed " + SEED + ": effective ODE: " + eff.detail());
    System.out.println("  negative control, population flow as the candidate: " + flow.detail());
    assertThat(res.diverged()).containsOnly(0);
    assertThat(eff.passed()).isTrue();
    assertThat(flow.shrinks()).isFalse();
    assertThat(flow.closer()).isFalse();
  }

  // ---------------------------------------------------------------------------------------------------
  // SGD-COLD-START

  /**
   * Passes on a small setting; negative controls: (a) the population flow, aligned the same way on its own
   * escape time, in place of the ODE is not the closer one, and gaps that do not change with d (the d = 100
   * gaps reused at d = 400) fail the slope test; (b) an ODE escape time moved by ln(100) / (8 lambda_1) (the
   * ODE from ten times the init scale) puts the centre off, and offsets shrunk by 4 (what d^{-1/2} from d = 100
   * would give at d = 1600) fall below the floor.
   */
  @Test
  void coldStartPassesAndItsControlsFail() {
    EffectiveAgreement.ColdSetup s = new EffectiveAgreement.ColdSetup(6, 6, 1.0, 0.1, 0.01, new int[] {100, 400},
        16, 0.01, 0.6, SEED, Runtime.getRuntime().availableProcessors());
    List<EffectiveAgreement.ColdAtD> res = EffectiveAgreement.coldStart(s);
    EffectiveAgreement.ColdVerdict v = EffectiveAgreement.judgeColdStart(s, res, 0.999, 3.0, Double.NaN);
    System.out.println("SGD-COLD-START small, seed " + SEED + ": " + v.detail());
    assertThat(v.passed()).isTrue();

    double lambda1 = PowerLawSpectrum.lambdas(6, 1.0, Normalisation.L2)[0];
    double move = Math.log(100) / (8 * lambda1);
    List<EffectiveAgreement.ColdAtD> flow = new ArrayList<>();
    List<EffectiveAgreement.ColdAtD> flat = new ArrayList<>();
    List<EffectiveAgreement.ColdAtD> shifted = new ArrayList<>();
    List<EffectiveAgreement.ColdAtD> shrunk = new ArrayList<>();
    for (EffectiveAgreement.ColdAtD c : res) {
      flow.add(with(c, c.tOde(), c.escape(), c.alignedFlowGap(), c.alignedGap()));
      flat.add(with(c, c.tOde(), c.escape(), res.get(0).alignedGap(), c.alignedFlowGap()));
      shifted.add(with(c, Arrays.stream(c.tOde()).map(t -> t - move).toArray(), c.escape(), c.alignedGap(),
          c.alignedFlowGap()));
      double[] esc = new double[c.escape().length];
      for (int i = 0; i < esc.length; i++) {
        esc[i] = c.tOde()[i] + 0.25 * (c.escape()[i] - c.tOde()[i]);
      }
      shrunk.add(with(c, c.tOde(), esc, c.alignedGap(), c.alignedFlowGap()));
    }
    EffectiveAgreement.ColdVerdict vFlow = EffectiveAgreement.judgeColdStart(s, flow, 0.999, 3.0, Double.NaN);
    EffectiveAgreement.ColdVerdict vFlat = EffectiveAgreement.judgeColdStart(s, flat, 0.999, 3.0, Double.NaN);
    EffectiveAgreement.ColdVerdict vOff = EffectiveAgreement.judgeColdStart(s, shifted, 0.999, 3.0, Double.NaN);
    EffectiveAgreement.ColdVerdict vSmall = EffectiveAgreement.judgeColdStart(s, shrunk, 0.999, 3.0, Double.NaN);
    System.out.printf(Locale.ROOT, "  controls: flow as the candidate: closer %s; flat gaps: shrinks %s (CI [%.3f, %.3f]); "
        + "ODE escape moved by %.3f: centred %s; offsets x 1/4: spread %s%n", vFlow.closer(), vFlat.shrinks(),
        vFlat.interval()[0], vFlat.interval()[1], move, vOff.centred(), vSmall.spread());
    assertThat(vFlow.closer()).isFalse();
    assertThat(vFlat.shrinks()).isFalse();
    assertThat(vOff.centred()).isFalse();
    assertThat(vSmall.spread()).isFalse();
  }

  private static EffectiveAgreement.ColdAtD with(EffectiveAgreement.ColdAtD c, double[] tOde, double[] escape,
      double[] aligned, double[] alignedFlow) {
    return new EffectiveAgreement.ColdAtD(c.d(), tOde, c.tFlow(), escape, c.rawGap(), aligned, alignedFlow,
        c.meanGap(), c.meanGapTime(), c.meanGapZ(), c.diverged(), c.horizon(), c.seconds());
  }

  // ---------------------------------------------------------------------------------------------------
  // SGD-STABILITY

  /**
   * At d = 100 the predicted c_crit separates converging from diverging replicas; the negative controls
   * c_crit x 2 (then "0.7 c_crit" is 1.4 times the truth and diverges) and c_crit / 2 ("1.5 c_crit" is 0.75
   * times the truth and converges) each fail.
   */
  @Test
  void stabilityPredictionSeparatesAndWrongPredictionsFail() {
    EffectiveAgreement.StabilitySetup s = new EffectiveAgreement.StabilitySetup(6, 6, 1.0, 0.15, 0.02, 100, 4, 20.0,
        SEED, Runtime.getRuntime().availableProcessors());
    Instance inst = s.instance();
    EffectiveStability.Prediction p = EffectiveStability.predict(inst.teacher().lambda(), 100, 1, 0.0,
        FlowMethod.initialOverlaps(inst));
    double c = p.fromInit().estimate();
    double[] none = new double[0];
    EffectiveAgreement.StabilityVerdict right = EffectiveAgreement.judgeStability(s, inst, c, new double[] {0.7}, none,
        new double[] {1.5}, 1e-3);
    EffectiveAgreement.StabilityVerdict twice = EffectiveAgreement.judgeStability(s, inst, 2 * c,
        new double[] {0.7}, none, none, 1e-3);
    EffectiveAgreement.StabilityVerdict half = EffectiveAgreement.judgeStability(s, inst, 0.5 * c, none, none,
        new double[] {1.5}, 1e-3);
    System.out.println("SGD-STABILITY d=100, seed " + SEED + ": " + p + "; " + right.detail());
    System.out.println("  control 2 c_crit: " + twice.detail());
    System.out.println("  control c_crit / 2: " + half.detail());
    assertThat(right.passed()).isTrue();
    assertThat(twice.passed()).isFalse();
    assertThat(half.passed()).isFalse();
  }

  private static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
