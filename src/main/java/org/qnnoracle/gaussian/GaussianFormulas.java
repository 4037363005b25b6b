package org.qnnoracle.gaussian;

import java.math.BigInteger;
import org.qnnoracle.linalg.Linalg;

/**
 * The closed forms of the Gaussian expectations behind the population flow and online SGD, each written
 * once, generically, and derived in proofs-notes/gaussian-moments.md. Conventions of spec/model.md:
 * f = x^T M x - tr M, f* = x^T A x - tr A, B = M - A, Q(x) = x x^T - I, loss (f - y)^2 / 2,
 * y = f* + eps, eps ~ N(0, s^2). In the overlap coordinates Q = Theta^T W (r x m), G = W^T W (m x m) and
 * Lambda = diag(lambda) (r x r); "q" below is that overlap matrix, never Q(x).
 *
 * <p>The SGD drift formulas are what the effective dynamics integrates: evaluate them over
 * {@link DoubleMatrices}; the exact checks evaluate them over {@link Rationals#MATRICES}.
 */
public final class GaussianFormulas {
  private GaussianFormulas() {}

  /** E[He_j(z) He_k(z)] = k! delta_jk for z ~ N(0, 1). */
  public static BigInteger hermiteInnerProduct(int j, int k) {
    if (j != k) {
      return BigInteger.ZERO;
    }
    BigInteger f = BigInteger.ONE;
    for (int i = 2; i <= k; i++) {
      f = f.multiply(BigInteger.valueOf(i));
    }
    return f;
  }

  /** E[He2(&lt;u,x&gt;) He2(&lt;v,x&gt;)] = 2 &lt;u,v&gt;^2 + (|u|^2 - 1)(|v|^2 - 1); u, v are d x 1. */
  public static <S, M> S he2PairMoment(MatrixAlgebra<S, M> a, M u, M v) {
    S uv = a.frobeniusInner(u, v);
    S one = a.integer(1);
    S uu = a.minus(a.frobeniusInner(u, u), one);
    S vv = a.minus(a.frobeniusInner(v, v), one);
    return a.plus(a.times(a.integer(2), a.times(uv, uv)), a.times(uu, vv));
  }

  /** E[(f - f*)^2] = 2 |M - A|_F^2 for symmetric M, A. */
  public static <S, M> S riskMoment(MatrixAlgebra<S, M> a, M m, M teacher) {
    M b = a.subtract(m, teacher);
    return a.times(a.integer(2), a.frobeniusInner(b, b));
  }

  /** E[(x^T B x - tr B) Q(x)] = 2 B for symmetric B. */
  public static <S, M> M linearMoment(MatrixAlgebra<S, M> a, M b) {
    return a.scale(a.integer(2), b);
  }

  /** Population gradient E[(f - y) grad_W f] = 4 (M - A) W, with grad_W f = 2 Q(x) W and M = W W^T. */
  public static <S, M> M populationGradient(MatrixAlgebra<S, M> a, M w, M teacher) {
    M b = a.subtract(a.multiply(w, a.transpose(w)), teacher);
    return a.scale(a.integer(4), a.multiply(b, w));
  }

  /**
   * T(B, M) = E[(x^T B x - tr B)^2 Q M Q] = 2 tr(B^2) tr(M) I + 8 tr(B^2 M) I + 2 tr(B^2) M
   * + 8 tr(BM) B + 8 tr(M) B^2 + 16 BMB + 8 (B^2 M + M B^2), for symmetric B, M.
   */
  public static <S, M> M noiseMoment(MatrixAlgebra<S, M> a, M b, M m) {
    int d = a.rows(b);
    M b2 = a.multiply(b, b);
    M bm = a.multiply(b, m);
    S trB2 = a.trace(b2);
    S trM = a.trace(m);
    M id = a.identity(d);
    return a.sum(
        a.scale(a.times(a.integer(2), a.times(trB2, trM)), id),
        a.scale(a.times(a.integer(8), a.trace(a.multiply(b2, m))), id),
        a.scale(a.times(a.integer(2), trB2), m),
        a.scale(a.times(a.integer(8), a.trace(bm)), b),
        a.scale(a.times(a.integer(8), trM), b2),
        a.scale(a.integer(16), a.multiply(bm, b)),
        a.scale(a.integer(8), a.add(a.multiply(b2, m), a.multiply(m, b2))));
  }

  /** T'(B, M) = E[(x^T B x - tr B - eps)^2 Q M Q] = T(B, M) + s^2 (M + tr(M) I); {@code s2} is s^2. */
  public static <S, M> M labelledNoiseMoment(MatrixAlgebra<S, M> a, M b, M m, S s2) {
    M extra = a.add(m, a.scale(a.trace(m), a.identity(a.rows(m))));
    return a.add(noiseMoment(a, b, m), a.scale(s2, extra));
  }

  /**
   * E[M' - M | M] for one online-SGD step on b fresh samples with step eta:
   * -4 eta (BM + MB) + 4 eta^2 [T'(B, M) / b + (1 - 1/b) 4 BMB].
   */
  public static <S, M> M stepDriftOfM(MatrixAlgebra<S, M> a, M m, M teacher, S eta, int batch, S s2) {
    M b = a.subtract(m, teacher);
    M bm = a.multiply(b, m);
    M first = a.scale(a.times(a.integer(-4), eta), a.add(bm, a.transpose(bm)));
    M noise = a.add(
        a.scale(a.scalar(1, batch), labelledNoiseMoment(a, b, m, s2)),
        a.scale(a.scalar(4L * (batch - 1), batch), a.multiply(bm, b)));
    return a.add(first, a.scale(a.times(a.integer(4), a.times(eta, eta)), noise));
  }

  /** Q^T Lambda Q (m x m): the student Gram matrix seen through the teacher, W^T A W. */
  public static <S, M> M teacherGram(MatrixAlgebra<S, M> a, M q, M lambda) {
    return a.multiply(a.transpose(q), a.multiply(lambda, q));
  }

  /** W^T B^2 W = G^3 - G Q^T Lambda Q - Q^T Lambda Q G + Q^T Lambda^2 Q. */
  public static <S, M> M overlapBSquared(MatrixAlgebra<S, M> a, M q, M g, M lambda) {
    M qlq = teacherGram(a, q, lambda);
    M ql2q = teacherGram(a, q, a.multiply(lambda, lambda));
    return a.sum(a.multiply(g, a.multiply(g, g)),
        a.scale(a.integer(-1), a.add(a.multiply(g, qlq), a.multiply(qlq, g))),
        ql2q);
  }

  /** tr(B^2) = tr G^2 - 2 tr(Q^T Lambda Q) + sum lambda^2. */
  public static <S, M> S overlapTraceBSquared(MatrixAlgebra<S, M> a, M q, M g, M lambda) {
    return a.plus(a.minus(a.trace(a.multiply(g, g)),
            a.times(a.integer(2), a.trace(teacherGram(a, q, lambda)))),
        a.trace(a.multiply(lambda, lambda)));
  }

  /** tr B = tr G - sum lambda. */
  public static <S, M> S overlapTraceB(MatrixAlgebra<S, M> a, M g, M lambda) {
    return a.minus(a.trace(g), a.trace(lambda));
  }

  /**
   * W^T T'(B, I) W = (2d + 10) tr(B^2) G + 8 tr(B) (G^2 - Q^T Lambda Q) + (8d + 32) W^T B^2 W
   * + s^2 (d + 1) G, in the overlaps.
   */
  public static <S, M> M overlapNoiseMoment(MatrixAlgebra<S, M> a, M q, M g, M lambda, int d, S s2) {
    M gradientPart = a.subtract(a.multiply(g, g), teacherGram(a, q, lambda));
    return a.sum(
        a.scale(a.times(a.integer(2L * d + 10), overlapTraceBSquared(a, q, g, lambda)), g),
        a.scale(a.times(a.integer(8), overlapTraceB(a, g, lambda)), gradientPart),
        a.scale(a.integer(8L * d + 32), overlapBSquared(a, q, g, lambda)),
        a.scale(a.times(s2, a.integer(d + 1L)), g));
  }

  /**
   * The bracket of the second-order term of the G drift, W^T T'(B, I) W / b + (1 - 1/b) 4 W^T B^2 W:
   * E[G' - G] = -8 eta (G^2 - Q^T Lambda Q) + 4 eta^2 times this.
   */
  public static <S, M> M overlapNoiseBracket(MatrixAlgebra<S, M> a, M q, M g, M lambda, int d,
      int batch, S s2) {
    return a.add(a.scale(a.scalar(1, batch), overlapNoiseMoment(a, q, g, lambda, d, s2)),
        a.scale(a.scalar(4L * (batch - 1), batch), overlapBSquared(a, q, g, lambda)));
  }

  /**
   * Scratch of {@link #overlapNoiseBracketDiagonal} for r x m overlaps: two r x m and five m x m products,
   * allocated once by the caller and reused across evaluations.
   */
  public static final class DiagonalScratch {
    final int r;
    final int m;
    final double[] lq;
    final double[] sq;
    final double[] qlq;
    final double[] ql2q;
    final double[] g2;
    final double[] g3;
    final double[] gqlq;

    public DiagonalScratch(int r, int m) {
      this.r = r;
      this.m = m;
      lq = new double[r * m];
      sq = new double[r * m];
      qlq = new double[m * m];
      ql2q = new double[m * m];
      g2 = new double[m * m];
      g3 = new double[m * m];
      gqlq = new double[m * m];
    }
  }

  /**
   * {@link #overlapNoiseBracket} over doubles for a diagonal Lambda = diag(lambda), on flat row-major arrays: the
   * same formula term by term, in the same order (W^T T'(B, I) W / b + (1 - 1/b) 4 W^T B^2 W with the terms of
   * {@link #overlapNoiseMoment}, {@link #overlapBSquared}, {@link #overlapTraceBSquared} and
   * {@link #overlapTraceB}), with every product by Lambda an entry-wise row scaling (tr(Lambda^2) = sum lambda^2)
   * and the remaining products on {@link Linalg}: Q^T Lambda Q (a rank-r update of Lambda^{1/2} Q when
   * lambda &gt;= 0), Q^T Lambda^2 Q = (Lambda Q)^T (Lambda Q), G^2 = G G^T, G^3 = G G^2 and G Q^T Lambda Q (then
   * Q^T Lambda Q G = (G Q^T Lambda Q)^T for symmetric G). Nothing r x r is formed and nothing is allocated:
   * 3 r m^2 + 7 m^3 flops per call. The generic form is the definition; this one is
   * checked against it (exactly on integer instances, to round-off on random ones: GaussianFormulasDiagonalTest).
   *
   * @param lambda the r diagonal entries of Lambda. Not modified.
   * @param q the overlaps Q, r x m. Not modified.
   * @param g the Gram matrix G, m x m, exactly symmetric. Not modified.
   * @param scratch work arrays for (r, m). Modified.
   * @param out the bracket, m x m. Modified.
   */
  public static void overlapNoiseBracketDiagonal(double[] lambda, double[] q, double[] g, int d, int batch, double s2,
      DiagonalScratch scratch, double[] out) {
    int r = scratch.r;
    int m = scratch.m;
    double[] lq = scratch.lq;
    for (int i = 0; i < r; i++) {
      double li = lambda[i];
      for (int j = 0; j < m; j++) {
        lq[i * m + j] = li * q[i * m + j];
      }
    }
    // teacherGram: Q^T Lambda Q = (Lambda^{1/2} Q)^T (Lambda^{1/2} Q) when lambda >= 0 (else the product, mirrored),
    // and Q^T Lambda^2 Q = (Lambda Q)^T (Lambda Q); both exactly symmetric
    double[] qlq = scratch.qlq;
    boolean nonNegative = true;
    for (double l : lambda) {
      nonNegative &= l >= 0.0;
    }
    if (nonNegative) {
      double[] sq = scratch.sq;
      for (int i = 0; i < r; i++) {
        double si = Math.sqrt(lambda[i]);
        for (int j = 0; j < m; j++) {
          sq[i * m + j] = si * q[i * m + j];
        }
      }
      Linalg.syrkTransA(m, r, 1.0, sq, 0.0, qlq);
    } else {
      Linalg.gemm(true, false, m, m, r, 1.0, q, lq, 0.0, qlq);
      for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) {
          qlq[i * m + j] = qlq[j * m + i];
        }
      }
    }
    double[] ql2q = scratch.ql2q;
    Linalg.syrkTransA(m, r, 1.0, lq, 0.0, ql2q);
    // G^2 = G G^T for the symmetric G
    double[] g2 = scratch.g2;
    Linalg.syrk(m, m, 1.0, g, 0.0, g2);
    double[] g3 = scratch.g3;
    Linalg.gemm(false, false, m, m, m, 1.0, g, g2, 0.0, g3);
    double[] gqlq = scratch.gqlq;
    Linalg.gemm(false, false, m, m, m, 1.0, g, qlq, 0.0, gqlq);
    // overlapTraceBSquared: tr G^2 - 2 tr(Q^T Lambda Q) + tr(Lambda^2); overlapTraceB: tr G - tr Lambda
    double trG2 = 0.0;
    double trQlq = 0.0;
    double trG = 0.0;
    for (int i = 0; i < m; i++) {
      trG2 += g2[i * m + i];
      trQlq += qlq[i * m + i];
      trG += g[i * m + i];
    }
    double trL2 = 0.0;
    double trL = 0.0;
    for (double l : lambda) {
      trL2 += l * l;
      trL += l;
    }
    double trB2 = trG2 - 2.0 * trQlq + trL2;
    double trB = trG - trL;
    // overlapNoiseMoment: (2d + 10) tr(B^2) G + 8 tr(B) (G^2 - Q^T Lambda Q) + (8d + 32) W^T B^2 W + s^2 (d + 1) G,
    // overlapBSquared: W^T B^2 W = G^3 - (G Q^T Lambda Q + Q^T Lambda Q G) + Q^T Lambda^2 Q
    double c1 = (2.0 * d + 10) * trB2;
    double c2 = 8.0 * trB;
    double c3 = 8.0 * d + 32;
    double c4 = s2 * (d + 1.0);
    double perSample = 1.0 / batch;
    double sameBatch = (4.0 * (batch - 1)) / batch;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        int ij = i * m + j;
        double wb2w = g3[ij] + -1.0 * (gqlq[ij] + gqlq[j * m + i]) + ql2q[ij];
        double moment = c1 * g[ij] + c2 * (g2[ij] - qlq[ij]) + c3 * wb2w + c4 * g[ij];
        out[ij] = perSample * moment + sameBatch * wb2w;
      }
    }
  }

  /** E[Q' - Q] = -4 eta (Q G - Lambda Q): exactly first order in eta. */
  public static <S, M> M stepDriftOfOverlap(MatrixAlgebra<S, M> a, M q, M g, M lambda, S eta) {
    return a.scale(a.times(a.integer(-4), eta), a.subtract(a.multiply(q, g), a.multiply(lambda, q)));
  }

  /** E[G' - G] = -8 eta (G^2 - Q^T Lambda Q) + 4 eta^2 [bracket of {@link #overlapNoiseBracket}]. */
  public static <S, M> M stepDriftOfGram(MatrixAlgebra<S, M> a, M q, M g, M lambda, int d, S eta,
      int batch, S s2) {
    M first = a.scale(a.times(a.integer(-8), eta),
        a.subtract(a.multiply(g, g), teacherGram(a, q, lambda)));
    return a.add(first, a.scale(a.times(a.integer(4), a.times(eta, eta)),
        overlapNoiseBracket(a, q, g, lambda, d, batch, s2)));
  }
}
