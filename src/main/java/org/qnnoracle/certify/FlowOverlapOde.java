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
 * <p>For m = r the deviation E = Qt Qt^T - Lambda (r x r), which tends to 0 exponentially and with P carries the whole
 * late risk, is integrated as a state of its own (computing it from Qt would cancel): from the two lines above,
 *
 * <pre>
 *   dE/dt = -4 (Lambda S E + E S Lambda) - 8 E S E - 8 Qt P Qt^T.
 * </pre>
 *
 * E joins the state only once every direction has escaped (|E_jj| &lt;= lambda_j / 2, i.e. overlap_j &gt;= lambda_j / 2): near E = -Lambda (a small
 * start) this equation is unstable at rate 8 lambda_j, exactly as the escape itself, so an absolute error 1e-28 of
 * E ~ lambda at t = 0 grows with q_j^2 by 1 / q_j(0)^2 (measured: 22 digits on the risk of the case with overlaps
 * 1e-7 at t = 0). Before that E is formed from Qt, whose rows carry relative accuracy.
 *
 * For m &gt; r the late risk is tr P^2 ~ 1/t^2 (P keeps an algebraically decaying part in the kernel of Qt), E
 * matters only through E^2, and E's forcing Qt P Qt^T is itself a cancellation (P's large part is orthogonal to Qt's
 * rows), so E is formed from Qt; carried, its normalised direction followed round-off and the step size fell to
 * 4e-4 (measured). For m &lt; r, E is formed from Qt as well: E does not tend to 0 (the unlearned directions keep E_jj -&gt; -lambda_j,
 * so nothing cancels in the risk), and the E equation on its own does not know rank(Qt Qt^T) &lt;= m: its rank-m
 * fixed point is unstable in it (rate 8 lambda_{m+1}), so round-off off the rank-m set grows like e^{8 lambda t}
 * (measured: the risk fell to 7e-30 instead of 0.2439 at lambda_max tau = 200).
 *
 * <p>The quantities: M - A = Theta E Theta^T + Theta Qt W_perp^T + W_perp Qt^T Theta^T + W_perp W_perp^T, whose
 * blocks are Frobenius-orthogonal, so
 *
 * <pre>
 *   risk = 2 (tr(S E S E) + 2 tr(Qt^T S Qt P) + tr P^2),   theta_j^T M theta_j = |row j of S Qt|^2,
 *   tr M = tr(Qt^T S Qt) + tr P.
 * </pre>
 *
 * S and Theta^T W0 are formed exactly from the doubles and rounded once (their small entries are cancellations).
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
  private final FieldMatrix<Dfp> lam;
  /** E is a state (m = r, after the escape) or formed from Qt. */
  private final boolean carryE;

  /**
   * @param carryE whether E is a state (see the class comment: only for m = r, and only once every direction has
   *     escaped, since before that the E equation amplifies its own absolute errors like the escape itself)
   */
  FlowOverlapOde(DfpField f, Inputs in, boolean carryE) {
    this.f = f;
    r = in.r();
    m = in.m();
    FieldMatrix<Dfp> theta = Mp.matrix(f, in.theta());
    FieldMatrix<Dfp> w0 = Mp.matrix(f, in.w0());
    lam = Mp.diagonal(f, Mp.of(f, in.lambda()));
    InvalidInputException.require(!carryE || m == r, "E is carried only for m = r");
    this.carryE = carryE;
    s = Mp.matrix(f, Mp.transposeTimes(in.theta(), in.theta()));
    lambdaS = lam.multiply(s);
    FieldLUDecomposition<Dfp> lu = new FieldLUDecomposition<>(s);
    InvalidInputException.require(lu.getSolver().isNonSingular(), "theta's columns are linearly dependent");
    FieldMatrix<Dfp> q0 = lu.getSolver().solve(Mp.matrix(f, Mp.transposeTimes(in.theta(), in.w0())));
    FieldMatrix<Dfp> wPerp = w0.subtract(theta.multiply(q0));
    FieldMatrix<Dfp> p0 = wPerp.transposeMultiply(wPerp);
    FieldMatrix<Dfp> e0 = q0.multiplyTransposed(q0).subtract(lam);
    y0 = flatten(q0, carryE ? e0 : null, p0);
  }

  Dfp[] initialState() {
    return y0.clone();
  }

  /** Whether E is integrated or formed from Qt. */
  boolean carriesE() {
    return carryE;
  }

  /**
   * The state of this E-carrying form from a state of the form without E (same inputs): E = Qt Qt^T - Lambda,
   * formed once. Not modified.
   */
  Dfp[] withE(Dfp[] withoutE) {
    InvalidInputException.require(carryE, "this form does not carry E");
    FieldMatrix<Dfp> q = rows(withoutE);
    FieldMatrix<Dfp> p = symmetric(withoutE, r * m, m);
    return flatten(q, q.multiplyTransposed(q).subtract(lam), p);
  }

  /** min over j of |E_jj| / lambda_j &lt;= bound, E formed from Qt (the escape of every direction is over). */
  boolean escaped(Dfp[] y, double bound) {
    FieldMatrix<Dfp> q = rows(y);
    FieldMatrix<Dfp> e = carryE ? symmetric(y, r * m, r) : q.multiplyTransposed(q).subtract(lam);
    for (int j = 0; j < r; j++) {
      Dfp l = lam.getEntry(j, j);
      if (!l.greaterThan(f.getZero()) || e.getEntry(j, j).abs().greaterThan(l.multiply(f.newDfp(bound)))) {
        return false;
      }
    }
    return true;
  }

  /** Packed length of a symmetric n x n block (its upper triangle, row by row). */
  static int packed(int n) {
    return n * (n + 1) / 2;
  }

  @Override
  public int getDimension() {
    return r * m + eLength() + packed(m);
  }

  private int eLength() {
    return carryE ? packed(r) : 0;
  }

  /**
   * The blocks a {@link GaugedOde} normalises: each row of Qt (one per direction), E, P. E and P are stored as upper
   * triangles: a full square storage lets round-off create an antisymmetric part of E, which the E equation does not
   * damp (the term Lambda S E + E S Lambda maps antisymmetric E to symmetric) and which overtook the decaying E at
   * E ~ 10^-D (measured: the step size collapsed at t = 35 at 40 digits, at t = 54 at 60 digits).
   */
  int[] blockSizes() {
    int[] sizes = new int[carryE ? r + 2 : r + 1];
    java.util.Arrays.fill(sizes, 0, r, m);
    if (carryE) {
      sizes[r] = packed(r);
    }
    sizes[sizes.length - 1] = packed(m);
    return sizes;
  }

  /**
   * The blocks whose relative accuracy a quantity needs: every row of Qt (an overlap is |row j of S Qt|^2, 1e-33
   * for an unlearned direction), E (carried only for m = r, where it is part of the vanishing risk), P for m &gt;= r
   * (the late risk is linear in P for m = r and tr P^2 for m &gt; r). For m &lt; r the risk tends to the tail sum of
   * lambda_j^2 and P matters only absolutely; normalised anyway, it cost 3 times the steps (measured).
   */
  boolean[] relativeBlocks() {
    boolean[] out = new boolean[blockSizes().length];
    java.util.Arrays.fill(out, true);
    out[out.length - 1] = m >= r;
    return out;
  }

  @Override
  public Dfp[] computeDerivatives(Dfp t, Dfp[] y) {
    return rhs(y);
  }

  /** The right-hand side (the flow is autonomous). */
  Dfp[] rhs(Dfp[] y) {
    FieldMatrix<Dfp> q = rows(y);
    FieldMatrix<Dfp> p = symmetric(y, r * m + eLength(), m);
    FieldMatrix<Dfp> sq = s.multiply(q);
    FieldMatrix<Dfp> g = q.transposeMultiply(sq).add(p);
    FieldMatrix<Dfp> dq = lambdaS.multiply(q).subtract(q.multiply(g)).scalarMultiply(f.newDfp(4));
    FieldMatrix<Dfp> de = null;
    if (carryE) {
      FieldMatrix<Dfp> e = symmetric(y, r * m, r);
      de = lambdaS.multiply(e).scalarMultiply(f.newDfp(-8))
          .subtract(e.multiply(s).multiply(e).add(q.multiply(p).multiplyTransposed(q)).scalarMultiply(f.newDfp(8)));
    }
    FieldMatrix<Dfp> dp = g.multiply(p).scalarMultiply(f.newDfp(-8));
    // the upper triangles of the symmetric parts: -4 (Lambda S E + E S Lambda) = sym(-8 Lambda S E), and so on
    return flatten(dq, de, dp);
  }

  /** {risk, overlap_1..overlap_r, tr M} of a state. */
  Dfp[] quantities(Dfp[] y) {
    FieldMatrix<Dfp> q = rows(y);
    FieldMatrix<Dfp> e = carryE ? symmetric(y, r * m, r) : q.multiplyTransposed(q).subtract(lam);
    FieldMatrix<Dfp> p = symmetric(y, r * m + eLength(), m);
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

  private FieldMatrix<Dfp> rows(Dfp[] y) {
    Dfp[][] data = new Dfp[r][m];
    for (int i = 0; i < r; i++) {
      System.arraycopy(y, i * m, data[i], 0, m);
    }
    return new Array2DRowFieldMatrix<>(f, data, false);
  }

  private FieldMatrix<Dfp> symmetric(Dfp[] y, int offset, int n) {
    Dfp[][] data = new Dfp[n][n];
    int k = offset;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        data[i][j] = y[k];
        data[j][i] = y[k];
        k++;
      }
    }
    return new Array2DRowFieldMatrix<>(f, data, false);
  }

  /**
   * Qt row-major, then the upper triangles of the symmetric parts of b and c: entry (i, j) of sym(x) is
   * (x_ij + x_ji) / 2, so a derivative given as x with sym(x) the true one is stored exactly symmetric.
   */
  private Dfp[] flatten(FieldMatrix<Dfp> a, FieldMatrix<Dfp> b, FieldMatrix<Dfp> c) {
    Dfp[] out = new Dfp[getDimension()];
    int k = 0;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < m; j++) {
        out[k++] = a.getEntry(i, j);
      }
    }
    for (FieldMatrix<Dfp> x : b == null ? java.util.List.of(c) : java.util.List.of(b, c)) {
      int n = x.getRowDimension();
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          out[k++] = i == j ? x.getEntry(i, i) : x.getEntry(i, j).add(x.getEntry(j, i)).divide(2);
        }
      }
    }
    return out;
  }
}
