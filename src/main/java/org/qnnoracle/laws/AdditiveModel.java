package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

/**
 * R(t) = 2 sum_j lambda_j^2 s_j(t) with s_j(t) = (1 + e^{8 lambda_j (t - t_j)})^{-2}: every direction a
 * logistic sigmoid centred at its escape time t_j, independent of the others; directions with t_j = infinity
 * (past the student's width) keep s_j = 1 (proofs-notes/scaling-laws.md, section 3). Exact for an aligned start
 * with t_j = {@link EscapeTimes#logistic}: then mu_j(t) = lambda_j / (1 + e^{-8 lambda_j (t - t_j)}) and
 * (1 - mu_j / lambda_j)^2 = s_j.
 */
public record AdditiveModel(double[] lambda, double[] escapeTimes) {
  public AdditiveModel {
    require(lambda.length == escapeTimes.length, "one escape time per direction");
    lambda = lambda.clone();
    escapeTimes = escapeTimes.clone();
  }

  /** The model with exact escape times for the aligned start mu0 (width m: directions past m never escape). */
  public static AdditiveModel aligned(double[] lambda, double[] mu0, int m) {
    double[] t = new double[lambda.length];
    for (int j = 0; j < lambda.length; j++) {
      t[j] = j < m ? EscapeTimes.logistic(lambda[j], mu0[j]) : Double.POSITIVE_INFINITY;
    }
    return new AdditiveModel(lambda, t);
  }

  /** The model with {@link EscapeTimes#corrected} times from the available overlaps and isotropic p0. */
  public static AdditiveModel corrected(double[] lambda, double[] available, double p0) {
    double[] t = new double[lambda.length];
    for (int j = 0; j < lambda.length; j++) {
      t[j] = EscapeTimes.corrected(lambda[j], available[j], p0);
    }
    return new AdditiveModel(lambda, t);
  }

  /** The model with {@link EscapeTimes#leading} times from the mean start m sigma0^2 / d (j &lt;= m). */
  public static AdditiveModel leading(double[] lambda, int m, double sigma0, double d) {
    double mu0 = EscapeTimes.meanInitialOverlap(m, sigma0, d);
    double[] t = new double[lambda.length];
    for (int j = 0; j < lambda.length; j++) {
      t[j] = j < m ? EscapeTimes.leading(lambda[j], mu0) : Double.POSITIVE_INFINITY;
    }
    return new AdditiveModel(lambda, t);
  }

  /** The residual fraction s_j(t) of direction j. */
  public double residual(int j, double t) {
    double tj = escapeTimes[j];
    if (tj == Double.POSITIVE_INFINITY) {
      return 1.0;
    }
    double x = 8.0 * lambda[j] * (t - tj);
    if (x > 700.0) {
      return 0.0;
    }
    double s = 1.0 / (1.0 + Math.exp(x));
    return s * s;
  }

  public double risk(double t) {
    double sum = 0.0;
    for (int j = 0; j < lambda.length; j++) {
      sum += lambda[j] * lambda[j] * residual(j, t);
    }
    return 2.0 * sum;
  }

  public double[] risk(double[] times) {
    double[] out = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      out[i] = risk(times[i]);
    }
    return out;
  }
}
