package org.qnnoracle.certify;

import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.linear.Array2DRowFieldMatrix;
import org.hipparchus.linear.FieldLUDecomposition;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.ode.FieldOrdinaryDifferentialEquation;
import org.qnnoracle.InvalidInputException;

/**
 * Route (b) of the flow certificate: the flow dW/dt = -4 (W W^T - A) W integrated by a Hipparchus field integrator,
 * in coordinates where every reported quantity is a sum of non-negative terms of state variables, so that a relative
 * tolerance on the state is a relative accuracy of the quantities even where they fall to 1e-434.
 *
 * <p>Coordinates. Theta's columns are doubles, not exactly orthonormal, so with S = Theta^T Theta (r x r) write
 * W = Theta Qt + W_perp with Qt = S^{-1} Theta^T W (r x m) and Theta^T W_perp = 0. Then A W = Theta Lambda S Qt and,
 * with P = W_perp^T W_perp and G = W^T W = Qt^T S Qt + P, the flow is exactly
 *
 * <pre>
 *   dQt/dt = 4 (Lambda S Qt - Qt G),   dP/dt = -4 (G P + P G).
 * </pre>
 *
 * The deviation E = Qt Qt^T - Lambda (r x r), which tends to 0 when m &gt;= r, is integrated as a state of its own
 * (computing it from Qt would cancel): from the two lines above,
 *
 * <pre>
 *   dE/dt = -4 (Lambda S E + E S Lambda) - 8 E S E - 8 Qt P Qt^T.
 * </pre>
 *
 * The quantities: M - A = Theta E Theta^T + Theta Qt W_perp^T + W_perp Qt^T Theta^T + W_perp W_perp^T, whose
 * blocks are Frobenius-orthogonal, so
 *
 * <pre>
 *   risk = 2 (tr(S E S E) + 2 tr(Qt^T S Qt P) + tr P^2),   theta_j^T M theta_j = |row j of S Qt|^2,
 *   tr M = tr(Qt^T S Qt) + tr P.
 * </pre>
 *
 * At S = I these are spec/model.md's overlap coordinates (Q, P). No eigen-decomposition, exponential or one-shot
 * solve is shared with route (a) ({@link FlowClosedForm}).
 */
final class FlowOverlapOde implements FieldOrdinaryDifferentialEquation<Dfp> {
  private final DfpField f;
  private final int r;
  private final int m;
  private final FieldMatrix<Dfp> s;
  private final FieldMatrix<Dfp> lambdaS;
  private final Dfp[] y0;

  FlowOverlapOde(DfpField f, Inputs in) {
    this.f = f;
    r = in.r();
    m = in.m();
    FieldMatrix<Dfp> theta = Mp.matrix(f, in.theta());
    FieldMatrix<Dfp> w0 = Mp.matrix(f, in.w0());
    FieldMatrix<Dfp> lam = Mp.diagonal(f, Mp.of(f, in.lambda()));
    s = theta.transposeMultiply(theta);
    lambdaS = lam.multiply(s);
    FieldLUDecomposition<Dfp> lu = new FieldLUDecomposition<>(s);
    InvalidInputException.require(lu.getSolver().isNonSingular(), "theta's columns are linearly dependent");
    FieldMatrix<Dfp> q0 = lu.getSolver().solve(theta.transposeMultiply(w0));
    FieldMatrix<Dfp> wPerp = w0.subtract(theta.multiply(q0));
    FieldMatrix<Dfp> p0 = wPerp.transposeMultiply(wPerp);
    FieldMatrix<Dfp> e0 = q0.multiplyTransposed(q0).subtract(lam);
    y0 = flatten(q0, e0, p0);
  }

  Dfp[] initialState() {
    return y0.clone();
  }

  @Override
  public int getDimension() {
    return r * m + r * r + m * m;
  }

  @Override
  public Dfp[] computeDerivatives(Dfp t, Dfp[] y) {
    FieldMatrix<Dfp> q = block(y, 0, r, m);
    FieldMatrix<Dfp> e = block(y, r * m, r, r);
    FieldMatrix<Dfp> p = block(y, r * m + r * r, m, m);
    FieldMatrix<Dfp> sq = s.multiply(q);
    FieldMatrix<Dfp> g = q.transposeMultiply(sq).add(p);
    FieldMatrix<Dfp> dq = lambdaS.multiply(q).subtract(q.multiply(g)).scalarMultiply(f.newDfp(4));
    FieldMatrix<Dfp> lse = lambdaS.multiply(e);
    FieldMatrix<Dfp> de = lse.add(lse.transpose()).scalarMultiply(f.newDfp(-4))
        .subtract(e.multiply(s).multiply(e).add(q.multiply(p).multiplyTransposed(q)).scalarMultiply(f.newDfp(8)));
    FieldMatrix<Dfp> gp = g.multiply(p);
    FieldMatrix<Dfp> dp = gp.add(gp.transpose()).scalarMultiply(f.newDfp(-4));
    return flatten(dq, de, dp);
  }

  /** {risk, overlap_1..overlap_r, tr M} of a state. */
  Dfp[] quantities(Dfp[] y) {
    FieldMatrix<Dfp> q = block(y, 0, r, m);
    FieldMatrix<Dfp> e = block(y, r * m, r, r);
    FieldMatrix<Dfp> p = block(y, r * m + r * r, m, m);
    FieldMatrix<Dfp> sq = s.multiply(q);
    FieldMatrix<Dfp> se = s.multiply(e);
    FieldMatrix<Dfp> qsq = q.transposeMultiply(sq);
    Dfp risk = se.multiply(se).getTrace().add(qsq.multiply(p).getTrace().multiply(2))
        .add(p.multiply(p).getTrace()).multiply(2);
    Dfp[] out = new Dfp[r + 2];
    out[0] = risk;
    for (int j = 0; j < r; j++) {
      Dfp o = f.getZero();
      for (int k = 0; k < m; k++) {
        o = o.add(sq.getEntry(j, k).multiply(sq.getEntry(j, k)));
      }
      out[1 + j] = o;
    }
    out[r + 1] = qsq.getTrace().add(p.getTrace());
    return out;
  }

  private FieldMatrix<Dfp> block(Dfp[] y, int offset, int rows, int cols) {
    Dfp[][] data = new Dfp[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(y, offset + i * cols, data[i], 0, cols);
    }
    return new Array2DRowFieldMatrix<>(f, data, false);
  }

  private Dfp[] flatten(FieldMatrix<Dfp> a, FieldMatrix<Dfp> b, FieldMatrix<Dfp> c) {
    Dfp[] out = new Dfp[getDimension()];
    int k = 0;
    for (FieldMatrix<Dfp> x : java.util.List.of(a, b, c)) {
      for (int i = 0; i < x.getRowDimension(); i++) {
        for (int j = 0; j < x.getColumnDimension(); j++) {
          out[k++] = x.getEntry(i, j);
        }
      }
    }
    return out;
  }
}
