package org.qnnoracle.claims;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.experiments.EffectiveAgreement;
import org.qnnoracle.sgd.EffectiveStability;

/**
 * Online SGD against its effective ODE (proofs-notes/effective-dynamics.md, sections SGD-EFFECTIVE-LIMIT,
 * SGD-HIGH-DIM, SGD-COLD-START, SGD-STABILITY): the eta -&gt; 0 limit, the high-dimensional agreement from a
 * warm start, what concentrates from a cold start, and the predicted stability threshold. The experiments
 * and their judgements live in {@link EffectiveAgreement}; this class fixes the settings per scale.
 */
final class EffectiveClaims {
  private static final String NOTE = "effective-dynamics.md";
  private static final List<String> TESTS = List.of("ClaimsTest", "EffectiveAgreementTest");

  static final double LIMIT_BOUND = 1e-9;
  /**
   * Stated false-alarm rates (chance, over the base seed, that a correct simulator fails the check); the
   * power calculations behind the replica counts are in proofs-notes/effective-dynamics.md, section
   * "Replicas and false-alarm rates".
   */
  static final double HIGH_DIM_FALSE_ALARM = 1e-4;
  static final double COLD_START_FALSE_ALARM = 1e-4;
  static final double STABILITY_FALSE_ALARM = 1e-4;
  /** Margin, in standard errors, of the cold-start checks (one-sided normal tail 3.2e-5 each). */
  static final double COLD_Z = 4.0;
  /** Two-sided confidence level of the log-log slopes (a 1e-3 chance that the true slope lies outside). */
  static final double SLOPE_CONFIDENCE = 0.999;
  /** Paired margin, in standard errors over replicas, by which the effective ODE must beat the flow. */
  static final double Z_MARGIN = 3.0;

  /** The setting shared by the SGD claims: the r = m = 6, alpha = 1, b = 1, no label noise. */
  static final int R = 6;
  static final int M = 6;
  static final double ALPHA = 1.0;
  /** eta = c / d with c = 0.1, about 0.65 of the critical c (0.155 at d = 200). */
  static final double C = 0.1;
  /** Warm start: Q0 entries N(0, 0.15^2) (|q_j|^2 about 0.14, lambda_6 = 0.136), P0 = 0.02 I. */
  static final double WARM_Q = 0.15;
  static final double WARM_P = 0.02;
  static final double COLD_SIGMA0 = 0.01;
  /** The slope checks' bound: the upper end of the slope's confidence interval must lie below 0. */
  static final double SLOPE_CEILING = 0.0;

  /**
   * What a scale changes. SGD-HIGH-DIM: the dimensions and replicas per d. Power calculation
   * (proofs-notes/effective-dynamics.md): the slope's standard error is about 0.55 / sqrt(R S), S = sum over
   * replicas' d of (ln d - mean ln d)^2 per replica (0.96 for 100..400, 2.40 for 100..800, 4.80 for 100..1600);
   * a true slope of -0.5 fails the 99.9% interval with probability 1e-4 when SE &lt;= 0.5 / (3.3 + 3.7) = 0.071,
   * i.e. R &gt;= 60 / S: 63, 25 and 13 replicas. SGD-COLD-START: the dimensions (48 replicas each); scale small
   * runs the default's settings: with 16 replicas at d = 100, 200 the aligned-gap slope's 99.9% interval reached
   * 0 in 3 of the first 4 seeds (standard error 0.2 against a slope of -0.5); at 48 replicas over d = 100, 400 it
   * is 0.067, 7.5 standard errors below 0 (power calculation in effective-dynamics.md). SGD-STABILITY: d, the
   * replicas, and the multiples of c_crit that must converge, stay bounded and diverge. Arrays are shared: read
   * only.
   */
  private record Sizes(int[] highDimDims, int highDimReplicas, int[] coldDims, int stabilityD,
      int stabilityReplicas, double[] convergingFactors, double[] boundedFactors, double[] divergingFactors) {}

  private static final ScaleTable<Sizes> SIZES = new ScaleTable<>(
      new Sizes(new int[] {100, 200, 400}, 64, new int[] {100, 400}, 100, 8,
          new double[] {0.7}, new double[0], new double[] {1.5}),
      new Sizes(new int[] {100, 200, 400, 800}, 32, new int[] {100, 400}, 200, 16,
          new double[] {0.7}, new double[0], new double[] {1.5}),
      new Sizes(new int[] {100, 200, 400, 800, 1600}, 24, new int[] {100, 400, 1600}, 400, 32,
          new double[] {0.7}, new double[] {0.9}, new double[] {1.1, 1.5}));

  private EffectiveClaims() {}

  static List<Claim> all() {
    return List.of(limit(), highDim(), coldStart(), stability());
  }

  private static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  // ----------------------------------------------------------------------------------------------------

  static Claim limit() {
    return new Claim(
        "SGD-EFFECTIVE-LIMIT",
        "eta = 0: the effective ODE is the population flow",
        "At eta = 0 the effective SGD dynamics in overlap coordinates (sgd.EffectiveDynamics: dQ/dt = "
            + "4 (Lambda Q - Q G), dP/dt = -4 (G P + P G) + 4 eta bracket) is the population gradient flow: "
            + "integrated by DormandPrince853 at rtol 1e-13, its gauge-invariant observables (Theta^T M Theta, "
            + "Theta^T M^2 Theta, tr M, tr M^2 relative, the normalised risk absolute) equal those of the exact "
            + "reduced propagator (FlowMethod.REDUCED) at lambda_max tau = 1, 5, 15 and 40, on random instances "
            + "(d in [2, 12], r in [1, d], m in [1, d + 2], alpha in [0.5, 2], sigma0 in [1e-3, 1]).",
        ClaimSource.derived(NOTE),
        LIMIT_BOUND,
        "max observable distance <= " + Claim.formatBound(LIMIT_BOUND),
        "The exact propagator is at round-off, so the difference is the integrator's. Its worst case is m > r "
            + "with r = 1: the spare columns decay only algebraically (a neutral direction) and local errors "
            + "there add up undamped. Measured over 200 random instances: 6.1e-11 at rtol 1e-13 (1.4e-9 at "
            + "rtol 1e-12); the bound keeps a factor of 16. Any eta > 0 changes the observables at O(eta d) "
            + "(c = 1e-3 at d <= 12 already moves them by at least 3.6e-3 on 8 instances), far above it.",
        TESTS,
        EffectiveClaims::checkLimit,
        Claim.DETERMINISTIC);
  }

  static Measurement checkLimit(Scale scale) {
    WorstCase worst = new WorstCase();
    int mLess = 0;
    int mMore = 0;
    for (int i = 0; i < scale.instances(); i++) {
      long seed = Cases.seed(5000 + i);
      Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(12));
      worst.observe(EffectiveAgreement.limitDistance(inst, 0.0, 1e-13), Cases.describe(inst));
      mLess += inst.m() < inst.r() ? 1 : 0;
      mMore += inst.m() > inst.r() ? 1 : 0;
    }
    return worst.atMost(LIMIT_BOUND, "eta = 0 against the reduced exact flow (" + mLess + " with m < r, "
        + mMore + " with m > r), rtol 1e-13, seeds " + Cases.seed(5000) + ".." + Cases.seed(5000 + scale.instances() - 1));
  }

  // ----------------------------------------------------------------------------------------------------

  static EffectiveAgreement.HighDimSetup highDimSetup(Scale scale) {
    int[] dims = SIZES.at(scale).highDimDims().clone();
    int replicas = SIZES.at(scale).highDimReplicas();
    return new EffectiveAgreement.HighDimSetup(R, M, ALPHA, C, WARM_Q, WARM_P, dims, replicas, 3.0, 60,
        Cases.seed(5100), threads());
  }

  static Claim highDim() {
    return new Claim(
        "SGD-HIGH-DIM",
        "warm start, eta = c/d: SGD approaches the effective ODE as d grows, closer than the flow",
        "r = m = 6, alpha = 1 (l2), b = 1, s = 0, eta = 0.1 / d, from a warm start with d-independent "
            + "overlaps (teacher e_1..e_6, Q0 entries N(0, 0.15^2) fixed by the seed, P0 = 0.02 I exactly, no "
            + "escape-from-saddle phase). For each replica (own sample stream, shared W0) the gap is the sup "
            + "over the grid t = 0, 0.05, .., 3 of |risk_SGD(t) - risk_ref(t)|, risk = 2 |M - A|_F^2, with ref "
            + "the effective ODE or the population flow from the same (Q0, P0). (a) The log-log slope of the "
            + "effective-ODE gap against d (least squares over all replicas' ln gap at d = 100..800; 100..1600 "
            + "at scale large, 100..400 at scale small) is negative: its 99.9% confidence interval lies below 0 "
            + "(measured mean -0.59 over 40 seeds, near the d^{-1/2} of fluctuations of size sqrt(eta)), with 64, 32 and 24 "
            + "replicas per d at scales small, default and large. (b) At every d the effective ODE is closer to "
            + "SGD than the population flow is: the mean paired difference gap_flow - gap_eff over replicas is "
            + "at least 3 standard errors.",
        ClaimSource.derived(NOTE),
        SLOPE_CEILING,
        "(a) upper end of the 99.9% CI of the slope < " + Claim.formatBound(SLOPE_CEILING) + "; (b) min over d of z >= "
            + Claim.formatBound(Z_MARGIN),
        "False alarm (a correct simulator failing) below 1e-4 per run, by a power calculation: (a) the slope's "
            + "standard error comes from the residual scatter of the pooled fit (replica-to-replica scatter of ln "
            + "gap, effective sd up to 0.55 over seeds, heavier-tailed at d = 100), Student t with n - 2 degrees of "
            + "freedom; a true slope of -0.5 (the d^{-1/2} of fluctuations; at 8 replicas over d = 100..400 the "
            + "estimates over 40 seeds ranged -0.32 to -0.88, mean -0.59, sd 0.14, and the check failed at 20 of "
            + "them) lies 7 standard errors below 0 with the replica counts chosen (63, 25 and 13 needed "
            + "at small, default, large), so the 99.9% interval (t about 3.3) reaches 0 only when the estimate "
            + "is 3.7 standard errors too high: 1e-4. The interval's own level bounds the other error: a gap that "
            + "does not shrink passes with probability 5e-4. (b) z is the paired mean over replicas in units of "
            + "its standard error; measured min z 17.6 to 70 (the threshold 3 is 14 standard errors away, no "
            + "false alarm to speak of), and a flow as close as the ODE passes with probability at most 1.3e-3 "
            + "per d.",
        TESTS,
        EffectiveClaims::checkHighDim,
        HIGH_DIM_FALSE_ALARM);
  }

  static Measurement checkHighDim(Scale scale) {
    EffectiveAgreement.HighDimSetup s = highDimSetup(scale);
    EffectiveAgreement.HighDimResult res = EffectiveAgreement.highDim(s);
    EffectiveAgreement.Verdict v = EffectiveAgreement.judgeHighDim(s.dims(), res.effGaps(), res.flowGaps(),
        SLOPE_CONFIDENCE, Z_MARGIN);
    String detail = String.format(Locale.ROOT, "seed %d (samples at d: stream high-dim-d<d>), %d replicas per d, "
        + "alternative = population flow; %s", s.seed(), s.replicas(), v.detail());
    return new Measurement(v.interval()[1], SLOPE_CEILING, v.passed(), detail);
  }

  // ----------------------------------------------------------------------------------------------------

  static EffectiveAgreement.ColdSetup coldSetup(Scale scale) {
    int[] dims = SIZES.at(scale).coldDims().clone();
    int replicas = 48;
    return new EffectiveAgreement.ColdSetup(R, M, ALPHA, C, COLD_SIGMA0, dims, replicas, 0.01, 0.6,
        Cases.seed(5200), threads());
  }

  static Claim coldStart() {
    return new Claim(
        "SGD-COLD-START",
        "small init: the escape time fluctuates by O(1); the curve's shape concentrates",
        "r = m = 6, alpha = 1 (l2), b = 1, s = 0, eta = 0.1 / d; each replica (48 per d) is an independent run from "
            + "its own init (Haar teacher, W0 i.i.d. N(0, sigma0^2 / d), sigma0 = 0.01) compared with the effective "
            + "ODE from the same (Q0, P0), at d = 100 and 400 (also 1600 at scale large). Escape time of direction "
            + "1: the first t with theta_1^T M theta_1 >= lambda_1 / 2; offset = SGD escape - ODE escape. (a) The "
            + "mean risk over replicas does not match the ODE at these d (reported, not held to a bound: sup gap "
            + "0.05-0.10 at 1.6-5.9 standard errors, not shrinking from d = 100 to 1600), because the offsets do "
            + "not shrink; what concentrates is each run's curve up to its time shift: the sup over the grid of "
            + "|R_SGD(t) - R_ODE(t - offset)| has a log-log slope against d whose 99.9% confidence interval lies "
            + "below 0, and at every d it is smaller, by at least 4 standard errors (paired over replicas), than "
            + "the same aligned gap to the population flow (shifted by SGD escape - flow escape). (b) The offsets' "
            + "centre is within their spread (|median| <= sd, tested with 4 standard errors of the median) and "
            + "their spread does not vanish: sd >= the large-d prediction of the linearised noise (0.084 here: "
            + "noise adds N(0, v) with v = c (2 |A|_F^2 + 8 lambda_1^2) / (2 (lambda_1 - c)) sigma0^2 / d to each "
            + "entry of the initial overlap row, offset = -ln(|q0 + n|^2 / |q0|^2) / (8 lambda_1)) less " + Claim.formatBound(COLD_Z)
            + " standard errors of an sd. The F test of 'sd shrinks like d^{-1/2}' between the smallest and the "
            + "largest d is reported (p = 3.7e-6 at scale large), not judged: with 48 replicas its own false-alarm "
            + "rate is about 1%.",
        ClaimSource.derived(NOTE),
        SLOPE_CEILING,
        "(a) upper end of the 99.9% CI of the aligned-gap slope < " + Claim.formatBound(SLOPE_CEILING)
            + "; paired z (flow - ODE) >= " + Claim.formatBound(COLD_Z) + "; (b) |median| - " + Claim.formatBound(COLD_Z)
            + " SE(median) <= sd; sd >= 0.084 (1 - " + Claim.formatBound(COLD_Z) + " / sqrt(2 (R - 1)))",
        "False alarm below 1e-4 per run. (a) As SGD-HIGH-DIM: the slope's standard error at 48 replicas over "
            + "d = 100, 400 is 0.067 (measured -0.55, CI [-0.77, -0.33] at the default seed; -0.50, CI [-0.63, "
            + "-0.36] at scale large), so a true slope of -0.5 reaches the interval's upper end 0 only when the "
            + "estimate is 4 standard errors too high (3e-5); the aligned flow gap exceeds the aligned ODE gap by "
            + "24-98 standard errors (threshold " + Claim.formatBound(COLD_Z) + "). (b) SE(median) = 1.2533 sd / sqrt(R) (normal approximation), "
            + "so a centre exactly one sd away fails with probability 3.2e-5, and measured |median| / sd is "
            + "0.13-0.74 (the large-d prediction is 0.75: SGD escapes earlier than the mean ODE by 0.063). The "
            + "sample sd of R normal draws has relative standard error 1 / sqrt(2 (R - 1)) (0.10 at R = 48): the "
            + "floor check fails by chance with probability 3.2e-5 if the true sd were exactly the prediction, "
            + "less since it is above it (measured 0.093-0.19). The F test (normal offsets assumed; they have a "
            + "longer left tail) has, with spreads like those measured, about a 1% chance of p > 0.01 on another "
            + "seed: too high for a judged part, so it is reported only.",
        TESTS,
        EffectiveClaims::checkColdStart,
        COLD_START_FALSE_ALARM);
  }

  static Measurement checkColdStart(Scale scale) {
    EffectiveAgreement.ColdSetup s = coldSetup(scale);
    List<EffectiveAgreement.ColdAtD> res = EffectiveAgreement.coldStart(s);
    EffectiveAgreement.ColdVerdict v = EffectiveAgreement.judgeColdStart(s, res, SLOPE_CONFIDENCE, COLD_Z,
        Double.NaN);
    return new Measurement(v.interval()[1], SLOPE_CEILING, v.passed(), String.format(Locale.ROOT,
        "seed %d (replica i at d: model seed stream cold-start-model-d<d>-<i>, samples cold-start-samples-d<d>-<i>), "
            + "%d replicas per d; %s", s.seed(), s.replicas(), v.detail()));
  }

  // ----------------------------------------------------------------------------------------------------

  static EffectiveAgreement.StabilitySetup stabilitySetup(Scale scale) {
    int d = SIZES.at(scale).stabilityD();
    int replicas = SIZES.at(scale).stabilityReplicas();
    return new EffectiveAgreement.StabilitySetup(R, M, ALPHA, WARM_Q, WARM_P, d, replicas, 20.0, Cases.seed(5300),
        threads());
  }

  static Claim stability() {
    return new Claim(
        "SGD-STABILITY",
        "SGD converges below the predicted critical c and diverges above it",
        "For eta = c / d (constant, b = 1, s = 0), EffectiveStability.predict gives the largest c for which the "
            + "effective ODE from the init stays bounded (bisection of the ODE itself, agreeing with the learned "
            + "fixed point's linear limit (6.1)-(6.2) and the noise-floor bound (6.3)). For r = m = 6, alpha = 1 "
            + "from the warm start of SGD-HIGH-DIM, at d = 200 (400 at scale large; 100 at small): SGD at "
            + "0.7 c_crit converges in every replica (bounded over t <= 20 and final risk <= 1e-3 of the "
            + "initial), and at 1.5 c_crit diverges in every replica before t = 20 (OnlineSgd's |W|_F^2 test). "
            + "At scale large also 0.9 c_crit: all stay bounded, and 1.1 c_crit: all diverge.",
        ClaimSource.derived(NOTE),
        Claim.EXACT,
        Claim.formatBound(Claim.EXACT) + " replicas on the wrong side (diverged or not converged below; bounded above)",
        "False alarm below 1e-4 per run: each replica must be on the predicted side, and the margins are wide "
            + "against the measured transition (below). The margins are wide against the measured "
            + "transition: at d = 200, t <= 40, 0 of 32 replicas diverged at 0.95 c_crit, 22 of 32 at c_crit, "
            + "32 of 32 at 1.05 c_crit; at d = 400, t <= 20: 0, 3 and 32 of 32. At 1.5 c_crit all diverged by "
            + "t = 1.4, and at 0.7 c_crit the final risk was at most 1.1e-7 of the initial (the noise vanishes at "
            + "M = A for m = r, s = 0); at 0.9 c_crit it was up to 4.4e-3, so only 'bounded' is claimed there.",
        TESTS,
        EffectiveClaims::checkStability,
        STABILITY_FALSE_ALARM);
  }

  static Measurement checkStability(Scale scale) {
    Sizes sizes = SIZES.at(scale);
    EffectiveAgreement.StabilitySetup s = stabilitySetup(scale);
    Instance inst = s.instance();
    EffectiveStability.Prediction p = EffectiveStability.predict(inst.teacher().lambda(), s.d(), 1, 0.0,
        FlowMethod.initialOverlaps(inst));
    EffectiveAgreement.StabilityVerdict v = EffectiveAgreement.judgeStability(s, inst, p.fromInit().estimate(),
        sizes.convergingFactors().clone(), sizes.boundedFactors().clone(), sizes.divergingFactors().clone(), 1e-3);
    return Measurement.atMost(v.wrong(), Claim.EXACT, String.format(Locale.ROOT, "seed %d (samples: stream "
        + "stability-<factor>), prediction: %s; %s", s.seed(), p, v.detail()));
  }
}
