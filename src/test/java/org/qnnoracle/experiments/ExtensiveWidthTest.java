package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.gaussian.DoubleMatrices;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The helpers of claim SGD-EXTENSIVE-WIDTH (experiments.ExtensiveWidth, proofs-notes/extensive-width.md): the position
 * on the line between two references, the mean map's step against the exact step drift, the replicas' seeds
 * and thread independence, and the verdict on synthetic data with its negative controls (the flow as the
 * candidate, gaps that do not shrink, a curve nearer the alternative, a diverged replica) and on a small real
 * sweep. The claim itself runs at its scales in ClaimsTest.
 */
class ExtensiveWidthTest {
  private static final long SEED = 20_266_528L;

  @Test
  void positionIsTheCoefficientAlongTheLineBetweenTheReferences() {
    SplittableRandom rng = new SplittableRandom(SEED);
    int n = 13;
    double[] a = new double[n];
    double[] b = new double[n];
    for (int k = 0; k < n; k++) {
      a[k] = 2.0 * Math.exp(-k / 4.0);
      b[k] = a[k] - 0.2 * Math.sin(Math.PI * k / (n - 1)) - 0.01 * rng.nextDouble();
    }
    double[] sep = new double[n];
    for (int k = 0; k < n; k++) {
      sep[k] = b[k] - a[k];
    }
    // a perturbation orthogonal to the separation does not move the position
    double[] ortho = new double[n];
    for (int k = 0; k < n; k++) {
      ortho[k] = gaussian(rng);
    }
    double proj = dot(ortho, sep) / dot(sep, sep);
    for (int k = 0; k < n; k++) {
      ortho[k] -= proj * sep[k];
    }
    for (double phi : new double[] {-0.7, 0.0, 0.3, 1.0, 1.6}) {
      double[] y = new double[n];
      for (int k = 0; k < n; k++) {
        y[k] = a[k] + phi * sep[k] + 0.05 * ortho[k];
      }
      assertThat(ExtensiveWidth.position(y, a, b)).isCloseTo(phi, within(1e-12));
    }
    assertThat(ExtensiveWidth.position(a, a, b)).isZero();
    assertThat(ExtensiveWidth.position(b, a, b)).isCloseTo(1.0, within(1e-15));
    assertThatThrownBy(() -> ExtensiveWidth.position(b, a, a)).isInstanceOf(InvalidInputException.class);
    // a diverged run (NaN from its divergence on) has no position, whichever series it is
    double[] broken = b.clone();
    broken[n - 1] = Double.NaN;
    assertThat(ExtensiveWidth.position(broken, a, b)).isNaN();
    assertThat(ExtensiveWidth.position(b, broken, a)).isNaN();
  }

  /**
   * One mean-map step is (Q, G) plus the exact conditional mean of an SGD step, E[Q' - Q] and E[G' - G] of
   * GaussianFormulas (SGD-OVERLAP-DRIFT), to round-off, at b = d and at b = 1; the risk it reports is that of the
   * stepped state.
   */
  @Test
  void meanStepIsTheExactStepDrift() {
    SplittableRandom rng = new SplittableRandom(SEED);
    double worst = 0.0;
    for (int c = 0; c < 50; c++) {
      int r = 1 + rng.nextInt(8);
      int m = 1 + rng.nextInt(8);
      int d = r + m + rng.nextInt(400);
      int b = rng.nextBoolean() ? d : 1 + rng.nextInt(4);
      double eta = 0.002 + 0.08 * rng.nextDouble();
      double[] lambda = new double[r];
      double[][] lambdaDiag = new double[r][r];
      for (int j = 0; j < r; j++) {
        lambda[j] = 0.1 + rng.nextDouble();
        lambdaDiag[j][j] = lambda[j];
      }
      double[][] q = scaled(gaussianMatrix(rng, r, m), 0.3);
      double[][] x = scaled(gaussianMatrix(rng, m, m), 0.2);
      double[][] g = Dense.addScaled(Dense.symmetricPart(Linalg.multTransA(x, x)), 1.0, Linalg.multTransA(q, q));
      EffectiveDynamics dyn = EffectiveDynamics.constantEta(lambda, d, b, 0.0, eta);
      double[][][] next = ExtensiveWidth.meanStep(dyn, 0.0, q, g, eta);
      double[][] qRef = Dense.addScaled(q, 1.0,
          GaussianFormulas.stepDriftOfOverlap(DoubleMatrices.INSTANCE, q, g, lambdaDiag, eta));
      double[][] gRef = Dense.addScaled(g, 1.0,
          GaussianFormulas.stepDriftOfGram(DoubleMatrices.INSTANCE, q, g, lambdaDiag, d, eta, b, 0.0));
      worst = Math.max(worst, Dense.frobeniusDistance(next[0], qRef) / Dense.frobeniusNorm(qRef));
      worst = Math.max(worst, Dense.frobeniusDistance(next[1], gRef) / Dense.frobeniusNorm(gRef));
      if (c == 0) {
        double[][] p = Dense.subtract(g, Linalg.multTransA(q, q));
        double[] risk = ExtensiveWidth.meanMap(dyn, new FlowState.Overlaps(0.0, q, p), eta, new long[] {0, 1});
        double[][] p1 = Dense.subtract(gRef, Linalg.multTransA(qRef, qRef));
        double expected0 = FlowObservables.fromOverlaps(0.0, lambda, q, p).risk();
        assertThat(risk[0]).isCloseTo(expected0, within(1e-14 * Math.max(1.0, expected0)));
        double expected = FlowObservables.fromOverlaps(eta, lambda, qRef, p1).risk();
        assertThat(risk[1]).isCloseTo(expected, within(1e-12 * Math.max(1.0, expected)));
      }
    }
    System.out.printf(Locale.ROOT, "mean step vs exact step drift: max relative difference %.2e over 50 cases%n", worst);
    assertThat(worst).isLessThan(1e-13);
  }

  /** replicaRisk draws replica i's samples as SgdRunner does: the same risks, bit for bit. */
  @Test
  void replicaRiskIsSgdRunnersReplica() {
    int d = 16;
    Instance inst = ModelSpec.of(d, 12, 12, 1.0, 0.1, SEED).instance();
    long[] steps = {0, 3, 7, 12};
    long sampleSeed = 77L;
    List<SgdRunner.Replica> reps = SgdRunner.run(new SgdRunner.Plan(inst, new StepSchedule.Constant(0.05), d, 0.0,
        steps, 3, sampleSeed), 2, (done, total) -> { });
    double[][] expected = EffectiveAgreement.risks(reps, steps.length);
    for (int i = 0; i < 3; i++) {
      double[] mine = ExtensiveWidth.replicaRisk(inst, 0.05, steps, ExtensiveWidth.replicaSeed(sampleSeed, i));
      for (int k = 0; k < steps.length; k++) {
        assertThat(Double.doubleToRawLongBits(mine[k])).isEqualTo(Double.doubleToRawLongBits(expected[i][k]));
      }
    }
  }

  @Test
  void sweepDoesNotDependOnTheThreadCount() {
    ExtensiveWidth.Setup one = tiny(1);
    ExtensiveWidth.Setup three = tiny(3);
    List<ExtensiveWidth.AtD> a = ExtensiveWidth.run(one);
    List<ExtensiveWidth.AtD> b = ExtensiveWidth.run(three);
    assertThat(a).hasSameSizeAs(b);
    for (int k = 0; k < a.size(); k++) {
      assertThat(a.get(k).d()).isEqualTo(one.dims()[k]);
      assertThat(a.get(k).sgdRisk()).isDeepEqualTo(b.get(k).sgdRisk());
      assertThat(a.get(k).odeRisk()).containsExactly(b.get(k).odeRisk());
      assertThat(a.get(k).flowRisk()).containsExactly(b.get(k).flowRisk());
      assertThat(a.get(k).mapRisk()).containsExactly(b.get(k).mapRisk());
      // the references start at the instance's risk
      assertThat(a.get(k).odeRisk()[0]).isEqualTo(a.get(k).risk0());
      assertThat(a.get(k).sgdRisk()[0][0]).isCloseTo(a.get(k).risk0(), within(1e-12));
    }
  }

  private static ExtensiveWidth.Setup tiny(int threads) {
    return new ExtensiveWidth.Setup(0.75, 1.0, 0.05, 0.1, new int[] {8, 12, 16}, 3, 0.5, 4, 1e-6, SEED, threads,
        true);
  }

  // ---------------------------------------------------------------------------------------------------
  // The verdict and its negative controls, on synthetic gaps

  private static final int[] DIMS = {25, 50, 100, 200};
  private static final int REPS = 24;

  /** Gaps a d^slope times log-normal replica scatter (sd 0.5), as measured. */
  private static double[][] gaps(SplittableRandom rng, double scale, double slope, double floor) {
    double[][] g = new double[DIMS.length][REPS];
    for (int k = 0; k < DIMS.length; k++) {
      for (int i = 0; i < REPS; i++) {
        g[k][i] = (scale * Math.pow(DIMS[k], slope) + floor) * Math.exp(0.5 * gaussian(rng));
      }
    }
    return g;
  }

  private static double[][] positions(SplittableRandom rng, double centre, double sd) {
    double[][] p = new double[DIMS.length][REPS];
    for (int k = 0; k < DIMS.length; k++) {
      for (int i = 0; i < REPS; i++) {
        p[k][i] = centre + sd * Math.sqrt(100.0 / DIMS[k]) * gaussian(rng);
      }
    }
    return p;
  }

  @Test
  void verdictPassesTheOdeAndFailsItsControls() {
    SplittableRandom rng = new SplittableRandom(SEED);
    // as measured: gap to the ODE ~ 0.55 d^-1/2, to the flow ~ the separation 0.12 plus fluctuations
    double[][] eff = gaps(rng, 0.55, -0.5, 0.0);
    double[][] flow = new double[DIMS.length][REPS];
    for (int k = 0; k < DIMS.length; k++) {
      for (int i = 0; i < REPS; i++) {
        flow[k][i] = 0.12 + 0.5 * eff[k][i];
      }
    }
    double[][] pos = positions(rng, 0.02, 0.25);
    ExtensiveWidth.Verdict v = ExtensiveWidth.judge(DIMS, eff, flow, pos, 0.999, 3.0);
    System.out.println("synthetic, ODE as candidate: " + v.detail());
    assertThat(v.passed()).isTrue();
    assertThat(v.fit().slope()).isCloseTo(-0.5, within(0.15));

    // the flow as the candidate: not closer, and its position (1 - phi) is near 1
    double[][] flipped = new double[DIMS.length][];
    for (int k = 0; k < DIMS.length; k++) {
      flipped[k] = Arrays.stream(pos[k]).map(x -> 1.0 - x).toArray();
    }
    ExtensiveWidth.Verdict control = ExtensiveWidth.judge(DIMS, flow, eff, flipped, 0.999, 3.0);
    assertThat(control.closer()).isFalse();
    assertThat(control.nearer()).isFalse();
    assertThat(control.passed()).isFalse();

    // gaps that do not shrink (the floor alone) fail (a)
    ExtensiveWidth.Verdict flat = ExtensiveWidth.judge(DIMS, gaps(rng, 0.0, 0.0, 0.04), flow, pos, 0.999, 3.0);
    assertThat(flat.shrinks()).isFalse();
    assertThat(flat.closer()).isTrue();

    // a curve nearer the flow than the ODE along the line joining them fails (c)
    ExtensiveWidth.Verdict nearFlow = ExtensiveWidth.judge(DIMS, eff, flow, positions(rng, 0.7, 0.25), 0.999, 3.0);
    assertThat(nearFlow.nearer()).isFalse();
    assertThat(nearFlow.shrinks()).isTrue();

    // a diverged replica (infinite gap, NaN position) fails everything
    double[][] broken = Arrays.stream(eff).map(double[]::clone).toArray(double[][]::new);
    broken[2][5] = Double.POSITIVE_INFINITY;
    double[][] brokenPos = Arrays.stream(pos).map(double[]::clone).toArray(double[][]::new);
    brokenPos[2][5] = Double.NaN;
    ExtensiveWidth.Verdict div = ExtensiveWidth.judge(DIMS, broken, flow, brokenPos, 0.999, 3.0);
    assertThat(div.passed()).isFalse();
    assertThat(div.detail()).contains("diverged");
  }

  /**
   * A small real sweep (d = 25, 50, 100; 16 replicas, the claim's c, sigma0 and grid): SGD is closer to the
   * effective ODE than to the flow and lies near it, and the same data with the flow as the candidate fails both
   * route checks.
   */
  @Test
  void smallSweepFollowsTheOdeNotTheFlow() {
    ExtensiveWidth.Setup s = new ExtensiveWidth.Setup(0.75, 1.0, 0.05, 0.1, new int[] {25, 50, 100}, 16, 1.5, 12, 1e-6,
        SEED, Runtime.getRuntime().availableProcessors(), false);
    List<ExtensiveWidth.AtD> res = ExtensiveWidth.run(s);
    int nd = res.size();
    int[] dims = new int[nd];
    double[][] eff = new double[nd][];
    double[][] flow = new double[nd][];
    double[][] pos = new double[nd][];
    double[][] flipped = new double[nd][];
    for (int k = 0; k < nd; k++) {
      dims[k] = res.get(k).d();
      eff[k] = res.get(k).gapsToOde();
      flow[k] = res.get(k).gapsToFlow();
      pos[k] = res.get(k).positions();
      flipped[k] = Arrays.stream(pos[k]).map(x -> 1.0 - x).toArray();
    }
    ExtensiveWidth.Verdict v = ExtensiveWidth.judgeOdeAgainstFlow(res, 0.999, 3.0);
    ExtensiveWidth.Verdict control = ExtensiveWidth.judge(dims, flow, eff, flipped, 0.999, 3.0);
    System.out.println("small sweep, seed " + SEED + ": " + v.detail());
    System.out.println("small sweep, flow as candidate: " + control.detail());
    assertThat(v.closer()).isTrue();
    assertThat(v.nearer()).isTrue();
    assertThat(control.closer()).isFalse();
    assertThat(control.nearer()).isFalse();
  }

  // ---------------------------------------------------------------------------------------------------

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  private static double[][] gaussianMatrix(SplittableRandom rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = gaussian(rng);
      }
    }
    return a;
  }

  private static double[][] scaled(double[][] a, double s) {
    return Dense.scale(s, a);
  }

  private static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
