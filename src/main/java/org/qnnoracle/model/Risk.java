package org.qnnoracle.model;

import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * The risk R = E[(f - f*)^2] = 2 |M - A|_F^2 (spec/model.md) and its normalised form |M - A|_F^2 / |A|_F^2.
 *
 * <p>In the overlap coordinates Q = Theta^T W, P = W_perp^T W_perp (W_perp = (I - Theta Theta^T) W) the
 * blocks of M - A in the basis (Theta, Theta_perp) give
 * |M - A|_F^2 = |Q Q^T - Lambda|_F^2 + 2 tr(Q P Q^T) + tr(P^2): a sum of non-negative terms, so it keeps
 * its relative precision when the risk is tiny, unlike tr G^2 - 2 tr(Q^T Lambda Q) + sum lambda^2.
 */
public final class Risk {
  private Risk() {}

  /** 2 |M - A|_F^2 from the d x d matrices. */
  public static double fromMatrices(double[][] m, double[][] a) {
    double f = Dense.frobeniusDistance(m, a);
    return 2.0 * f * f;
  }

  /** 2 |M - A|_F^2 from the overlap blocks (see class comment). */
  public static double fromOverlaps(double[][] q, double[][] p, double[] lambda) {
    double[][] qqt = Linalg.multTransB(q, q);
    for (int j = 0; j < lambda.length; j++) {
      qqt[j][j] -= lambda[j];
    }
    double blockTheta = Dense.frobeniusInner(qqt, qqt);
    double cross = Dense.frobeniusInner(Linalg.mult(q, p), q);
    double blockPerp = Dense.frobeniusInner(p, p);
    return 2.0 * (blockTheta + 2.0 * cross + blockPerp);
  }

  /** 2 |W W^T - A|_F^2 for a student W, in O(d m (r + m)) without forming d x d matrices. */
  public static double ofStudent(Teacher teacher, double[][] w) {
    Teacher.Projection qp = teacher.project(w);
    return fromOverlaps(qp.q(), qp.p(), teacher.lambda());
  }

  /** R / (2 |A|_F^2) = |M - A|_F^2 / |A|_F^2. */
  public static double normalised(double risk, Teacher teacher) {
    return risk / (2.0 * teacher.frobeniusNormSquared());
  }

  /** theta_j^T M theta_j = |row j of Q|^2, the per-direction overlaps reported on every risk curve. */
  public static double[] directionOverlaps(double[][] q) {
    double[] o = new double[q.length];
    for (int j = 0; j < q.length; j++) {
      double s = 0.0;
      for (double x : q[j]) {
        s += x * x;
      }
      o[j] = s;
    }
    return o;
  }
}
