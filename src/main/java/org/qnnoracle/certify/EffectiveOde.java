package org.qnnoracle.certify;

import java.util.List;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.linear.Array2DRowFieldMatrix;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.ode.FieldOrdinaryDifferentialEquation;
import org.qnnoracle.InvalidInputException;

/**
 * The effective (mean) ODE of online SGD at constant eta in overlap form, as spec/reference-format.md defines it for
 * the {@code effective} kind: Q = Theta^T W (r x m), P (m x m, symmetric), G = Q^T Q + P, Lambda = diag(lambda),
 *
 * <pre>
 *   dQ/dt = 4 (Lambda Q - Q G),   dP/dt = -4 (G P + P G) + 4 eta bracket(Q, G),
 *   bracket = [(2d + 10) tr(B^2) G + 8 tr(B) (G^2 - QLQ) + (8d + 32) WB2W + s2 (d + 1) G] / b
 *             + 4 (b - 1) / b WB2W,
 *   QLQ = Q^T Lambda Q, WB2W = G^3 - G QLQ - QLQ G + Q^T Lambda^2 Q,
 *   tr(B^2) = tr G^2 - 2 tr QLQ + sum lambda^2,   tr B = tr G - sum lambda
 * </pre>
 *
 * (proofs-notes/effective-dynamics.md (0.1), (2.1)), from Q0 = Theta^T W0 and P0 = W0^T W0 - Q0^T Q0 formed from the
 * given doubles at the working precision. Risk R = 2 (|Q Q^T - Lambda|_F^2 + 2 tr(Q P Q^T) + tr P^2). P is stored as
 * its upper triangle (so it stays exactly symmetric). This is the definition written out again from the notes, not
 * a port of sgd.EffectiveDynamics, which the certificate is meant to check.
 */
final class EffectiveOde implements FieldOrdinaryDifferentialEquation<Dfp> {
  private final DfpField f;
  private final int r;
  private final int m;
  private final FieldMatrix<Dfp> lam;
  private final Dfp[] lambda;
  private final Dfp[] lambda2;
  private final Dfp sumLambda;
  private final Dfp sumLambda2;
  private final Dfp fourEta;
  private final Dfp cTrB2;
  private final Dfp cTrB;
  private final Dfp cB2;
  private final Dfp cNoise;
  private final Dfp[] y0;

  EffectiveOde(DfpField f, Inputs in, double eta, int batch, double s2) {
    InvalidInputException.require(Double.isFinite(eta) && eta >= 0.0, "eta must be finite and >= 0");
    InvalidInputException.require(batch >= 1, "batch must be >= 1");
    InvalidInputException.require(Double.isFinite(s2) && s2 >= 0.0, "s2 must be finite and >= 0");
    this.f = f;
    r = in.r();
    m = in.m();
    int d = in.d();
    lambda = Mp.of(f, in.lambda());
    lambda2 = new Dfp[r];
    for (int j = 0; j < r; j++) {
      lambda2[j] = lambda[j].multiply(lambda[j]);
    }
    lam = Mp.diagonal(f, lambda);
    sumLambda = lam.getTrace();
    sumLambda2 = Mp.diagonal(f, lambda2).getTrace();
    fourEta = Mp.of(f, eta).multiply(4);
    Dfp b = f.newDfp(batch);
    // bracket = (2d+10)/b tr(B^2) G + 8/b tr(B) (G^2 - QLQ) + [(8d+32)/b + 4(b-1)/b] WB2W + s2 (d+1)/b G
    cTrB2 = f.newDfp(2L * d + 10).divide(b);
    cTrB = f.newDfp(8).divide(b);
    cB2 = f.newDfp(8L * d + 32).add(f.newDfp(4L * (batch - 1))).divide(b);
    cNoise = Mp.of(f, s2).multiply(d + 1).divide(b);
    // Q0 = Theta^T W0 and P0 = W0^T W0 - Q0^T Q0 exactly (P0 is a cancellation), each rounded once
    java.math.BigDecimal[][] q0 = Mp.transposeTimes(in.theta(), in.w0());
    java.math.BigDecimal[][] p0 = Mp.transposeTimes(in.w0(), in.w0());
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < r; k++) {
          p0[i][j] = p0[i][j].subtract(q0[k][i].multiply(q0[k][j]));
        }
      }
    }
    y0 = flatten(Mp.matrix(f, q0), Mp.matrix(f, p0));
  }

  Dfp[] initialState() {
    return y0.clone();
  }

  /** Sizes of the Q and P blocks in the flat state. */
  int[] blockSizes() {
    return new int[] {r * m, FlowOverlapOde.packed(m)};
  }

  @Override
  public int getDimension() {
    return r * m + FlowOverlapOde.packed(m);
  }

  @Override
  public Dfp[] computeDerivatives(Dfp t, Dfp[] y) {
    FieldMatrix<Dfp> q = rows(y);
    FieldMatrix<Dfp> p = symmetric(y);
    FieldMatrix<Dfp> g = q.transposeMultiply(q).add(p);
    FieldMatrix<Dfp> lq = rowScaled(lambda, q);
    FieldMatrix<Dfp> dq = lq.subtract(q.multiply(g)).scalarMultiply(f.newDfp(4));
    FieldMatrix<Dfp> gp = g.multiply(p);
    FieldMatrix<Dfp> dp = gp.add(gp.transpose()).scalarMultiply(f.newDfp(-4));
    if (!fourEta.isZero()) {
      FieldMatrix<Dfp> qlq = q.transposeMultiply(lq);
      FieldMatrix<Dfp> ql2q = lq.transposeMultiply(lq);
      FieldMatrix<Dfp> g2 = g.multiply(g);
      FieldMatrix<Dfp> gqlq = g.multiply(qlq);
      FieldMatrix<Dfp> wb2w = g2.multiply(g).subtract(gqlq).subtract(gqlq.transpose()).add(ql2q);
      Dfp trB2 = g2.getTrace().subtract(qlq.getTrace().multiply(2)).add(sumLambda2);
      Dfp trB = g.getTrace().subtract(sumLambda);
      FieldMatrix<Dfp> bracket = g.scalarMultiply(cTrB2.multiply(trB2).add(cNoise))
          .add(g2.subtract(qlq).scalarMultiply(cTrB.multiply(trB)))
          .add(wb2w.scalarMultiply(cB2));
      dp = dp.add(bracket.scalarMultiply(fourEta));
    }
    return flatten(dq, dp);
  }

  /** R = 2 (|Q Q^T - Lambda|_F^2 + 2 tr(Q P Q^T) + tr P^2). */
  Dfp risk(Dfp[] y) {
    FieldMatrix<Dfp> q = rows(y);
    FieldMatrix<Dfp> p = symmetric(y);
    Dfp dev = Mp.frobeniusSquared(q.multiplyTransposed(q).subtract(lam));
    Dfp cross = q.multiply(p).multiplyTransposed(q).getTrace();
    return dev.add(cross.multiply(2)).add(p.multiply(p).getTrace()).multiply(2);
  }

  /** diag(scale) x, without forming the diagonal matrix. */
  private FieldMatrix<Dfp> rowScaled(Dfp[] scale, FieldMatrix<Dfp> x) {
    Dfp[][] data = new Dfp[x.getRowDimension()][x.getColumnDimension()];
    for (int i = 0; i < data.length; i++) {
      for (int j = 0; j < data[i].length; j++) {
        data[i][j] = scale[i].multiply(x.getEntry(i, j));
      }
    }
    return new Array2DRowFieldMatrix<>(f, data, false);
  }

  private FieldMatrix<Dfp> rows(Dfp[] y) {
    Dfp[][] data = new Dfp[r][m];
    for (int i = 0; i < r; i++) {
      System.arraycopy(y, i * m, data[i], 0, m);
    }
    return new Array2DRowFieldMatrix<>(f, data, false);
  }

  private FieldMatrix<Dfp> symmetric(Dfp[] y) {
    Dfp[][] data = new Dfp[m][m];
    int k = r * m;
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        data[i][j] = y[k];
        data[j][i] = y[k];
        k++;
      }
    }
    return new Array2DRowFieldMatrix<>(f, data, false);
  }

  /** Q row-major, then the upper triangle of sym(p). */
  private Dfp[] flatten(FieldMatrix<Dfp> q, FieldMatrix<Dfp> p) {
    Dfp[] out = new Dfp[getDimension()];
    int k = 0;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < m; j++) {
        out[k++] = q.getEntry(i, j);
      }
    }
    for (FieldMatrix<Dfp> x : List.of(p)) {
      for (int i = 0; i < m; i++) {
        for (int j = i; j < m; j++) {
          out[k++] = i == j ? x.getEntry(i, i) : x.getEntry(i, j).add(x.getEntry(j, i)).divide(2);
        }
      }
    }
    return out;
  }
}
