package org.qnnoracle.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The facade on both backends against an independent route (Hipparchus' own Java linear algebra), with the
 * classical round-off bounds (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.): a k-term dot
 * product in any order has |error| <= gamma_k |a|.|b| with gamma_k = k u / (1 - k u), u = 2^-53. Two routes
 * each within gamma_k differ by at most 2 gamma_k, which is below k * EPS * (|A||B|)_ij with EPS = 2^-52 for
 * the sizes used (k u << 1). Every bound below is that bound, entry by entry, never a fixed number.
 */
class LinalgTest {
  /** Machine epsilon 2^-52 = 2u: one factor 2 covers the two routes' errors adding up. */
  private static final double EPS = Math.ulp(1.0);

  private static double[][] gaussian(Random rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    return a;
  }

  private static double[][] abs(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = Math.abs(a[i][j]);
      }
    }
    return c;
  }

  private static double[][] hipparchus(double[][] a, double[][] b) {
    return new Array2DRowRealMatrix(a, false).multiply(new Array2DRowRealMatrix(b, false)).getData();
  }

  /** max_ij |c - ref|_ij / (k EPS (|A||B|)_ij): at most 1 when the componentwise product bound holds. */
  private static double componentwiseRatio(double[][] c, double[][] ref, double[][] absProduct, int k) {
    double worst = 0.0;
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[i].length; j++) {
        double bound = k * EPS * absProduct[i][j];
        double diff = Math.abs(c[i][j] - ref[i][j]);
        worst = Math.max(worst, bound == 0.0 ? (diff == 0.0 ? 0.0 : Double.POSITIVE_INFINITY) : diff / bound);
      }
    }
    return worst;
  }

  private static void useOrSkip(LinalgBackend.Kind kind) {
    if (kind == LinalgBackend.Kind.NATIVE) {
      try {
        LinalgBackend.of(kind);
      } catch (IllegalStateException e) {
        Assumptions.abort("native BLAS not loadable here: " + e.getMessage());
      }
    }
  }

  /** Sizes below, at and above the facade's Java/native switch (SMALL_PRODUCT = 12^3 multiply-adds). */
  private static final int[][] SHAPES = {{1, 1, 1}, {7, 5, 3}, {33, 40, 50}, {150, 120, 130}, {64, 1, 300}};

  @ParameterizedTest
  @EnumSource(LinalgBackend.Kind.class)
  void productsMeetTheDotProductBoundAgainstHipparchus(LinalgBackend.Kind kind) {
    useOrSkip(kind);
    Random rng = new Random(11);
    Linalg.withBackend(kind, () -> {
      for (int[] s : SHAPES) {
        int n = s[0];
        int p = s[1];
        int k = s[2];
        double[][] a = gaussian(rng, n, k);
        double[][] b = gaussian(rng, k, p);
        double[][] ref = hipparchus(a, b);
        double[][] absAb = hipparchus(abs(a), abs(b));
        assertThat(componentwiseRatio(Linalg.mult(a, b), ref, absAb, k)).as("a b %s", kind).isLessThanOrEqualTo(1.0);
        double[][] at = Dense.transpose(a);
        double[][] bt = Dense.transpose(b);
        assertThat(componentwiseRatio(Linalg.multTransA(at, b), ref, absAb, k)).as("a^T b").isLessThanOrEqualTo(1.0);
        assertThat(componentwiseRatio(Linalg.multTransB(a, bt), ref, absAb, k)).as("a b^T").isLessThanOrEqualTo(1.0);
        double[] c = new double[n * p];
        Linalg.gemm(true, true, n, p, k, 1.0, Linalg.flat(at), Linalg.flat(bt), 0.0, c);
        assertThat(componentwiseRatio(Dense.unflatten(c, 0, n, p), ref, absAb, k)).as("gemm TT")
            .isLessThanOrEqualTo(1.0);
        // alpha and beta: c <- 2 a b - c, so c = ref exactly up to the same bound times 3 (|2ab| + |ab|)
        Linalg.gemm(false, false, n, p, k, 2.0, Linalg.flat(a), Linalg.flat(b), -1.0, c);
        assertThat(componentwiseRatio(Dense.unflatten(c, 0, n, p), ref, absAb, 3 * k + 1)).as("gemm alpha beta")
            .isLessThanOrEqualTo(1.0);
      }
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(LinalgBackend.Kind.class)
  void gramMatricesAreExactlySymmetricAndMeetTheBound(LinalgBackend.Kind kind) {
    useOrSkip(kind);
    Random rng = new Random(12);
    Linalg.withBackend(kind, () -> {
      for (int[] s : new int[][] {{3, 4}, {60, 45}, {130, 200}}) {
        double[][] a = gaussian(rng, s[0], s[1]);
        double[][] at = Dense.transpose(a);
        double[][] rows = Linalg.gramOfRows(a);
        double[][] cols = Linalg.gramOfColumns(at);
        double[][] ref = hipparchus(a, at);
        double[][] absRef = hipparchus(abs(a), abs(at));
        assertThat(rows).isDeepEqualTo(Dense.transpose(rows));
        assertThat(cols).isDeepEqualTo(Dense.transpose(cols));
        assertThat(componentwiseRatio(rows, ref, absRef, s[1])).isLessThanOrEqualTo(1.0);
        assertThat(componentwiseRatio(cols, ref, absRef, s[1])).isLessThanOrEqualTo(1.0);
        double[][] sym = Linalg.symmetricMultTransA(at, at);
        assertThat(sym).isDeepEqualTo(Dense.transpose(sym));
        assertThat(componentwiseRatio(sym, ref, absRef, s[1])).isLessThanOrEqualTo(1.0);
      }
      return null;
    });
  }

  private static double[][] spd(Random rng, int n) {
    double[][] g = gaussian(rng, n, n);
    double[][] k = hipparchus(Dense.transpose(g), g);
    for (int i = 0; i < n; i++) {
      k[i][i] += n;
    }
    return k;
  }

  @ParameterizedTest
  @EnumSource(LinalgBackend.Kind.class)
  void choleskyTriangularSolvesAndSpdInverseAreBackwardStable(LinalgBackend.Kind kind) {
    useOrSkip(kind);
    Random rng = new Random(13);
    Linalg.withBackend(kind, () -> {
      for (int n : new int[] {1, 5, 31, 32, 90, 260}) {
        double[][] k = spd(rng, n);
        double[][] l = Linalg.choleskyLower(k);
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            assertThat(l[i][j]).isZero();
          }
        }
        // Cholesky: L L^T = K + dK with |dK| <= gamma_{n+1} |L||L^T| (Higham thm 10.3); forming L L^T adds gamma_n.
        double[][] lt = Dense.transpose(l);
        assertThat(componentwiseRatio(hipparchus(l, lt), k, hipparchus(abs(l), abs(lt)), n + 1))
            .as("cholesky n=%d", n).isLessThanOrEqualTo(1.0);
        // L Y = X: (L + dL) Y = X with |dL| <= gamma_n |L| (Higham thm 8.5), so |L Y - X| <= gamma_n |L||Y| + product.
        double[][] x = gaussian(rng, n, 7);
        double[][] y = Linalg.solveLower(l, x);
        assertThat(componentwiseRatio(hipparchus(l, y), x, hipparchus(abs(l), abs(y)), n)).as("solveLower n=%d", n)
            .isLessThanOrEqualTo(1.0);
        double[][] xr = gaussian(rng, 6, n);
        double[][] z = Linalg.multInverseLowerTransposed(xr, l);
        assertThat(componentwiseRatio(hipparchus(z, lt), xr, hipparchus(abs(z), abs(lt)), n))
            .as("x L^-T n=%d", n).isLessThanOrEqualTo(1.0);
        double[][] li = Linalg.lowerInverse(l);
        double[][] id = Dense.identity(n);
        assertThat(componentwiseRatio(hipparchus(l, li), id, hipparchus(abs(l), abs(li)), n + 1))
            .as("L^-1 n=%d", n).isLessThanOrEqualTo(1.0);
        // K^{-1}: |K K^-1 - I| <= c n u cond(K); K = G^T G + n I has cond(K) <= (|G|_2^2 + n)/n <= 5 (|G|_2 ~ 2 sqrt n).
        double[][] inv = Linalg.spdInverse(k);
        assertThat(inv).isDeepEqualTo(Dense.transpose(inv));
        double[][] res = Dense.subtract(hipparchus(k, inv), id);
        assertThat(Dense.frobeniusNorm(res)).as("K K^-1 - I, n=%d", n).isLessThanOrEqualTo(5.0 * 4 * n * n * EPS);
      }
      double[][] notPd = {{1.0, 2.0}, {2.0, 1.0}};
      assertThatThrownBy(() -> Linalg.choleskyLower(notPd)).isInstanceOf(ArithmeticException.class)
          .hasMessageContaining("not positive definite");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(LinalgBackend.Kind.class)
  void symmetricEigenAndSingularValuesAgreeWithHipparchus(LinalgBackend.Kind kind) {
    useOrSkip(kind);
    Random rng = new Random(14);
    Linalg.withBackend(kind, () -> {
      for (int n : new int[] {1, 6, 40, 120}) {
        double[][] g = gaussian(rng, n, n);
        double[][] s = Dense.symmetricPart(g);
        double norm = Dense.frobeniusNorm(s);
        Linalg.SymmetricEigen eig = Linalg.symmetricEigen(s);
        double[] ref = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(s)).getEigenvalues().clone();
        java.util.Arrays.sort(ref);
        // Both solvers are backward stable: |d lambda| <= c n u |S|_2 each (Weyl); n EPS |S|_F covers both.
        for (int i = 0; i < n; i++) {
          assertThat(Math.abs(eig.values()[i] - ref[i])).as("eigenvalue %d of %d", i, n)
              .isLessThanOrEqualTo(n * EPS * norm);
          if (i > 0) {
            assertThat(eig.values()[i]).isGreaterThanOrEqualTo(eig.values()[i - 1]);
          }
        }
        // residual |S v - lambda v| <= c n u |S| for each unit eigenvector (column i of vectors)
        double[][] sv = hipparchus(s, eig.vectors());
        for (int i = 0; i < n; i++) {
          double r2 = 0.0;
          double v2 = 0.0;
          for (int row = 0; row < n; row++) {
            double d = sv[row][i] - eig.values()[i] * eig.vectors()[row][i];
            r2 += d * d;
            v2 += eig.vectors()[row][i] * eig.vectors()[row][i];
          }
          assertThat(Math.sqrt(r2)).isLessThanOrEqualTo(n * EPS * norm);
          assertThat(Math.abs(v2 - 1.0)).isLessThanOrEqualTo(n * EPS);
        }
        assertThat(Linalg.symmetricEigenvalues(s)).containsExactly(eig.values(),
            org.assertj.core.data.Offset.offset(n * EPS * norm));
        double[][] rect = gaussian(rng, n, n + 3);
        double[] svd = Linalg.singularValues(rect);
        double[] svdRef = new SingularValueDecomposition(new Array2DRowRealMatrix(rect)).getSingularValues();
        double rectNorm = Dense.frobeniusNorm(rect);
        for (int i = 0; i < svd.length; i++) {
          assertThat(Math.abs(svd[i] - svdRef[i])).isLessThanOrEqualTo((n + 3) * EPS * rectNorm);
        }
      }
      return null;
    });
  }

  @Test
  void nativeAndJavaAgreeToTheProductBoundAndSmallProductsAreBitIdentical() {
    useOrSkip(LinalgBackend.Kind.NATIVE);
    Random rng = new Random(15);
    List<double[][]> results = new ArrayList<>();
    double[][] a = gaussian(rng, 300, 280);
    double[][] b = gaussian(rng, 280, 310);
    double[][] sa = gaussian(rng, 10, 12);
    double[][] sb = gaussian(rng, 12, 11);
    for (LinalgBackend.Kind kind : LinalgBackend.Kind.values()) {
      Linalg.withBackend(kind, () -> {
        results.add(Linalg.mult(a, b));
        results.add(Linalg.mult(sa, sb));
        return null;
      });
    }
    assertThat(componentwiseRatio(results.get(0), results.get(2), hipparchus(abs(a), abs(b)), 280))
        .isLessThanOrEqualTo(1.0);
    // below SMALL_PRODUCT both backends run the same Java kernel: the same bits
    assertThat(results.get(1)).isDeepEqualTo(results.get(3));
  }

  @Test
  void aRunIsBitIdenticalForTheSameInputsAndBackend() {
    Random rng = new Random(16);
    double[][] a = gaussian(rng, 400, 350);
    double[][] b = gaussian(rng, 350, 380);
    double[][] k = spd(rng, 300);
    assertThat(Linalg.mult(a, b)).isDeepEqualTo(Linalg.mult(a, b));
    assertThat(Linalg.spdInverse(k)).isDeepEqualTo(Linalg.spdInverse(k));
  }

  @Test
  void theBackendSaysWhatItIs() {
    assertThat(Linalg.describe()).isNotBlank();
    assertThat(Linalg.withBackend(LinalgBackend.Kind.JAVA, () -> Linalg.backend().kind()))
        .isEqualTo(LinalgBackend.Kind.JAVA);
    assertThat(Linalg.withBackend(LinalgBackend.Kind.JAVA, Linalg::describe)).startsWith("pure-Java BLAS/LAPACK");
    System.out.println("linear algebra backend: " + Linalg.describe());
  }
}
