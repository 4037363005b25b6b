package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.ode.OdeGridSolver;

/**
 * The exact population flow in d-space, evaluated stably (proofs-notes/exact-flow.md).
 *
 * <p>The closed form M(tau) = e^{A tau} W0 K^{-1} W0^T e^{A tau}, K = I + 2 W0^T G(tau) W0, says that
 * W(tau) = e^{A tau} W0 L^{-T} with K = L L^T is a student whose W W^T is the solution. Evaluated in one
 * shot it overflows and K's condition number grows like e^{2 lambda tau}. The semigroup law lets us apply
 * it over sub-steps h instead: W_{k+1} = e^{A h} W_k L_k^{-T}, K_k = I + 2 W_k^T G(h) W_k. Choosing
 * lambda_max h &lt;= 1 and h ||W_k^T W_k||_inf &lt;= 1 bounds |K_k| &lt;= 1 + 2 e^2 and cond(K_k) the same, so
 * every sub-step is a well-conditioned Cholesky solve and nothing overflows; the whole trajectory costs
 * O(lambda_max tau) sub-steps of O(d m (r + m)) each, and no d x d matrix is formed.
 *
 * <p>A sub-step is five BLAS-3 calls on flat row-major arrays allocated once per {@link #advance} or
 * {@link #trajectory} call (W^T W, Q = Theta^T W, Q^T diag(g - h) Q, Theta diag(e^{lambda h} - 1) Q, the
 * triangular solve with L^T) and one Cholesky factorisation of the m x m K: about d m (4 r + 2 m) flops.
 *
 * <p>The W it returns differs from the gradient-flow W(t) by a right rotation (the Cholesky gauge);
 * W W^T is the same.
 */
public final class ExactPropagator {
  private ExactPropagator() {}

  /** The largest Riccati step allowed from a state with Gram matrix G (see class comment). */
  public static double maxTauStep(double lambdaMax, double[][] gram) {
    return maxTauStep(lambdaMax, maxAbsRowSum(gram));
  }

  /** The step rule of {@link #maxTauStep(double, double[][])} given ||G||_inf. */
  static double maxTauStep(double lambdaMax, double gramInfNorm) {
    double h = Double.POSITIVE_INFINITY;
    if (lambdaMax > 0.0) {
      h = 1.0 / lambdaMax;
    }
    if (gramInfNorm > 0.0) {
      h = Math.min(h, 1.0 / gramInfNorm);
    }
    return h;
  }

  static double maxAbsRowSum(double[][] a) {
    double max = 0.0;
    for (double[] row : a) {
      double s = 0.0;
      for (double x : row) {
        s += Math.abs(x);
      }
      max = Math.max(max, s);
    }
    return max;
  }

  /** max_i sum_j |a_ij| of a flat row-major n x n matrix. */
  static double maxAbsRowSum(int n, double[] a) {
    double max = 0.0;
    for (int i = 0; i < n; i++) {
      double s = 0.0;
      for (int j = 0; j < n; j++) {
        s += Math.abs(a[i * n + j]);
      }
      max = Math.max(max, s);
    }
    return max;
  }

  /** One exact step of Riccati length h (any h for which K stays well conditioned). */
  public static double[][] stepTau(Teacher teacher, double[][] w, double h) {
    Stepper s = new Stepper(teacher, w);
    s.gram();
    s.step(h);
    return s.student();
  }

  /** Advances W by gradient-flow time dt >= 0 through bounded exact sub-steps. */
  public static double[][] advance(Teacher teacher, double[][] w, double dt) {
    Stepper s = new Stepper(teacher, w);
    s.advance(FlowTime.tau(dt));
    return s.student();
  }

  /** The states at the given gradient-flow times (non-decreasing, from t = 0 at W0). */
  public static List<FlowState> trajectory(Instance instance, double[] times) {
    return trajectory(instance, times, FlowProgress.NONE);
  }

  public static List<FlowState> trajectory(Instance instance, double[] times, FlowProgress progress) {
    OdeGridSolver.checkGrid(times);
    List<FlowState> out = new ArrayList<>(times.length);
    Stepper s = new Stepper(instance.teacher(), instance.w0());
    double t = 0.0;
    for (double next : times) {
      s.advance(FlowTime.tau(next - t));
      t = next;
      out.add(new FlowState.Student(t, s.student()));
      progress.reached(out.size(), times.length, t);
    }
    return out;
  }

  /**
   * The propagator's state and scratch: W (d x m), Theta (d x r) and the per-step arrays, flat and row-major,
   * allocated once. Each sub-step is the same arithmetic as the closed-form step of the class comment:
   * K = I + 2 (h W^T W + Q^T diag(g - h) Q) = L L^T, W <- (W + Theta diag(e^{lambda h} - 1) Q) L^{-T}.
   */
  private static final class Stepper {
    final double[] lambda;
    final double lambdaMax;
    final int d;
    final int r;
    final int m;
    final double[] theta;
    final double[] w;
    final double[] gram;
    final double[] q;
    final double[] scaled;
    final double[] k;
    final double[] thetaX;
    final double[] gMinusH;
    final double[] expm1;

    Stepper(Teacher teacher, double[][] w0) {
      lambda = teacher.lambda();
      lambdaMax = teacher.lambdaMax();
      d = teacher.d();
      r = lambda.length;
      m = Dense.cols(w0);
      theta = Linalg.flat(teacher.theta());
      w = Linalg.flat(w0);
      gram = new double[m * m];
      q = new double[r * m];
      scaled = new double[r * m];
      k = new double[m * m];
      thetaX = new double[d * m];
      gMinusH = new double[r];
      expm1 = new double[r];
    }

    /** gram = W^T W (exactly symmetric). */
    void gram() {
      Linalg.syrkTransA(m, d, 1.0, w, 0.0, gram);
    }

    void advance(double tau) {
      double remaining = tau;
      while (remaining > 0.0) {
        gram();
        double h = Math.min(remaining, maxTauStep(lambdaMax, maxAbsRowSum(m, gram)));
        step(h);
        remaining -= h;
      }
    }

    /** One sub-step of length h, with {@link #gram} already holding W^T W. */
    void step(double h) {
      for (int j = 0; j < r; j++) {
        gMinusH[j] = RiccatiKernels.gMinusH(lambda[j], h);
        expm1[j] = RiccatiKernels.expMinusOne(lambda[j], h);
      }
      // Q = Theta^T W; K = I + 2 (h W^T W + Q^T diag(g - h) Q): W^T G(h) W split into the isotropic part and
      // span(Theta)
      Linalg.gemm(true, false, r, m, d, 1.0, theta, w, 0.0, q);
      scaleRows(gMinusH, q, scaled);
      Linalg.gemm(true, false, m, m, r, 1.0, q, scaled, 0.0, k);
      for (int i = 0; i < m * m; i++) {
        k[i] = 2.0 * h * gram[i] + 2.0 * k[i];
      }
      for (int i = 0; i < m; i++) {
        k[i * m + i] += 1.0;
      }
      Linalg.choleskyInPlace(m, k);
      // e^{A h} W = W + Theta diag(e^{lambda h} - 1) Q, then W L^{-T}
      scaleRows(expm1, q, scaled);
      Linalg.gemm(false, false, d, m, r, 1.0, theta, scaled, 0.0, thetaX);
      for (int i = 0; i < d * m; i++) {
        w[i] += thetaX[i];
      }
      Linalg.multInverseLowerTransposedInPlace(d, m, w, k);
    }

    private void scaleRows(double[] v, double[] a, double[] out) {
      for (int i = 0; i < r; i++) {
        double vi = v[i];
        for (int j = 0; j < m; j++) {
          out[i * m + j] = vi * a[i * m + j];
        }
      }
    }

    double[][] student() {
      return Dense.unflatten(w, 0, d, m);
    }
  }
}
