package org.qnnoracle.claims;

import java.util.List;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.MonteCarloRisk;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.symbolic.SymjaSession;

/** Claims about the model conventions themselves. */
final class ModelClaims {
  /** Monte Carlo bound in standard errors; two-sided normal tail P(|Z| > 5) = 5.7e-7 per run. */
  static final double MC_Z = 5.0;
  /** The two-sided normal tail beyond MC_Z: the chance a correct risk formula fails the check. */
  static final double RISK_MC_FALSE_ALARM =
      2.0 * new org.hipparchus.distribution.continuous.NormalDistribution().cumulativeProbability(-MC_Z);

  /** What a scale changes: the Monte Carlo sample count of MODEL-RISK-MC. */
  private record Sizes(int riskSamples) {}

  private static final ScaleTable<Sizes> SIZES =
      new ScaleTable<>(new Sizes(100_000), new Sizes(400_000), new Sizes(2_000_000));

  private ModelClaims() {}

  static List<Claim> all() {
    return List.of(he2Normalisation(), riskIdentity());
  }

  static Claim he2Normalisation() {
    return new Claim(
        "MODEL-HE2-NORM",
        "He2(z) = z^2 - 1 and E[He2(z)^2] = 2 (exact, Symja)",
        "The probabilists' He2 used throughout equals 2^{-1} HermiteH(2, z / sqrt 2) (Symja's HermiteH is "
            + "the physicists' polynomial) and E[He2(z)^2] = 2 for z ~ N(0, 1), both obtained exactly by "
            + "Symja (symbolic expansion, and the Gaussian integral in closed form).",
        ClaimSource.classical("Hermite polynomials, e.g. Abramowitz & Stegun 22.2.15"),
        Claim.EXACT,
        "exact rational equality",
        "Symbolic computation in exact arithmetic: any difference is an error.",
        List.of("ClaimsTest", "SymjaSessionTest"),
        ModelClaims::checkHe2,
        Claim.DETERMINISTIC);
  }

  static Measurement checkHe2(Scale scale) {
    SymjaSession symja = SymjaSession.get();
    boolean sameConvention = symja.isZero("HermiteH(2, z/Sqrt(2))/2 - (z^2 - 1)");
    BigFraction second = symja.evalRational(
        "Integrate((z^2 - 1)^2*Exp(-z^2/2)/Sqrt(2*Pi), {z, -Infinity, Infinity})");
    double diff = second.subtract(2).abs().doubleValue();
    if (!sameConvention) {
      return Measurement.failure("Symja: HermiteH(2, z/Sqrt(2))/2 != z^2 - 1");
    }
    return Measurement.atMost(diff, Claim.EXACT, "Symja: He2 convention confirmed; E[He2(z)^2] = " + second);
  }

  static Claim riskIdentity() {
    return new Claim(
        "MODEL-RISK-MC",
        "E[(f - f*)^2] = 2 |M - A|_F^2 (Monte Carlo)",
        "For f = x^T M x - tr M and f* = x^T A x - tr A with x ~ N(0, I_d), the mean squared difference "
            + "equals 2 |M - A|_F^2, the risk reported everywhere; checked by Monte Carlo on a random "
            + "instance at d = 10 (fixed seed, printed).",
        ClaimSource.classical("Isserlis/Wick: E[(x^T B x - tr B)^2] = 2 tr B^2 for symmetric B"),
        MC_Z,
        "|mean - 2 |M - A|_F^2| <= " + Claim.formatBound(MC_Z) + " standard errors (estimated from the sample)",
        "The estimator is a mean of n i.i.d. squares of a degree-2 polynomial, whose variance is finite "
            + "(8th Gaussian moments); with n >= 1e5 the CLT makes 5 estimated standard errors a two-sided "
            + "test with false-alarm rate about 5.7e-7 per run.",
        List.of("ClaimsTest", "RiskTest"),
        ModelClaims::checkRiskMonteCarlo,
        RISK_MC_FALSE_ALARM);
  }

  static Measurement checkRiskMonteCarlo(Scale scale) {
    long seed = Cases.seed(1400);
    int n = SIZES.at(scale).riskSamples();
    Instance inst = ModelSpec.of(10, 4, 3, 1.0, 1.0, seed).instance();
    Teacher teacher = inst.teacher();
    double[][] w = inst.w0();
    MonteCarloRisk.Estimate est =
        MonteCarloRisk.estimate(teacher, w, n, Seeds.generator(seed, "risk-monte-carlo"));
    double mean = est.mean();
    double se = est.standardError();
    double exact = Risk.ofStudent(teacher, w);
    double z = Math.abs(mean - exact) / se;
    return Measurement.atMost(z, MC_Z, String.format(java.util.Locale.ROOT,
        "seed %d, n = %d: mean %.6f vs 2|M-A|_F^2 = %.6f, standard error %.2g", seed, n, mean, exact, se));
  }
}
