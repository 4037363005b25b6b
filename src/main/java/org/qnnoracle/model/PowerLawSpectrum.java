package org.qnnoracle.model;

import static org.qnnoracle.InvalidInputException.require;
import static org.qnnoracle.InvalidInputException.requireFinite;

/** The teacher coefficients lambda_j = j^-alpha / Z, j = 1..r: the one place this formula lives. */
public final class PowerLawSpectrum {
  private PowerLawSpectrum() {}

  public static double[] lambdas(int r, double alpha, Normalisation normalisation) {
    require(r >= 1, "r must be at least 1, got " + r);
    requireFinite(alpha, "alpha");
    require(alpha >= 0.0, "alpha must be >= 0, got " + alpha);
    double[] lambda = new double[r];
    for (int j = 1; j <= r; j++) {
      lambda[j - 1] = Math.pow(j, -alpha);
    }
    double z = switch (normalisation) {
      case L2 -> {
        double s = 0.0;
        for (double l : lambda) {
          s += l * l;
        }
        yield Math.sqrt(s);
      }
      case L1 -> {
        double s = 0.0;
        for (double l : lambda) {
          s += l;
        }
        yield s;
      }
      case NONE -> 1.0;
    };
    for (int j = 0; j < r; j++) {
      lambda[j] /= z;
    }
    return lambda;
  }
}
