package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;

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
 * <p>The W it returns differs from the gradient-flow W(t) by a right rotation (the Cholesky gauge);
 * W W^T is the same.
 */
public final class ExactPropagator {
  private ExactPropagator() {}

  /** The largest Riccati step allowed from a state with Gram matrix G (see class comment). */
  public static double maxTauStep(double lambdaMax, double[][] gram) {
    double h = Double.POSITIVE_INFINITY;
    if (lambdaMax > 0.0) {
      h = 1.0 / lambdaMax;
    }
    double gInf = maxAbsRowSum(gram);
    if (gInf > 0.0) {
      h = Math.min(h, 1.0 / gInf);
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

  /** One exact step of Riccati length h (any h for which K stays well conditioned). */
  public static double[][] stepTau(Teacher teacher, double[][] w, double h) {
    return stepTau(teacher, w, Linalg.multTransA(w, w), h);
  }

  /** One exact step, given the Gram matrix W^T W the caller already has (it also sets the step size). */
  static double[][] stepTau(Teacher teacher, double[][] w, double[][] gram, double h) {
    double[] lambda = teacher.lambda();
    int r = lambda.length;
    double[][] q = teacher.overlaps(w);
    // K = I + 2 (h W^T W + Q^T diag(g - h) Q): W^T G(h) W split into the isotropic part and span(Theta).
    double[][] k = Dense.scale(2.0 * h, gram);
    double[] gMinusH = new double[r];
    double[] expm1 = new double[r];
    for (int j = 0; j < r; j++) {
      gMinusH[j] = RiccatiKernels.gMinusH(lambda[j], h);
      expm1[j] = RiccatiKernels.expMinusOne(lambda[j], h);
    }
    k = Dense.addScaled(k, 2.0, Linalg.multTransA(q, Dense.scaleRows(gMinusH, q)));
    for (int i = 0; i < k.length; i++) {
      k[i][i] += 1.0;
    }
    double[][] l = Linalg.choleskyLower(k);
    // e^{A h} W = W + Theta diag(e^{lambda h} - 1) Q
    double[][] expW = Dense.addScaled(w, 1.0, Linalg.mult(teacher.theta(), Dense.scaleRows(expm1, q)));
    return Linalg.multInverseLowerTransposed(expW, l);
  }

  /** Advances W by gradient-flow time dt >= 0 through bounded exact sub-steps. */
  public static double[][] advance(Teacher teacher, double[][] w, double dt) {
    double remaining = FlowTime.tau(dt);
    double lambdaMax = teacher.lambdaMax();
    double[][] cur = w;
    while (remaining > 0.0) {
      double[][] gram = Linalg.multTransA(cur, cur);
      double h = Math.min(remaining, maxTauStep(lambdaMax, gram));
      cur = stepTau(teacher, cur, gram, h);
      remaining -= h;
    }
    return cur;
  }

  /** The states at the given gradient-flow times (non-decreasing, from t = 0 at W0). */
  public static List<FlowState> trajectory(Instance instance, double[] times) {
    return trajectory(instance, times, FlowProgress.NONE);
  }

  public static List<FlowState> trajectory(Instance instance, double[] times, FlowProgress progress) {
    FlowTime.checkGrid(times);
    List<FlowState> out = new ArrayList<>(times.length);
    double[][] w = instance.w0();
    double t = 0.0;
    for (double next : times) {
      w = advance(instance.teacher(), w, next - t);
      t = next;
      out.add(new FlowState.Student(t, w));
      progress.reached(out.size(), times.length, t);
    }
    return out;
  }
}
