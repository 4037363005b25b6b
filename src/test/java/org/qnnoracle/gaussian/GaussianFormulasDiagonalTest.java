package org.qnnoracle.gaussian;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * {@link GaussianFormulas#overlapNoiseBracketDiagonal} (what the effective dynamics evaluates) is the generic
 * {@link GaussianFormulas#overlapNoiseBracket} with Lambda = diag(lambda): exactly on integer instances, where
 * every double operation of both is exact, and to round-off on random real ones, on both sides of the size at
 * which Linalg hands products to the native BLAS.
 */
class GaussianFormulasDiagonalTest {
  private static final long SEED = 20_261_202L;

  /**
   * Integer Q, G, d, lambda in {0, 1, 4, 9} (in a quarter of the cases one of them negated, which takes the
   * general product for Q^T Lambda Q), s^2 in {0, 1/2, 1, 3} and batch sizes that are powers of two: every
   * intermediate (sqrt(lambda) included) is an integer or a dyadic rational far below 2^53, so the double
   * evaluation is exact whatever the order of operations, and must equal the exact rational evaluation of the
   * generic form entry for entry.
   */
  @Test
  void equalsTheGenericFormExactlyOnIntegerInstances() {
    SplittableRandom rng = new SplittableRandom(SEED);
    int[] batches = {1, 2, 4, 8};
    BigFraction[] noises = {BigFraction.ZERO, BigFraction.ONE_HALF, BigFraction.ONE, new BigFraction(3)};
    for (int k = 0; k < 200; k++) {
      int r = 1 + rng.nextInt(6);
      int m = 1 + rng.nextInt(6);
      int d = r + rng.nextInt(50);
      int batch = batches[rng.nextInt(batches.length)];
      BigFraction s2 = noises[rng.nextInt(noises.length)];
      long[][] q = new long[r][m];
      long[][] g = new long[m][m];
      long[] lambda = new long[r];
      for (int i = 0; i < r; i++) {
        lambda[i] = (long) Math.pow(rng.nextInt(4), 2); // squares: Lambda^{1/2} is exact too
        for (int j = 0; j < m; j++) {
          q[i][j] = rng.nextInt(7) - 3;
        }
      }
      if (rng.nextInt(4) == 0) {
        lambda[rng.nextInt(r)] *= -1;
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          g[i][j] = rng.nextInt(7) - 3;
          g[j][i] = g[i][j];
        }
      }
      RingMatrix<BigFraction> exact = GaussianFormulas.overlapNoiseBracket(Rationals.MATRICES,
          RingMatrix.build(r, m, (i, j) -> new BigFraction(q[i][j])),
          RingMatrix.build(m, m, (i, j) -> new BigFraction(g[i][j])),
          RingMatrix.build(r, r, (i, j) -> i.equals(j) ? new BigFraction(lambda[i]) : BigFraction.ZERO),
          d, batch, s2);
      double[] lam = new double[r];
      double[] qf = new double[r * m];
      double[] gf = new double[m * m];
      for (int i = 0; i < r; i++) {
        lam[i] = lambda[i];
        for (int j = 0; j < m; j++) {
          qf[i * m + j] = q[i][j];
        }
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          gf[i * m + j] = g[i][j];
        }
      }
      double[] out = new double[m * m];
      GaussianFormulas.overlapNoiseBracketDiagonal(lam, qf, gf, d, batch, s2.doubleValue(),
          new GaussianFormulas.DiagonalScratch(r, m), out);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          assertThat(out[i * m + j]).as("case %d (r=%d m=%d d=%d b=%d s2=%s) entry (%d, %d)", k, r, m, d, batch, s2,
              i, j).isEqualTo(exact.get(i, j).doubleValue());
        }
      }
    }
  }

  /** Random real instances (G = P + Q^T Q PSD): the two evaluations agree to round-off of the terms' size. */
  @Test
  void agreesWithTheGenericFormToRoundOffOnRandomInstances() {
    SplittableRandom rng = new SplittableRandom(SEED + 1);
    int[][] shapes = {{1, 1}, {3, 2}, {6, 7}, {40, 35}, {64, 33}, {120, 48}, {33, 90}};
    double worst = 0.0;
    for (int[] shape : shapes) {
      for (int rep = 0; rep < 3; rep++) {
        int r = shape[0];
        int m = shape[1];
        int d = r + rng.nextInt(1_000_000);
        int batch = 1 + rng.nextInt(16);
        double s2 = rng.nextBoolean() ? 0.0 : 2.0 * rng.nextDouble();
        double[] lambda = new double[r];
        double[][] lambdaDiag = new double[r][r];
        for (int j = 0; j < r; j++) {
          // the last repetition has coefficients of both signs (the general product for Q^T Lambda Q)
          lambda[j] = (rep == 2 && j % 2 == 1 ? -1.0 : 1.0) * rng.nextDouble() / (1 + j);
          lambdaDiag[j][j] = lambda[j];
        }
        double[][] q = gaussian(rng, r, m, 1.0 / Math.sqrt(r));
        double[][] c = gaussian(rng, m, m, 1.0 / Math.sqrt(m));
        double[][] g = Dense.addScaled(Linalg.gramOfColumns(c), 1.0, Linalg.gramOfColumns(q));
        g = Dense.symmetricPart(g);
        DoubleMatrices a = DoubleMatrices.INSTANCE;
        double[][] generic = GaussianFormulas.overlapNoiseBracket(a, q, g, lambdaDiag, d, batch, s2);
        double[] out = new double[m * m];
        GaussianFormulas.overlapNoiseBracketDiagonal(lambda, Linalg.flat(q), Linalg.flat(g), d, batch, s2,
            new GaussianFormulas.DiagonalScratch(r, m), out);
        // the size of the terms that are added (the bracket itself may cancel)
        double[][] qlq = GaussianFormulas.teacherGram(a, q, lambdaDiag);
        double[][] g2 = Linalg.mult(g, g);
        double terms = Math.abs((2.0 * d + 10) * GaussianFormulas.overlapTraceBSquared(a, q, g, lambdaDiag))
            * Dense.frobeniusNorm(g) + 8.0 * Math.abs(GaussianFormulas.overlapTraceB(a, g, lambdaDiag))
            * (Dense.frobeniusNorm(g2) + Dense.frobeniusNorm(qlq))
            + (8.0 * d + 36) * (Dense.frobeniusNorm(Linalg.mult(g, g2)) + 2.0 * Dense.frobeniusNorm(Linalg.mult(g, qlq))
                + Dense.frobeniusNorm(GaussianFormulas.teacherGram(a, q, a.multiply(lambdaDiag, lambdaDiag))))
            + s2 * (d + 1.0) * Dense.frobeniusNorm(g);
        double e = Dense.frobeniusDistance(Dense.unflatten(out, 0, m, m), generic) / terms;
        worst = Math.max(worst, e);
      }
    }
    System.out.printf(Locale.ROOT, "diagonal bracket vs generic: worst difference %.2e of the terms' size%n", worst);
    // round-off of products of length <= 120 and of sums of a few terms is below 1e-13 of the terms; measured 2e-17
    assertThat(worst).isLessThan(1e-12);
  }

  private static double[][] gaussian(SplittableRandom rng, int rows, int cols, double scale) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = scale * gauss(rng);
      }
    }
    return a;
  }

  private static double gauss(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log1p(-u)) * Math.cos(2.0 * Math.PI * v);
  }
}
