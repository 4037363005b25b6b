package org.qnnoracle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qnnoracle.flow.FlowGenerators.timeAt;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.ode.OdeGridSolver;

/** The stable exact propagator: long-time accuracy, why it exists, a scalar closed form, extremes, input checks. */
class ExactPropagatorTest {
  /** FLOW-EXACT-LONG's bound, read from its claim: the accuracy requirement at long times. */
  private static final double LONG_TIME_BOUND = ClaimRegistry.byId("FLOW-EXACT-LONG").orElseThrow().bound();
  private static final long SEED = 20_261_128L;

  private static double relativeMDistance(FlowState a, FlowState b) {
    double[][] ma = a.matrixOrNull();
    double[][] mb = b.matrixOrNull();
    return Dense.frobeniusDistance(ma, mb) / Dense.frobeniusNorm(mb);
  }

  @ParameterizedTest(name = "d=12 r=6 m={0} sigma0={1}")
  @CsvSource({"3, 1e-3", "6, 1e-3", "9, 1e-3", "3, 1", "6, 1", "9, 1"})
  void agreesWithTightGbsAtLongTimes(int m, double sigma0) {
    // FLOW-EXACT-LONG at lambda_max tau = 1000 (and on the way: 1, 10, 100) against GraggBulirschStoer on
    // the student form at rtol 1e-13, an independent route
    Instance inst = RandomInstances.withShape(12, 6, m, 1.0, sigma0, SEED);
    double lmax = inst.teacher().lambdaMax();
    double[] times = {timeAt(1, lmax), timeAt(10, lmax), timeAt(100, lmax), timeAt(1000, lmax)};
    List<FlowState> exact = FlowMethod.EXACT.solve(inst, times, 0.0);
    List<FlowState> gbs = FlowMethod.GBS.solve(inst, times, IntegratedFlow.TIGHT_RTOL);
    double worst = 0.0;
    for (int k = 0; k < times.length; k++) {
      double e = relativeMDistance(exact.get(k), gbs.get(k));
      worst = Math.max(worst, e);
      // LONG_TIME_BOUND (FLOW-EXACT-LONG): integrators at rtol 1e-13 measured within 1.5e-11 of the propagator
      assertThat(e).as("m=%d sigma0=%s lambda_max*tau=%s", m, sigma0, 4 * lmax * times[k])
          .isLessThanOrEqualTo(LONG_TIME_BOUND);
    }
    System.out.printf(Locale.ROOT, "exact vs gbs, m=%d sigma0=%s: worst relative |dM|_F %.3g%n", m, sigma0, worst);
  }

  @ParameterizedTest(name = "lambda_max tau = {0}")
  @CsvSource({"30", "100"})
  void naiveClosedFormFailsAtLongTimesWhereThePropagatorDoesNot(double lambdaTau) {
    // Documents why ExactPropagator exists: the one-shot closed form M = E K^{-1} E^T with E = e^{A tau} W0,
    // K = I + 2 W0^T G(tau) W0 has cond(K) ~ e^{2 lambda_max tau} / sigma0^2: ~1e32 at lambda_max tau = 30 and
    // ~1e93 at 100 for sigma0 = 1e-3, beyond 1 / eps, so the LU solve returns garbage or reports K singular.
    // (Measured on this instance: 1e-14 up to lambda_max tau = 10, 9e-12 at 15, 7e-8 at 20, 0.24 at 30,
    // "matrix is singular" from 50 on.)
    Instance inst = RandomInstances.withShape(12, 6, 3, 1.0, 1e-3, SEED);
    double t = timeAt(lambdaTau, inst.teacher().lambdaMax());
    double[] times = {t};
    FlowState reference = FlowMethod.GBS.solve(inst, times, IntegratedFlow.TIGHT_RTOL).get(0);
    FlowState stable = FlowMethod.EXACT.solve(inst, times, 0.0).get(0);
    // LONG_TIME_BOUND (FLOW-EXACT-LONG)
    assertThat(relativeMDistance(stable, reference)).isLessThanOrEqualTo(LONG_TIME_BOUND);
    double naiveError;
    try {
      // the formula itself: FlowMethod.CLOSED_FORM refuses these times (FlowMethodTest), for this reason
      FlowState naive = new FlowState.Matrix(t, ClosedFormRiccati.matrixAt(inst.teacher(), inst.w0(), t));
      naiveError = Dense.allFinite(naive.matrixOrNull())
          ? relativeMDistance(naive, reference)
          : Double.POSITIVE_INFINITY;
      System.out.printf(Locale.ROOT, "one-shot closed form at lambda_max tau = %s: relative error %.3g%n", lambdaTau, naiveError);
    } catch (org.hipparchus.exception.MathIllegalArgumentException e) {
      // LU reports K singular: the other way the one-shot form fails
      System.out.println("one-shot closed form at lambda_max tau = " + lambdaTau + " threw " + e);
      naiveError = Double.POSITIVE_INFINITY;
    }
    // 1e-3: seven decades above the requirement; the naive form has lost every digit, not a few
    assertThat(naiveError).isGreaterThan(1e-3);
  }

  /**
   * d = r = m = 1, lambda = 1: dm/dtau = 2 m - 2 m^2, the logistic equation, whose solution
   * m0 e^{2 tau} / (1 + m0 (e^{2 tau} - 1)) is written here as m0 / (m0 + (1 - m0) e^{-2 tau}): no overflow
   * at any tau, and no cancellation (for m0 &lt;= 1 both terms are non-negative; for m0 &gt; 1 the denominator
   * is at least 1 and the terms at most 2 m0 in size, a loss of log10(2 m0) digits at worst).
   */
  private static double logistic(double m0, double tau) {
    return m0 / (m0 + (1.0 - m0) * Math.exp(-2.0 * tau));
  }

  @ParameterizedTest(name = "m0={0}")
  @CsvSource({"1e-6", "0.3", "1", "5", "1e3"})
  void scalarCaseMatchesLogisticSolution(double m0) {
    Teacher teacher = new Teacher(new double[][] {{1.0}}, new double[] {1.0});
    Instance inst = Instance.of(teacher, new double[][] {{Math.sqrt(m0)}});
    double[] taus = {0.0, 0.01, 0.1, 1.0, 5.0, 20.0, 500.0};
    double[] times = new double[taus.length];
    for (int k = 0; k < taus.length; k++) {
      times[k] = taus[k] / FlowTime.TAU_PER_T;
    }
    List<FlowState> traj = FlowMethod.EXACT.solve(inst, times, 0.0);
    double start = inst.w0()[0][0] * inst.w0()[0][0]; // m0 as the double the propagator starts from
    for (int k = 0; k < taus.length; k++) {
      double got = traj.get(k).matrixOrNull()[0][0];
      double expected = logistic(start, taus[k]);
      // 1e-14 relative: each sub-step (h <= 1, h m <= 1) costs a few eps, the flow contracts towards m = 1,
      // and even the growth phase from 1e-6 takes only ~10 sub-steps; a wrong factor in the kernels is O(1)
      assertThat(Math.abs(got - expected)).as("m0=%s tau=%s: got %s expected %s", m0, taus[k], got, expected)
          .isLessThanOrEqualTo(1e-14 * expected);
    }
  }

  @Test
  void noOverflowAtVeryLongTimes() {
    // lambda_max tau = 1e4: e^{2 lambda tau} = e^{20000} would overflow any one-shot evaluation
    for (int m : new int[] {3, 6, 9}) {
      Instance inst = RandomInstances.withShape(12, 6, m, 1.0, 1e-3, SEED);
      Teacher teacher = inst.teacher();
      double lmax = teacher.lambdaMax();
      double[] times = {timeAt(10, lmax), timeAt(100, lmax), timeAt(1000, lmax), timeAt(1e4, lmax)};
      assertRiskFiniteAndDecreasing(inst, times, "m=" + m);
    }
  }

  @Test
  void noOverflowFromHugeInitialScale() {
    // M0 = 1e6 A: W0 = 1e3 Theta diag(sqrt lambda); the first sub-steps are h <= 1 / |G|_inf ~ 1e-6
    Instance base = RandomInstances.withShape(12, 6, 6, 1.0, 1.0, SEED);
    Teacher teacher = base.teacher();
    double[][] w0 = new double[12][6];
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 6; j++) {
        w0[i][j] = 1e3 * Math.sqrt(teacher.lambda()[j]) * teacher.theta()[i][j];
      }
    }
    Instance inst = Instance.of(teacher, w0);
    double lmax = teacher.lambdaMax();
    double[] times = {timeAt(1e-6, lmax), timeAt(1e-3, lmax), timeAt(1, lmax), timeAt(100, lmax), timeAt(1e4, lmax)};
    List<FlowState> traj = assertRiskFiniteAndDecreasing(inst, times, "M0 = 1e6 A");
    // M0 = c A with c > 1 stays a multiple of A and converges to A: |M - A| / |A| must be tiny at the end
    // (1e-12: round-off of the converged state; M(tau) = c(tau) A with c - 1 ~ e^{-2 lambda_min tau} -> 0)
    assertThat(Math.sqrt(Risk.normalised(Risk.ofStudent(teacher, ((FlowState.Student) traj.get(traj.size() - 1)).w()), teacher)))
        .isLessThanOrEqualTo(1e-12);
  }

  private static List<FlowState> assertRiskFiniteAndDecreasing(Instance inst, double[] times, String what) {
    Teacher teacher = inst.teacher();
    List<FlowState> traj = FlowMethod.EXACT.solve(inst, times, 0.0);
    double prev = Risk.ofStudent(teacher, inst.w0());
    for (FlowState s : traj) {
      double[][] w = ((FlowState.Student) s).w();
      assertThat(Dense.allFinite(w)).as("%s: finite W at t=%s", what, s.t()).isTrue();
      double r = Risk.ofStudent(teacher, w);
      assertThat(r).as("%s: finite risk at t=%s", what, s.t()).isFinite();
      // FLOW-RISK-MONOTONE's 1e-13, relative to the larger of 2 |A|_F^2 and the current risk: the risk is a sum
      // of squares evaluated to ~10 eps of its own size, which here starts at 2e12 |A|_F^2
      assertThat(r - prev).as("%s: risk increment at t=%s", what, s.t())
          .isLessThanOrEqualTo(1e-13 * Math.max(2.0 * teacher.frobeniusNormSquared(), prev));
      prev = r;
    }
    return traj;
  }

  @Test
  void invalidTimesAreRejected() {
    Instance inst = RandomInstances.withShape(4, 2, 2, 1.0, 0.1, SEED);
    assertThatThrownBy(() -> OdeGridSolver.checkGrid(new double[] {-1.0})).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> OdeGridSolver.checkGrid(new double[] {Double.NaN})).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> OdeGridSolver.checkGrid(new double[] {0.0, Double.POSITIVE_INFINITY}))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> OdeGridSolver.checkGrid(new double[] {1.0, 0.5})).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> OdeGridSolver.checkGrid(new double[0])).isInstanceOf(InvalidInputException.class);
    // and every route goes through the check
    for (FlowMethod route : FlowMethod.values()) {
      assertThatThrownBy(() -> route.solve(inst, new double[] {-0.5}, IntegratedFlow.TIGHT_RTOL))
          .as(route.cliName()).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> route.solve(inst, new double[] {Double.NaN}, IntegratedFlow.TIGHT_RTOL))
          .as(route.cliName()).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> ExactPropagator.trajectory(inst, new double[] {-1e-300}))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ReducedExactPropagator.trajectory(inst.teacher().lambda(), FlowMethod.initialOverlaps(inst),
        new double[] {Double.NaN})).isInstanceOf(InvalidInputException.class);
    // valid grids pass through unchanged
    double[] ok = {0.0, 0.0, 1.0};
    assertThat(OdeGridSolver.checkGrid(ok)).containsExactly(0.0, 0.0, 1.0);
  }
}
