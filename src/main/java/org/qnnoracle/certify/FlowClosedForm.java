package org.qnnoracle.certify;

import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.linear.Array2DRowFieldMatrix;
import org.hipparchus.linear.FieldLUDecomposition;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.linear.FieldQRDecomposition;
import org.qnnoracle.InvalidInputException;

/**
 * Route (a) of the flow certificate: the exact solution of dW/dt = -4 (W W^T - A) W, evaluated in one shot at a given
 * precision. With X(t) = e^{4tA} W0, K(t) = int_0^t 8 e^{8sA} ds and N(t) = I_m + W0^T K(t) W0,
 *
 * <pre>
 *   M(t) = X N^{-1} X^T,
 * </pre>
 *
 * since dX/dt = 4 A X and dN/dt = 8 X^T X give dM/dt = 4 (A M + M A) - 8 M^2 = -4 ((M - A) M + M (M - A)), the flow
 * of M = W W^T, and M(0) = W0 W0^T.
 *
 * <p>The functions of A = Theta Lambda Theta^T come from an orthonormal eigenbasis of A computed at the working
 * precision, not from Theta (whose columns are doubles, orthonormal only to 1e-16): Theta = Q R (Householder,
 * {@link FieldQRDecomposition}), so A = Q_r (R Lambda R^T) Q_r^T with the symmetric r x r H = R Lambda R^T, and
 * H = U diag(mu) U^T by cyclic Jacobi (Hipparchus has no eigen-decomposition over a field; for r x r with r small
 * Jacobi is a few lines and converges quadratically). With V = Q_r U (d x r, orthonormal), a = V^T W0 and
 * W_perp = W0 - V a:
 *
 * <pre>
 *   X = W_perp + V diag(e^{4 t mu}) a,    N = I + 8t W_perp^T W_perp + a^T diag(8t phi1(8 t mu)) a,
 * </pre>
 *
 * phi1(z) = (e^z - 1) / z. The quantities are then formed in d-space against A = sum_j lambda_j theta_j theta_j^T
 * built directly from the doubles: risk 2 |M - A|_F^2, overlaps theta_j^T M theta_j, tr M.
 *
 * <p>Exact, but not well conditioned in one shot: N holds terms of sizes e^{8 t mu_i} side by side (an m x m matrix
 * whose small components sit 8 t (mu_1 - mu_i) / ln 10 digits below its large ones), and the risk at late times is
 * a cancellation M - A. The precision is therefore chosen by the caller and checked by comparing two precisions.
 */
final class FlowClosedForm {
  private final DfpField f;
  private final Inputs in;
  private final FieldMatrix<Dfp> theta;
  private final FieldMatrix<Dfp> a;
  private final FieldMatrix<Dfp> v;
  private final Dfp[] mu;
  private final FieldMatrix<Dfp> wPerp;
  private final FieldMatrix<Dfp> pPerp;
  private final FieldMatrix<Dfp> teacher;
  /** Jacobi sweeps used. */
  final int sweeps;

  /** The time-independent part at the field's precision. */
  FlowClosedForm(DfpField f, Inputs in) {
    this.f = f;
    this.in = in;
    int d = in.d();
    int r = in.r();
    theta = Mp.matrix(f, in.theta());
    FieldMatrix<Dfp> w0 = Mp.matrix(f, in.w0());
    Dfp[] lambda = Mp.of(f, in.lambda());
    FieldMatrix<Dfp> lam = Mp.diagonal(f, lambda);
    teacher = Mp.teacher(f, in.theta(), in.lambda());
    FieldQRDecomposition<Dfp> qr = new FieldQRDecomposition<>(theta);
    FieldMatrix<Dfp> qFull = qr.getQ();
    FieldMatrix<Dfp> rr = qr.getR().getSubMatrix(0, r - 1, 0, r - 1);
    // |R_jj| at round-off of |theta|_F: the columns are dependent (numerically, at this precision)
    Dfp floor = Mp.frobeniusSquared(theta).sqrt().multiply(f.newDfp("1e-" + (Mp.digits(f) - 8)));
    for (int j = 0; j < r; j++) {
      InvalidInputException.require(rr.getEntry(j, j).abs().greaterThan(floor),
          "theta's columns are linearly dependent");
    }
    FieldMatrix<Dfp> qr1 = qFull.getSubMatrix(0, d - 1, 0, r - 1);
    FieldMatrix<Dfp> h = rr.multiply(lam).multiplyTransposed(rr);
    Jacobi eig = new Jacobi(h);
    sweeps = eig.sweeps;
    mu = eig.values;
    v = qr1.multiply(eig.vectors);
    a = v.transposeMultiply(w0);
    wPerp = w0.subtract(v.multiply(a));
    pPerp = wPerp.transposeMultiply(wPerp);
  }

  /** risk, overlaps (r) and tr M at time t: one array {risk, overlap_1..overlap_r, trM}. */
  Dfp[] at(double time) {
    int r = in.r();
    int m = in.m();
    Dfp t = Mp.of(f, time);
    Dfp four = t.multiply(4);
    Dfp eight = t.multiply(8);
    Dfp[] grow = new Dfp[r];
    Dfp[] kern = new Dfp[r];
    for (int i = 0; i < r; i++) {
      grow[i] = Mp.exp(four.multiply(mu[i]));
      kern[i] = eight.multiply(Mp.phi1(eight.multiply(mu[i])));
    }
    FieldMatrix<Dfp> x = wPerp.add(v.multiply(Mp.diagonal(f, grow).multiply(a)));
    FieldMatrix<Dfp> n = identity(m).add(pPerp.scalarMultiply(eight))
        .add(a.transposeMultiply(Mp.diagonal(f, kern).multiply(a)));
    FieldLUDecomposition<Dfp> lu = new FieldLUDecomposition<>(n);
    FieldMatrix<Dfp> y = lu.getSolver().solve(x.transpose());
    FieldMatrix<Dfp> mMat = x.multiply(y);
    Dfp[] out = new Dfp[r + 2];
    out[0] = Mp.frobeniusSquared(mMat.subtract(teacher)).multiply(2);
    for (int j = 0; j < r; j++) {
      FieldMatrix<Dfp> col = theta.getColumnMatrix(j);
      out[1 + j] = col.transposeMultiply(mMat.multiply(col)).getEntry(0, 0);
    }
    out[r + 1] = mMat.getTrace();
    return out;
  }

  private FieldMatrix<Dfp> identity(int n) {
    FieldMatrix<Dfp> out = new Array2DRowFieldMatrix<>(f, n, n);
    for (int i = 0; i < n; i++) {
      out.setEntry(i, i, f.getOne());
    }
    return out;
  }

  /**
   * Cyclic Jacobi on a symmetric matrix: rotations until every off-diagonal entry is below 10^-(D-6) of the
   * Frobenius norm (it moves the eigenvalues by its square, the functions of A by itself). Columns of {@code vectors} are the eigenvectors.
   */
  static final class Jacobi {
    final Dfp[] values;
    final FieldMatrix<Dfp> vectors;
    final int sweeps;

    Jacobi(FieldMatrix<Dfp> sym) {
      DfpField f = (DfpField) sym.getField();
      int n = sym.getRowDimension();
      Dfp[][] x = sym.getData();
      Dfp[][] u = new Dfp[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          u[i][j] = i == j ? f.getOne() : f.getZero();
        }
      }
      Dfp norm = f.getZero();
      for (Dfp[] row : x) {
        for (Dfp e : row) {
          norm = norm.add(e.multiply(e));
        }
      }
      // 10^6 units of round-off: a rotation leaves its off-diagonal pair at round-off, which must end the sweeps
      Dfp tol = norm.sqrt().multiply(f.newDfp("1e-" + (Mp.digits(f) - 6)));
      int sweep = 0;
      for (; sweep < 100; sweep++) {
        boolean rotated = false;
        for (int p = 0; p < n; p++) {
          for (int q = p + 1; q < n; q++) {
            if (x[p][q].abs().lessThan(tol) || x[p][q].isZero()) {
              continue;
            }
            rotated = true;
            // t = tan of the rotation angle, the smaller root of t^2 + 2 theta t - 1 = 0
            Dfp th = x[q][q].subtract(x[p][p]).divide(x[p][q].multiply(2));
            Dfp t = f.getOne().divide(th.abs().add(th.multiply(th).add(f.getOne()).sqrt()));
            if (th.negativeOrNull() && !th.isZero()) {
              t = t.negate();
            }
            Dfp c = f.getOne().divide(t.multiply(t).add(f.getOne()).sqrt());
            Dfp s = t.multiply(c);
            for (int k = 0; k < n; k++) {
              Dfp xkp = x[k][p];
              Dfp xkq = x[k][q];
              x[k][p] = c.multiply(xkp).subtract(s.multiply(xkq));
              x[k][q] = s.multiply(xkp).add(c.multiply(xkq));
            }
            for (int k = 0; k < n; k++) {
              Dfp xpk = x[p][k];
              Dfp xqk = x[q][k];
              x[p][k] = c.multiply(xpk).subtract(s.multiply(xqk));
              x[q][k] = s.multiply(xpk).add(c.multiply(xqk));
            }
            x[p][q] = f.getZero();
            x[q][p] = f.getZero();
            for (int k = 0; k < n; k++) {
              Dfp ukp = u[k][p];
              Dfp ukq = u[k][q];
              u[k][p] = c.multiply(ukp).subtract(s.multiply(ukq));
              u[k][q] = s.multiply(ukp).add(c.multiply(ukq));
            }
          }
        }
        if (!rotated) {
          break;
        }
      }
      InvalidInputException.require(sweep < 100, "Jacobi eigen-decomposition did not converge");
      values = new Dfp[n];
      for (int i = 0; i < n; i++) {
        values[i] = x[i][i];
      }
      vectors = new Array2DRowFieldMatrix<>(f, u, false);
      sweeps = sweep;
    }
  }
}
