package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.flow.FlowState;

/**
 * When direction j of the teacher is learned by the population flow from a small start: the time its
 * overlap theta_j^T M theta_j = |row j of Q|^2 reaches lambda_j / 2 (proofs-notes/scaling-laws.md, section 2).
 *
 * <p>In the linear phase dQ/dt = 4 (Lambda Q - Q G) with G small, so row j grows like e^{4 lambda_j t} and its
 * squared norm like e^{8 lambda_j t}. Three forms, each the one place its formula lives:
 * <ul>
 *   <li>{@link #leading}: log(lambda_j / mu_j) / (8 lambda_j), mu_j the squared row norm at t = 0, by default its
 *       mean m sigma0^2 / d;
 *   <li>{@link #logistic}: log(lambda_j / mu_j - 1) / (8 lambda_j), exact when the start is aligned with the
 *       teacher basis (the direction then follows the scalar logistic equation dmu/dt = 8 mu (lambda - mu));
 *   <li>{@link #corrected}: the next order for a random start. Two effects: the part P of the Gram matrix
 *       outside span(Theta), isotropic p(t) = p0 / (1 + 8 p0 t) in the linear phase, slows every row by the
 *       factor 1 / (1 + 8 p0 t); and once directions 1..j-1 are learned they hold the student directions
 *       u_i of their rows, along which row j then decays, so only the part of q_j(0) orthogonal to
 *       q_1(0), ..., q_{j-1}(0) grows ({@link #availableOverlaps}; mean (m - j + 1) sigma0^2 / d). The time
 *       solves 8 lambda t - log(1 + 8 p0 t) = log(lambda / mu - 1).
 * </ul>
 */
public final class EscapeTimes {
  private EscapeTimes() {}

  /** The mean of the diagonal of P0: the isotropic p0 of {@link #corrected}. */
  public static double meanPerpendicular(FlowState.Overlaps s) {
    double p0 = 0.0;
    for (int i = 0; i < s.p().length; i++) {
      p0 += s.p()[i][i];
    }
    return p0 / s.p().length;
  }

  /** The mean squared norm of a row of Q0 at the model's start: m sigma0^2 / d. */
  public static double meanInitialOverlap(int m, double sigma0, double d) {
    return m * sigma0 * sigma0 / d;
  }

  /** log(lambda / mu0) / (8 lambda): the linear-phase growth e^{8 lambda t} meeting lambda. */
  public static double leading(double lambda, double mu0) {
    require(lambda > 0.0 && mu0 > 0.0, "escape times need lambda > 0 and mu0 > 0");
    return Math.log(lambda / mu0) / (8.0 * lambda);
  }

  /**
   * log(lambda / mu0 - 1) / (8 lambda): exact half-way time of mu(t) = lambda / (1 + (lambda / mu0 - 1)
   * e^{-8 lambda t}), for 0 &lt; mu0 &lt; lambda (negative when mu0 &gt; lambda / 2: already past half-way).
   */
  public static double logistic(double lambda, double mu0) {
    require(lambda > 0.0 && mu0 > 0.0 && mu0 < lambda, "the logistic escape time needs 0 < mu0 < lambda");
    return Math.log(lambda / mu0 - 1.0) / (8.0 * lambda);
  }

  /**
   * The root t of 8 lambda t - log(1 + 8 p0 t) = log(lambda / mu - 1), by Newton's method from the
   * logistic time (the left side is convex and increasing for lambda &gt; p0, so Newton from above converges
   * monotonically). Infinite when lambda &lt;= p0 or mu = 0: the direction never escapes in the linear phase.
   */
  public static double corrected(double lambda, double mu, double p0) {
    require(lambda > 0.0 && mu >= 0.0 && p0 >= 0.0, "escape times need lambda > 0, mu >= 0, p0 >= 0");
    if (mu == 0.0 || lambda <= p0) {
      return Double.POSITIVE_INFINITY;
    }
    double a = lambda / mu - 1.0;
    if (a <= 1.0) {
      return a > 0.0 ? Math.log(a) / (8.0 * lambda) : Double.NEGATIVE_INFINITY;
    }
    double target = Math.log(a);
    // Start above the root: at t = target / (8 (lambda - p0)) the left side already exceeds target.
    double t = target / (8.0 * (lambda - p0));
    for (int i = 0; i < 100; i++) {
      double f = 8.0 * lambda * t - Math.log1p(8.0 * p0 * t) - target;
      double df = 8.0 * lambda - 8.0 * p0 / (1.0 + 8.0 * p0 * t);
      double step = f / df;
      t -= step;
      if (Math.abs(step) <= 1e-15 * Math.max(1.0, t)) {
        break;
      }
    }
    return t;
  }

  /**
   * For each direction j (in the order of the rows, which is the order of escape for decreasing lambda),
   * the squared norm of the part of q_j(0) orthogonal to q_1(0), ..., q_{j-1}(0): the overlap left to grow
   * once the earlier directions hold theirs. Rows past the student's rank get 0 (they never escape).
   * Modified Gram-Schmidt, in the Euclidean geometry of R^m.
   */
  public static double[] availableOverlaps(double[][] q0) {
    int r = q0.length;
    int m = q0[0].length;
    double[][] basis = new double[Math.min(r, m)][];
    int k = 0;
    double[] out = new double[r];
    for (int j = 0; j < r; j++) {
      double[] v = q0[j].clone();
      for (int i = 0; i < k; i++) {
        double dot = 0.0;
        for (int a = 0; a < m; a++) {
          dot += basis[i][a] * v[a];
        }
        for (int a = 0; a < m; a++) {
          v[a] -= dot * basis[i][a];
        }
      }
      double n2 = 0.0;
      for (double x : v) {
        n2 += x * x;
      }
      out[j] = k < m ? n2 : 0.0;
      if (k < m && n2 > 0.0) {
        double n = Math.sqrt(n2);
        for (int a = 0; a < m; a++) {
          v[a] /= n;
        }
        basis[k++] = v;
      }
    }
    return out;
  }

  /** The mean of {@link #availableOverlaps} at the model's start: max(m - j + 1, 0) sigma0^2 / d, j = 1..r. */
  public static double[] meanAvailableOverlaps(int r, int m, double sigma0, double d) {
    double[] out = new double[r];
    for (int j = 1; j <= r; j++) {
      out[j - 1] = Math.max(m - j + 1, 0) * sigma0 * sigma0 / d;
    }
    return out;
  }
}
