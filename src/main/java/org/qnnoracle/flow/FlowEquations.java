package org.qnnoracle.flow;

import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Teacher;

/**
 * The right-hand sides of the population gradient flow, in gradient-flow time t, one place each
 * (spec/model.md, "Population gradient flow"). The integrators, the invariant checks and (later) the
 * effective SGD dynamics all take them from here.
 */
public final class FlowEquations {
  private FlowEquations() {}

  /** (M - A) W = W (W^T W) - A W, without forming M or A; grad L = 4 (M - A) W. */
  public static double[][] residualTimesStudent(Teacher teacher, double[][] w) {
    return Dense.subtract(Linalg.mult(w, Linalg.multTransA(w, w)), teacher.applyA(w));
  }

  /** dW/dt = -grad L = -4 (M - A) W. */
  public static double[][] studentRhs(Teacher teacher, double[][] w) {
    return Dense.scale(-4.0, residualTimesStudent(teacher, w));
  }

  /**
   * dM/dt = 4 (A M + M A - 2 M^2), symmetric by construction: A M + M A = A M + (A M)^T for symmetric A
   * and M, and M^2 is symmetrised, so round-off cannot make the state drift off the symmetric matrices.
   */
  public static double[][] riccatiRhs(double[][] a, double[][] m) {
    double[][] am = Linalg.mult(a, m);
    double[][] mm = Linalg.mult(m, m);
    int d = m.length;
    double[][] rhs = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        rhs[i][j] = 4.0 * (am[i][j] + am[j][i] - (mm[i][j] + mm[j][i]));
      }
    }
    return rhs;
  }

  /** dQ/dt = 4 (Lambda Q - Q G) for the overlaps Q = Theta^T W. */
  public static double[][] overlapRhs(double[] lambda, double[][] q, double[][] g) {
    int r = q.length;
    int m = g.length;
    double[] out = new double[r * m];
    overlapRhsInto(lambda, m, Linalg.flat(q), Linalg.flat(g), new double[r * m], out);
    return Dense.unflatten(out, 0, r, m);
  }

  /**
   * {@link #overlapRhs} on flat row-major arrays, allocating nothing: Q is r x m (r = lambda.length), G m x m.
   *
   * @param qg scratch, r x m (holds Q G on exit). Modified.
   * @param out dQ/dt, r x m, in its first r m entries (the rest is not touched). Modified.
   */
  public static void overlapRhsInto(double[] lambda, int m, double[] q, double[] g, double[] qg, double[] out) {
    int r = lambda.length;
    Linalg.gemm(false, false, r, m, m, 1.0, q, g, 0.0, qg);
    for (int i = 0; i < r; i++) {
      double li = lambda[i];
      for (int j = 0; j < m; j++) {
        int ij = i * m + j;
        out[ij] = 4.0 * (li * q[ij] - qg[ij]);
      }
    }
  }

  /** dG/dt = 8 (Q^T Lambda Q - G^2) for the Gram matrix G = W^T W (symmetrised). */
  public static double[][] gramRhs(double[] lambda, double[][] q, double[][] g) {
    return Dense.scale(8.0,
        Dense.symmetricPart(Dense.subtract(Linalg.multTransA(q, Dense.scaleRows(lambda, q)), Linalg.mult(g, g))));
  }
}
