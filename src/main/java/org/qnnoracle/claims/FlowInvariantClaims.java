package org.qnnoracle.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.qnnoracle.flow.ExactPropagator;
import org.qnnoracle.experiments.FlowChecks;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.flow.IntegratedFlow;
import org.qnnoracle.ode.Integrator;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;

/** Invariants of the population flow: descent, PSD and rank, Loewner order, fixed points, intervals. */
final class FlowInvariantClaims {
  /** Order checks: violations smaller than the propagator's certified error (1e-10) cannot be resolved. */
  static final double ORDER_BOUND = 1e-10;
  static final double DESCENT_RATE_BOUND = 1e-8;
  static final double MONOTONE_BOUND = 1e-13;
  static final double PSD_RANK_BOUND = 1e-10;
  static final double INVERSE_BOUND = 1e-9;
  static final double FIXED_POINT_BOUND = 1e-12;

  private static final String ORDER_REASON =
      "Matrices come from the exact propagator, certified to relative error 1e-10 (FLOW-EXACT-LONG); an "
          + "order violation below that cannot be resolved, so the smallest eigenvalue of the difference is "
          + "compared with -1e-10 (|M|_F + |M'|_F). Starting points are factored at their numerical rank "
          + "(eigenvalues below 100 d eps lambda_max dropped), else round-off columns along uncovered "
          + "teacher directions grow and fake violations up to 0.09. Measured worst violations are round-off, "
          + "below 1e-13. Every Riccati flow preserves the order whatever the sign of its quadratic term; "
          + "a cubic flow dM/dtau = A M + M A - 2 M^3 does not, and violates it by up to 0.02 (negative "
          + "control in FlowPropertiesTest).";

  private FlowInvariantClaims() {}

  static List<Claim> all() {
    return List.of(descentRate(), riskMonotone(), psdRank(), loewner(), inverseLinear(), fixedPoints(),
        orderIntervals());
  }

  // ---------------------------------------------------------------- descent

  static Claim descentRate() {
    return new Claim(
        "FLOW-DESCENT-RATE",
        "dL/dt = -|grad L|_F^2 = -16 |(M - A) W|_F^2",
        "Along the gradient flow the population loss L = |M - A|_F^2 + s^2/2 decreases at the rate "
            + "-16 |(M - A) W|_F^2, measured by a 5-point finite difference of L over the exact propagator "
            + "at times where L changes at a non-negligible rate (|dL/dt| >= 1e-3 * 8 (lambda_max + tr G) L) "
            + "and round-off in L does not swamp the difference.",
        ClaimSource.derived("flow-invariants.md"),
        DESCENT_RATE_BOUND,
        "relative difference <= " + Claim.formatBound(DESCENT_RATE_BOUND),
        "Step delta = 1e-3 / (8 (lambda_max + tr G)) in t. Round-off: M - A is known to 10 eps (tr M + |A|_F) "
            + "absolute, and cases where that error divided by delta exceeds 1e-9 |dL/dt| are skipped (L at "
            + "round-off level), so round-off contributes <= 1e-9. Truncation delta^4 L^(5) / 30 is "
            + "(1e-3)^4 / 30 times the growth of the fifth derivative; measured worst total 4e-11. "
            + "A wrong factor (4 instead of 16, or a missing W) is an O(1) error.",
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkDescentRate,
        Claim.DETERMINISTIC);
  }

  static Measurement checkDescentRate(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      Instance inst = RandomInstances.draw(Cases.seed(300 + i), RandomInstances.Family.standard(scale.maxD()));
      Teacher teacher = inst.teacher();
      double lmax = teacher.lambdaMax();
      double[] times = {
        Cases.timeAt(0.5, lmax), Cases.timeAt(2, lmax), Cases.timeAt(5, lmax), Cases.timeAt(10, lmax),
        Cases.timeAt(20, lmax)
      };
      for (FlowState s : ExactPropagator.trajectory(inst, times)) {
        double[][] w = ((FlowState.Student) s).w();
        Double err = FlowChecks.descentRateError(teacher, w);
        if (err != null) {
          worst.observe(err, Cases.describe(inst) + " t=" + Cases.fmt(s.t()));
        }
      }
    }
    return worst.atMost(DESCENT_RATE_BOUND, "finite-difference loss rates");
  }

  static Claim riskMonotone() {
    return new Claim(
        "FLOW-RISK-MONOTONE",
        "the risk never increases along the flow",
        "Because dL/dt = -|grad L|^2 <= 0, the risk R(t) = 2 |M(t) - A|_F^2 is non-increasing: on a grid of "
            + "200 times up to lambda_max tau = 50, no increment R(t_{k+1}) - R(t_k) exceeds round-off.",
        ClaimSource.derived("flow-invariants.md"),
        MONOTONE_BOUND,
        "max increment / (2 |A|_F^2) <= " + Claim.formatBound(MONOTONE_BOUND),
        "The risk is a sum of non-negative squares evaluated to about 10 eps relative to 2 |A|_F^2 "
            + "(plus the propagator's 1e-15); an increase above 1e-13 (450 eps) is not round-off.",
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkRiskMonotone,
        Claim.DETERMINISTIC);
  }

  static Measurement checkRiskMonotone(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      Instance inst = RandomInstances.draw(Cases.seed(400 + i), RandomInstances.Family.standard(scale.maxD()));
      Teacher teacher = inst.teacher();
      double[] times = FlowTime.uniformGrid(Cases.timeAt(50, teacher.lambdaMax()), 200);
      List<FlowState> traj = ExactPropagator.trajectory(inst, times);
      double norm = 2.0 * teacher.frobeniusNormSquared();
      double maxIncrease = Double.NEGATIVE_INFINITY;
      double prev = Risk.ofStudent(teacher, inst.w0());
      for (FlowState s : traj) {
        double r = Risk.ofStudent(teacher, ((FlowState.Student) s).w());
        maxIncrease = Math.max(maxIncrease, (r - prev) / norm);
        prev = r;
      }
      worst.observe(maxIncrease, Cases.describe(inst));
    }
    return worst.atMost(MONOTONE_BOUND, "risk curves (largest increment)");
  }

  // ---------------------------------------------------------------- PSD and rank

  static Claim psdRank() {
    return new Claim(
        "FLOW-PSD-RANK",
        "positive semidefiniteness and rank of M are preserved",
        "Integrating the matrix Riccati form dM/dt = 4 (A M + M A - 2 M^2), which knows nothing of the "
            + "factorisation M = W W^T, from M0 = W0 W0^T of rank k = min(m, d): M(t) stays PSD, its d - k "
            + "smallest eigenvalues stay at the integration-error level and the k-th largest stays clear of "
            + "it (at lambda_max tau = 1, 10, 50; when m < r only while lambda_{m+1} tau <= 3, beyond which "
            + "round-off in the directions the student cannot hold grows, see proofs-notes).",
        ClaimSource.derived("flow-invariants.md"),
        PSD_RANK_BOUND,
        "max(-lambda_min, |trailing eigenvalues|) / |M|_F <= " + Claim.formatBound(PSD_RANK_BOUND)
            + ", and lambda_k / |M|_F >= 1e-7",
        "The integrator runs at rtol 1e-13 with absolute tolerance 1e-13 times the initial entry size; its "
            + "global error stays below 1e-11 |M|_F on these horizons (FLOW-ROUTES-AGREE). A lost or gained "
            + "rank shows as an eigenvalue of order |M|, i.e. 1e9 times the bound.",
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkPsdRank,
        Claim.DETERMINISTIC);
  }

  static Measurement checkPsdRank(Scale scale) {
    WorstCase worst = new WorstCase();
    RandomInstances.Family family = new RandomInstances.Family(scale.maxD(), 0.5, 2.0, Math.log(0.1), 0.0);
    for (int i = 0; i < scale.instances(); i++) {
      Instance inst = RandomInstances.draw(Cases.seed(500 + i), family);
      if (inst.d() > FlowMethod.MAX_MATRIX_FORM_D) {
        continue;
      }
      Teacher teacher = inst.teacher();
      double lmax = teacher.lambdaMax();
      double[] times = FlowAccuracyClaims.matrixFormTimes(inst,
          new double[] {Cases.timeAt(1, lmax), Cases.timeAt(10, lmax), Cases.timeAt(50, lmax)});
      if (inst.m() < inst.r()) {
        double next = teacher.lambda()[inst.m()];
        times = new double[] {Math.min(times.length > 0 ? times[0] : Double.MAX_VALUE, 3.0 / (4.0 * next))};
      }
      double[][] m0 = Linalg.multTransB(inst.w0(), inst.w0());
      int k = Math.min(inst.m(), inst.d());
      for (FlowState s : IntegratedFlow.matrixForm(teacher, m0, times, Integrator.DP853, IntegratedFlow.TIGHT_RTOL)) {
        worst.observe(FlowChecks.psdRankDefect(s.matrixOrNull(), k), Cases.describe(inst) + " t=" + Cases.fmt(s.t()));
      }
    }
    return worst.atMost(PSD_RANK_BOUND, "M-form states");
  }

  // ---------------------------------------------------------------- Loewner order

  static Claim loewner() {
    return new Claim(
        "FLOW-LOEWNER",
        "Loewner order preservation",
        "For PSD starting points M0 <= M0' (general rank, not only W0 W0^T), the flows satisfy "
            + "M(t) <= M'(t) for all t: checked on random pairs M0' = M0 + C C^T at random times up to "
            + "lambda_max tau = 50.",
        ClaimSource.derived("flow-invariants.md"),
        ORDER_BOUND,
        "lambda_min(M'(t) - M(t)) >= -" + Claim.formatBound(ORDER_BOUND) + " (|M(t)|_F + |M'(t)|_F)",
        ORDER_REASON,
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkLoewner,
        Claim.DETERMINISTIC);
  }

  static Measurement checkLoewner(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < 2 * scale.instances(); i++) {
      long seed = Cases.seed(600 + i);
      Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(scale.maxD()));
      RandomGenerator rng = Seeds.generator(seed, "loewner-pair");
      int d = inst.d();
      double[][] lower = RandomInstances.randomPsd(rng, d, rng.nextInt(d + 1), Math.exp(-3 + 4 * rng.nextDouble()));
      double[][] upper = Dense.addScaled(lower, 1.0,
          RandomInstances.randomPsd(rng, d, 1 + rng.nextInt(d), Math.exp(-3 + 4 * rng.nextDouble())));
      double t = Cases.timeAt(50 * rng.nextDouble(), inst.teacher().lambdaMax());
      worst.observe(FlowChecks.loewnerViolation(inst.teacher(), lower, upper, t), Cases.describe(inst) + " t=" + Cases.fmt(t));
    }
    return worst.atMost(ORDER_BOUND, "ordered PSD pairs");
  }

  static Claim inverseLinear() {
    return new Claim(
        "FLOW-INVERSE-LINEAR",
        "N = M^{-1} solves the linear equation dN/dtau = 2I - AN - NA",
        "For invertible M0 the inverse N(tau) = M(tau)^{-1} is e^{-A tau} M0^{-1} e^{-A tau} + "
            + "2 int_0^tau e^{-2 A s} ds (the linearisation behind order preservation): checked against the "
            + "exact propagator at random lambda_max tau <= 20.",
        ClaimSource.derived("flow-invariants.md"),
        INVERSE_BOUND,
        "|M(tau) - N(tau)^{-1}|_F / |M(tau)|_F <= " + Claim.formatBound(INVERSE_BOUND),
        "M0 is drawn with eigenvalues >= 0.05, so |N0| <= 20 and cond(N(tau)) <= (1/0.05 + 2 tau) max(|M0|, 1), "
            + "about 1e3 at these horizons; inverting N costs cond(N) eps ~ 2e-13 and the propagator adds "
            + "1e-13 relative: 1e-9 leaves a factor 1e3. Measured worst 1.1e-14.",
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkInverseLinear,
        Claim.DETERMINISTIC);
  }

  static Measurement checkInverseLinear(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      long seed = Cases.seed(700 + i);
      Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(scale.maxD()));
      RandomGenerator rng = Seeds.generator(seed, "inverse-linear");
      int d = inst.d();
      double[][] m0 = RandomInstances.randomPsd(rng, d, d + 2, 1.0);
      for (int p = 0; p < d; p++) {
        m0[p][p] += 0.05;
      }
      double t = Cases.timeAt(20 * rng.nextDouble(), inst.teacher().lambdaMax());
      worst.observe(FlowChecks.inverseLinearDefect(inst.teacher(), m0, t), Cases.describe(inst) + " t=" + Cases.fmt(t));
    }
    return worst.atMost(INVERSE_BOUND, "full-rank starting points");
  }

  // ---------------------------------------------------------------- fixed points and order intervals

  static Claim fixedPoints() {
    return new Claim(
        "FLOW-FIXED-POINTS",
        "A and every partial sum A_S are fixed points",
        "For every subset S of the teacher directions, A_S = sum_{j in S} lambda_j theta_j theta_j^T "
            + "(S = all gives A, S = empty gives 0) annihilates the Riccati right-hand side, and the exact "
            + "propagator started at a factor of A_S stays there (for lambda_max tau = 1 for any S; for "
            + "lambda_max tau = 50 for the stable prefixes S = {1..k}).",
        ClaimSource.derived("flow-invariants.md"),
        FIXED_POINT_BOUND,
        "|rhs(A_S)|_F / |A|_F^2 <= " + Claim.formatBound(FIXED_POINT_BOUND) + " and |M(t) - A_S|_F / |A|_F <= "
            + Claim.formatBound(FIXED_POINT_BOUND),
        "Round-off only: the right-hand side 4 (A A_S + A_S A - 2 A_S^2) sums four d-term products of "
            + "O(|A|) matrices, about 16 d eps |A|^2 <= 9e-14 for d <= 24; the propagator adds about eps per "
            + "sub-step over <= 200 sub-steps. Measured worst 1.4e-15. Non-prefix sets are unstable fixed "
            + "points: round-off in the missing directions grows like e^{(lambda_j - lambda_i) tau}, so they are propagated only briefly.",
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkFixedPoints,
        Claim.DETERMINISTIC);
  }

  static Measurement checkFixedPoints(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      long seed = Cases.seed(800 + i);
      Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(scale.maxD()));
      Teacher teacher = inst.teacher();
      RandomGenerator rng = Seeds.generator(seed, "fixed-point-subset");
      List<Integer> subset = new ArrayList<>();
      for (int j = 0; j < teacher.r(); j++) {
        if (rng.nextBoolean()) {
          subset.add(j);
        }
      }
      int[] s = subset.stream().mapToInt(Integer::intValue).toArray();
      int[] prefix = new int[1 + rng.nextInt(teacher.r())];
      for (int j = 0; j < prefix.length; j++) {
        prefix[j] = j;
      }
      double lmax = teacher.lambdaMax();
      worst.observe(FlowChecks.fixedPointDefect(teacher, s, Cases.timeAt(1, lmax)),
          Cases.describe(inst) + " S=" + java.util.Arrays.toString(s));
      worst.observe(FlowChecks.fixedPointDefect(teacher, prefix, Cases.timeAt(50, lmax)),
          Cases.describe(inst) + " prefix k=" + prefix.length);
      worst.observe(FlowChecks.fixedPointDefect(teacher, teacher.allDirections(), Cases.timeAt(50, lmax)),
          Cases.describe(inst) + " S=all");
    }
    return worst.atMost(FIXED_POINT_BOUND, "fixed-point residuals");
  }

  static Claim orderIntervals() {
    return new Claim(
        "FLOW-ORDER-INTERVALS",
        "the order intervals [0, A] and [A, infinity) are invariant",
        "Since 0 and A are fixed points and the flow preserves the Loewner order, 0 <= M0 <= A implies "
            + "0 <= M(t) <= A, and M0 >= A implies M(t) >= A, for all t: checked from random M0 in each "
            + "interval at random times up to lambda_max tau = 50.",
        ClaimSource.derived("flow-invariants.md"),
        ORDER_BOUND,
        "lambda_min(A - M(t)) (resp. M(t) - A) >= -" + Claim.formatBound(ORDER_BOUND) + " (|M(t)|_F + |A|_F)",
        ORDER_REASON,
        List.of("ClaimsTest", "FlowPropertiesTest"),
        FlowInvariantClaims::checkOrderIntervals,
        Claim.DETERMINISTIC);
  }

  static Measurement checkOrderIntervals(Scale scale) {
    WorstCase worst = new WorstCase();
    for (int i = 0; i < scale.instances(); i++) {
      long seed = Cases.seed(900 + i);
      Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(scale.maxD()));
      Teacher teacher = inst.teacher();
      RandomGenerator rng = Seeds.generator(seed, "order-interval");
      double[][] a = teacher.matrixA();
      double t = Cases.timeAt(50 * rng.nextDouble(), teacher.lambdaMax());
      double[][] below = RandomInstances.randomBelowTeacher(rng, teacher);
      worst.observe(-FlowChecks.loewnerGap(FlowChecks.evolvePsd(teacher, below, t), a),
          Cases.describe(inst) + " M0 in [0,A] t=" + Cases.fmt(t));
      double[][] above = Dense.addScaled(a, 1.0,
          RandomInstances.randomPsd(rng, inst.d(), 1 + rng.nextInt(inst.d()), Math.exp(-2 + 3 * rng.nextDouble())));
      worst.observe(-FlowChecks.loewnerGap(a, FlowChecks.evolvePsd(teacher, above, t)),
          Cases.describe(inst) + " M0 >= A t=" + Cases.fmt(t));
    }
    return worst.atMost(ORDER_BOUND, "interval memberships");
  }
}
