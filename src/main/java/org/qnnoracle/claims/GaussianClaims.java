package org.qnnoracle.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.qnnoracle.experiments.GaussianMonteCarloCheck;
import org.qnnoracle.experiments.IdentityVerification;
import org.qnnoracle.experiments.MonteCarloCheck;
import org.qnnoracle.experiments.SgdStepAlgebra;
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.model.Seeds;

/**
 * The Gaussian identities and SGD drift formulas (proofs-notes/gaussian-moments.md), one claim each,
 * checked by three routes: the Java exact engine against the closed form at d = 1..4 (exact rational
 * equality), Symja's fully symbolic proof at the small d where it is cheap, and Monte Carlo at d = 20.
 * GAUSS-ENGINES-AGREE holds the two exact engines to each other on the same random rational cases.
 */
final class GaussianClaims {
  private static final String NOTE = "gaussian-moments.md";
  private static final String EXACT_REASON = "Exact routes (rational arithmetic, symbolic algebra): any "
      + "difference is an error. Monte Carlo: the estimator of each entry is a mean of n i.i.d. draws of a "
      + "polynomial in Gaussians (finite variance), its standard error estimated from the sample; the "
      + "threshold z* = Phi^{-1}(1 - alpha/(2K)) is the two-sided Bonferroni bound over the K entries "
      + "for a family-wise false-alarm rate alpha = 1e-6 per run.";

  /**
   * What a scale changes. {@code casesPerSetting}: random rational cases per (d, batch, noise) setting of the
   * exact routes. {@code symbolicMaxD}: largest d of the symbolic proofs, d &lt;= 2 by default (each proof under
   * about 10 s, most under 1 s), every feasible one (d &lt;= 4) at scale large. Monte Carlo samples: the default
   * count times {@code mcMultiplier} / {@code mcDivisor} (integer arithmetic). {@code enginesMaxD}: largest d of
   * GAUSS-ENGINES-AGREE; d = 4 costs Symja 55 s of a 57 s check (its expansions grow like d^8), so it is kept for
   * scale large, and verify at the default scale stays within its time (the Java engine checks d = 4 in the
   * GAUSS-* claims at every scale).
   */
  private record Sizes(int casesPerSetting, int symbolicMaxD, long mcMultiplier, long mcDivisor, int enginesMaxD) {}

  private static final ScaleTable<Sizes> SIZES = new ScaleTable<>(
      new Sizes(1, 1, 1, 4, 3),
      new Sizes(2, 2, 1, 1, 3),
      new Sizes(6, 4, 4, 1, 4));

  private GaussianClaims() {}

  static List<Claim> all() {
    List<Claim> claims = new ArrayList<>();
    for (GaussianIdentity g : GaussianIdentity.values()) {
      claims.add(identity(g));
      if (g == GaussianIdentity.LABELLED_NOISE_MOMENT) {
        claims.add(stepMarkov());
      }
    }
    claims.add(enginesAgree());
    return claims;
  }

  /**
   * False-alarm rate of a GAUSS-* claim: at most two Monte Carlo checks at nominal family-wise rate 1e-6 each,
   * below 1e-5 each once the normal approximation's Edgeworth corrections are allowed for
   * (proofs-notes/gaussian-moments.md, section 8); the exact routes cannot fail by chance.
   */
  static final double MC_FALSE_ALARM = 2e-5;

  static Claim identity(GaussianIdentity g) {
    return new Claim(
        IdentityVerification.claimId(g),
        title(g),
        g.statement() + " (" + g.instanceNote() + "). Checked exactly by the Java Wick engine against the "
            + "closed form on random rational cases at d = 1..4" + (g.usesBatch() ? " with b = 1 and 2" : "")
            + (g.usesNoise() ? ", with and without label noise" : "")
            + "; proved as a polynomial identity in the entries by Symja at the small d where that is "
            + "cheap; and by Monte Carlo at d = " + GaussianMonteCarloCheck.DEFAULT_D + ".",
        ClaimSource.derived(NOTE),
        Claim.COMPUTED_PER_RUN,
        "exact equality (exact routes); max |z| <= z* over all entries (Monte Carlo)",
        EXACT_REASON,
        List.of("ClaimsTest", "WickEngineTest", "SymjaExpectationsTest", "GaussianMonteCarloTest"),
        scale -> checkIdentity(g, scale),
        MC_FALSE_ALARM);
  }

  private static String title(GaussianIdentity g) {
    return switch (g) {
      case HERMITE -> "E[He_j He_k] = k! delta_jk (exact + Monte Carlo)";
      case HE2_PAIR -> "E[He2(<u,x>) He2(<v,x>)] = 2<u,v>^2 + (|u|^2-1)(|v|^2-1)";
      case RISK -> "E[(f - f*)^2] = 2 |M - A|_F^2 (exact + Monte Carlo)";
      case LINEAR_MOMENT -> "E[(x^T B x - tr B) Q(x)] = 2B";
      case GRADIENT -> "Population gradient E[(f - y) grad_W f] = 4 (M - A) W";
      case NOISE_MOMENT -> "Fourth-order noise moment T(B, M) in closed form";
      case LABELLED_NOISE_MOMENT -> "Label noise adds s^2 (M + tr(M) I) to T(B, M)";
      case STEP_DRIFT -> "Mean SGD step E[M' - M | M], first and second order in eta";
      case OVERLAP_DRIFT -> "Mean SGD step in the overlaps (Q, G) closes in (Q, G)";
    };
  }

  private static long monteCarloSamples(GaussianIdentity g, int batch, Scale scale) {
    Sizes sizes = SIZES.at(scale);
    return GaussianMonteCarloCheck.defaultSamples(g, batch) * sizes.mcMultiplier() / sizes.mcDivisor();
  }

  static Measurement checkIdentity(GaussianIdentity g, Scale scale) {
    long seed = Cases.seed(3000 + g.ordinal());
    IdentityVerification.Report exact = IdentityVerification.run(g,
        new IdentityVerification.Options(4, SIZES.at(scale).casesPerSetting(), false,
            SIZES.at(scale).symbolicMaxD()), seed,
        line -> { });
    if (!exact.passed()) {
      return Measurement.failure("seed " + seed + ": " + exact.firstFailure());
    }
    double worstZ = 0;
    double threshold = Double.POSITIVE_INFINITY;
    List<String> mc = new ArrayList<>();
    int threads = Runtime.getRuntime().availableProcessors();
    for (int batch : GaussianMonteCarloCheck.defaultBatches(g)) {
      long mcSeed = Seeds.derive(seed, "monte-carlo-b" + batch);
      MonteCarloCheck check = GaussianMonteCarloCheck.check(g, GaussianMonteCarloCheck.DEFAULT_D, batch,
          g.usesNoise(), monteCarloSamples(g, batch, scale), mcSeed, threads);
      worstZ = Math.max(worstZ, check.maxAbsZ());
      threshold = Math.min(threshold, check.threshold());
      mc.add(String.format(Locale.ROOT, "b=%d n=%d seed %d max|z| %.2f (z* %.2f, K=%d)", batch, check.n(),
          mcSeed, check.maxAbsZ(), check.threshold(), check.entries()));
    }
    String symbolic = exact.proofs().isEmpty() ? "no symbolic proof at this scale"
        : "Symja symbolic proof at " + String.join(", ",
            exact.proofs().stream().map(p -> "d=" + p.d() + (g.usesBatch() ? " b=" + p.batch() : "")).toList());
    String detail = String.format(Locale.ROOT,
        "seed %d: Java engine = closed form on %d cases (%d entries) at d = 1..4; %s; Monte Carlo d=%d: %s",
        seed, exact.cases(), exact.entries(), symbolic, GaussianMonteCarloCheck.DEFAULT_D,
        String.join("; ", mc));
    return Measurement.atMost(worstZ, threshold, detail);
  }

  static Claim stepMarkov() {
    return new Claim(
        "SGD-STEP-MARKOV",
        "One SGD step is W' = P W with P built from M: M' = P M P",
        "For one online-SGD step on b fresh samples, W' = W - (2 eta / b) sum_i e_i Q(x_i) W equals P W "
            + "with P = I - (2 eta / b) sum_i e_i Q(x_i) and e_i = x_i^T (M - A) x_i - tr(M - A) - eps_i "
            + "computed from M = W W^T alone, so M' = P M P: M is a Markov chain on its own and stays PSD. "
            + "Checked as an identity of polynomials in the samples and the noise (so for every "
            + "realisation) on random rational (W, A, eta, s) at d = 1..4, b = 1..3.",
        ClaimSource.derived(NOTE),
        Claim.EXACT,
        "exact polynomial equality",
        "Both sides are polynomials in the Gaussian variables with exact rational coefficients: any "
            + "difference is an error.",
        List.of("ClaimsTest", "SgdStepAlgebraTest"),
        GaussianClaims::checkStepMarkov,
        Claim.DETERMINISTIC);
  }

  static Measurement checkStepMarkov(Scale scale) {
    long seed = Cases.seed(3100);
    RandomGenerator rng = Seeds.generator(seed, "step-markov");
    int cases = 0;
    for (int rep = 0; rep < SIZES.at(scale).casesPerSetting(); rep++) {
      for (int d = 1; d <= 4; d++) {
        for (int batch = 1; batch <= 3; batch++) {
          cases++;
          if (!SgdStepAlgebra.isMarkovInM(GaussianIdentity.STEP_DRIFT.draw(rng, d, batch, true))) {
            return Measurement.failure("seed " + seed + ": W' != P W or M' != P M P at d=" + d + " b=" + batch);
          }
        }
      }
    }
    return Measurement.atMost(0, Claim.EXACT, "seed " + seed + ": W' = P W and M' = P M P as polynomials on "
        + cases + " random rational cases, d = 1..4, b = 1..3, label noise on");
  }

  static Claim enginesAgree() {
    return new Claim(
        "GAUSS-ENGINES-AGREE",
        "Java Wick engine and Symja give identical exact expectations",
        "On the same random rational cases (d = 1..3, and 1..4 at scale large; every identity, batch and "
            + "noise setting), the "
            + "expectations computed by the Java exact engine (expand, replace monomials by Gaussian "
            + "moments, BigFraction arithmetic) and by Symja (Expand, CoefficientRules, moments; Hermite "
            + "polynomials from Symja's own HermiteH) are equal as rationals, entry by entry.",
        ClaimSource.derived(NOTE),
        Claim.EXACT,
        Claim.formatBound(Claim.EXACT) + " differing entries",
        "Two exact engines that share only the integrand definitions: any difference is an error in one.",
        List.of("ClaimsTest", "SymjaExpectationsTest"),
        GaussianClaims::checkEnginesAgree,
        Claim.DETERMINISTIC);
  }

  static Measurement checkEnginesAgree(Scale scale) {
    long seed = Cases.seed(3200);
    int maxD = SIZES.at(scale).enginesMaxD();
    int cases = 0;
    long entries = 0;
    for (GaussianIdentity g : GaussianIdentity.values()) {
      IdentityVerification.Report r = IdentityVerification.run(g,
          new IdentityVerification.Options(maxD, 1, true, 0), Seeds.derive(seed, g.cliName()), line -> { });
      if (!r.passed()) {
        return Measurement.failure("seed " + seed + ", " + g.cliName() + ": " + r.firstFailure());
      }
      cases += r.cases();
      entries += r.entries();
      for (IdentityVerification.DimensionRow row : r.rows()) {
      }
    }
    return Measurement.atMost(0, Claim.EXACT, String.format(Locale.ROOT,
        "seed %d: %d cases, %d entries equal at d = 1..%d (%s)",
        seed, cases, entries, maxD, IdentityVerification.rationalCoverage()));
  }
}
