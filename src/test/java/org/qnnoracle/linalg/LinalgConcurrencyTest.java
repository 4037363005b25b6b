package org.qnnoracle.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linalg from several threads at once gives the one-thread results bit for bit. The pure-Java LAPACK (F2J, used for
 * small orders on every backend) keeps Fortran SAVE variables in static fields (Dlamch's constants, set lazily;
 * Dlasq3's iteration state, used by the singular values through dbdsqr), so two threads inside it at once corrupt
 * each other: claims run concurrently in one JVM (sweeps) and the claims' own parallel replicas both do that.
 * Exact equality: same inputs, same code, one thread or four.
 */
class LinalgConcurrencyTest {
  private static final int MATRICES = 400;
  private static final long SEED = 20261203L;

  private static double[][] matrix(int k) {
    java.util.Random r = new java.util.Random(SEED + k);
    int n = 3 + k % 6;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
      }
    }
    return a;
  }

  private static double[][] symmetric(double[][] a) {
    int n = a.length;
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        s[i][j] = a[i][j] + a[j][i];
      }
    }
    return s;
  }

  private static List<double[]> compute(int from, int step) {
    List<double[]> out = new ArrayList<>();
    for (int k = from; k < MATRICES; k += step) {
      out.add(Linalg.singularValues(matrix(k)));
      out.add(Linalg.symmetricEigen(symmetric(matrix(k))).values());
    }
    return out;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void fourThreadsGiveTheOneThreadResults() throws Exception {
    System.out.println("[linalg-concurrency] seed " + SEED + ", " + MATRICES + " matrices, " + Linalg.describe());
    List<double[]> serial = compute(0, 1);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 5; round++) {
        List<Future<List<double[]>>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          final int from = t;
          parts.add(pool.submit(() -> compute(from, threads)));
        }
        for (int t = 0; t < threads; t++) {
          List<double[]> got = parts.get(t).get();
          int i = 0;
          for (int k = t; k < MATRICES; k += threads) {
            assertThat(got.get(i++)).as("round %d, singular values of matrix %d", round, k)
                .containsExactly(serial.get(2 * k));
            assertThat(got.get(i++)).as("round %d, eigenvalues of matrix %d", round, k)
                .containsExactly(serial.get(2 * k + 1));
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
