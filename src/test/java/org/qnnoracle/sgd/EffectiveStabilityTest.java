package org.qnnoracle.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;

/** SGD-STABILITY: the predicted largest stable c = eta d of the effective dynamics (proofs-notes/effective-dynamics.md). */
class EffectiveStabilityTest {
  private static final long SEED = 20_261_128L;

  private static double[] lambda(int r, double alpha) {
    return PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
  }

  /**
   * The closed form for m &gt;= r, s = 0 (P-block of the Jacobian at M = A, section 6.2) against the numerical
   * linearisation (Newton, central differences, gauge quotient, continuation in c): agree to 1e-5 relative
   * (the bisection width of the numerical route is 1e-6; the finite-difference Jacobian is good to ~1e-9).
   */
  @Test
  void learnedModeClosedFormMatchesTheNumericalLinearisation() {
    int[][] shapes = {{6, 6}, {3, 3}, {4, 4}, {3, 6}};
    double[] alphas = {1.0, 0.0, 2.0, 1.0};
    for (int i = 0; i < shapes.length; i++) {
      double[] l = lambda(shapes[i][0], alphas[i]);
      for (int d : new int[] {100, 1_000_000}) {
        for (int b : new int[] {1, 4}) {
          double closed = EffectiveStability.learnedModeCriticalC(l, d, b);
          double numeric = EffectiveStability.linearCriticalC(l, shapes[i][1], d, b, 0.0, 0.02 * b, 2.0 * b, 1e-6);
          System.out.printf(Locale.ROOT, "r=%d m=%d alpha=%.0f d=%d b=%d: c_lin closed form %.6f, numerical %.6f%n",
              shapes[i][0], shapes[i][1], alphas[i], d, b, closed, numeric);
          assertThat(numeric).isCloseTo(closed, within(1e-5 * closed));
        }
      }
    }
    // Large d: u = c / b solves sum 2 u lambda_i / (1 - 4 u lambda_i) = 1; equal lambda = 1/sqrt(r): u = sqrt(r)/(2r + 4).
    assertThat(EffectiveStability.learnedModeCriticalC(lambda(3, 0.0), 1_000_000_000, 1))
        .isCloseTo(Math.sqrt(3) / 10, within(1e-6));
  }

  @Test
  void learnedFixedPointIsStableBelowAndUnstableAboveTheLinearLimit() {
    double[] l = lambda(6, 1.0);
    for (int m : new int[] {3, 6}) {
      double c = EffectiveStability.linearCriticalC(l, m, 400, 1, 0.0, 0.01, 2.0, 1e-6);
      FlowState.Overlaps guess = EffectiveStability.learnedGuess(l, m);
      EffectiveStability.Linearisation below = EffectiveStability.linearise(
          EffectiveDynamics.scaledEta(l, 400, 1, 0.0, 0.98 * c), guess);
      EffectiveStability.Linearisation above = EffectiveStability.linearise(
          EffectiveDynamics.scaledEta(l, 400, 1, 0.0, 1.02 * c), below.fixedPoint());
      System.out.printf(Locale.ROOT, "r=6 m=%d d=400: c_lin = %.6f; at 0.98 c_lin %s, tr P* = %.4f; at 1.02 c_lin %s%s%n",
          m, c, below, Dense.trace(below.fixedPoint().p()), above,
          above == null ? "" : String.format(Locale.ROOT, " (tr QQ^T %.4f, was %.4f)",
              Dense.frobeniusInner(above.fixedPoint().q(), above.fixedPoint().q()),
              Dense.frobeniusInner(below.fixedPoint().q(), below.fixedPoint().q())));
      assertThat(below.maxRealPart()).isNegative();
      assertThat(below.gaugeDimension()).isEqualTo(m * (m - 1) / 2);
      if (m == 6) {
        // m = r: M = A stays a fixed point (B = 0 silences the noise); an eigenvalue of the P-block crosses 0
        assertThat(Dense.frobeniusNorm(below.fixedPoint().p())).isLessThan(1e-12);
        assertThat(above.maxRealPart()).isPositive();
      } else {
        // m < r: the unlearned residual keeps the noise on, so the fixed point moves into P > 0, and the branch
        // ends in a fold: beyond it Newton finds nothing, or lands on another (unstable) fixed point
        assertThat(Dense.trace(below.fixedPoint().p())).isPositive();
        assertThat(above == null || above.maxRealPart() > 0.0).isTrue();
      }
    }
  }

  /**
   * Q = 0, P = p I_m is invariant; there dp/dt = p (k a1 p^2 - (8 + 8 k sum lambda) p + k g1). The closed-form
   * drift equals the right-hand side, and the ODE from (0, p0 I) stays bounded at 0.99 times the predicted
   * c and diverges at 1.01 times it, for p0 below the saddle-node (prediction c_perp) and above it.
   */
  @Test
  void perpendicularModeClosedFormIsTheOde() {
    double[] l = lambda(6, 1.0);
    int m = 6;
    int d = 400;
    double eta = 0.13 / d;
    for (double p : new double[] {0.01, 0.3, 2.0}) {
      double[][] pm = Dense.scale(p, Dense.identity(m));
      double rhs = EffectiveDynamics.constantEta(l, d, 3, 0.5, eta).rhs(0.0, new double[6][m], pm).dp()[0][0];
      assertThat(EffectiveStability.perpendicularDrift(l, m, d, 3, 0.5, eta, p)).isCloseTo(rhs, within(1e-14 * Math.abs(rhs)));
    }
    double psn = EffectiveStability.perpendicularSaddleNode(l, m, d, 1, 0.0);
    for (double p0 : new double[] {0.01, 2.0 * psn}) {
      double c = EffectiveStability.perpendicularCriticalC(l, m, d, 1, 0.0, p0);
      FlowState.Overlaps init = new FlowState.Overlaps(0.0, new double[6][m], Dense.scale(p0, Dense.identity(m)));
      double[] times = {2000.0};
      EffectiveTrajectory below = EffectiveDynamics.scaledEta(l, d, 1, 0.0, 0.99 * c).solve(init, times, 1e-10);
      EffectiveTrajectory above = EffectiveDynamics.scaledEta(l, d, 1, 0.0, 1.01 * c).solve(init, times, 1e-10);
      System.out.printf(Locale.ROOT, "perpendicular mode p0 = %.4f (p_sn = %.4f): predicted c = %.6f (c_perp = %.6f); "
          + "0.99 c bounded: %s (p(2000) = %.5f), 1.01 c diverged at t = %.2f%n", p0, psn, c,
          EffectiveStability.perpendicularCriticalC(l, m, d, 1, 0.0), !below.diverged(),
          below.diverged() ? Double.NaN : below.states().get(0).p()[0][0], above.divergenceTime());
      assertThat(below.diverged()).isFalse();
      assertThat(above.diverged()).isTrue();
      assertThat(Dense.frobeniusNorm(below.states().get(0).q())).isZero();
    }
    // large d: b / sqrt(2 (m + 4) (2 |lambda|^2 + s^2))
    assertThat(EffectiveStability.perpendicularCriticalC(l, m, 1_000_000_000, 1, 0.0))
        .isCloseTo(1.0 / Math.sqrt(40.0), within(1e-6));
  }

  /**
   * The ODE from the model's init decides (bisection, horizon rule T = (2 ln d + 2 |ln(tr G0/m)| + 10) /
   * lambda_min(m,r)). From a small init it reproduces the linear limit (to 5e-3 relative: just above c_lin the
   * growth rate is tiny and the blow-up may come after T); doubling T moves it by less than 2e-3; from sigma0 = 1
   * the perpendicular prediction for p0 ~ 1 is within 5%. c = 0.1 and 0.2 at d = 400, r = m = 6 (the issue):
   * 0.2 is above every prediction.
   */
  @Test
  void bisectionFromInitAgreesWithThePredictions() {
    System.out.println("r m alpha d sigma0 | linear  perpendicular(p0)  | bisection from init (T), with 2T");
    Object[][] cases = {
        {6, 6, 1.0, 400, 0.1}, {6, 3, 1.0, 1000, 0.1}, {3, 3, 0.0, 100, 0.1}, {3, 6, 1.0, 1000, 0.1},
        {6, 6, 1.0, 400, 1.0}};
    for (Object[] cs : cases) {
      int r = (Integer) cs[0];
      int m = (Integer) cs[1];
      double alpha = (Double) cs[2];
      int d = (Integer) cs[3];
      double sigma0 = (Double) cs[4];
      Instance inst = ModelSpec.of(d, r, m, alpha, sigma0, SEED).instance();
      FlowState.Overlaps init = FlowMethod.initialOverlaps(inst);
      double[] l = inst.teacher().lambda();
      EffectiveStability.Prediction pr = EffectiveStability.predict(l, d, 1, 0.0, init);
      EffectiveStability.CriticalC twice = EffectiveStability.bisectCriticalC(l, d, 1, 0.0, init,
          2 * pr.fromInit().horizon(), pr.fromInit().estimate(), 1e-3, 1e-9);
      System.out.printf(Locale.ROOT, "%d %d %.0f %d %.1f | %.5f  %.5f (c_perp %.5f) | %s; 2T: %.5f%n", r, m, alpha, d,
          sigma0, pr.linear(), pr.perpendicularFromInit(), pr.perpendicular(), pr.fromInit(), twice.estimate());
      double c = pr.fromInit().estimate();
      assertThat(twice.estimate()).isCloseTo(c, within(2e-3 * c));
      if (sigma0 >= 1.0) {
        assertThat(c).isCloseTo(pr.perpendicularFromInit(), within(0.05 * c));
      } else if (m <= r) {
        assertThat(c).isCloseTo(pr.linear(), within(5e-3 * c));
      } else {
        assertThat(c).isBetween(pr.perpendicular(), pr.linear());
      }
      if (r == 6 && m == 6 && d == 400) {
        assertThat(c).isLessThan(0.2);
        if (sigma0 < 1.0) {
          assertThat(c).isGreaterThan(0.1);
        }
      }
    }
  }

  /** eta = c / d is the natural scaling: the critical c converges as d grows (section 7.3 of gaussian-moments.md). */
  @Test
  void criticalConstantIsOrderOneInDimension() {
    double[] l = lambda(6, 1.0);
    double prev = 0.0;
    StringBuilder sb = new StringBuilder("c_lin(d), r = m = 6, alpha = 1, b = 1:");
    for (int d : new int[] {10, 100, 1000, 10_000, 100_000, 1_000_000}) {
      double c = EffectiveStability.learnedModeCriticalC(l, d, 1);
      sb.append(String.format(Locale.ROOT, " d=%d %.6f;", d, c));
      assertThat(c).isGreaterThan(prev);
      prev = c;
    }
    double limit = EffectiveStability.learnedModeCriticalC(l, Integer.MAX_VALUE, 1);
    System.out.println(sb + String.format(Locale.ROOT, " limit %.6f", limit));
    assertThat(prev).isCloseTo(limit, within(1e-5));
  }
}
