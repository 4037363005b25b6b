package org.qnnoracle.gaussian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * The pieces of the Monte Carlo route ({@link GaussianMonteCarlo}) that deliberately do not use the shared
 * implementations they resemble, gathered in one place so that none is "cleaned up" into the shared code by
 * accident.
 *
 * <p><b>Independent by design.</b> The Monte Carlo route is a second route to the Gaussian identities: it is
 * compared with the closed forms of {@link GaussianFormulas} (evaluated in doubles through
 * {@link DoubleMatrices}, i.e. {@code linalg}), and those closed forms are in turn what the SGD checks hold
 * {@code sgd.OnlineSgd} to. A second route must not share the code under test, or a defect there would be
 * reproduced on both sides and cancel. Hence, per draw, everything is written here from the definitions:
 * <ul>
 *   <li>{@link StepSampler}: one online-SGD step, W' = W - (2 eta / b) sum_i e_i (x_i z_i^T - W), written
 *       from the definition, not {@code sgd.OnlineSgd}: the drift closed forms validated here are the
 *       reference OnlineSgd's own drift is checked against, so sampling OnlineSgd would make that check
 *       circular.</li>
 *   <li>{@link TeacherFunction}: the teacher f*(x) inside the step's residual, from the matrix A or from
 *       (Theta, Lambda), not {@code model.Teacher} (the teacher OnlineSgd is built from), for the same
 *       reason; the matrix form (A given only as a matrix) has no counterpart in {@code model} anyway. It is
 *       named so that it does not shadow {@code model.Teacher}.</li>
 *   <li>{@link #dot}, {@link #symmetricTimes}, {@link #transposeTimes}, {@link #centredQuadratic}: the
 *       per-draw vector kernels, not {@code linalg}, whose matrix products evaluate the expected values
 *       (DoubleMatrices); {@code linalg} has no vector dot or matrix-vector product to share in any case.</li>
 * </ul>
 *
 * <p><b>Here, but not for independence.</b> {@link #orthonormalBasis} (Gram-Schmidt for the importance
 * proposal) only shapes the proposal, which cannot bias the weighted estimate; it is kept because
 * {@code model.Orthonormal} has no "basis of the span of given columns" (it orthonormalises a random
 * Gaussian matrix, without dropping dependent columns), and a different algorithm would change the
 * proposal and so every sampled number. {@link #gaussians} and {@link #column} are two-line helpers with
 * no shared equivalent.
 *
 * <p><b>Shared, knowingly.</b> Per-instance constants (traces, |W|_F^2, Theta^T W) use
 * {@code linalg.Dense} and {@code Linalg.multTransA}, computed once per run; a defect there would touch both
 * sides, which is why GaussianMonteCarloEstimationTest checks the double closed forms against the exact
 * rational ones (computed without {@code linalg}).
 */
final class IndependentKernels {
  private IndependentKernels() {}

  /**
   * The teacher f*(x) = x^T A x - tr A, from the matrix A (O(d^2)) or, when A = Theta Lambda Theta^T is
   * given as a network, as sum_j lambda_j (&lt;theta_j, x&gt;^2 - 1) (O(d r)).
   */
  static final class TeacherFunction {
    private final double[][] a;
    private final double traceA;
    private final double[][] theta;
    private final double[] lambda;

    private TeacherFunction(double[][] a, double[][] theta, double[] lambda) {
      this.a = a;
      this.traceA = a == null ? 0.0 : Dense.trace(a);
      this.theta = theta;
      this.lambda = lambda;
    }

    static TeacherFunction ofMatrix(double[][] a) {
      return new TeacherFunction(a, null, null);
    }

    static TeacherFunction ofNetwork(double[][] theta, double[][] lambdaDiagonal) {
      double[] l = new double[lambdaDiagonal.length];
      for (int j = 0; j < l.length; j++) {
        l[j] = lambdaDiagonal[j][j];
      }
      return new TeacherFunction(null, theta, l);
    }

    /** f*(x); {@code scratch} has length d. */
    double value(double[] x, double[] scratch) {
      if (a != null) {
        return centredQuadratic(a, traceA, x, scratch);
      }
      double f = 0.0;
      for (int j = 0; j < lambda.length; j++) {
        double t = 0.0;
        for (int p = 0; p < x.length; p++) {
          t += theta[p][j] * x[p];
        }
        f += lambda[j] * (t * t - 1.0);
      }
      return f;
    }
  }

  /**
   * One online-SGD step on b fresh samples from W, straight from the definition, and the changes it makes:
   * W' = W - (2 eta / b) S with S = sum_i e_i (x_i z_i^T - W), z_i = W^T x_i, and the residual
   * e_i = f(x_i) - f*(x_i) - s g_i with the student f(x) = sum_c (z_c^2 - |w_c|^2) = x^T W W^T x - tr(W W^T).
   * For the M drift the output is W'W'^T - W W^T (upper triangle); for the overlaps Theta^T (W' - W) and
   * W'^T W' - W^T W, times the product of the b importance weights. All step sizes share the same samples
   * (as the integrands share the same variables).
   */
  static final class StepSampler implements GaussianMonteCarlo.Sampler {
    private final double[][] w;
    private final TeacherFunction teacher;
    private final double[][] theta;
    private final double[] etas;
    private final int batch;
    private final double s;
    private final int d;
    private final int cols;
    private final double w2;
    private final double[][] xs;
    private final double[] z;
    private final double[][] sum;
    private final double[][] w1;
    private final double[] scratch;
    private final GaussianMonteCarlo.Proposal proposal;
    private final double[] y;
    private final double[] projectedSum;
    private final double[] thetaX;
    private final double[][] thetaW;
    private final double[] gramAcc;

    StepSampler(double[][] w, TeacherFunction teacher, double[][] theta, double[] etas, int batch, double s,
        GaussianMonteCarlo.Proposal proposal) {
      this.proposal = proposal;
      this.y = new double[proposal.dimension()];
      this.w = w;
      this.teacher = teacher;
      this.theta = theta;
      this.etas = etas;
      this.batch = batch;
      this.s = s;
      this.d = w.length;
      this.cols = Dense.cols(w);
      this.w2 = Dense.frobeniusInner(w, w);
      this.xs = new double[batch][d];
      this.z = new double[cols];
      this.sum = new double[d][cols];
      this.w1 = new double[d][cols];
      this.scratch = new double[d];
      this.projectedSum = theta == null ? null : new double[theta[0].length * cols];
      this.thetaX = theta == null ? null : new double[theta[0].length];
      this.thetaW = theta == null ? null : Linalg.multTransA(theta, w);
      this.gramAcc = new double[cols * (cols + 1) / 2];
    }

    @Override
    public void sample(RandomGenerator rng, double[] out) {
      // variables in the order of Integrands: the b samples x_i, then the b label-noise draws
      double weight = 1.0;
      for (double[] x : xs) {
        weight *= proposal.draw(rng, x, y);
      }
      for (double[] row : sum) {
        Arrays.fill(row, 0.0);
      }
      if (theta != null) {
        Arrays.fill(projectedSum, 0.0);
      }
      for (int i = 0; i < batch; i++) {
        double[] x = xs[i];
        double eps = s * rng.nextGaussian();
        transposeTimes(w, x, z);
        double e = dot(z, z) - w2 - teacher.value(x, scratch) - eps;
        for (int p = 0; p < d; p++) {
          double exp = e * x[p];
          double[] sp = sum[p];
          double[] wp = w[p];
          for (int j = 0; j < cols; j++) {
            sp[j] += exp * z[j] - e * wp[j];
          }
        }
        if (theta != null) {
          // Theta^T S += e (Theta^T x) z^T - e Theta^T W
          transposeTimes(theta, x, thetaX);
          for (int t = 0; t < thetaX.length; t++) {
            double[] tw = thetaW[t];
            for (int j = 0; j < cols; j++) {
              projectedSum[t * cols + j] += e * (thetaX[t] * z[j] - tw[j]);
            }
          }
        }
      }
      int idx = 0;
      for (double eta : etas) {
        double c = 2.0 * eta / batch;
        for (int p = 0; p < d; p++) {
          for (int j = 0; j < cols; j++) {
            w1[p][j] = w[p][j] - c * sum[p][j];
          }
        }
        if (theta == null) {
          for (int i = 0; i < d; i++) {
            double[] w1i = w1[i];
            double[] wi = w[i];
            for (int k = i; k < d; k++) {
              double[] w1k = w1[k];
              double[] wk = w[k];
              double acc = 0.0;
              for (int j = 0; j < cols; j++) {
                acc += w1i[j] * w1k[j] - wi[j] * wk[j];
              }
              out[idx++] = acc;
            }
          }
        } else {
          // Theta^T (W' - W) = -c Theta^T S, Theta^T S accumulated per sample above; W'^T W' - W^T W
          // accumulated row by row of W (independent lanes)
          for (int k = 0; k < projectedSum.length; k++) {
            out[idx++] = -c * projectedSum[k];
          }
          Arrays.fill(gramAcc, 0.0);
          for (int p = 0; p < d; p++) {
            double[] w1p = w1[p];
            double[] wp = w[p];
            int k = 0;
            for (int i = 0; i < cols; i++) {
              for (int j = i; j < cols; j++) {
                gramAcc[k++] += w1p[i] * w1p[j] - wp[i] * wp[j];
              }
            }
          }
          System.arraycopy(gramAcc, 0, out, idx, gramAcc.length);
          idx += gramAcc.length;
        }
      }
      for (int k = 0; k < idx; k++) {
        out[k] *= weight;
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Per-draw kernels

  static void gaussians(RandomGenerator rng, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
  }

  static double dot(double[] a, double[] b) {
    double acc = 0.0;
    for (int i = 0; i < a.length; i++) {
      acc += a[i] * b[i];
    }
    return acc;
  }

  /**
   * x^T S x - tr S for symmetric S: f for S = M, f* for S = A. {@code sx} is scratch of length d (left
   * holding S x). S x is accumulated column by column (independent lanes), not as d dependent dot products,
   * which would serialise d^2 floating-point additions.
   */
  static double centredQuadratic(double[][] sMat, double trace, double[] x, double[] sx) {
    symmetricTimes(sMat, x, sx);
    return dot(x, sx) - trace;
  }

  /** out = S x for symmetric S, as the sum over j of x_j times row j (= column j). */
  static void symmetricTimes(double[][] sMat, double[] x, double[] out) {
    Arrays.fill(out, 0.0);
    for (int j = 0; j < x.length; j++) {
      double xj = x[j];
      double[] sj = sMat[j];
      for (int i = 0; i < out.length; i++) {
        out[i] += sj[i] * xj;
      }
    }
  }

  /** out = W^T x. */
  static void transposeTimes(double[][] w, double[] x, double[] out) {
    Arrays.fill(out, 0.0);
    for (int p = 0; p < x.length; p++) {
      double xp = x[p];
      double[] wp = w[p];
      for (int j = 0; j < out.length; j++) {
        out[j] += wp[j] * xp;
      }
    }
  }

  static double[] column(double[][] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i][0];
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------------
  // Basis of the importance proposal

  /**
   * An orthonormal basis (columns) of the span of the columns of the given d-row matrices, by modified
   * Gram-Schmidt with one re-orthogonalisation; a column whose remainder is below 1e-9 of its norm lies in
   * the span already (the inputs are rationals rounded once, so a true remainder is far above that and
   * round-off far below).
   */
  static double[][] orthonormalBasis(double[][]... mats) {
    int d = mats[0].length;
    List<double[]> basis = new ArrayList<>();
    for (double[][] m : mats) {
      for (int c = 0; c < Dense.cols(m); c++) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
          v[i] = m[i][c];
        }
        double norm0 = Math.sqrt(dot(v, v));
        if (norm0 == 0.0) {
          continue;
        }
        for (int pass = 0; pass < 2; pass++) {
          for (double[] u : basis) {
            double proj = dot(u, v);
            for (int i = 0; i < d; i++) {
              v[i] -= proj * u[i];
            }
          }
        }
        double norm = Math.sqrt(dot(v, v));
        if (norm <= 1e-9 * norm0) {
          continue;
        }
        for (int i = 0; i < d; i++) {
          v[i] /= norm;
        }
        basis.add(v);
      }
    }
    double[][] u = new double[d][basis.size()];
    for (int t = 0; t < basis.size(); t++) {
      for (int i = 0; i < d; i++) {
        u[i][t] = basis.get(t)[i];
      }
    }
    return u;
  }
}
