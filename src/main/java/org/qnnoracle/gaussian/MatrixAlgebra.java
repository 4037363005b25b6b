package org.qnnoracle.gaussian;

/**
 * Matrices M with scalars S: the vocabulary the closed forms of {@link GaussianFormulas} are written in,
 * once, and evaluated over doubles ({@link DoubleMatrices}) for the dynamics, over exact rationals or
 * polynomials ({@link RingMatrices}) for the exact checks, and over Symja expressions for the symbolic
 * check.
 */
public interface MatrixAlgebra<S, M> {
  S scalar(long num, long den);

  S plus(S a, S b);

  S minus(S a, S b);

  S times(S a, S b);

  M add(M a, M b);

  M subtract(M a, M b);

  M multiply(M a, M b);

  M scale(S s, M a);

  M transpose(M a);

  M identity(int n);

  S trace(M a);

  int rows(M a);

  int cols(M a);

  default S integer(long n) {
    return scalar(n, 1);
  }

  /** Sum of element-wise products, tr(a^T b). */
  default S frobeniusInner(M a, M b) {
    return trace(multiply(transpose(a), b));
  }

  /** a + b + c + ...: a fold so that long closed forms read as a sum of terms. */
  @SuppressWarnings("unchecked")
  default M sum(M first, M... rest) {
    M s = first;
    for (M r : rest) {
      s = add(s, r);
    }
    return s;
  }
}
