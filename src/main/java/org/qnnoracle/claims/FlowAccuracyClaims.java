package org.qnnoracle.claims;

import java.util.List;
import java.util.random.RandomGenerator;
import org.qnnoracle.experiments.FlowChecks;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.flow.IntegratedFlow;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;

/** Claims that the routes to the population flow agree, at short and long times. */
final class FlowAccuracyClaims {
  /** Agreement bound between routes (see the claim's tolerance reason). */
  static final double ROUTES_BOUND = 1e-9;
  /** The accuracy requirement for the exact solution at long times. */
  static final double LONG_TIME_BOUND = 1e-10;
  /** Closed form vs its own composition at lambda tau &lt;= 2. */
  static final double SEMIGROUP_BOUND = 1e-9;

  /**
   * What a scale changes: whether FLOW-ROUTES-AGREE adds a d = 200 instance (reduced routes only, as the M form
   * is limited to small d), and the seeds and (d, r) shapes of FLOW-EXACT-LONG. Arrays are shared: read only.
   */
  private record Sizes(boolean routesWideInstance, int longTimeSeeds, int[][] longTimeShapes) {}

  private static final ScaleTable<Sizes> SIZES = new ScaleTable<>(
      new Sizes(false, 1, new int[][] {{12, 6}}),
      new Sizes(false, 2, new int[][] {{12, 6}}),
      new Sizes(true, 4, new int[][] {{12, 6}, {40, 10}}));

  private FlowAccuracyClaims() {}

  static List<Claim> all() {
    return List.of(routesAgree(), exactLongTime(), semigroup());
  }

  static Claim routesAgree() {
    return new Claim(
        "FLOW-ROUTES-AGREE",
        "exact solution = integrators = reduced dynamics",
        "On the same instance, the stable exact propagator, DormandPrince853 and GraggBulirschStoer on the "
            + "student form W and on the matrix form M, the exact propagator in overlap coordinates (Q, P) and "
            + "both integrators on the reduced dynamics (Q, G) give the same M(t) (compared through the "
            + "gauge-invariant observables Theta^T M Theta, Theta^T M^2 Theta, tr M, tr M^2 and the "
            + "normalised risk) at lambda_max tau = 0, 0.5, 5, 50.",
        ClaimSource.derived("exact-flow.md"),
        ROUTES_BOUND,
        "max relative difference <= " + Claim.formatBound(ROUTES_BOUND),
        "Integrators run at rtol 1e-13 with per-component absolute tolerances; measured worst 3.7e-11 "
            + "(large scale, reduced-dp853, on Theta^T M^2 Theta at lambda tau = 50). The (Q, G) form resolves the risk only "
            + "to about 10 rtol absolute because P = G - Q^T Q cancels, hence the risk is compared "
            + "absolutely. The M form is compared only while lambda_{m+1} tau <= 3 when m < r: round-off "
            + "seeds the directions the student cannot hold and they grow like e^{2 lambda_{m+1} tau} "
            + "(see proofs-notes/exact-flow.md). A wrong route differs by 1e-3 or more.",
        List.of("ClaimsTest", "FlowRoutesTest"),
        FlowAccuracyClaims::checkRoutesAgree,
        Claim.DETERMINISTIC);
  }

  static Measurement checkRoutesAgree(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      Instance inst = RandomInstances.draw(Cases.seed(i), RandomInstances.Family.standard(scale.maxD()));
      compareRoutes(inst, worst);
    }
    if (SIZES.at(scale).routesWideInstance()) {
      compareRoutes(RandomInstances.withShape(200, 20, 10, 1.0, 0.1, Cases.seed(999)), worst);
    }
    return worst.atMost(ROUTES_BOUND, "route x time comparisons against the exact propagator");
  }

  private static void compareRoutes(Instance inst, WorstCase worst) {
    Teacher teacher = inst.teacher();
    double lmax = teacher.lambdaMax();
    double[] times = {0.0, Cases.timeAt(0.5, lmax), Cases.timeAt(5, lmax), Cases.timeAt(50, lmax)};
    List<FlowState> ref = FlowMethod.EXACT.solve(inst, times, 0.0);
    FlowMethod[] routes = {
      FlowMethod.DP853, FlowMethod.GBS, FlowMethod.REDUCED, FlowMethod.REDUCED_DP853, FlowMethod.REDUCED_GBS
    };
    for (FlowMethod route : routes) {
      List<FlowState> got = route.solve(inst, times, IntegratedFlow.TIGHT_RTOL);
      for (int k = 0; k < times.length; k++) {
        worst.observe(FlowState.distance(ref.get(k), got.get(k), teacher),
            Cases.describe(inst) + " route=" + route.cliName() + " t=" + Cases.fmt(times[k]));
      }
    }
    double[] mTimes = matrixFormTimes(inst, times);
    if (inst.d() <= FlowMethod.MAX_MATRIX_FORM_D && mTimes.length > 0) {
      List<FlowState> refM = FlowMethod.EXACT.solve(inst, mTimes, 0.0);
      for (FlowMethod route : new FlowMethod[] {FlowMethod.DP853_M, FlowMethod.GBS_M}) {
        List<FlowState> got = route.solve(inst, mTimes, IntegratedFlow.TIGHT_RTOL);
        for (int k = 0; k < mTimes.length; k++) {
          worst.observe(FlowState.distance(refM.get(k), got.get(k), teacher),
              Cases.describe(inst) + " route=" + route.cliName() + " t=" + Cases.fmt(mTimes[k]));
        }
      }
    }
  }

  /** The M form is trusted while lambda_{m+1} tau &lt;= 3 if m &lt; r (transversal instability), always if m &gt;= r. */
  static double[] matrixFormTimes(Instance inst, double[] times) {
    if (inst.m() >= inst.r()) {
      return times;
    }
    double next = inst.teacher().lambda()[inst.m()];
    return java.util.Arrays.stream(times)
        .filter(t -> next * FlowTime.tau(t) <= FlowMethod.MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU).toArray();
  }

  static Claim exactLongTime() {
    return new Claim(
        "FLOW-EXACT-LONG",
        "exact solution stays accurate at long times",
        "The stable exact propagator agrees with tight DormandPrince853 and GraggBulirschStoer integrations "
            + "of the student form in relative Frobenius norm of M at lambda_max tau = 1, 10, 100, 1000, for "
            + "m < r, m = r and m > r, from small (sigma0 = 1e-3) and O(1) (sigma0 = 1) initialisations, "
            + "where the one-shot closed form has already failed.",
        ClaimSource.derived("exact-flow.md"),
        LONG_TIME_BOUND,
        "|M_exact - M_int|_F / |M_int|_F <= " + Claim.formatBound(LONG_TIME_BOUND),
        "The issue's requirement. The propagator's own error is round-off per sub-step (cond(K) <= 1 + 2e^2) "
            + "over about lambda_max tau sub-steps in a contracting flow; the integrators at rtol 1e-13 were "
            + "measured within 1.5e-11 of it, which is the margin this bound leaves.",
        List.of("ClaimsTest", "ExactPropagatorTest"),
        FlowAccuracyClaims::checkExactLongTime,
        Claim.DETERMINISTIC);
  }

  static Measurement checkExactLongTime(Scale scale) {
    WorstCase worst = new WorstCase();
    int seeds = SIZES.at(scale).longTimeSeeds();
    int[][] shapes = SIZES.at(scale).longTimeShapes().clone();
    for (int[] shape : shapes) {
      int d = shape[0];
      int r = shape[1];
      for (int s = 0; s < seeds; s++) {
        for (int m : new int[] {r / 2, r, r + 3}) {
          for (double sigma0 : new double[] {1e-3, 1.0}) {
            Instance inst = RandomInstances.withShape(d, r, m, 1.0, sigma0, Cases.seed(100 + s));
            double lmax = inst.teacher().lambdaMax();
            double[] times = {
              Cases.timeAt(1, lmax), Cases.timeAt(10, lmax), Cases.timeAt(100, lmax), Cases.timeAt(1000, lmax)
            };
            List<FlowState> exact = FlowMethod.EXACT.solve(inst, times, 0.0);
            for (FlowMethod route : new FlowMethod[] {FlowMethod.DP853, FlowMethod.GBS}) {
              List<FlowState> integ = route.solve(inst, times, IntegratedFlow.TIGHT_RTOL);
              for (int k = 0; k < times.length; k++) {
                double[][] me = exact.get(k).matrixOrNull();
                double[][] mi = integ.get(k).matrixOrNull();
                worst.observe(Dense.frobeniusDistance(me, mi) / Dense.frobeniusNorm(mi),
                    Cases.describe(inst) + " vs " + route.cliName() + " lambda_max*tau=" + Cases.fmt(4 * lmax * times[k]));
              }
            }
          }
        }
      }
    }
    return worst.atMost(LONG_TIME_BOUND, "exact vs integrator at long times");
  }

  static Claim semigroup() {
    return new Claim(
        "FLOW-SEMIGROUP",
        "semigroup law Phi_{t+s} = Phi_t o Phi_s",
        "The closed-form flow map satisfies Phi_{t+s}(M0) = Phi_t(Phi_s(M0)) when Phi_s(M0) is refactored "
            + "through its eigendecomposition (an algebraic identity of the closed form, checked with the "
            + "one-shot formula at lambda_max tau <= 2), and the stable propagator gives the same M(t+s) "
            + "whether it runs t+s at once or s then t (different sub-step partitions).",
        ClaimSource.derived("exact-flow.md"),
        SEMIGROUP_BOUND,
        "relative Frobenius difference <= " + Claim.formatBound(SEMIGROUP_BOUND),
        "At lambda_max tau <= 2 the one-shot K has cond(K) <= 1 + 2 |W|^2 e^4 / lambda, below 1e4 for these "
            + "instances, so LU loses at most about 1e4 * m * eps ~ 1e-11; the eigen-refactoring adds "
            + "d * eps relative. 1e-9 leaves a factor 100 for the instances' spread.",
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowAccuracyClaims::checkSemigroup,
        Claim.DETERMINISTIC);
  }

  static Measurement checkSemigroup(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      Instance inst = RandomInstances.draw(Cases.seed(200 + i), RandomInstances.Family.standard(scale.maxD()));
      Teacher teacher = inst.teacher();
      RandomGenerator rng = Seeds.generator(Cases.seed(200 + i), "semigroup-times");
      double lmax = teacher.lambdaMax();
      double s = Cases.timeAt(2.0 * rng.nextDouble(), lmax) / 2.0;
      double t = Cases.timeAt(2.0 * rng.nextDouble(), lmax) / 2.0;
      worst.observe(FlowChecks.semigroupDefectClosedForm(teacher, inst.w0(), s, t),
          Cases.describe(inst) + " closed form s=" + Cases.fmt(s) + " t=" + Cases.fmt(t));
      double sLong = Cases.timeAt(40.0 * rng.nextDouble(), lmax);
      double tLong = Cases.timeAt(40.0 * rng.nextDouble(), lmax);
      worst.observe(FlowChecks.semigroupDefectPropagator(teacher, inst.w0(), sLong, tLong),
          Cases.describe(inst) + " propagator s=" + Cases.fmt(sLong) + " t=" + Cases.fmt(tLong));
    }
    return worst.atMost(SEMIGROUP_BOUND, "semigroup compositions");
  }
}
