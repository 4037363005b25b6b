package org.qnnoracle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qnnoracle.flow.FlowGenerators.timeAt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Orthonormal;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;

/**
 * Every route of {@link FlowMethod} computes the same M(t) (FLOW-ROUTES-AGREE), on fixed instances with
 * m &lt; r, m = r and m &gt; r, from small and O(1) initial scales; the d-space and the overlap-space exact
 * propagators share one gauge; the reduced dynamics sees d only through (Q0, G0); and outputs on a grid are
 * step ends, as accurate as single-endpoint integrations.
 */
class FlowRoutesTest {
  /** FLOW-ROUTES-AGREE's bound, read from its claim: integrators at rtol 1e-13 measured within 1.5e-11. */
  private static final double ROUTES_BOUND = ClaimRegistry.byId("FLOW-ROUTES-AGREE").orElseThrow().bound();
  private static final long SEED = 20_261_128L;
  private static final int D = 10;
  private static final int R = 5;

  /**
   * The times at which {@code route} is trusted (FlowAccuracyClaims.matrixFormTimes and the one-shot closed
   * form's range), out of {@code times} given as lambda_max tau.
   */
  private static double[] trustedLambdaTaus(FlowMethod route, Instance inst, double[] lambdaTaus) {
    Teacher teacher = inst.teacher();
    return switch (route) {
      // m < r: the M form is transversally unstable (FlowPropertiesTest); trusted while lambda_{m+1} tau <= 3
      case DP853_M, GBS_M -> inst.m() >= inst.r()
          ? lambdaTaus
          : Arrays.stream(lambdaTaus).filter(lt -> lt / teacher.lambdaMax() * teacher.lambda()[inst.m()] <= 3.0).toArray();
      // the one-shot closed form: cond(K) ~ e^{2 lambda_max tau} / sigma0^2, fine at lambda_max tau <= 2
      // (FLOW-SEMIGROUP's range); ExactPropagatorTest shows it failing at 100
      case CLOSED_FORM -> Arrays.stream(lambdaTaus).filter(lt -> lt <= 2.0).toArray();
      default -> lambdaTaus;
    };
  }

  @ParameterizedTest(name = "d=10 r=5 m={0} sigma0={1}")
  @CsvSource({"2, 1e-3", "2, 1", "5, 1e-3", "5, 1", "8, 1e-3", "8, 1"})
  void allRoutesAgree(int m, double sigma0) {
    Instance inst = RandomInstances.withShape(D, R, m, 1.0, sigma0, SEED);
    Teacher teacher = inst.teacher();
    double lmax = teacher.lambdaMax();
    double[] lambdaTaus = {0.0, 0.5, 2.0, 5.0, 50.0};
    double worst = 0.0;
    for (FlowMethod route : FlowMethod.values()) {
      double[] lts = trustedLambdaTaus(route, inst, lambdaTaus);
      assertThat(lts).as("route %s must be compared at some time", route.cliName()).isNotEmpty();
      double[] times = Arrays.stream(lts).map(lt -> timeAt(lt, lmax)).toArray();
      List<FlowState> ref = FlowMethod.EXACT.solve(inst, times, 0.0);
      List<FlowState> got = route.solve(inst, times, IntegratedFlow.TIGHT_RTOL);
      for (int k = 0; k < times.length; k++) {
        double e = FlowState.distance(ref.get(k), got.get(k), teacher);
        worst = Math.max(worst, e);
        // ROUTES_BOUND (FLOW-ROUTES-AGREE)
        assertThat(e).as("route %s vs exact, m=%d sigma0=%s, lambda_max*tau=%s", route.cliName(), m, sigma0, lts[k])
            .isLessThanOrEqualTo(ROUTES_BOUND);
      }
    }
    System.out.printf(Locale.ROOT, "routes m=%d sigma0=%s: worst distance %.3g%n", m, sigma0, worst);
  }

  @ParameterizedTest(name = "m={0}")
  @CsvSource({"2", "5", "8"})
  void dSpaceAndReducedPropagatorsShareTheGauge(int m) {
    // W_{k+1} = e^{A h} W_k L_k^{-T} in d-space and Q' = e^{Lambda h} Q L^{-T}, P' = L^{-1} P L^{-T} in overlap
    // space use the same K = L L^T, so Q = Theta^T W and P = W_perp^T W_perp agree entry by entry, not just
    // up to a rotation.
    Instance inst = RandomInstances.withShape(D, R, m, 1.0, 0.1, SEED);
    Teacher teacher = inst.teacher();
    double[] times = Arrays.stream(new double[] {0.5, 5.0, 50.0, 200.0}).map(lt -> timeAt(lt, teacher.lambdaMax())).toArray();
    List<FlowState> dSpace = FlowMethod.EXACT.solve(inst, times, 0.0);
    List<FlowState> reduced = FlowMethod.REDUCED.solve(inst, times, 0.0);
    for (int k = 0; k < times.length; k++) {
      double[][] w = ((FlowState.Student) dSpace.get(k)).w();
      FlowState.Overlaps o = (FlowState.Overlaps) reduced.get(k);
      double[][] perp = teacher.perpendicularPart(w);
      double[][] pFromW = Linalg.multTransA(perp, perp);
      // 1e-12 of the largest entry: the two routes differ only by round-off in K (tens of eps per sub-step,
      // a few hundred contracting sub-steps); a different gauge would differ by O(1).
      assertMaxEntryClose(teacher.overlaps(w), o.q(), 1e-12 * maxAbs(o.q()), "Q at t=" + times[k]);
      // P: the d-space route only knows W_perp = W - Theta Q to an absolute delta |W| (delta = 10 r eps for the
      // r-term products and the subtraction), so its P = W_perp^T W_perp carries an absolute error up to
      // delta (2 sqrt(|G| |P|) + delta |G|): far above eps |P| once the student has left Theta_perp (m < r:
      // P ~ 1e-21 at lambda tau = 50, ~1e-87 at 200, where the d-space P is pure round-off ~1e-32). The
      // reduced route carries P itself; it must agree to 1e-12 |P| plus that resolution. Where P is not tiny
      // (lambda tau = 0.5, 5) a different gauge P' = U^T P U would still differ by O(|P|).
      double delta = 10.0 * teacher.r() * Math.ulp(1.0);
      double g = maxAbs(o.gram());
      double pMax = maxAbs(o.p());
      double pTol = 1e-12 * pMax + delta * (2.0 * Math.sqrt(g * pMax) + delta * g);
      assertMaxEntryClose(pFromW, o.p(), pTol, "P at t=" + times[k]);
    }
  }

  private static double maxAbs(double[][] a) {
    double s = 0.0;
    for (double[] row : a) {
      for (double x : row) {
        s = Math.max(s, Math.abs(x));
      }
    }
    return s;
  }

  private static void assertMaxEntryClose(double[][] expected, double[][] actual, double tol, String what) {
    double diff = 0.0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        diff = Math.max(diff, Math.abs(expected[i][j] - actual[i][j]));
      }
    }
    assertThat(diff).as("%s: max |entry difference|", what).isLessThanOrEqualTo(tol);
  }

  /** The instance embedded in R^{d + extra}: Theta and W0 padded with zero rows, then rotated by U. */
  private static Instance embed(Instance inst, int extra, double[][] rotation) {
    int d = inst.d();
    int big = d + extra;
    double[][] theta = new double[big][];
    double[][] w0 = new double[big][];
    for (int i = 0; i < big; i++) {
      theta[i] = i < d ? inst.teacher().theta()[i].clone() : new double[inst.r()];
      w0[i] = i < d ? inst.w0()[i].clone() : new double[inst.m()];
    }
    if (rotation != null) {
      theta = Linalg.mult(rotation, theta);
      w0 = Linalg.mult(rotation, w0);
    }
    return Instance.of(new Teacher(theta, inst.teacher().lambda()), w0);
  }

  @ParameterizedTest(name = "m={0}")
  @CsvSource({"2", "5", "8"})
  void reducedDynamicsSeesDimensionOnlyThroughOverlaps(int m) {
    Instance small = RandomInstances.withShape(D, R, m, 1.0, 0.1, SEED);
    Teacher teacher = small.teacher();
    double[] times = Arrays.stream(new double[] {0.5, 5.0, 50.0}).map(lt -> timeAt(lt, teacher.lambdaMax())).toArray();
    Instance padded = embed(small, 30, null);
    double[][] u = Orthonormal.haar(Seeds.generator(SEED, "embedding-rotation"), D + 30, D + 30);
    Instance rotated = embed(small, 30, u);
    List<FlowState> ref = FlowMethod.REDUCED.solve(small, times, 0.0);
    for (FlowMethod route : new FlowMethod[] {FlowMethod.REDUCED, FlowMethod.EXACT}) {
      for (Instance big : new Instance[] {padded, rotated}) {
        List<FlowState> got = route.solve(big, times, 0.0);
        for (int k = 0; k < times.length; k++) {
          double e = ref.get(k).observables(teacher).distance(got.get(k).observables(big.teacher()),
              teacher.frobeniusNormSquared());
          // 1e-13: zero padding changes no arithmetic at all; the rotation perturbs Q0 and G0 by ~10 eps
          // relative, which the contracting flow does not amplify
          assertThat(e).as("%s on d=%d (%s), t=%s", route.cliName(), big.d(), big == padded ? "padded" : "rotated", times[k])
              .isLessThanOrEqualTo(1e-13);
        }
      }
    }
  }

  @Test
  void gridOutputsAreStepEnds() {
    // OdeGridSolver integrates interval by interval, so every grid output is the end of an error-controlled
    // step. DormandPrince853's dense output, used before, was measured 1000x less accurate than its step
    // ends (4e-8 vs 3e-11 at rtol 1e-12, d = 12, m = 9, lambda tau = 100). Here the outputs on a 101-point
    // grid are compared with integrations that end exactly at each checked time.
    Instance inst = RandomInstances.withShape(12, 6, 9, 1.0, 0.1, SEED);
    Teacher teacher = inst.teacher();
    double[] grid = FlowTime.uniformGrid(timeAt(100.0, teacher.lambdaMax()), 101);
    List<FlowState> onGrid = FlowMethod.DP853.solve(inst, grid, IntegratedFlow.TIGHT_RTOL);
    double worst = 0.0;
    for (int k : new int[] {1, 3, 7, 13, 26, 41, 58, 77, 99, 100}) {
      FlowState single = FlowMethod.DP853.solve(inst, new double[] {grid[k]}, IntegratedFlow.TIGHT_RTOL).get(0);
      double e = FlowState.distance(onGrid.get(k), single, teacher);
      worst = Math.max(worst, e);
      // 1e-10: two integrations at rtol 1e-13, each within ~1e-11 of the exact flow (FLOW-EXACT-LONG's
      // measured margin); an interpolated output would be off by ~1e-8
      assertThat(e).as("grid point %d (t=%s)", k, grid[k]).isLessThanOrEqualTo(1e-10);
    }
    System.out.printf(Locale.ROOT, "grid vs single-endpoint DP853: worst %.3g%n", worst);
  }
}
