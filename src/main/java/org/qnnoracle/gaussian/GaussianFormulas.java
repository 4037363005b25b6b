package org.qnnoracle.gaussian;

import java.math.BigInteger;

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
