package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.random.RandomGenerator;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Seeds;

/**
 * The overlap coordinates (Q0, P0) of the model's random start W0 ~ N(0, sigma0^2/d) drawn directly, without
 * the d x m matrix, so the reduced routes reach any d (proofs-notes/scaling-laws.md, section 1).
 *
 * <p>For any orthonormal Theta, Theta^T W0 and Theta_perp^T W0 are independent blocks of i.i.d.
 * N(0, sigma0^2/d) entries, of sizes r x m and (d - r) x m. Hence Q0 is an r x m Gaussian matrix and
 * P0 = W_perp^T W_perp is (sigma0^2/d) times a Wishart_m(d - r, I) matrix. When d - r &gt;= m the Wishart
 * factor is drawn by Bartlett's decomposition (P0 = (sigma0^2/d) L L^T, L lower triangular with
 * L_ii^2 ~ chi^2_{d-r-i+1} and standard normal entries below the diagonal); otherwise from its
 * (d - r) x m Gaussian factor. The law is exact; the numbers differ from the d-space instance of the same
 * seed, which draws W0 entry by entry.
 */
public final class ReducedStart {
  private ReducedStart() {}

  /** Q0 (r x m) and P0 (m x m) at t = 0, from the seed's stream "reduced-start". */
  public static FlowState.Overlaps sample(long d, int r, int m, double sigma0, long seed) {
    require(r >= 1 && m >= 1, "r and m must be at least 1, got r = " + r + ", m = " + m);
    require(d >= r, "d must be at least r, got d = " + d + ", r = " + r);
    require(Double.isFinite(sigma0) && sigma0 > 0.0, "sigma0 must be finite and > 0, got " + sigma0);
    RandomGenerator rng = Seeds.generator(seed, "reduced-start");
    double sd = sigma0 / Math.sqrt((double) d);
    double[][] q = Seeds.gaussianMatrix(rng, r, m, sd);
    long k = d - r;
    double[][] p = new double[m][m];
    if (k >= m) {
      double[][] l = new double[m][m];
      for (int i = 0; i < m; i++) {
        l[i][i] = Math.sqrt(chiSquared(rng, k - i));
        for (int j = 0; j < i; j++) {
          l[i][j] = rng.nextGaussian();
        }
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          double s = 0.0;
          for (int a = 0; a <= j; a++) {
            s += l[i][a] * l[j][a];
          }
          p[i][j] = sd * sd * s;
          p[j][i] = p[i][j];
        }
      }
    } else {
      double[][] x = Seeds.gaussianMatrix(rng, (int) k, m, sd);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          double s = 0.0;
          for (double[] row : x) {
            s += row[i] * row[j];
          }
          p[i][j] = s;
          p[j][i] = s;
        }
      }
    }
    return new FlowState.Overlaps(0.0, q, p);
  }

  /** The aligned start W0 = Theta Q0 with Q0 = [diag(sqrt(mu0)) 0]: every direction decouples (P0 = 0). */
  public static FlowState.Overlaps aligned(double[] mu0, int m) {
    int r = mu0.length;
    double[][] q = new double[r][m];
    for (int j = 0; j < Math.min(r, m); j++) {
      require(mu0[j] > 0.0 && Double.isFinite(mu0[j]), "aligned overlaps must be finite and > 0");
      q[j][j] = Math.sqrt(mu0[j]);
    }
    return new FlowState.Overlaps(0.0, q, new double[m][m]);
  }

  /**
   * chi^2 with k degrees of freedom as 2 Gamma(k/2), by Marsaglia and Tsang's squeeze method (k/2 &gt;= 1
   * here since k &gt;= 2 is not guaranteed: k = 1 uses a squared normal).
   */
  static double chiSquared(RandomGenerator rng, long k) {
    require(k >= 1, "chi-squared degrees of freedom must be >= 1, got " + k);
    if (k == 1) {
      double z = rng.nextGaussian();
      return z * z;
    }
    double shape = k / 2.0;
    double dd = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * dd);
    while (true) {
      double z = rng.nextGaussian();
      double v = 1.0 + c * z;
      if (v <= 0.0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1.0 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + dd * (1.0 - v + Math.log(v))) {
        return 2.0 * dd * v;
      }
    }
  }
}
