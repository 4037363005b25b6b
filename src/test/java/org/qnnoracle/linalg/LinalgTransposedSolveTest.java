package org.qnnoracle.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Linalg#solveLowerTransposedInPlace}: L^T Y = X, on both backends and both sides of the JNI threshold. */
class LinalgTransposedSolveTest {
  @ParameterizedTest(name = "n={0} p={1} {2}")
  @CsvSource({"1, 1, JAVA", "5, 3, JAVA", "40, 70, JAVA", "5, 3, NATIVE", "40, 70, NATIVE", "90, 20, NATIVE"})
  void solvesTheTransposedLowerTriangularSystem(int n, int p, String kind) {
    LinalgBackend.Kind k = LinalgBackend.Kind.valueOf(kind);
    if (k == LinalgBackend.Kind.NATIVE) {
      try {
        LinalgBackend.of(k);
      } catch (IllegalStateException e) {
        return; // no native library here: the Java rows cover the kernel
      }
    }
    SplittableRandom rng = new SplittableRandom(11L * n + p);
    double[][] a = new double[n][n];
    for (double[] row : a) {
      for (int j = 0; j < n; j++) {
        row[j] = rng.nextDouble() - 0.5;
      }
    }
    double[][] spd = Linalg.gramOfColumns(a);
    for (int i = 0; i < n; i++) {
      spd[i][i] += n;
    }
    double[][] l = Linalg.choleskyLower(spd);
    double[][] x = new double[n][p];
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        row[j] = rng.nextDouble() - 0.5;
      }
    }
    double[] y = Linalg.flat(x);
    Linalg.withBackend(k, () -> {
      Linalg.solveLowerTransposedInPlace(n, p, Linalg.flat(l), y);
      return null;
    });
    // L^T Y reproduces X to round-off (cond(L) is small here)
    double[][] back = Linalg.multTransA(l, Dense.unflatten(y, 0, n, p));
    assertThat(Dense.frobeniusDistance(back, x)).isLessThan(1e-13 * Math.max(1.0, Dense.frobeniusNorm(x)));
    // and agrees with L^{-T} X formed from the explicit inverse
    double[][] viaInverse = Linalg.mult(Dense.transpose(Linalg.lowerInverse(l)), x);
    assertThat(Dense.frobeniusDistance(Dense.unflatten(y, 0, n, p), viaInverse))
        .isLessThan(1e-13 * Math.max(1.0, Dense.frobeniusNorm(viaInverse)));
  }
}
