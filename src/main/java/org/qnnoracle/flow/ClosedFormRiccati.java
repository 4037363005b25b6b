package org.qnnoracle.flow;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Teacher;

/**
 * The closed form evaluated the naive way, in one shot: M(tau) = E K^{-1} E^T with E = e^{A tau} W0 and
 * K = I_m + 2 W0^T G(tau) W0, K^{-1} E^T by LU. Exact in exact arithmetic and accurate while
 * e^{2 lambda_max tau} is moderate; it loses all accuracy (K numerically singular, then overflow) at long
 * times, which the tests document. Kept as an independent algebraic route for the semigroup law and the
 * reference cases; {@link ExactPropagator} is the stable evaluation.
 */
public final class ClosedFormRiccati {
  private ClosedFormRiccati() {}

  /** M(t) for a starting point given by any factor W0 (d x k) of M0 = W0 W0^T. */
  public static double[][] matrixAt(Teacher teacher, double[][] w0, double t) {
    double tau = FlowTime.tau(t);
    double[] lambda = teacher.lambda();
    int r = lambda.length;
    double[][] q = teacher.overlaps(w0);
    double[] gMinusTau = new double[r];
    double[] expm1 = new double[r];
    for (int j = 0; j < r; j++) {
      gMinusTau[j] = RiccatiKernels.g(lambda[j], tau) - tau;
      expm1[j] = Math.expm1(lambda[j] * tau);
    }
    double[][] k = Dense.addScaled(
        Dense.scale(2.0 * tau, Linalg.multTransA(w0, w0)), 2.0, Linalg.multTransA(q, Dense.scaleRows(gMinusTau, q)));
    for (int i = 0; i < k.length; i++) {
      k[i][i] += 1.0;
    }
    double[][] e = Dense.addScaled(w0, 1.0, Linalg.mult(teacher.theta(), Dense.scaleRows(expm1, q)));
    double[][] kInvEt = new LUDecomposition(new Array2DRowRealMatrix(k, false))
        .getSolver()
        .solve(new Array2DRowRealMatrix(Dense.transpose(e), false))
        .getData();
    return Dense.symmetricPart(Linalg.mult(e, kInvEt));
  }
}
