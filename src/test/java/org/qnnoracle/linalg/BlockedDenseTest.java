package org.qnnoracle.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocked kernels against Dense, at sizes that cross every block boundary (NB = 96, KC = 128, JC = 512). */
class BlockedDenseTest {
  /** Same sums in another order: relative Frobenius difference of order sqrt(n) eps; 1e-13 leaves a wide margin. */
  private static final double PRODUCT_TOL = 1e-13;

  private static double[][] gaussian(Random rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    return a;
  }

  private static double rel(double[][] a, double[][] ref) {
    return Dense.frobeniusDistance(a, ref) / Dense.frobeniusNorm(ref);
  }

  @Test
  void productsMatchDense() {
    Random rng = new Random(5);
    double[][] a = gaussian(rng, 301, 263);
    double[][] b = gaussian(rng, 263, 530);
    assertThat(rel(BlockedDense.mult(a, b), Dense.mult(a, b))).isLessThan(PRODUCT_TOL);
    double[][] c = gaussian(rng, 301, 530);
    assertThat(rel(BlockedDense.multTransA(a, c), Dense.multTransA(a, c))).isLessThan(PRODUCT_TOL);
    double[][] x = gaussian(rng, 263, 140);
    assertThat(rel(BlockedDense.gramOfRows(x), Dense.multTransB(x, x))).isLessThan(PRODUCT_TOL);
  }

  @Test
  void choleskyAndInverseOfAnSpdMatrix() {
    int n = 290;
    double[][] g = gaussian(new Random(6), n, n);
    double[][] k = Dense.multTransA(g, g);
    for (int i = 0; i < n; i++) {
      k[i][i] += n;
    }
    double[][] l = BlockedDense.choleskyLower(k);
    assertThat(rel(l, Dense.choleskyLower(k))).isLessThan(PRODUCT_TOL);
    double[][] residual = Dense.mult(k, BlockedDense.spdInverse(k));
    for (int i = 0; i < n; i++) {
      residual[i][i] -= 1.0;
    }
    // cond(K) <= (|G|^2 + n) / n ~ 5 here: |K K^{-1} - I|_F ~ n eps cond
    assertThat(Dense.frobeniusNorm(residual)).isLessThan(1e-12);
  }
}
