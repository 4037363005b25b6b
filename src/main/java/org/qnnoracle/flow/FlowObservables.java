package org.qnnoracle.flow;

import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Teacher;

/**
 * Quantities of M = W W^T that do not depend on the student's rotation gauge W -> W U, so every route
 * (d-space W or M, overlap coordinates, any integrator) can be compared through them:
 * Theta^T M Theta = Q Q^T, Theta^T M^2 Theta = Q G Q^T, tr M = tr G, tr M^2 = tr G^2, and the risk.
 */
public record FlowObservables(
    double t, double risk, double[][] thetaMTheta, double[][] thetaM2Theta, double traceM, double traceM2) {

  /** theta_j^T M theta_j for each teacher direction j. */
  public double[] directionOverlaps() {
    double[] o = new double[thetaMTheta.length];
    for (int j = 0; j < o.length; j++) {
      o[j] = thetaMTheta[j][j];
    }
    return o;
  }

  public static FlowObservables fromOverlaps(double t, double[] lambda, double[][] q, double[][] p) {
    double[][] g = Dense.addScaled(p, 1.0, Linalg.multTransA(q, q));
    return new FlowObservables(
        t,
        Risk.fromOverlaps(q, p, lambda),
        Linalg.multTransB(q, q),
        Linalg.multTransB(Linalg.mult(q, g), q),
        Dense.trace(g),
        Dense.frobeniusInner(g, g));
  }

  public static FlowObservables fromStudent(double t, Teacher teacher, double[][] w) {
    Teacher.Projection qp = teacher.project(w);
    return fromOverlaps(t, teacher.lambda(), qp.q(), qp.p());
  }

  public static FlowObservables fromMatrix(double t, Teacher teacher, double[][] m) {
    double[][] mTheta = Linalg.mult(m, teacher.theta());
    return new FlowObservables(
        t,
        Risk.fromMatrices(m, teacher.matrixA()),
        Linalg.multTransA(teacher.theta(), mTheta),
        Linalg.multTransA(mTheta, mTheta),
        Dense.trace(m),
        Dense.frobeniusInner(m, m));
  }

  /**
   * The largest difference between two observation sets: Theta^T M Theta, Theta^T M^2 Theta, tr M and tr M^2
   * each in Frobenius norm relative to the larger of the two; the risk as the absolute difference of the
   * normalised risks, |R1 - R2| / (2 |A|_F^2). The risk is compared absolutely because near convergence it
   * is a small difference of O(|A|) quantities: every route resolves it only to an absolute level set by
   * its tolerance (the (Q, G) form, where P = G - Q^T Q cancels, to about 10 rtol).
   */
  public double distance(FlowObservables o, double teacherNormSquared) {
    double e = relative(Dense.frobeniusDistance(thetaMTheta, o.thetaMTheta),
        Math.max(Dense.frobeniusNorm(thetaMTheta), Dense.frobeniusNorm(o.thetaMTheta)));
    e = Math.max(e, relative(Dense.frobeniusDistance(thetaM2Theta, o.thetaM2Theta),
        Math.max(Dense.frobeniusNorm(thetaM2Theta), Dense.frobeniusNorm(o.thetaM2Theta))));
    e = Math.max(e, relative(Math.abs(traceM - o.traceM), Math.max(Math.abs(traceM), Math.abs(o.traceM))));
    e = Math.max(e, relative(Math.abs(traceM2 - o.traceM2), Math.max(traceM2, o.traceM2)));
    e = Math.max(e, Math.abs(risk - o.risk) / (2.0 * teacherNormSquared));
    return e;
  }

  private static double relative(double diff, double scale) {
    if (diff == 0.0) {
      return 0.0;
    }
    return scale == 0.0 ? Double.POSITIVE_INFINITY : diff / scale;
  }
}
