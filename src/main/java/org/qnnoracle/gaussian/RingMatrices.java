package org.qnnoracle.gaussian;

import org.hipparchus.fraction.BigFraction;

/** {@link MatrixAlgebra} over any {@link Ring}: exact rationals, Gaussian polynomials, Symja expressions. */
public final class RingMatrices<P> implements MatrixAlgebra<P, RingMatrix<P>> {
  private final Ring<P> ring;

  public RingMatrices(Ring<P> ring) {
    this.ring = ring;
  }

  public Ring<P> ring() {
    return ring;
  }

  @Override
  public P scalar(long num, long den) {
    return ring.fromRational(new BigFraction(num, den));
  }

  @Override
  public P plus(P a, P b) {
    return ring.add(a, b);
  }

  @Override
  public P minus(P a, P b) {
    return ring.subtract(a, b);
  }

  @Override
  public P times(P a, P b) {
    return ring.multiply(a, b);
  }

  @Override
  public RingMatrix<P> add(RingMatrix<P> a, RingMatrix<P> b) {
    sameShape(a, b);
    return RingMatrix.build(a.rows(), a.cols(), (i, j) -> ring.add(a.get(i, j), b.get(i, j)));
  }

  @Override
  public RingMatrix<P> subtract(RingMatrix<P> a, RingMatrix<P> b) {
    sameShape(a, b);
    return RingMatrix.build(a.rows(), a.cols(), (i, j) -> ring.subtract(a.get(i, j), b.get(i, j)));
  }

  @Override
  public RingMatrix<P> multiply(RingMatrix<P> a, RingMatrix<P> b) {
    if (a.cols() != b.rows()) {
      throw new IllegalArgumentException("cannot multiply " + a.rows() + "x" + a.cols() + " by "
          + b.rows() + "x" + b.cols());
    }
    return RingMatrix.build(a.rows(), b.cols(), (i, j) -> {
      P s = ring.zero();
      for (int k = 0; k < a.cols(); k++) {
        s = ring.add(s, ring.multiply(a.get(i, k), b.get(k, j)));
      }
      return s;
    });
  }

  @Override
  public RingMatrix<P> scale(P s, RingMatrix<P> a) {
    return a.map(x -> ring.multiply(s, x));
  }

  @Override
  public RingMatrix<P> transpose(RingMatrix<P> a) {
    return RingMatrix.build(a.cols(), a.rows(), (i, j) -> a.get(j, i));
  }

  @Override
  public RingMatrix<P> identity(int n) {
    P one = ring.one();
    P zero = ring.zero();
    return RingMatrix.build(n, n, (i, j) -> i.equals(j) ? one : zero);
  }

  @Override
  public P trace(RingMatrix<P> a) {
    P s = ring.zero();
    for (int i = 0; i < Math.min(a.rows(), a.cols()); i++) {
      s = ring.add(s, a.get(i, i));
    }
    return s;
  }

  @Override
  public int rows(RingMatrix<P> a) {
    return a.rows();
  }

  @Override
  public int cols(RingMatrix<P> a) {
    return a.cols();
  }

  /** The rational matrix c embedded entry by entry. */
  public RingMatrix<P> embed(RingMatrix<BigFraction> c) {
    return c.map(ring::fromRational);
  }

  private static void sameShape(RingMatrix<?> a, RingMatrix<?> b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
      throw new IllegalArgumentException("shapes differ: " + a.rows() + "x" + a.cols() + " and "
          + b.rows() + "x" + b.cols());
    }
  }
}
