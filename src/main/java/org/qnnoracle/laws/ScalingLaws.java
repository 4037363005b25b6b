package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;

/**
 * The power-law predictions of proofs-notes/scaling-laws.md, each written once: the tail sums that set the
 * risk once J directions are learned, the time, width and sample exponents, the number of directions learned
 * by time t with its log factor log(lambda_J / mu0), and the finite-d local slope that log factor implies.
 */
public final class ScalingLaws {
  private ScalingLaws() {}

  /** The spectrum the laws are stated for: lambda_j = j^-alpha / Z, j = 1..r, with sum lambda_j^2 = 1 (l2). */
  public static double[] lambdas(int r, double alpha) {
    return PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
  }

  /** 2 sum_{j &gt; J} lambda_j^2 (J = 0..r): the risk with the top J directions learned, and the width floor at m = J. */
  public static double tailRisk(double[] lambda, int learned) {
    require(learned >= 0, "the learned count must be >= 0, got " + learned);
    double s = 0.0;
    // Smallest terms first, so the sum keeps its relative precision for long tails.
    for (int j = lambda.length - 1; j >= learned; j--) {
      s += lambda[j] * lambda[j];
    }
    return 2.0 * s;
  }

  /** -(2 alpha - 1) / alpha: the exponent of R in t (and in n at fixed c) for alpha &gt; 1/2 and r, m -&gt; infinity. */
  public static double timeExponent(double alpha) {
    require(alpha > 0.5, "the time law needs alpha > 1/2, got " + alpha);
    return -(2.0 * alpha - 1.0) / alpha;
  }

  /** -(2 alpha - 1): the exponent of the width floor 2 sum_{j &gt; m} lambda_j^2 in m (r -&gt; infinity). */
  public static double widthExponent(double alpha) {
    require(alpha > 0.5, "the width law needs alpha > 1/2, got " + alpha);
    return -(2.0 * alpha - 1.0);
  }

  /**
   * The local slope d log R / d log t at finite d: with L = log(lambda_J / mu0) the direction learned at t
   * satisfies 8 lambda_J t = L, so d log lambda_J / d log t = -L / (L - 1) and the slope is
   * timeExponent(alpha) L / (L - 1): steeper than the asymptote, approaching it like 1 / log d.
   */
  public static double localTimeSlope(double alpha, double logFactor) {
    require(logFactor > 1.0, "the log factor must exceed 1, got " + logFactor);
    return timeExponent(alpha) * logFactor / (logFactor - 1.0);
  }

  /**
   * The lambda learned at time t: the root lambda* of 8 lambda t = log(lambda / mu0) on its large branch (every
   * direction with lambda_j &gt;= lambda* has escaped by t). In u = log(lambda / mu0) it reads
   * u - log u = -log(8 t mu0), which has a root u &gt;= 1 while 8 t mu0 &lt;= 1/e; Newton's method from the
   * asymptotic guess.
   */
  public static double learnedLambda(double t, double mu0) {
    require(t > 0.0 && mu0 > 0.0, "the learned lambda needs t > 0 and mu0 > 0");
    double k = 8.0 * t * mu0;
    // u e^{-u} = k has a root u >= 1 iff k <= 1/e; the larger root is the one for large t.
    require(k <= Math.exp(-1.0), "t is past the escape of every direction: 8 t mu0 > 1/e");
    double u = Math.max(1.0, -Math.log(k) + Math.log(Math.max(1.0, -Math.log(k))));
    for (int i = 0; i < 100; i++) {
      double f = u - Math.log(u) + Math.log(k);
      double step = f / (1.0 - 1.0 / u);
      u -= step;
      if (u < 1.0) {
        u = 1.0 + 1e-12;
      }
      if (Math.abs(step) <= 1e-15 * u) {
        break;
      }
    }
    return mu0 * Math.exp(u);
  }

  /**
   * The continuous number of directions learned by time t for lambda_j = j^-alpha / z: J*(t) = (z lambda*)^{-1/alpha},
   * the collapse variable (curves for different d fall on tailRisk(J*) when plotted against it).
   */
  public static double learnedCount(double t, double mu0, double alpha, double z) {
    require(alpha > 0.0, "the learned count needs alpha > 0");
    return Math.pow(z * learnedLambda(t, mu0), -1.0 / alpha);
  }

  /**
   * The fewest learned directions J whose tail 2 sum_{j>J} lambda_j^2 is at most {@code risk} (r when none is): the
   * number of directions a risk corresponds to in the additive picture.
   */
  public static int directionsForRisk(double[] lambda, double risk) {
    int j = 0;
    while (j < lambda.length && tailRisk(lambda, j) > risk) {
      j++;
    }
    return j;
  }

  /** The normalising constant Z of lambda_j = j^-alpha / Z, recovered from lambda_1 = 1 / Z. */
  public static double normaliser(double[] lambda) {
    return 1.0 / lambda[0];
  }

  /** Samples used by online SGD to reach time t with eta = c / d and batch b: n = t d b / c. */
  public static double samplesForTime(double t, double c, long d, int batch) {
    require(c > 0.0, "c must be > 0, got " + c);
    return t * d * batch / c;
  }

  /** The SGD time reached after n samples with eta = c / d and batch b: t = n c / (d b). */
  public static double timeForSamples(double n, double c, long d, int batch) {
    require(c > 0.0, "c must be > 0, got " + c);
    return n * c / ((double) d * batch);
  }

  /**
   * Euler-Maclaurin for the unnormalised tail sum_{m &lt; j &lt;= r} j^{-2 alpha}: the integral from m to r plus
   * the end corrections -(m^{-2 alpha} - r^{-2 alpha}) / 2 and the first Bernoulli term; an independent route to
   * the tail sums whose remainder is about the next term, a (a + 1) (a + 2) / 720 m^{-a-3} (a = 2 alpha).
   */
  public static double eulerMaclaurinTail(int m, int r, double alpha) {
    double a = 2.0 * alpha;
    double integral = (Math.pow(m, 1.0 - a) - Math.pow(r, 1.0 - a)) / (a - 1.0);
    double ends = -0.5 * (Math.pow(m, -a) - Math.pow(r, -a));
    // B2 / 2! (f'(r) - f'(m)) with f'(x) = -a x^{-a-1}.
    double bernoulli = a / 12.0 * (Math.pow(m, -a - 1.0) - Math.pow(r, -a - 1.0));
    return integral + ends + bernoulli;
  }
}
