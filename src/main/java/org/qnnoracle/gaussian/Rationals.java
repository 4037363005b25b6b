package org.qnnoracle.gaussian;

import java.util.random.RandomGenerator;
import org.hipparchus.fraction.BigFraction;

/**
 * Exact rational scalars and the random rational instances the exact checks draw: symmetric matrices,
 * general matrices, vectors, and orthonormal frames with rational entries (Cayley transform).
 */
public final class Rationals {
  public static final Ring<BigFraction> RING = new Ring<>() {
    @Override
    public BigFraction fromRational(BigFraction c) {
      return c;
    }

    @Override
    public BigFraction add(BigFraction a, BigFraction b) {
      return a.add(b);
    }

    @Override
    public BigFraction subtract(BigFraction a, BigFraction b) {
      return a.subtract(b);
    }

    @Override
    public BigFraction multiply(BigFraction a, BigFraction b) {
      return a.multiply(b);
    }
  };

  public static final RingMatrices<BigFraction> MATRICES = new RingMatrices<>(RING);

  private Rationals() {}

  /**
   * A random rational p/q with |p| <= 6 and 1 <= q <= 5: small enough to keep exact arithmetic cheap,
   * varied enough (signs, zeros, non-integers) that no identity holds by accident of the instance.
   */
  public static BigFraction random(RandomGenerator rng) {
    return new BigFraction(rng.nextInt(13) - 6, 1 + rng.nextInt(5));
  }

  public static RingMatrix<BigFraction> randomMatrix(RandomGenerator rng, int rows, int cols) {
    return RingMatrix.build(rows, cols, (i, j) -> random(rng));
  }

  public static RingMatrix<BigFraction> randomSymmetric(RandomGenerator rng, int n) {
    BigFraction[][] a = new BigFraction[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = random(rng);
        a[j][i] = a[i][j];
      }
    }
    return RingMatrix.build(n, n, (i, j) -> a[i][j]);
  }

  /**
   * The first r columns of the Cayley transform (I - S)(I + S)^{-1} of a random rational skew matrix S:
   * an exactly orthogonal rational matrix (I + S is invertible because S has imaginary spectrum), so
   * Theta^T Theta = I_r holds with no round-off.
   */
  public static RingMatrix<BigFraction> randomOrthonormalColumns(RandomGenerator rng, int d, int r) {
    if (r > d) {
      throw new IllegalArgumentException("cannot have " + r + " orthonormal columns in dimension " + d);
    }
    BigFraction[][] s = new BigFraction[d][d];
    for (int i = 0; i < d; i++) {
      s[i][i] = BigFraction.ZERO;
      for (int j = i + 1; j < d; j++) {
        s[i][j] = new BigFraction(rng.nextInt(7) - 3, 1 + rng.nextInt(3));
        s[j][i] = s[i][j].negate();
      }
    }
    RingMatrix<BigFraction> sm = RingMatrix.build(d, d, (i, j) -> s[i][j]);
    RingMatrix<BigFraction> id = MATRICES.identity(d);
    RingMatrix<BigFraction> inv = inverse(MATRICES.add(id, sm));
    RingMatrix<BigFraction> q = MATRICES.multiply(MATRICES.subtract(id, sm), inv);
    return RingMatrix.build(d, r, q::get);
  }

  /** Exact inverse by Gauss-Jordan elimination; throws if singular. */
  public static RingMatrix<BigFraction> inverse(RingMatrix<BigFraction> a) {
    int n = a.rows();
    BigFraction[][] w = new BigFraction[n][2 * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        w[i][j] = a.get(i, j);
        w[i][n + j] = i == j ? BigFraction.ONE : BigFraction.ZERO;
      }
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      while (p < n && w[p][c].signum() == 0) {
        p++;
      }
      if (p == n) {
        throw new ArithmeticException("singular matrix");
      }
      BigFraction[] t = w[p];
      w[p] = w[c];
      w[c] = t;
      BigFraction piv = w[c][c];
      for (int j = 0; j < 2 * n; j++) {
        w[c][j] = w[c][j].divide(piv);
      }
      for (int i = 0; i < n; i++) {
        if (i != c && w[i][c].signum() != 0) {
          BigFraction f = w[i][c];
          for (int j = 0; j < 2 * n; j++) {
            w[i][j] = w[i][j].subtract(f.multiply(w[c][j]));
          }
        }
      }
    }
    return RingMatrix.build(n, n, (i, j) -> w[i][n + j]);
  }

  /** Diagonal matrix with the given entries. */
  public static RingMatrix<BigFraction> diagonal(BigFraction... values) {
    return RingMatrix.build(values.length, values.length,
        (i, j) -> i.equals(j) ? values[i] : BigFraction.ZERO);
  }

  public static double[][] toDouble(RingMatrix<BigFraction> a) {
    double[][] x = new double[a.rows()][a.cols()];
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        x[i][j] = a.get(i, j).doubleValue();
      }
    }
    return x;
  }
}
