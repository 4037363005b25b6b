package org.qnnoracle.claims;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.qnnoracle.experiments.LawsExperiments;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.laws.ComputeFrontier;
import org.qnnoracle.laws.FlowRiskCurve;
import org.qnnoracle.laws.FrontierRun;
import org.qnnoracle.laws.LawsFigures;
import org.qnnoracle.laws.SampleLaw;
import org.qnnoracle.laws.SamplePower;
import org.qnnoracle.laws.SamplePowerSgd;
import org.qnnoracle.laws.SgdFrontier;
import org.qnnoracle.laws.ScalingLaws;
import org.qnnoracle.laws.TimeLaw;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.Series;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.StepSchedule;
import org.qnnoracle.stats.LinearFit;

/**
 * The scaling-law claims (proofs-notes/scaling-laws.md). Every one is derived from the model, not quoted: the
 * source result is known to us only at abstract level. Where a statement is a heuristic (the additive model,
 * the log-corrected exponent, the best c) the claim checks the heuristic's prediction against the exact flow,
 * the effective ODE or SGD and reports how well it holds at finite d.
 */
final class LawsClaims {
  private static final String NOTE = "scaling-laws.md";
  private static final List<String> TESTS = List.of("ClaimsTest", "LawsTest");
  static final double SIGMA0 = 1e-3;
  /** Stated false-alarm rates; their derivations are in the claims' tolerance reasons. */
  static final double ENVELOPE_FALSE_ALARM = 1e-4;
  static final double ISOTROPIC_FALSE_ALARM = 1e-4;
  /**
   * Claims whose verdict depends on a random start through a bound that is not a worst case (LAWS-ESCAPE-TIME
   * (b), LAWS-TIME-EXPONENT (a), LAWS-SLOW-DECAY): 1e-4 is the design target, estimated from the measured
   * distribution over 40 starts (each passed at all 40 with the margins quoted in its reason), not derived;
   * verify --calibrate is what checks it.
   */
  static final double RANDOM_START_FALSE_ALARM = 1e-4;

  /**
   * What a scale changes. LAWS-ESCAPE-TIME: starts per d and r = m; LAWS-ADDITIVE: random starts per d;
   * LAWS-TIME-EXPONENT: r = m and the d of the exact-flow runs (a), the d along the path r = m = sqrt(d) (b);
   * LAWS-WIDTH-FLOOR: the widths m of (a); LAWS-SAMPLE-EXCESS: the d; LAWS-SAMPLE-ENVELOPE: d, samples and
   * replicas per c of the SGD part (b) (replicas: a power calculation in proofs-notes/scaling-laws.md, sample
   * law, part b); LAWS-ISOTROPIC and LAWS-SLOW-DECAY: the r; LAWS-COMPUTE-FRONTIER: the r (widths up to r / 2).
   * Arrays are shared: read only.
   */
  private record Sizes(int escapeSeeds, int escapeR, int additiveSeeds, int timeLawR, long[] timeLawDs,
      long[] timePath, int[] floorWidths, long[] sampleExcessDs, int envelopeD, double envelopeSamples,
      int envelopeReplicas, int[] isotropicRs, int[] slowDecayRs, int frontierR) {}

  private static final ScaleTable<Sizes> SIZES = new ScaleTable<>(
      new Sizes(2, 16, 3, 64, new long[] {1_000L, 1_000_000L, 1_000_000_000L},
          new long[] {10_000L, 1_000_000L, 100_000_000L, 10_000_000_000L},
          new int[] {2, 4, 8, 16}, new long[] {1_000L}, 100, 4e5, 16, new int[] {2, 4, 8}, new int[] {16, 32, 64}, 128),
      new Sizes(3, 16, 3, 64, new long[] {1_000L, 1_000_000L, 1_000_000_000L, 1_000_000_000_000L},
          new long[] {10_000L, 1_000_000L, 100_000_000L, 10_000_000_000L},
          new int[] {2, 4, 8, 16}, new long[] {1_000L, 10_000L}, 100, 4e5, 16, new int[] {2, 4, 8},
          new int[] {16, 32, 64}, 128),
      new Sizes(8, 32, 6, 128, new long[] {1_000L, 1_000_000L, 1_000_000_000L, 1_000_000_000_000L},
          new long[] {10_000L, 1_000_000L, 100_000_000L, 10_000_000_000L, 1_000_000_000_000L},
          new int[] {2, 4, 8, 16, 32}, new long[] {1_000L, 10_000L}, 200, 1e6, 24, new int[] {2, 4, 8, 16, 32},
          new int[] {16, 32, 64, 128}, 512));

  private LawsClaims() {}

  static List<Claim> all() {
    return List.of(escapeTime(), additive(), timeExponent(), widthFloor(), sampleExcess(), sampleEnvelope(),
        isotropic(), slowDecay(), computeFrontier(), samplePower());
  }

  private static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }

  private static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  // ----------------------------------------------------------------------------------------------------

  static final double ESCAPE_LOWER_SLACK = 1e-6;
  /**
   * LAWS-SLOW-DECAY's shape thresholds on the half-risk-time exponent: above SLOW_GROWTH_MIN for alpha &lt; 1/2
   * (log-corrected predictions 0.43 and 0.29 at L about 20), below NO_GROWTH_MAX in absolute value at alpha = 1
   * (predicted -0.05): they separate growth like sqrt r from no growth with room for the log factor.
   */
  static final double SLOW_GROWTH_MIN = 0.35;
  static final double NO_GROWTH_MAX = 0.1;
  static final double ESCAPE_ERROR_RATIO = 0.5;
  /** e-folds by which the control (e^{4 lambda t} slip) must miss: far outside any O(1) crossover offset. */
  static final double CONTROL_OFFSET = 5.0;

  static Claim escapeTime() {
    return new Claim(
        "LAWS-ESCAPE-TIME",
        "escape times from a small random start: a rigorous lower bound, the corrected time, 1/log d convergence",
        "Population flow from W0 ~ N(0, sigma0^2/d) (drawn in overlap coordinates, laws.ReducedStart), r = m = 16, "
            + "alpha = 1 (l2), sigma0 = 1e-3, d = 1e3, 1e6, 1e9. t_j = first time theta_j^T M theta_j >= lambda_j / 2 "
            + "(exact reduced propagator, bisection to 1e-10 relative). (a) Rigorous: t_j >= log(lambda_j / |q_j(0)|^2 "
            + "- 1) / (8 lambda_j), since d|q_j|^2/dt <= 8 |q_j|^2 (lambda_j - |q_j|^2). (b) Next order: the corrected "
            + "time (laws.EscapeTimes.corrected: only the part of q_j(0) orthogonal to the earlier rows grows, and "
            + "P's decay slows the rows by 1/(1 + 8 p0 t)) has, at every d, a max relative error (mean over starts) "
            + "at most half that of the leading form log(lambda_j d / (m sigma0^2)) / (8 lambda_j). (c) Both relative "
            + "errors fall as d grows: their offsets 8 lambda_j |t_pred - t_j| stay O(1) while 8 lambda_j t_j grows "
            + "like log d.",
        ClaimSource.derived(NOTE),
        ESCAPE_ERROR_RATIO,
        "(a) max_j 8 lambda_j (t_lower - t_j) <= " + Claim.formatBound(ESCAPE_LOWER_SLACK) + "; (b) corrected / "
            + "leading relative error <= " + Claim.formatBound(ESCAPE_ERROR_RATIO) + "; (c) strictly "
            + "decreasing mean relative errors over d",
        "(a) is a comparison theorem, so only round-off and the bisection's 1e-10 relative bracket (8 lambda_j t_j "
            + "< 40 here, so 4e-9 e-folds) enter; 1e-6 leaves room for both. (b) The leading form misses the "
            + "available-overlap term log(m / (m - j + 1)), up to log 16 = 2.8 e-folds at j = m, and the chi^2 "
            + "scatter of |q_j(0)|^2; the corrected form keeps only what it neglects, the slow decay (rate "
            + "4 (lambda_i - lambda_j)) of components along earlier rows and the nonlinear crossover, an O(1) "
            + "number of e-folds (measured up to 2.3 for the last row, typically below 1). Measured ratio 0.19-0.23; "
            + "0.5 asks for a clear improvement, not a particular size. A slip that solves e^{4 lambda t} mu = lambda "
            + "(row growth for squared norm) is off by log(lambda / mu) e-folds (about 18): it must miss by more "
            + "than 5.",
        TESTS,
        LawsClaims::checkEscape,
        RANDOM_START_FALSE_ALARM);
  }

  static Measurement checkEscape(Scale scale) {
    long[] ds = {1_000L, 1_000_000L, 1_000_000_000L};
    int seeds = SIZES.at(scale).escapeSeeds();
    int r = SIZES.at(scale).escapeR();
    double lower = Double.NEGATIVE_INFINITY;
    double offset = 0.0;
    double wrong = Double.POSITIVE_INFINITY;
    double[] leadRel = new double[ds.length];
    double[] corrRel = new double[ds.length];
    String worst = "";
    for (int k = 0; k < ds.length; k++) {
      for (int s = 0; s < seeds; s++) {
        long seed = Cases.seed(6000 + s);
        LawsExperiments.EscapeResult e = LawsExperiments.escape(ds[k], r, r, 1.0, SIGMA0, seed);
        lower = Math.max(lower, e.lowerBoundExcess());
        if (e.correctedOffset() > offset) {
          offset = e.correctedOffset();
          worst = f("d = %d seed %d", ds[k], seed);
        }
        wrong = Math.min(wrong, e.wrongRateOffset());
        leadRel[k] += e.leadingRelative() / seeds;
        corrRel[k] += e.correctedRelative() / seeds;
      }
    }
    boolean decreasing = true;
    for (int k = 1; k < ds.length; k++) {
      decreasing &= leadRel[k] < leadRel[k - 1] && corrRel[k] < corrRel[k - 1];
    }
    boolean controlRejected = wrong > CONTROL_OFFSET;
    double ratio = 0.0;
    for (int k = 0; k < ds.length; k++) {
      ratio = Math.max(ratio, corrRel[k] / leadRel[k]);
    }
    String detail = f("r = m = %d, %d seeds from %d per d; (a) max 8 lambda (t_lower - t) = %.2e; (b) mean max "
        + "relative error, leading %s, corrected %s, worst ratio %.3f; corrected offset max %.3f e-folds (%s); "
        + "control (e^{4 lambda t} slip) min offset %.1f e-folds%s", r, seeds, Cases.seed(6000), lower,
        fmtArray(leadRel), fmtArray(corrRel), ratio, offset, worst, wrong,
        controlRejected ? " (rejected)" : " (NOT rejected)");
    boolean ok = lower <= ESCAPE_LOWER_SLACK && decreasing && controlRejected && ratio <= ESCAPE_ERROR_RATIO;
    return new Measurement(ratio, ESCAPE_ERROR_RATIO, ok, detail);
  }

  static String fmtArray(double[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
    }
    return b.append(']').toString();
  }

  // ----------------------------------------------------------------------------------------------------

  static final double ALIGNED_BOUND = 1e-12;
  /** Part (b)'s bound on the gap in units of the shift bound. */
  static final double SHIFT_BOUND_RATIO = 1.0;

  static Claim additive() {
    return new Claim(
        "LAWS-ADDITIVE",
        "additive model: exact for an aligned start, within the sigmoid-shift bound from a random start",
        "R_add(t) = 2 sum_j lambda_j^2 (1 + e^{8 lambda_j (t - t_j)})^{-2} (directions past the width keep their "
            + "lambda_j^2). (a) For an aligned start W0 = Theta [diag(sqrt(mu0)) 0] (P0 = 0) with the logistic "
            + "t_j = log(lambda_j / mu0_j - 1) / (8 lambda_j) it equals the exact flow's risk: "
            + "sup_t |R_add - R| / R(0) <= 1e-12 for alpha in {0.6, 1, 2} and (r, m) in {(12, 12), (12, 6), (12, 20)}. "
            + "(b) From a random start (r = m = 16, alpha = 1, sigma0 = 1e-3, d = 1e3, 1e6, 1e9) with the corrected "
            + "escape times, sup_t |R_add - R| / R(0) is at most the shift bound 2 sum_j lambda_j^2 (8/27) eps_j / R(0), "
            + "eps_j the measured escape offsets in e-folds (8/27 is the steepest slope of the sigmoid), and below "
            + "the gap of the model with leading escape times.",
        ClaimSource.derived(NOTE),
        SHIFT_BOUND_RATIO,
        "(a) <= " + Claim.formatBound(ALIGNED_BOUND) + "; (b) gap / shift bound <= "
            + Claim.formatBound(SHIFT_BOUND_RATIO) + " and gap < leading-time gap, every start",
        "(a) The aligned directions decouple into scalar logistic equations, so the only difference is the "
            + "propagator's round-off (about 1e-16 per sub-step relative to R(0); measured 4.4e-16). (b) If the "
            + "directions' sigmoids kept their shape and only moved by eps_j, the gap could not exceed the shift "
            + "bound; the claim is that the interactions the model leaves out do not break it. Measured gap / bound "
            + "0.3-0.5 over 9 starts (gap 9e-5 .. 1e-3 of R(0)); the leading-time model is off by 4-9% of R(0).",
        TESTS,
        LawsClaims::checkAdditive,
        Claim.DETERMINISTIC);
  }

  static Measurement checkAdditive(Scale scale) {
    double aligned = 0.0;
    for (double alpha : new double[] {0.6, 1.0, 2.0}) {
      for (int[] rm : new int[][] {{12, 12}, {12, 6}, {12, 20}}) {
        double[] lambda = ScalingLaws.lambdas(rm[0], alpha);
        double[] mu0 = new double[rm[0]];
        for (int j = 0; j < rm[0]; j++) {
          mu0[j] = 1e-7 * (1.0 + 0.5 * j);
        }
        aligned = Math.max(aligned, LawsExperiments.alignedGap(lambda, mu0, rm[1], 200));
      }
    }
    long[] ds = {1_000L, 1_000_000L, 1_000_000_000L};
    int seeds = SIZES.at(scale).additiveSeeds();
    double worstRatio = 0.0;
    double maxGap = 0.0;
    double minLeading = Double.POSITIVE_INFINITY;
    boolean beatsLeading = true;
    for (long d : ds) {
      for (int s = 0; s < seeds; s++) {
        LawsExperiments.AdditiveGap g = LawsExperiments.randomStartGap(d, 16, 16, 1.0, SIGMA0, Cases.seed(6100 + s));
        worstRatio = Math.max(worstRatio, g.correctedGap() / g.shiftBound());
        maxGap = Math.max(maxGap, g.correctedGap());
        minLeading = Math.min(minLeading, g.leadingGap());
        beatsLeading &= g.correctedGap() < g.leadingGap();
      }
    }
    String detail = f("(a) aligned gap %.2e (bound %.0e); (b) %d seeds from %d per d: max gap %.2e of R(0), "
        + "max gap / shift bound %.2f, leading-time model's gap >= %.3f", aligned, ALIGNED_BOUND, seeds,
        Cases.seed(6100), maxGap, worstRatio, minLeading);
    boolean ok = aligned <= ALIGNED_BOUND && worstRatio <= SHIFT_BOUND_RATIO && beatsLeading;
    return new Measurement(worstRatio, SHIFT_BOUND_RATIO, ok, detail);
  }

  // ----------------------------------------------------------------------------------------------------

  /** Exact-flow runs of the time law at r = m = 64 (default) or 128 (large), alpha = 1. */
  static List<TimeLaw> timeLawRuns(Scale scale) {
    int r = SIZES.at(scale).timeLawR();
    long[] ds = SIZES.at(scale).timeLawDs().clone();
    List<TimeLaw> runs = new ArrayList<>();
    for (long d : ds) {
      runs.add(TimeLaw.run(d, r, r, 1.0, SIGMA0, Cases.seed(6200), TimeLaw.DEFAULT_POINTS, FlowProgress.NONE));
    }
    return runs;
  }

  /**
   * Bound on |e_flow - e_add| in (a), absolute. It was half the fit's standard error, read off one seed
   * (0.08 SE); over 40 seeds x 3 d at scale small the ratio reached 0.85 SE (1 seed in 40 failed), because the
   * SE measures the ripple of the risk, not the additive model's error. In absolute terms the 120 differences
   * were at most 0.0032 (two above 0.001, both at d = 1e3 where L is smallest); a least-squares slope moves
   * by at most 3 eps / X for a relative curve error eps over a window of log-width X (about 1.4 here), and
   * LAWS-ADDITIVE's shift bound keeps eps below about 0.012, so |e_flow - e_add| <= 0.025 always; 0.01 sits
   * between what is measured and that worst case, and still rejects the leading-time model (0.027 off at r = 128).
   */
  static final double TIME_AGREEMENT_BOUND = 0.01;
  static final double NAIVE_SE_FACTOR = 5.0;
  static final double LOG_FACTOR_SHARE = 0.25;

  static Claim timeExponent() {
    return new Claim(
        "LAWS-TIME-EXPONENT",
        "time law: the exponent converges to -(2 alpha - 1)/alpha like 1/log d, as the log factor predicts",
        "alpha = 1, sigma0 = 1e-3. Exponents are log-log least-squares slopes of R(t) over the window rule of "
            + "laws.FitWindow: times with 2 sum_{j > J} lambda_j^2 between J = 4 and J = 2 sqrt(min(m, r)). "
            + "(a) Exact flow, r = m = 64 (128 at scale large), d = 1e3 .. 1e12: the fitted exponent equals the "
            + "additive model's (corrected escape times of the same start) over the same window within 0.01, and "
            + "differs from the asymptote -1 by more than 5 standard errors (the naive prediction fails at finite d). "
            + "(b) Along r = m = sqrt(d) (d = 1e4 .. 1e10; 1e12 at scale large; additive model, validated by (a)), "
            + "|exponent + 1| falls strictly with d, and at the largest d the log-corrected prediction "
            + "-(2 alpha - 1)/alpha L/(L - 1), L = log(lambda_J d / (m sigma0^2)) at the window's middle J, explains "
            + "at least 75% of the remaining gap to the asymptote. The same for alpha = 1.5 in (b).",
        ClaimSource.derived(NOTE),
        TIME_AGREEMENT_BOUND,
        "(a) |e_flow - e_add| <= " + Claim.formatBound(TIME_AGREEMENT_BOUND) + " and |e_flow + 1| > "
            + Claim.formatBound(NAIVE_SE_FACTOR) + " SE; (b) monotone, |e - e_L| <= "
            + Claim.formatBound(LOG_FACTOR_SHARE) + " |e_L + gamma|",
        "False alarm below 1e-4 per run (estimated, see TIME_AGREEMENT_BOUND). (a) The curves are deterministic "
            + "given the random start; the regression's standard error measures the staircase ripple of the risk "
            + "around a power law (SE 0.002-0.005 here). The corrected additive model is within its shift bound of "
            + "the flow (LAWS-ADDITIVE), which moves a slope by at most 3 eps / X, about 0.025 in the worst case; "
            + "over 40 starts x 3 d the difference was at most 0.0032 (0.85 SE: the half-SE bound this claim first "
            + "had, set from one start, failed 1 start in 40). 0.01 still rejects the leading-time model at r = 128 "
            + "(0.027 off). The naive test's 5 SE is a power statement (measured min z 55). (b) The log factor "
            + "changes the slope by gamma / (L - 1), about 5% at L = 20; what it leaves is the discreteness of the "
            + "first escapes and the tail's truncation at r, both shrinking along the path. Measured at d = 1e10: "
            + "8% (alpha = 1) and 7% (alpha = 1.5) of the gap left unexplained; 0.25 allows for the slower "
            + "approach at smaller d.",
        TESTS,
        LawsClaims::checkTimeExponent,
        RANDOM_START_FALSE_ALARM);
  }

  static Measurement checkTimeExponent(Scale scale) {
    List<TimeLaw> runs = timeLawRuns(scale);
    double gamma = -ScalingLaws.timeExponent(1.0);
    double worstAgreement = 0.0;
    double worstInSe = 0.0;
    double minNaiveZ = Double.POSITIVE_INFINITY;
    StringBuilder b = new StringBuilder("(a) exact flow r = m = " + runs.get(0).r() + ", seed " + Cases.seed(6200) + ":");
    for (TimeLaw t : runs) {
      double agreement = Math.abs(t.fit().slope() - t.predictedFit().slope());
      worstAgreement = Math.max(worstAgreement, agreement);
      worstInSe = Math.max(worstInSe, agreement / t.fit().standardError());
      minNaiveZ = Math.min(minNaiveZ, Math.abs(t.fit().slope() + gamma) / t.fit().standardError());
      b.append(f(" d=%.0e %.4f (SE %.4f, additive %.4f, L-corrected %.4f);", (double) t.d(), t.fit().slope(),
          t.fit().standardError(), t.predictedFit().slope(), t.logCorrectedExponent()));
    }
    long[] path = SIZES.at(scale).timePath().clone();
    boolean monotone = true;
    double worstShare = 0.0;
    for (double alpha : new double[] {1.0, 1.5}) {
      double g = -ScalingLaws.timeExponent(alpha);
      double prevGap = Double.POSITIVE_INFINITY;
      b.append(f(" (b) alpha %.1f:", alpha));
      LawsExperiments.PathPoint last = null;
      for (long d : path) {
        LawsExperiments.PathPoint p = LawsExperiments.additivePathPoint(d, (int) Math.round(Math.sqrt((double) d)), alpha,
            SIGMA0, 400);
        double gap = Math.abs(p.exponent() + g);
        monotone &= gap < prevGap;
        prevGap = gap;
        last = p;
        b.append(f(" d=%.0e %.4f (L-corr %.4f);", (double) d, p.exponent(), p.logCorrected()));
      }
      double share = Math.abs(last.exponent() - last.logCorrected()) / Math.abs(last.logCorrected() + g);
      worstShare = Math.max(worstShare, share);
    }
    b.append(f(" worst |e_flow - e_add| %.4f (%.2f SE; need <= %.2f), min naive z %.1f, unexplained share %.3f, "
        + "monotone %s", worstAgreement, worstInSe, TIME_AGREEMENT_BOUND, minNaiveZ, worstShare, monotone));
    boolean ok = worstAgreement <= TIME_AGREEMENT_BOUND && minNaiveZ > NAIVE_SE_FACTOR && monotone
        && worstShare <= LOG_FACTOR_SHARE;
    return new Measurement(worstAgreement, TIME_AGREEMENT_BOUND, ok, b.toString())
        .withFigures(List.of(LawsFigures.riskVsTime("laws-time", runs), LawsFigures.collapse("laws-collapse", runs)));
  }

  // ----------------------------------------------------------------------------------------------------

  static final double FLOOR_BOUND = 1e-12;
  static final double EM_BOUND = 1e-3;

  static Claim widthFloor() {
    return new Claim(
        "LAWS-WIDTH-FLOOR",
        "width law: the flow's limit is 2 sum_{j>m} lambda_j^2, whose exponent in m is -(2 alpha - 1)",
        "(a) Exact flow from a random start (r = 64, alpha = 1, sigma0 = 1e-3, d = 1e4), m = 2, 4, 8, 16: the risk "
            + "at t = 2 t_m + 40 / (8 (lambda_m - lambda_{m+1})) equals the tail sum 2 sum_{j>m} lambda_j^2 to "
            + "1e-12 relative. (b) The tail sums' log-log slope in m over the window m in [8, 2 sqrt(r)] at "
            + "r = 2^16 equals, within 1e-3, the slope of their Euler-Maclaurin form (integral, end and first "
            + "Bernoulli terms), whose leading term is m^{-(2 alpha - 1)}; alpha = 0.75, 1, 1.5.",
        ClaimSource.derived(NOTE),
        EM_BOUND,
        "(a) relative gap <= " + Claim.formatBound(FLOOR_BOUND) + "; (b) |slope - EM slope| <= "
            + Claim.formatBound(EM_BOUND),
        "(a) The slowest mode of the approach to the top-m solution decays like e^{-8 (lambda_m - lambda_{m+1}) t} "
            + "in the risk; after 40 of its e-folds what is left is e^{-40} (4e-18) of its size, below round-off of "
            + "the propagator (1e-16 per sub-step); measured 4.4e-16. (b) The Euler-Maclaurin remainder after the "
            + "first Bernoulli term is about a (a + 1) (a + 2) / 720 m^{-a-3} (a = 2 alpha), relative to the tail "
            + "(a - 1) a (a + 1) (a + 2) / (720 m^4): 8e-6 at m = 8 for alpha = 1.5, less beyond; the slopes then "
            + "differ by about that much (measured 5e-6); 1e-3 would still catch a wrong Bernoulli sign (2.8e-3).",
        TESTS,
        LawsClaims::checkWidthFloor,
        Claim.DETERMINISTIC);
  }

  static Measurement checkWidthFloor(Scale scale) {
    int r = 64;
    int[] widths = SIZES.at(scale).floorWidths().clone();
    double[] lambda = ScalingLaws.lambdas(r, 1.0);
    double worst = 0.0;
    double[] floors = new double[widths.length];
    StringBuilder b = new StringBuilder(f("(a) r = %d, d = 1e4, seed %d:", r, Cases.seed(6300)));
    for (int i = 0; i < widths.length; i++) {
      int m = widths[i];
      double floor = LawsExperiments.flowFloor(10_000L, r, m, 1.0, SIGMA0, Cases.seed(6300));
      floors[i] = floor;
      double tail = ScalingLaws.tailRisk(lambda, m);
      worst = Math.max(worst, Math.abs(floor / tail - 1.0));
      b.append(f(" m=%d %.6e;", m, tail));
    }
    int big = 1 << 16;
    double worstEm = 0.0;
    b.append(" (b)");
    for (double alpha : new double[] {0.75, 1.0, 1.5}) {
      double[] lam = ScalingLaws.lambdas(big, alpha);
      double z2 = 1.0 / (lam[0] * lam[0]);
      List<Double> ms = new ArrayList<>();
      for (int m = 8; m <= 2 * Math.sqrt(big); m = (int) Math.ceil(m * 1.25)) {
        ms.add((double) m);
      }
      double[] x = ms.stream().mapToDouble(Double::doubleValue).toArray();
      double[] exact = new double[x.length];
      double[] em = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        exact[i] = ScalingLaws.tailRisk(lam, (int) x[i]);
        em[i] = 2.0 * ScalingLaws.eulerMaclaurinTail((int) x[i], big, alpha) / z2;
      }
      double se = LinearFit.logLog(x, exact).slope();
      double sm = LinearFit.logLog(x, em).slope();
      worstEm = Math.max(worstEm, Math.abs(se - sm));
      b.append(f(" alpha %.2f slope %.4f (EM %.4f, asymptote %.2f);", alpha, se, sm,
          ScalingLaws.widthExponent(alpha)));
    }
    b.append(f(" worst relative floor gap %.2e", worst));
    return new Measurement(worstEm, EM_BOUND, worst <= FLOOR_BOUND && worstEm <= EM_BOUND, b.toString())
        .withFigures(List.of(LawsFigures.widthFloor("laws-width", lambda, 1.0, widths, floors)));
  }

  // ----------------------------------------------------------------------------------------------------

  static final double KAPPA_BOUND = 1e-3;
  static final double SAMPLE_T_END = 500.0;

  static Claim sampleExcess() {
    return new Claim(
        "LAWS-SAMPLE-EXCESS",
        "at fixed c the effective dynamics settles above the floor by kappa c + O(c^2), kappa derived",
        "r = 6, m = 3, alpha = 1, b = 1, sigma0 = 1e-3, d = 1e3 and 1e4, s^2 = 0 and 0.1. The effective ODE at "
            + "eta = c / d run to t = 500 (settled) exceeds the floor 2 sum_{j>m} lambda_j^2 by E(c); the Richardson "
            + "combination 2 E(c1)/c1 - E(c2)/c2 at c1 = 1e-3, c2 = 2e-3 (which removes the O(c) term of E/c) "
            + "equals kappa = (2/b) [(1 + 5/d) floor + (1 + 1/d) s^2] sum_{a<=m} lambda_a (laws.SampleLaw) to 1e-3 "
            + "relative. kappa follows from the stationary P of dP/dt = -4 (G P + P G) + 4 eta bracket at the "
            + "learned point.",
        ClaimSource.derived(NOTE),
        KAPPA_BOUND,
        "|Richardson / kappa - 1| <= " + Claim.formatBound(KAPPA_BOUND),
        "What is left after Richardson is O(c1 c2) times the third-order coefficient, about 6e-5 at these c "
            + "(measured 6.2e-5 at every setting), plus the integrator (rtol 1e-10 on a risk of 0.17, 2e-8 of "
            + "E(c1)); 1e-3 keeps a factor 16. A kappa without the label-noise term is off by 36% at s^2 = 0.1, "
            + "one without the factor 2 by 50%: both fail.",
        TESTS,
        LawsClaims::checkSampleExcess,
        Claim.DETERMINISTIC);
  }

  static Measurement checkSampleExcess(Scale scale) {
    int r = 6;
    int m = 3;
    double[] lambda = ScalingLaws.lambdas(r, 1.0);
    double floor = ScalingLaws.tailRisk(lambda, m);
    double worst = 0.0;
    double control = Double.POSITIVE_INFINITY;
    StringBuilder b = new StringBuilder(f("seed %d:", Cases.seed(6400)));
    long[] ds = SIZES.at(scale).sampleExcessDs().clone();
    for (long d : ds) {
      FlowState.Overlaps start = org.qnnoracle.laws.ReducedStart.sample(d, r, m, SIGMA0, Cases.seed(6400));
      for (double s2 : new double[] {0.0, 0.1}) {
        double c1 = 1e-3;
        double c2 = 2e-3;
        double e1 = SampleLaw.effectiveRisk(lambda, d, 1, s2, c1, start, SAMPLE_T_END) - floor;
        double e2 = SampleLaw.effectiveRisk(lambda, d, 1, s2, c2, start, SAMPLE_T_END) - floor;
        double rich = 2.0 * e1 / c1 - e2 / c2;
        double kappa = SampleLaw.excessSlope(lambda, m, d, 1, s2);
        worst = Math.max(worst, Math.abs(rich / kappa - 1.0));
        if (s2 > 0.0) {
          control = Math.min(control, Math.abs(rich / SampleLaw.excessSlope(lambda, m, d, 1, 0.0) - 1.0));
        }
        b.append(f(" d=%d s2=%.1f kappa %.6f Richardson %.6f;", d, s2, kappa, rich));
      }
    }
    b.append(f(" control (no noise term) off by %.2f", control));
    return new Measurement(worst, KAPPA_BOUND, worst <= KAPPA_BOUND && control > KAPPA_BOUND, b.toString());
  }

  // ----------------------------------------------------------------------------------------------------

  /**
   * Part (a)'s bound on |measured - predicted| envelope exponent. The prediction is first order in c; the
   * next order shows as the predicted excess's relative error, which falls from at most 0.10 at n = 1e7 (over
   * 40 seeds) to below 0.01 at 3e8; a least-squares slope over ln n in [ln 1e7, ln 3e8] (range 3.4, 4 points)
   * moves by at most 1.3 x 0.10 / 3.4 = 0.04 for such a residual. (A 95% regression interval, used first, is
   * not a test here: the runs are deterministic, the misfit is that second-order term, and the interval
   * excluded the prediction at 3 of 26 starts.)
   */
  static final double ENVELOPE_SLOPE_BOUND = 0.05;
  /** Part (b)'s bound on the ODE's distance from the middle of SGD's range at c*, in half-ranges. */
  static final double ENVELOPE_POSITION_BOUND = 1.0;

  static Claim sampleEnvelope() {
    return new Claim(
        "LAWS-SAMPLE-ENVELOPE",
        "sample law: the predicted best c per n is optimal on the effective ODE and on SGD",
        "r = 6, m = 3, alpha = 1, b = 1, s = 0, sigma0 = 1e-3. For a target n the predicted best c* minimises "
            + "R0(n c / d) + kappa c (R0 the exact flow from the same start, kappa of LAWS-SAMPLE-EXCESS). "
            + "(a) Effective ODE at d = 1e4, n = 1e7, 3e7, 1e8, 3e8: R(c*) <= R(c* / sqrt 2) and R(c*) <= R(c* sqrt 2) "
            + "(c* is within a factor sqrt 2 of the optimum), the relative error of the predicted excess over the "
            + "floor falls as n grows (c* -> 0), and the excess at c*(n) decays like n^e with e within 0.05 of the "
            + "predicted envelope's slope. (b) SGD at d = 100 (200 at scale large) with b = 1, W0 from the model "
            + "seed, 16 replicas per c (24 at scale large), at one n: the median risk over replicas at c* is below "
            + "the medians at 4 c* and at c* / 4, and the effective ODE's risk at c* lies within the range of the "
            + "replicas' risks at c*. Medians, not means: at c* the last direction escapes near the end of the run, "
            + "and SGD's O(1) escape offsets (SGD-COLD-START) leave an occasional replica unescaped, which moves a "
            + "mean and its standard error but not a median.",
        ClaimSource.derived(NOTE),
        ENVELOPE_POSITION_BOUND,
        "(a) optimality within sqrt 2, decreasing error, |e - e_pred| <= " + Claim.formatBound(ENVELOPE_SLOPE_BOUND)
            + "; (b) median at c* below the medians at c* / 4 and 4 c*; ODE at c* within [min, max] of the "
            + "replicas at c* (|ODE - mid-range| / half-range <= " + Claim.formatBound(ENVELOPE_POSITION_BOUND) + ")",
        "False alarm below 1e-4 per run. (a) compares deterministic runs (rtol 1e-10) from a random start: the "
            + "exponent bound is derived from the size of the second-order term (ENVELOPE_SLOPE_BOUND: relative "
            + "error of the first-order excess at most 0.10 at n = 1e7 over 40 seeds, a slope change of at most "
            + "0.04). (b) is distribution-free: if the ODE's value is SGD's median at c*, the range of R = 16 "
            + "independent replicas misses it with probability 2 / 2^16 = 3e-5 (2 / 2^24 at R = 24); a median at "
            + "c* above the median at 4 c* needs half the replicas at c* unescaped or the medians' noise to reach "
            + "the mean difference (0.0045, 15 standard errors of the 4 c* median): with an unescaped fraction of "
            + "2% (2 of 104 replicas over 26 seeds) P(Binomial(16, 0.02) >= 8) = 3e-10. Before (means with "
            + "z >= 4 at 4 replicas) 6 of 26 seeds failed: the z of a 4-replica mean is a Student t with 3 degrees "
            + "of freedom (P(|t| > 4) = 2.8e-2) and one unescaped replica inflates it. Measured at d = 200, n = "
            + "1e6: SGD 0.17615 +- 3e-5 at c*, 0.17990 at 4 c*, 1.145 at c*/4 (not yet escaped), ODE 0.17614.",
        TESTS,
        LawsClaims::checkSampleEnvelope,
        ENVELOPE_FALSE_ALARM);
  }

  static Measurement checkSampleEnvelope(Scale scale) {
    int r = 6;
    int m = 3;
    double[] lambda = ScalingLaws.lambdas(r, 1.0);
    double floor = ScalingLaws.tailRisk(lambda, m);
    long d = 10_000L;
    FlowState.Overlaps start = org.qnnoracle.laws.ReducedStart.sample(d, r, m, SIGMA0, Cases.seed(6500));
    DoubleUnaryOperator r0 = FlowRiskCurve.interpolant(lambda, start, 0.05, 5000.0, 600);
    double kappa = SampleLaw.excessSlope(lambda, m, d, 1, 0.0);
    double[] ns = {1e7, 3e7, 1e8, 3e8};
    double[] excess = new double[ns.length];
    double[] predicted = new double[ns.length];
    boolean optimal = true;
    boolean errorFalls = true;
    double prevErr = Double.POSITIVE_INFINITY;
    StringBuilder b = new StringBuilder(f("(a) d = %d, seed %d, kappa %.4f:", d, Cases.seed(6500), kappa));
    for (int i = 0; i < ns.length; i++) {
      double n = ns[i];
      double c = SampleLaw.bestC(r0, kappa, n, d, 1, 1e-4, SampleLaw.searchCeiling(lambda, m, (int) d, 1, 0.0));
      double at = SampleLaw.effectiveRisk(lambda, d, 1, 0.0, c, start, n * c / d);
      double lo = SampleLaw.effectiveRisk(lambda, d, 1, 0.0, c / Math.sqrt(2), start, n * c / Math.sqrt(2) / d);
      double hi = SampleLaw.effectiveRisk(lambda, d, 1, 0.0, c * Math.sqrt(2), start, n * c * Math.sqrt(2) / d);
      optimal &= at <= lo && at <= hi;
      excess[i] = at - floor;
      predicted[i] = SampleLaw.predictedRisk(r0, kappa, n, c, d, 1) - floor;
      double err = Math.abs(predicted[i] / excess[i] - 1.0);
      errorFalls &= err < prevErr;
      prevErr = err;
      b.append(f(" n=%.0e c*=%.5f excess %.3e (pred %.3e; at c*/sqrt2 %.3e, c*sqrt2 %.3e);", n, c, excess[i],
          predicted[i], lo - floor, hi - floor));
    }
    LinearFit measured = LinearFit.logLog(ns, excess);
    double predictedSlope = LinearFit.logLog(ns, predicted).slope();
    boolean slopeOk = Math.abs(measured.slope() - predictedSlope) <= ENVELOPE_SLOPE_BOUND;
    b.append(f(" envelope slope %.3f vs predicted %.3f (need within %.2f);", measured.slope(), predictedSlope,
        ENVELOPE_SLOPE_BOUND));

    // (b) SGD at moderate d.
    int sd = SIZES.at(scale).envelopeD();
    double sn = SIZES.at(scale).envelopeSamples();
    int replicas = SIZES.at(scale).envelopeReplicas();
    long seed = Cases.seed(6510);
    Instance inst = ModelSpec.of(sd, r, m, 1.0, SIGMA0, seed).instance();
    FlowState.Overlaps s0 = FlowMethod.initialOverlaps(inst);
    DoubleUnaryOperator r0s = FlowRiskCurve.interpolant(lambda, s0, 0.05, 5000.0, 600);
    double kappaS = SampleLaw.excessSlope(lambda, m, sd, 1, 0.0);
    double cStar = SampleLaw.bestC(r0s, kappaS, sn, sd, 1, 1e-4, SampleLaw.searchCeiling(lambda, m, sd, 1, 0.0));
    double[] cs = {cStar / 4, cStar, 4 * cStar};
    double[][] risks = new double[3][];
    for (int k = 0; k < 3; k++) {
      SgdRunner.Plan plan = new SgdRunner.Plan(inst, new StepSchedule.Constant(cs[k] / sd), 1, 0.0,
          new long[] {(long) sn}, replicas, seed + 1 + k);
      // A diverged replica has infinite risk: it sorts last and moves a median only if half the runs diverge.
      risks[k] = SgdRunner.run(plan, threads(), SgdProgress.NONE).stream()
          .mapToDouble(rep -> rep.diverged() ? Double.POSITIVE_INFINITY : rep.snapshots().get(0).risk())
          .sorted().toArray();
    }
    double[] median = new double[3];
    for (int k = 0; k < 3; k++) {
      median[k] = 0.5 * (risks[k][(replicas - 1) / 2] + risks[k][replicas / 2]);
    }
    double ode = SampleLaw.effectiveRisk(lambda, sd, 1, 0.0, cStar, s0, sn * cStar / sd);
    double lowest = risks[1][0];
    double highest = risks[1][replicas - 1];
    boolean sgdOk = median[1] < median[0] && median[1] < median[2] && lowest <= ode && ode <= highest;
    b.append(f(" (b) SGD d = %d, n = %.0e, %d replicas, seed %d: c* = %.5f; median risk %.5f at c*/4, %.5f at c* "
        + "(range [%.5f, %.5f]), %.5f at 4c*; ODE at c* %.5f%s", sd, sn, replicas, seed, cStar, median[0], median[1],
        lowest, highest, median[2], ode, sgdOk ? "" : " FAILED"));
    boolean ok = optimal && errorFalls && slopeOk && sgdOk;
    // Measured: how far the ODE sits inside SGD's range at c*, as a fraction of the half-range (<= 1 passes).
    double position = Math.abs(ode - 0.5 * (lowest + highest)) / Math.max(0.5 * (highest - lowest), 1e-300);
    return new Measurement(position, ENVELOPE_POSITION_BOUND, ok, b.toString())
        .withFigures(List.of(samplesFigure(lambda, d, start, r0, kappa, floor, ns, excess)));
  }

  /**
   * Risk against samples on the effective ODE at d = 1e4 for fixed c (lines), the predicted envelope
   * min_c R0(n c / d) + kappa c (dashed) and the ODE at the predicted c*(n) (markers).
   */
  static Figure samplesFigure(double[] lambda, long d, FlowState.Overlaps start, DoubleUnaryOperator r0,
      double kappa, double floor, double[] ns, double[] excessAtBest) {
    List<LawsFigures.SampleCurve> curves = new ArrayList<>();
    double[] nGrid = org.qnnoracle.laws.FlowRiskCurve.logGrid(1e6, 1e9, 120);
    for (double c : new double[] {0.0005, 0.002, 0.008, 0.032}) {
      double[] times = new double[nGrid.length];
      for (int i = 0; i < nGrid.length; i++) {
        times[i] = ScalingLaws.timeForSamples(nGrid[i], c, d, 1);
      }
      EffectiveTrajectory tr = EffectiveDynamics.scaledEta(lambda, (int) d, 1, 0.0, c).solve(start, times, 1e-8);
      double[] risk = tr.observables().stream().mapToDouble(o -> o.risk()).toArray();
      curves.add(new LawsFigures.SampleCurve(f("effective ODE, c = %.4f", c),
          Arrays.copyOf(nGrid, risk.length), risk, Series.Style.LINE));
    }
    double[] atBest = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      atBest[i] = floor + excessAtBest[i];
    }
    curves.add(new LawsFigures.SampleCurve("effective ODE at the predicted c*(n)", ns, atBest, Series.Style.MARKERS));
    double[] envelope = new double[nGrid.length];
    double cMax = SampleLaw.searchCeiling(lambda, 3, (int) d, 1, 0.0);
    for (int i = 0; i < nGrid.length; i++) {
      double c = SampleLaw.bestC(r0, kappa, nGrid[i], d, 1, 1e-4, cMax);
      envelope[i] = SampleLaw.predictedRisk(r0, kappa, nGrid[i], c, d, 1);
    }
    return LawsFigures.riskVsSamples("laws-samples", f("Sample law: r = 6, m = 3, alpha = 1, d = %d, b = 1", d),
        curves, nGrid, envelope, floor);
  }

  // ----------------------------------------------------------------------------------------------------

  /** The source's d; the frontier's batch is d, its step the paper scenario's (the exponent does not depend on it). */
  static final long FRONTIER_D = 3200L;
  /**
   * (a) Bound on |e_flow - e_add| of the two envelopes: a least-squares slope moves by at most 3 eps / X for a
   * relative curve error eps over a window of log-width X; LAWS-ADDITIVE's shift bound keeps eps near 1e-2 and the
   * frontier's window spans X of about 4 in log C (the risk falls by a factor 9 at a slope near -0.55), so 0.008,
   * with the envelope's width switches (at slightly different C on the two routes) on top: 0.025. Measured at most
   * 0.006 over base seeds 1..30.
   */
  static final double FRONTIER_AGREEMENT_BOUND = 0.025;
  /**
   * (b) Bound on |e_flow - e_pred|, the derived window exponent. Two approximations: the leading escape law (the
   * corrected times are off by up to 2.3 e-folds at the last rows, section 2, which moves log C at the window's
   * end by 2.3 / L against X: 2.3 / (18 x 4) = 0.03) and the width grid (widths a factor sqrt 2 apart, against
   * the continuous best width kappa J: the envelope pays up to a factor sqrt 2 in compute at any risk, which can
   * move the slope by up to ln(sqrt 2) / X = 0.09 if the loss ran from none at one end to all at the other; it
   * averages out over the window in practice). Measured 0.012 to 0.039 over base seeds 1..30 (mean 0.024, SD
   * 0.008, the flow the steeper); 0.1 is the sum of the two worst cases.
   */
  static final double FRONTIER_PREDICTION_BOUND = 0.1;
  /** (c) Standard errors by which the free-width exponent (the time law's) must miss. */
  static final double FRONTIER_NAIVE_SE = 10.0;
  /** (d) Online SGD's frontier: d (= the batch), r, largest width, step, output steps. */
  static final int FRONTIER_SGD_D = 128;
  static final int FRONTIER_SGD_R = 64;
  static final int FRONTIER_SGD_MAX_WIDTH = 32;
  static final int FRONTIER_SGD_POINTS = 120;
  /**
   * (d) Bound on |e_sgd - e_eff|, one SGD replica per width against the effective ODE from the same starts. A
   * replica's escape times scatter around the mean dynamics' by O(1) e-folds (SGD-COLD-START), with a random sign
   * per width; the envelope's ends move by up to about 2 / L in log C (L about 12 at d = 128) over a window of
   * log-width X about 2.5: up to 0.07. Measured 0.004 to 0.035 over base seeds 1..8 (mean 0.020); the flow, which
   * leaves out SGD's eta^2 noise term, is off by up to 0.053.
   */
  static final double FRONTIER_SGD_BOUND = 0.08;

  static Claim computeFrontier() {
    return new Claim(
        "LAWS-COMPUTE-FRONTIER",
        "compute-optimal frontier: the envelope over widths of risk vs SGD flops has the derived exponent",
        "Online SGD at batch b = d = 3200 (the source's d), eta = 0.02 (the paper scenario's), alpha = 1 (l2), sigma0 = 1e-3, r = 128 "
            + "(512 at scale large), widths m = 2, 3, 4, 6, 8, 11, .. (sqrt 2 apart) up to r / 2, each from its own "
            + "random start (laws.ReducedStart), followed on the population flow (batch d: the flow's time t = steps "
            + "x eta). Compute C = steps x sgd.SgdRiskCurve.flopsPerStep (4 b d m + 3 b r + ..: the student's forward "
            + "pass and update, the labels at the canonical basis). The frontier is the lower envelope over m of "
            + "R_m(C); its exponent is fitted over the compute where 2 sum_{j>J} lambda_j^2 lies between J = 4 and "
            + "J = r / 4. (a) The exact flow's frontier exponent equals the additive model's (corrected escape times "
            + "of the same starts) within 0.025. (b) It equals the derived exponent within 0.1: at J learned "
            + "directions the best width is kappa J, kappa = phi L / (phi L - 1) (phi = d log F / d log m, the "
            + "width's share of the compute; L the log factor of the J-th escape with (kappa - 1) J free columns), "
            + "the local exponent is tailSlope L / (alpha (L - 1) - 1 + L phi), about -(2 alpha - 1) / (alpha + 1), "
            + "and the window's exponent is their harmonic mean weighted by the drop in log R. (c) It is more than "
            + "10 standard errors from the time law's -(2 alpha - 1) L / (alpha (L - 1)), the frontier if width "
            + "cost nothing: paying for width halves the exponent. (d) On online SGD itself (d = b = 128, r = 64, "
            + "widths up to 32, eta = 0.02, one replica per width from the model's start, teacher basis e_1..e_r), "
            + "the frontier exponent equals the effective ODE's from the same starts within 0.08.",
        ClaimSource.derived(NOTE),
        FRONTIER_PREDICTION_BOUND,
        "(a) |e_flow - e_add| <= " + Claim.formatBound(FRONTIER_AGREEMENT_BOUND) + "; (b) |e_flow - e_pred| <= "
            + Claim.formatBound(FRONTIER_PREDICTION_BOUND) + "; (c) |e_flow - e_time| > "
            + Claim.formatBound(FRONTIER_NAIVE_SE) + " SE; (d) |e_sgd - e_eff| <= " + Claim.formatBound(FRONTIER_SGD_BOUND),
        "False alarm below 1e-4 per run (estimated from base seeds 1..30, see the bounds). The curves are "
            + "deterministic given the random starts; the regression's standard error measures the staircase of the "
            + "envelope, not noise. (a) 3 eps / X with LAWS-ADDITIVE's eps, plus the envelope's width switches: 0.025 "
            + "(measured at most 0.006). (b) The leading escape law (O(1) e-fold offsets: about 0.03) and the "
            + "sqrt 2 width grid (up to 0.09 in the worst case): 0.1 (measured 0.012 to 0.039, mean 0.024). (c) is "
            + "a power statement (measured z about 100). (d) One replica's O(1) e-fold escape scatter "
            + "(SGD-COLD-START) over the window: up to about 0.07 (measured 0.004 to 0.035 over 8 seeds; the flow, "
            + "without SGD's eta^2 term, is off by up to 0.053).",
        TESTS,
        LawsClaims::checkComputeFrontier,
        RANDOM_START_FALSE_ALARM);
  }

  static FrontierRun frontierRun(Scale scale) {
    int r = SIZES.at(scale).frontierR();
    return FrontierRun.run(FRONTIER_D, r, FrontierRun.widths(r / 2), 1.0, SIGMA0, (int) FRONTIER_D,
        FrontierRun.PAPER_ETA, Cases.seed(6800), FrontierRun.DEFAULT_POINTS, FrontierRun.Listener.NONE);
  }

  static Measurement checkComputeFrontier(Scale scale) {
    FrontierRun run = frontierRun(scale);
    double e = run.flowFit().slope();
    double se = run.flowFit().standardError();
    double agreement = Math.abs(e - run.additiveFit().slope());
    double prediction = Math.abs(e - run.predictedExponent());
    ComputeFrontier.Prediction p = run.prediction();
    double naive = ScalingLaws.localTimeSlope(run.alpha(), p.logFactor());
    double naiveZ = Math.abs(e - naive) / se;
    String text = f("d=%d r=%d widths %s, seed %d, window %s: frontier exponent %.4f (SE %.4f), additive %.4f "
        + "(|diff| %.4f, need <= %.3f), derived %.4f (|diff| %.4f, need <= %.2f; at J=%d: best width %.2f J, L %.2f, "
        + "phi %.3f, tail slope %.3f, local %.4f%s), free-width (time law) %.3f at z %.0f (need > %.0f)", run.d(), run.r(),
        Arrays.toString(run.widths()), run.seed(), run.window(), e, se, run.additiveFit().slope(), agreement,
        FRONTIER_AGREEMENT_BOUND, run.predictedExponent(), prediction, FRONTIER_PREDICTION_BOUND, p.j(),
        p.widthRatio(), p.logFactor(), p.widthShare(), p.tailSlope(), p.exponent(),
        p.labelsDominate() ? ", labels dominate" : "", naive, naiveZ, FRONTIER_NAIVE_SE);
    SgdFrontier sgd = SgdFrontier.run(FRONTIER_SGD_D, FRONTIER_SGD_R, FrontierRun.widths(FRONTIER_SGD_MAX_WIDTH), 1.0,
        SIGMA0, FrontierRun.PAPER_ETA, Cases.seed(6810), FRONTIER_SGD_POINTS, SgdFrontier.Listener.NONE);
    double sgdGap = Math.abs(sgd.sgdFit().slope() - sgd.effectiveFit().slope());
    text += f("; (d) online SGD d=b=%d r=%d widths %s seed %d: frontier exponent %.4f (SE %.4f), effective ODE %.4f "
        + "(|diff| %.4f, need <= %.2f), flow %.4f", sgd.d(), sgd.r(), Arrays.toString(sgd.widths()), sgd.seed(),
        sgd.sgdFit().slope(), sgd.sgdFit().standardError(), sgd.effectiveFit().slope(), sgdGap, FRONTIER_SGD_BOUND,
        sgd.flowFit().slope());
    boolean ok = agreement <= FRONTIER_AGREEMENT_BOUND && prediction <= FRONTIER_PREDICTION_BOUND
        && naiveZ > FRONTIER_NAIVE_SE && sgdGap <= FRONTIER_SGD_BOUND;
    return new Measurement(prediction, FRONTIER_PREDICTION_BOUND, ok, text)
        .withFigures(List.of(LawsFigures.riskVsCompute("laws-compute-frontier", run)));
  }

  // ----------------------------------------------------------------------------------------------------

  /**
   * LAWS-SAMPLE-POWER's sizes per scale: the effective-ODE route (alpha, r, m, the top of the n range at d =
   * POWER_D, the number of n) and the SGD route (d, r, m, replicas per batch).
   */
  private record PowerSizes(double alpha, int r, int m, double nHi, int points, int sgdD, int sgdR, int sgdM,
      int sgdReplicas) {}

  private static final ScaleTable<PowerSizes> POWER_SIZES = new ScaleTable<>(
      new PowerSizes(1.5, 32, 16, 2e9, 14, 64, 32, 16, 12),
      new PowerSizes(1.5, 64, 32, 1e9, 13, 64, 32, 16, 12),
      new PowerSizes(1.5, 128, 64, 1e10, 17, 256, 64, 32, 16));

  /** The effective-ODE route's d (only the start's overlap scale and the (1 + 5/d) factors depend on it). */
  static final long POWER_D = 10_000L;
  /** Label-noise variance: large, so that the noise limits the law from the first escapes on. */
  static final double POWER_S2 = 2.0;
  static final double POWER_N_LO = 1e6;
  /**
   * (a) Bound on |R*_ode / R*_formula - 1| over the window (and the schedule's). The formula is first order in c
   * and quasi-static; the window starts where the best c falls to c_crit / 8, where the second-order excess is
   * about (c / c_crit) of the first (LAWS-SAMPLE-EXCESS's third-order coefficient, 6e-5 at c = 1e-3 on kappa =
   * 0.035, scales so) and the learned block lags the moving state by its relaxation time 1 / (8 lambda_J) against
   * t / L: together about 0.1 at the window's start, falling with c. Measured 0.050 to 0.107 over base seeds 1..40
   * (small) and 1..20 (default), always at the window's start and below 0.03 a decade later; 0.15.
   */
  static final double POWER_PREFACTOR_BOUND = 0.15;
  /**
   * (b) Bound on |e_ode - e_formula|: a relative error falling from at most 0.15 to near 0 over a window of at
   * least ln 100 = 4.6 moves a least-squares slope by at most 1.3 x ln(1.15) / 4.6 = 0.04. Measured 0.007 to
   * 0.016 over the same 60 seeds.
   */
  static final double POWER_SLOPE_BOUND = 0.05;
  /**
   * (c) Bound on |e_ode + gamma / (1 + gamma)|, the asymptotic exponent: the time law's local slope is
   * -gamma L / (L - 1) and sum_{a <= J} lambda_a still grows with J (like log J at alpha = 1); both move the local
   * exponent e_t / (1 - e_t) by up to about 0.05 at the window's J. Measured 0.005 to 0.019 at alpha = 1.5 (60 seeds).
   */
  static final double POWER_ASYMPTOTE_BOUND = 0.1;
  /** (c) Standard errors by which the time law in n (the noiseless sample law at the ceiling) must miss. */
  static final double POWER_TIME_LAW_SE = 10.0;
  /**
   * (d) SGD against the effective ODE at each output: |mean - ODE| <= POWER_SGD_Z SE + POWER_SGD_FINITE_D ODE. The
   * effective ODE is the d -> infinity mean; at d = 64 a replica's escape times scatter by O(1) e-folds
   * (SGD-COLD-START), which shifts the mean risk early in the window by a few percent (measured relative gaps up to
   * 0.063 at the first output, below 0.035 afterwards, at d = 64 and 128): 0.1. POWER_SGD_Z = 4 over 10
   * comparisons (5 outputs, 2 batches) with the Student t of 12 replicas (11 degrees of freedom) would alone give
   * 2e-2 per run, but the relative allowance is 3 to 6 standard errors on top at these SE (1% to 2% of the mean).
   */
  static final double POWER_SGD_Z = 4.0;
  static final double POWER_SGD_FINITE_D = 0.1;
  /**
   * (d) Bound on |e_sgd - e_ode| over the SGD outputs (one decade of n): measured at most 0.033 over 60 seeds, at SE
   * 0.015 to 0.027 (4 to 6 standard errors of room).
   */
  static final double POWER_SGD_SLOPE_BOUND = 0.1;
  static final int POWER_SGD_POINTS = 5;
  static final double POWER_SGD_SPAN = 10.0;

  static Claim samplePower() {
    return new Claim(
        "LAWS-SAMPLE-POWER",
        "sample law with label noise: best risk over c falls like n^-gamma/(1+gamma), prefactor derived",
        "Power-law teacher alpha = 1.5, r = 64, m = 32 (32 and 16 at scale small, 128 and 64 at large; at "
            + "alpha = 1 the width floor leaves less than two decades of n below m = 128, see the note), label noise s^2 = 2, batch 1, eta = c / d, sigma0 = 1e-3, d = 1e4 (reduced start, "
            + "laws.ReducedStart). Derived (proofs-notes/scaling-laws.md section 10): after n samples at constant c "
            + "the risk is R0(t) + kappa(t) c with t = n c / (d b), R0 and tr G the population flow's and kappa = "
            + "(2 / b) [(1 + 5/d) R0 + (1 + 1/d) s^2] tr G (LAWS-SAMPLE-EXCESS's slope at the current state: the "
            + "unlearned tail acts as label noise); minimising over c gives c* ~ R* ~ n^(e_t / (1 - e_t)), e_t the "
            + "time law's local slope, -gamma / (1 + gamma) asymptotically, gamma = (2 alpha - 1) / alpha. Window "
            + "(laws.SamplePower): the n beyond the last whose best c exceeds c_crit / 8 (learned-mode critical c) "
            + "and whose best risk is above 4 times the width floor, at least two decades. (a) The effective ODE's "
            + "best risk over c (a c grid a factor 2^(1/3) apart, parabola in log c) equals the formula's within 15% "
            + "at every window n, and so does the effective ODE under the law's schedule eta_k = c0 (1 + k / k0)^-rho "
            + "/ d (c0 = c_crit / 8, k0 the window's start, rho = gamma / (1 + gamma)) against the formula along it. "
            + "(b) Their exponents over the window agree within 0.05 (both routes, constant c and schedule). (c) The "
            + "effective ODE's exponent is within 0.1 of -gamma / (1 + gamma) and more than 10 standard errors from "
            + "the time law's -gamma (the noiseless law at the stability ceiling). (d) Online SGD at d = 64 (256 at "
            + "scale large), r = 32, m = 16 (64 and 32 at large), under the schedule at batch 1 and batch d (eta0 = "
            + "b c0 / d, k0 = n0 / b: the same SGD time per sample), 12 replicas (16 at large) from the model's W0, "
            + "at 5 log-spaced n over a decade from the window's start: the mean risk is within 4 standard errors "
            + "plus 10% of the effective ODE's at the same batch and schedule, and its exponent within 0.1 of the "
            + "ODE's.",
        ClaimSource.derived(NOTE),
        POWER_PREFACTOR_BOUND,
        "(a) |R_ode / R_formula - 1| <= " + Claim.formatBound(POWER_PREFACTOR_BOUND) + " (best c and schedule); "
            + "(b) |e_ode - e_formula| <= " + Claim.formatBound(POWER_SLOPE_BOUND) + "; (c) |e_ode + rho| <= "
            + Claim.formatBound(POWER_ASYMPTOTE_BOUND) + ", time law > " + Claim.formatBound(POWER_TIME_LAW_SE)
            + " SE away; (d) |mean_sgd - ode| <= " + Claim.formatBound(POWER_SGD_Z) + " SE + "
            + Claim.formatBound(POWER_SGD_FINITE_D) + " ode, |e_sgd - e_ode| <= "
            + Claim.formatBound(POWER_SGD_SLOPE_BOUND),
        "False alarm below 1e-4 per run (design target; (a)-(c) are deterministic given the random start and their "
            + "bounds derived from the size of the neglected terms, see the constants): (a) second order in c and "
            + "the learned block's lag, about 0.1 at the window's start (c = c_crit / 8): 0.15; (b) that error "
            + "falling over a window of 4.6 in ln n moves a slope by at most 0.04: 0.05; (c) the log factors of the "
            + "time law and of sum_{a <= J} lambda_a: 0.1; (d) the finite-d escape scatter of SGD-COLD-START as a 10% "
            + "relative allowance (measured gaps up to 6.3%) on top of 4 standard errors of 12 replicas. Measured "
            + "over base seeds 1..40 (small) and 1..20 (default), 0 failures in 60: (a) at most 0.107 (schedule "
            + "0.044), (b) at most 0.016, (c) at most 0.019, (d) at most 0.38 of the allowance, SGD exponents within "
            + "0.033 of the ODE's. Controls that must fail, and did at every seed: the formula with kappa halved (off "
            + "by 0.51 or more), the noiseless flow against SGD (2.1 allowances or more at every output).",
        List.of("ClaimsTest", "SamplePowerTest"),
        LawsClaims::checkSamplePower,
        RANDOM_START_FALSE_ALARM);
  }

  static Measurement checkSamplePower(Scale scale) {
    PowerSizes z = POWER_SIZES.at(scale);
    long seed = Cases.seed(6900);
    double[] lambda = ScalingLaws.lambdas(z.r(), z.alpha());
    FlowState.Overlaps start = org.qnnoracle.laws.ReducedStart.sample(POWER_D, z.r(), z.m(), SIGMA0, seed);
    SamplePower run = SamplePower.run(lambda, start, new SamplePower.Settings(POWER_D, z.r(), z.m(), z.alpha(),
        POWER_S2, 1, SIGMA0, seed, POWER_N_LO, z.nHi(), z.points()));
    boolean interior = true;
    for (int i : run.window()) {
      interior &= run.odeInterior()[i];
    }
    double prefactor = run.worstRatio(run.odeRisk(), run.formulaRisk());
    // Control: the formula without the factor 2 of the excess (kappa halved) must miss the ODE by more than the bound.
    double halfKappa = run.worstRatio(run.odeRisk(), run.formulaRisk(0.5));
    double schedulePrefactor = run.worstRatio(run.scheduleOde(), run.scheduleFormula());
    LinearFit ode = run.fit(run.odeRisk());
    double eFormula = run.fit(run.formulaRisk()).slope();
    double eSchedule = run.fit(run.scheduleOde()).slope();
    double eScheduleFormula = run.fit(run.scheduleFormula()).slope();
    double slopeGap = Math.max(Math.abs(ode.slope() - eFormula), Math.abs(eSchedule - eScheduleFormula));
    double asymptote = Math.abs(ode.slope() + run.rho());
    double timeLaw = ScalingLaws.timeExponent(z.alpha());
    double timeLawZ = Math.abs(ode.slope() - timeLaw) / ode.standardError();
    int[] w = run.window();
    StringBuilder b = new StringBuilder(f("seed %d, alpha %.1f, r=%d, m=%d, s^2=%.0f, d=%d: window n = %.3g .. %.3g "
        + "(%d points; c_crit %.4f, floor %.3g); (a) best risk: |ODE/formula - 1| max %.4f, schedule %.4f (need <= "
        + "%.2f)%s; (b) exponents: ODE %.4f (SE %.4f), formula %.4f, schedule ODE %.4f, formula %.4f (max |diff| "
        + "%.4f, need <= %.2f); (c) -gamma/(1+gamma) = %.4f (|diff| %.4f, need <= %.2f), time law %.4f at z %.0f "
        + "(need > %.0f); best risk at the window's ends: ODE %.4g, %.4g (schedule %.4g, %.4g); control (kappa / 2) "
        + "off by %.3f (need > %.2f)", seed, z.alpha(),
        z.r(), z.m(), POWER_S2, POWER_D, run.samples()[w[0]], run.samples()[w[w.length - 1]], w.length,
        run.cCritical(), run.floor(), prefactor, schedulePrefactor, POWER_PREFACTOR_BOUND,
        interior ? "" : " (an ODE optimum at the end of its c grid)", ode.slope(), ode.standardError(), eFormula,
        eSchedule, eScheduleFormula, slopeGap, POWER_SLOPE_BOUND, -run.rho(), asymptote, POWER_ASYMPTOTE_BOUND,
        timeLaw, timeLawZ, POWER_TIME_LAW_SE, run.odeRisk()[w[0]], run.odeRisk()[w[w.length - 1]],
        run.scheduleOde()[w[0]], run.scheduleOde()[w[w.length - 1]], halfKappa, POWER_PREFACTOR_BOUND));
    boolean ok = interior && prefactor <= POWER_PREFACTOR_BOUND && schedulePrefactor <= POWER_PREFACTOR_BOUND
        && slopeGap <= POWER_SLOPE_BOUND && asymptote <= POWER_ASYMPTOTE_BOUND && timeLawZ > POWER_TIME_LAW_SE
        && halfKappa > POWER_PREFACTOR_BOUND;

    // (d) online SGD at batch 1 and batch d.
    double worstSgd = 0.0;
    for (int batch : new int[] {1, z.sgdD()}) {
      SamplePowerSgd sgd = SamplePowerSgd.run(z.sgdD(), z.sgdR(), z.sgdM(), z.alpha(), POWER_S2, batch, SIGMA0,
          Cases.seed(6910), z.sgdReplicas(), threads(), POWER_SGD_SPAN, POWER_SGD_POINTS);
      double worst = 0.0;
      double control = Double.POSITIVE_INFINITY;
      for (int i = 0; i < sgd.samples().length; i++) {
        double allowed = POWER_SGD_Z * sgd.standardError()[i] + POWER_SGD_FINITE_D * sgd.ode()[i];
        worst = Math.max(worst, Math.abs(sgd.mean()[i] - sgd.ode()[i]) / allowed);
        control = Math.min(control, Math.abs(sgd.mean()[i] - sgd.flow()[i])
            / (POWER_SGD_Z * sgd.standardError()[i] + POWER_SGD_FINITE_D * sgd.flow()[i]));
      }
      double slopeDiff = Math.abs(sgd.sgdFit().slope() - sgd.odeFit().slope());
      worstSgd = Math.max(worstSgd, worst);
      // The control must fail at every output (its smallest miss decides).
      ok &= worst <= 1.0 && slopeDiff <= POWER_SGD_SLOPE_BOUND && control > 1.0;
      b.append(f("; (d) SGD d=%d r=%d m=%d batch %d, %d replicas, seed %d, n = %d .. %d: mean %.4g .. %.4g vs ODE "
          + "%.4g .. %.4g, worst |gap| / allowance %.3f (need <= 1), exponent %.4f (SE %.4f) vs ODE %.4f (|diff| %.4f, "
          + "need <= %.2f), control (noiseless flow) |gap| / allowance %.2f (need > 1)", sgd.d(), sgd.r(), sgd.m(), batch,
          sgd.replicas(), sgd.seed(), sgd.samples()[0],
          sgd.samples()[sgd.samples().length - 1], sgd.mean()[0], sgd.mean()[sgd.mean().length - 1], sgd.ode()[0],
          sgd.ode()[sgd.ode().length - 1], worst, sgd.sgdFit().slope(), sgd.sgdFit().standardError(),
          sgd.odeFit().slope(), slopeDiff, POWER_SGD_SLOPE_BOUND, control));
    }
    return new Measurement(prefactor, POWER_PREFACTOR_BOUND, ok, b.toString())
        .withFigures(List.of(LawsFigures.samplePower("laws-sample-power", run)));
  }

  // ----------------------------------------------------------------------------------------------------

  static final double ISO_RATIO_LOW = 1.0;
  static final double ISO_RATIO_HIGH = 1.5;

  static Claim isotropic() {
    return new Claim(
        "LAWS-ISOTROPIC",
        "alpha = 0: samples to a target risk scale like d (r + 2) L / 2, the parameter count times a log factor",
        "alpha = 0 (lambda_j = 1/sqrt r), m = r, b = 1, s = 0, sigma0 = 1e-3, eta = c / d with c half the "
            + "learned-mode critical value (sgd.EffectiveStability; c ~ 1/(4 sqrt r) for large r). n = samples "
            + "until the effective ODE's risk reaches 0.2 (normalised risk 0.1), for r in {2, 4, 8} (up to 32 at "
            + "scale large) and d in {1e3, 1e4, 1e5, 1e6}. Derivation: all directions escape together at "
            + "t = L / (8 lambda), L = log(lambda d / (r sigma0^2)), so n = t d / c = d (r + 2) (L + delta) / 2 with "
            + "delta = O(log r) from the spread of the start's Wishart spectrum. n depends on the random start "
            + "through delta, so n is the median over 21 independent starts at each (d, r). Claimed: (a) the ratio "
            + "n / (d (r + 2) L / 2) lies in [1, 1.5] everywhere; (b) at each r the exponent of n in d is "
            + "1 + 1/L within [1, 1 + 2 / L_min]. The fitted exponents (a, b) of n ~ d^a r^b and of n / L are "
            + "reported with standard errors.",
        ClaimSource.derived(NOTE),
        ISO_RATIO_HIGH,
        "(a) median-over-starts ratio in [" + Claim.formatBound(ISO_RATIO_LOW) + ", " + Claim.formatBound(ISO_RATIO_HIGH)
            + "]; (b) d-exponent of the medians in [1, 1 + 2/L_min]",
        "(a) The lower end is the escape of the bulk (every direction needs at least L / (8 lambda)), so no "
            + "start goes below 1 (smallest of 1320 measured: 1.078). delta / L is what the late small Wishart "
            + "eigenvalues and the sigmoid's tail add, and it is random: over 200 starts per (d, r) the "
            + "single-start ratio has median 1.17-1.34 and 90th percentile 1.30-1.50 for r <= 8 (worst at r = 8, "
            + "d = 1e3, where 10% of starts exceed 1.5; 99th percentile 1.76), medians 1.37 and 1.40 at r = 16 "
            + "and 32. A bound of 1.5 on one start's ratio (as this claim first had, from one seed) fails that "
            + "often. The median of 21 starts exceeds 1.5 only if 11 of them do: for a per-start rate p = 0.10 "
            + "that has probability 1.2e-6 (binomial), 6e-5 at p = 0.15 (the upper end of p's 95% interval from "
            + "200 starts), at the one (d, r) where p is that high; below 1e-4 per run in all. (b) n proportional "
            + "to d L gives a local exponent 1 + 1/L; delta adds at most delta / L^2. Measured ratios 1.11-1.26 "
            + "and d-exponents 1.035-1.045 at one start.",
        TESTS,
        LawsClaims::checkIsotropic,
        ISOTROPIC_FALSE_ALARM);
  }

  /** Independent starts per (d, r) of LAWS-ISOTROPIC: the power calculation is in the claim's reason. */
  static final int ISO_STARTS = 21;

  /** The start whose sample count is the median over ISO_STARTS starts (seeds Cases.seed(6600 + k)). */
  static LawsExperiments.IsotropicRun medianRun(long d, int r) {
    List<java.util.concurrent.Callable<LawsExperiments.IsotropicRun>> work = new ArrayList<>();
    for (int k = 0; k < ISO_STARTS; k++) {
      long seed = Cases.seed(6600 + k);
      work.add(() -> LawsExperiments.isotropic(d, r, SIGMA0, 0.5, 0.2, seed));
    }
    // Each start is an independent ODE solve: run them over the cores (results in start order either way).
    List<LawsExperiments.IsotropicRun> runs = new ArrayList<>(
        org.qnnoracle.stats.Parallel.runAll(work, threads(), "isotropic-starts"));
    // NaN (the target never reached) sorts last, so a median over mostly failed starts is itself NaN.
    runs.sort(java.util.Comparator.comparingDouble(LawsExperiments.IsotropicRun::samples));
    return runs.get(ISO_STARTS / 2);
  }

  static Measurement checkIsotropic(Scale scale) {
    int[] rs = SIZES.at(scale).isotropicRs().clone();
    long[] ds = {1_000L, 10_000L, 100_000L, 1_000_000L};
    List<double[]> rows = new ArrayList<>();
    double minRatio = Double.POSITIVE_INFINITY;
    double maxRatio = 0.0;
    boolean exponentsOk = true;
    StringBuilder b = new StringBuilder(f("seeds %d..%d (median of %d starts per (d, r)):", Cases.seed(6600),
        Cases.seed(6600 + ISO_STARTS - 1), ISO_STARTS));
    for (int r : rs) {
      double[] x = new double[ds.length];
      double[] y = new double[ds.length];
      double lMin = Double.POSITIVE_INFINITY;
      for (int k = 0; k < ds.length; k++) {
        LawsExperiments.IsotropicRun run = medianRun(ds[k], r);
        double ratio = run.samples() / (ds[k] * (r + 2.0) * run.logFactor() / 2.0);
        minRatio = Math.min(minRatio, Double.isNaN(ratio) ? Double.NEGATIVE_INFINITY : ratio);
        maxRatio = Math.max(maxRatio, Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio);
        x[k] = ds[k];
        y[k] = run.samples();
        lMin = Math.min(lMin, run.logFactor());
        rows.add(new double[] {Math.log(ds[k]), Math.log(r), Math.log(run.samples()),
            Math.log(run.samples() / run.logFactor())});
      }
      double a = LinearFit.logLog(x, y).slope();
      exponentsOk &= a >= 1.0 && a <= 1.0 + 2.0 / lMin;
      b.append(f(" r=%d: d-exponent %.4f (bound %.4f);", r, a, 1.0 + 2.0 / lMin));
    }
    double[] ld = rows.stream().mapToDouble(v -> v[0]).toArray();
    double[] lr = rows.stream().mapToDouble(v -> v[1]).toArray();
    LawsExperiments.PlaneFit fn = LawsExperiments.planeFit(ld, lr, rows.stream().mapToDouble(v -> v[2]).toArray());
    LawsExperiments.PlaneFit fl = LawsExperiments.planeFit(ld, lr, rows.stream().mapToDouble(v -> v[3]).toArray());
    b.append(f(" ratio n / (d (r+2) L / 2) in [%.3f, %.3f]; n ~ d^%.3f(%.3f) r^%.3f(%.3f); n / L ~ d^%.3f(%.3f) "
        + "r^%.3f(%.3f) (SE in brackets)", minRatio, maxRatio, fn.coefficients()[1], fn.standardErrors()[1],
        fn.coefficients()[2], fn.standardErrors()[2], fl.coefficients()[1], fl.standardErrors()[1],
        fl.coefficients()[2], fl.standardErrors()[2]));
    boolean ok = minRatio >= ISO_RATIO_LOW && maxRatio <= ISO_RATIO_HIGH && exponentsOk;
    return new Measurement(maxRatio, ISO_RATIO_HIGH, ok, b.toString());
  }

  // ----------------------------------------------------------------------------------------------------

  static final double HALF_EXPONENT_BOUND = 0.05;

  static Claim slowDecay() {
    return new Claim(
        "LAWS-SLOW-DECAY",
        "alpha <= 1/2: the risk stays order one until a growing number of directions is learned",
        "l2 normalisation, r = m, d = 1e6, sigma0 = 1e-3, r = 16, 32, 64 (128 at scale large). With lambda_j = "
            + "j^{-alpha} / Z the risk after J directions is 2 (1 - H_J / H_r), H_k = sum_{j<=k} j^{-2 alpha}: for "
            + "alpha < 1/2 it is about 2 (1 - (J/r)^{1 - 2 alpha}), order one until J is a fixed fraction of r, and "
            + "the time to halve the risk grows like r^{1/2} (lambda_J ~ r^{-1/2}) up to the log factor: exponent "
            + "1/2 - 3/(2L); at alpha = 1/2 like r^{1/4} sqrt(log r); for alpha > 1/2 it does not grow. Claimed: the "
            + "exponent of the exact flow's half-risk time in r equals that of the additive model (leading escape "
            + "times) within 0.05, for alpha = 0, 0.25, 0.5, 1; and it is above " + Claim.formatBound(SLOW_GROWTH_MIN)
            + " for alpha < 1/2 and below " + Claim.formatBound(NO_GROWTH_MAX) + " in absolute value for alpha = 1.",
        ClaimSource.derived(NOTE),
        HALF_EXPONENT_BOUND,
        "|e_flow - e_add| <= " + Claim.formatBound(HALF_EXPONENT_BOUND) + "; e > " + Claim.formatBound(SLOW_GROWTH_MIN)
            + " (alpha < 1/2); |e| < " + Claim.formatBound(NO_GROWTH_MAX) + " (alpha = 1)",
        "The additive model with leading escape times misplaces each direction by O(log m) e-folds (the "
            + "available overlap), which varies slowly with r; over a factor 4 to 8 in r that moves the exponent "
            + "by a few hundredths (measured 0.004-0.02). " + Claim.formatBound(SLOW_GROWTH_MIN) + " and "
            + Claim.formatBound(NO_GROWTH_MAX) + ": the log-corrected predictions are 0.43, "
            + "0.29 and -0.05 at L about 20; the thresholds separate growth like sqrt r from no growth with room "
            + "for the log factor.",
        TESTS,
        LawsClaims::checkSlowDecay,
        RANDOM_START_FALSE_ALARM);
  }

  static Measurement checkSlowDecay(Scale scale) {
    int[] rs = SIZES.at(scale).slowDecayRs().clone();
    double worst = 0.0;
    boolean shapes = true;
    StringBuilder b = new StringBuilder(f("d = 1e6, seed %d:", Cases.seed(6700)));
    for (double alpha : new double[] {0.0, 0.25, 0.5, 1.0}) {
      double[] x = new double[rs.length];
      double[] flow = new double[rs.length];
      double[] add = new double[rs.length];
      double frac = 0.0;
      for (int k = 0; k < rs.length; k++) {
        LawsExperiments.HalfTimes h = LawsExperiments.halfTimes(1_000_000L, rs[k], alpha, SIGMA0, Cases.seed(6700));
        x[k] = rs[k];
        flow[k] = h.flow();
        add[k] = h.additive();
        frac = h.learnedFraction();
      }
      double ef = LinearFit.logLog(x, flow).slope();
      double ea = LinearFit.logLog(x, add).slope();
      worst = Math.max(worst, Math.abs(ef - ea));
      shapes &= alpha < 0.5 ? ef > SLOW_GROWTH_MIN : alpha == 1.0 ? Math.abs(ef) < NO_GROWTH_MAX : true;
      b.append(f(" alpha %.2f: exponent %.3f (additive %.3f), half-risk time at r=%d %.2f, fraction of directions "
          + "learned then %.2f;", alpha, ef, ea, rs[rs.length - 1], flow[rs.length - 1], frac));
    }
    return new Measurement(worst, HALF_EXPONENT_BOUND, worst <= HALF_EXPONENT_BOUND && shapes, b.toString());
  }
}
