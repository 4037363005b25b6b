package org.qnnoracle.linalg;

import static org.qnnoracle.InvalidInputException.require;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.util.function.Supplier;
import org.netlib.util.intW;

/**
 * The one entry point for dense linear algebra: every product, factorisation, triangular solve and symmetric
 * eigenproblem in qnn-oracle goes through here, and the facade, not the caller, picks the kernel (as EJML's
 * {@code CommonOps_DDRM.mult} does). Underneath is BLAS/LAPACK through {@link LinalgBackend}: the machine's
 * native library (netlib JNI over the distribution's OpenBLAS) or, where it cannot load or is switched off
 * ({@code -Dqnn.linalg=java}, {@code QNN_LINALG=java}), the maintained pure-Java BLAS and LAPACK of the same
 * library. No kernel here is hand-written.
 *
 * <p>Storage: row-major, either {@code double[][]} (the convenience forms, which allocate their result) or flat
 * {@code double[]} with explicit sizes (the hot-path forms, output passed in, nothing allocated). BLAS is
 * column-major, and a row-major n x k array read column-major is its k x n transpose: every row-major call is
 * the column-major call on the transposed problem (C = A B is C^T = B^T A^T), so no data is ever copied to
 * change layout.
 *
 * <p>Kernel choice: products up to {@link #SMALL_PRODUCT} multiply-adds run on the Java BLAS even when the
 * native one is loaded, because a JNI call plus OpenBLAS's thread start-up costs more than such a product
 * (measured in {@code LinalgBenchmark}); the choice depends on sizes only, so a run is bit-identical for the
 * same seed, machine and backend. Golden data is generated with {@link #withBackend} on the pure-Java
 * backend, whose results do not depend on the processor (strict IEEE arithmetic, fixed loop order).
 *
 * <p>Parameter conventions follow EJML: "Modified." marks the output, every other array is not modified.
 */
public final class Linalg {
  /**
   * At or below this many multiply-adds a product runs on the Java BLAS: JNI and thread start-up would dominate.
   * Measured (LinalgBenchmark.kernelGemm, 2-core machine): square dgemm at order 8 takes 202 ns in Java against
   * 270 ns native, at order 16 930 ns against 617 ns; the break-even lies between, so 12^3.
   */
  public static final long SMALL_PRODUCT = 12L * 12L * 12L;

  private static volatile LinalgBackend backend = LinalgBackend.fromSystem();

  /**
   * Held around every call into the pure-Java LAPACK (F2J; used for orders below the small-problem threshold on every
   * backend, and for all orders on the Java one). F2J keeps LAPACK's Fortran SAVE variables in static fields (Dlamch's
   * machine constants, set on first use with the "first" flag cleared before they are computed; Dlasq3's iteration
   * state behind the singular values), so two threads inside it at once can corrupt each other: a sweep's two
   * concurrent claim runs once left dsyevd looping in Dlascl. The native LAPACK is reentrant and takes no lock.
   */
  private static final Object JAVA_LAPACK_LOCK = new Object();

  private Linalg() {}

  /** The lock to hold while calling {@code lapack}: the shared one for F2J, a private (uncontended) one otherwise. */
  private static Object lockFor(LAPACK lapack) {
    return lapack instanceof dev.ludovic.netlib.lapack.NativeLAPACK ? new Object() : JAVA_LAPACK_LOCK;
  }

  /** The backend in use now. */
  public static LinalgBackend backend() {
    return backend;
  }

  /** One line naming the backend (the CLI prints it once; verify's report and --version quote it). */
  public static String describe() {
    return backend.description();
  }

  /**
   * Runs {@code work} with {@code kind} as the process-wide backend, then restores the previous one. Used to
   * generate and re-check golden data on the pure-Java backend. Not for concurrent use with other computations.
   */
  public static synchronized <T> T withBackend(LinalgBackend.Kind kind, Supplier<T> work) {
    LinalgBackend previous = backend;
    backend = LinalgBackend.of(kind);
    try {
      return work.get();
    } finally {
      backend = previous;
    }
  }

  // ----------------------------------------------------------------------------------------------------------
  // Flat row-major kernels (hot paths): sizes explicit, output passed in.
  // ----------------------------------------------------------------------------------------------------------

  /**
   * c = alpha op(a) op(b) + beta c, all row-major; op(a) is n x k, op(b) is k x p, c is n x p.
   *
   * @param transA whether op(a) = a^T (then a is stored k x n). Not modified.
   * @param transB whether op(b) = b^T (then b is stored p x k). Not modified.
   * @param c the result. Modified.
   */
  public static void gemm(boolean transA, boolean transB, int n, int p, int k, double alpha, double[] a,
      double[] b, double beta, double[] c) {
    if (n == 0 || p == 0) {
      return;
    }
    if (k == 0) {
      scaleInPlace(beta, c, n * p);
      return;
    }
    int lda = transA ? n : k;
    int ldb = transB ? k : p;
    // row-major C = op(A) op(B)  <=>  column-major C^T = op(B)^T op(A)^T
    BLAS blas = backend.blasFor((long) n * p * k);
    blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", p, n, k, alpha, b, ldb, a, lda, beta, c, p);
  }

  /**
   * c = alpha a^T a + beta c (a stored k x n, c n x n), both triangles filled, so c is exactly symmetric.
   *
   * @param c the result. Modified.
   */
  public static void syrkTransA(int n, int k, double alpha, double[] a, double beta, double[] c) {
    // column-major view of a is V = a^T (n x k, ld n); a^T a = V V^T: trans "N". Column-major upper = row-major lower.
    backend.blasFor((long) n * n * k / 2).dsyrk("U", "N", n, k, alpha, a, n, beta, c, n);
    mirrorLowerToUpper(c, n);
  }

  /**
   * c = alpha a a^T + beta c (a stored n x k, c n x n), both triangles filled.
   *
   * @param c the result. Modified.
   */
  public static void syrk(int n, int k, double alpha, double[] a, double beta, double[] c) {
    // column-major view V = a^T (k x n, ld k); a a^T = V^T V: trans "T".
    backend.blasFor((long) n * n * k / 2).dsyrk("U", "T", n, k, alpha, a, k, beta, c, n);
    mirrorLowerToUpper(c, n);
  }

  /**
   * In place: the lower Cholesky factor L of the SPD matrix a (n x n, K = L L^T); only the lower triangle is
   * read, the strict upper triangle is set to zero.
   *
   * @param a K on entry, L on exit. Modified.
   * @throws ArithmeticException when K is not positive definite (a pivot is not positive).
   */
  public static void choleskyInPlace(int n, double[] a) {
    intW info = new intW(0);
    // row-major lower = column-major upper
    LAPACK lapack = backend.lapackFor(n);
    synchronized (lockFor(lapack)) {
      lapack.dpotrf("U", n, a, n, info);
    }
    if (info.val > 0) {
      throw new ArithmeticException("matrix is not positive definite (leading minor " + info.val + ")");
    }
    require(info.val == 0, "dpotrf: illegal argument " + (-info.val));
    zeroStrictUpper(a, n);
  }

  /**
   * In place: x <- L^{-1} x for lower-triangular L (n x n), x n x p.
   *
   * @param x the right-hand sides on entry, the solution on exit. Modified.
   */
  public static void solveLowerInPlace(int n, int p, double[] l, double[] x) {
    // row-major Y = L^{-1} X  <=>  column-major Y^T = X^T L^{-T}; the column-major view of L is L^T (upper).
    backend.blasFor((long) n * n * p / 2).dtrsm("R", "U", "N", "N", p, n, 1.0, l, n, x, p);
  }

  /**
   * In place: x <- x L^{-T} for lower-triangular L (n x n), x q x n (solves Y L^T = x).
   *
   * @param x the right-hand sides on entry, the solution on exit. Modified.
   */
  public static void multInverseLowerTransposedInPlace(int q, int n, double[] x, double[] l) {
    // row-major Y = X L^{-T}  <=>  column-major Y^T = L^{-1} X^T = (view(L)^T)^{-1} X^T, view(L) = L^T upper.
    backend.blasFor((long) n * n * q / 2).dtrsm("L", "U", "T", "N", n, q, 1.0, l, n, x, n);
  }

  /**
   * In place: x <- L^{-T} x for lower-triangular L (n x n), x n x p (solves L^T Y = x).
   *
   * @param x the right-hand sides on entry, the solution on exit. Modified.
   */
  public static void solveLowerTransposedInPlace(int n, int p, double[] l, double[] x) {
    // row-major Y = L^{-T} X  <=>  column-major Y^T = X^T L^{-1}; the column-major view of L is L^T, so L = view^T.
    backend.blasFor((long) n * n * p / 2).dtrsm("R", "U", "T", "N", p, n, 1.0, l, n, x, p);
  }

  /**
   * In place: (L L^T)^{-1} from the lower Cholesky factor L (n x n), both triangles filled.
   *
   * @param l L on entry, the inverse on exit. Modified.
   */
  public static void inverseFromCholeskyInPlace(int n, double[] l) {
    intW info = new intW(0);
    LAPACK lapack = backend.lapackFor(n);
    synchronized (lockFor(lapack)) {
      lapack.dpotri("U", n, l, n, info);
    }
    if (info.val > 0) {
      throw new ArithmeticException("Cholesky factor is singular (diagonal entry " + info.val + " is zero)");
    }
    require(info.val == 0, "dpotri: illegal argument " + (-info.val));
    mirrorLowerToUpper(l, n);
  }

  /**
   * In place: L^{-1} for lower-triangular L (n x n); the strict upper triangle is left zero.
   *
   * @param l L on entry, L^{-1} on exit. Modified.
   */
  public static void lowerInverseInPlace(int n, double[] l) {
    intW info = new intW(0);
    LAPACK lapack = backend.lapackFor(n);
    synchronized (lockFor(lapack)) {
      lapack.dtrtri("U", "N", n, l, n, info);
    }
    if (info.val > 0) {
      throw new ArithmeticException("triangular matrix is singular (diagonal entry " + info.val + " is zero)");
    }
    require(info.val == 0, "dtrtri: illegal argument " + (-info.val));
  }

  /**
   * Symmetric eigendecomposition (LAPACK dsyevd, divide and conquer): eigenvalues ascending into {@code values};
   * if {@code vectors} is true, on exit row i of {@code a} is the unit eigenvector of eigenvalue i. Only the
   * lower triangle of a is read.
   *
   * @param a the symmetric matrix on entry; the eigenvectors (as rows) or scratch on exit. Modified.
   * @param values the n eigenvalues, ascending. Modified.
   */
  public static void symmetricEigenInPlace(int n, double[] a, double[] values, boolean vectors) {
    if (n == 0) {
      return;
    }
    String jobz = vectors ? "V" : "N";
    LAPACK lapack = backend.lapackFor(n);
    intW info = new intW(0);
    double[] work = new double[1];
    int[] iwork = new int[1];
    // row-major lower = column-major upper; a symmetric matrix is its own transpose
    synchronized (lockFor(lapack)) {
      lapack.dsyevd(jobz, "U", n, a, n, values, work, -1, iwork, -1, info);
      work = new double[Math.max(1, (int) work[0])];
      iwork = new int[Math.max(1, iwork[0])];
      lapack.dsyevd(jobz, "U", n, a, n, values, work, work.length, iwork, iwork.length, info);
    }
    if (info.val != 0) {
      throw new ArithmeticException("symmetric eigensolver did not converge (dsyevd info " + info.val + ")");
    }
    // column-major column i (eigenvector i) is row-major row i: nothing to move.
  }

  /**
   * Singular values of a rows x cols matrix, descending (LAPACK dgesdd).
   *
   * @param a the matrix on entry, scratch on exit. Modified.
   */
  public static double[] singularValuesInPlace(int rows, int cols, double[] a) {
    int k = Math.min(rows, cols);
    double[] s = new double[k];
    if (k == 0) {
      return s;
    }
    // the column-major view is a^T (cols x rows): same singular values
    LAPACK lapack = backend.lapackFor(k);
    intW info = new intW(0);
    double[] work = new double[1];
    int[] iwork = new int[8 * k];
    double[] none = new double[1];
    synchronized (lockFor(lapack)) {
      lapack.dgesdd("N", cols, rows, a, cols, s, none, 1, none, 1, work, -1, iwork, info);
      work = new double[Math.max(1, (int) work[0])];
      lapack.dgesdd("N", cols, rows, a, cols, s, none, 1, none, 1, work, work.length, iwork, info);
    }
    if (info.val != 0) {
      throw new ArithmeticException("SVD did not converge (dgesdd info " + info.val + ")");
    }
    return s;
  }

  // ----------------------------------------------------------------------------------------------------------
  // double[][] forms: they pack into one flat array, call the kernel above and unpack.
  // ----------------------------------------------------------------------------------------------------------

  /** a b. */
  public static double[][] mult(double[][] a, double[][] b) {
    int k = Dense.cols(a);
    require(k == b.length, "mult: inner dimensions differ (" + k + " vs " + b.length + ")");
    return product(false, false, a, b, a.length, Dense.cols(b), k);
  }

  /** a^T b, without forming a^T. */
  public static double[][] multTransA(double[][] a, double[][] b) {
    require(a.length == b.length, "multTransA: row counts differ (" + a.length + " vs " + b.length + ")");
    return product(true, false, a, b, Dense.cols(a), Dense.cols(b), a.length);
  }

  /** a b^T, without forming b^T. */
  public static double[][] multTransB(double[][] a, double[][] b) {
    require(Dense.cols(a) == Dense.cols(b),
        "multTransB: column counts differ (" + Dense.cols(a) + " vs " + Dense.cols(b) + ")");
    return product(false, true, a, b, a.length, b.length, Dense.cols(a));
  }

  /** a^T a, exactly symmetric. */
  public static double[][] gramOfColumns(double[][] a) {
    int n = Dense.cols(a);
    double[] c = new double[n * n];
    syrkTransA(n, a.length, 1.0, flat(a), 0.0, c);
    return Dense.unflatten(c, 0, n, n);
  }

  /** a a^T, exactly symmetric. */
  public static double[][] gramOfRows(double[][] a) {
    int n = a.length;
    double[] c = new double[n * n];
    syrk(n, Dense.cols(a), 1.0, flat(a), 0.0, c);
    return Dense.unflatten(c, 0, n, n);
  }

  /**
   * a^T b for a product known to be symmetric (X^T K X with K symmetric): the general product, then its lower
   * triangle mirrored, so the result is exactly symmetric.
   */
  public static double[][] symmetricMultTransA(double[][] a, double[][] b) {
    require(a.length == b.length, "symmetricMultTransA: row counts differ (" + a.length + " vs " + b.length + ")");
    int n = Dense.cols(a);
    require(n == Dense.cols(b), "symmetricMultTransA: A^T B is not square");
    double[] c = new double[n * n];
    gemm(true, false, n, n, a.length, 1.0, flat(a), flat(b), 0.0, c);
    mirrorLowerToUpper(c, n);
    return Dense.unflatten(c, 0, n, n);
  }

  /**
   * Lower Cholesky factor L of a symmetric positive definite matrix, k = L L^T. Only the lower triangle of k
   * is read. Throws {@link ArithmeticException} when k is not positive definite.
   */
  public static double[][] choleskyLower(double[][] k) {
    int n = k.length;
    double[] a = flat(k);
    choleskyInPlace(n, a);
    return Dense.unflatten(a, 0, n, n);
  }

  /** L^{-1} x for lower-triangular L. */
  public static double[][] solveLower(double[][] l, double[][] x) {
    int n = l.length;
    require(x.length == n, "solveLower: x has " + x.length + " rows, L is " + n + " x " + n);
    int p = Dense.cols(x);
    double[] y = flat(x);
    solveLowerInPlace(n, p, flat(l), y);
    return Dense.unflatten(y, 0, n, p);
  }

  /** x L^{-T} for lower-triangular L, i.e. the solution X of X L^T = x. */
  public static double[][] multInverseLowerTransposed(double[][] x, double[][] l) {
    int n = l.length;
    require(Dense.cols(x) == n || x.length == 0, "multInverseLowerTransposed: x has " + Dense.cols(x)
        + " columns, L is " + n + " x " + n);
    double[] y = flat(x);
    multInverseLowerTransposedInPlace(x.length, n, y, flat(l));
    return Dense.unflatten(y, 0, x.length, n);
  }

  /** L^{-1} for lower-triangular L. */
  public static double[][] lowerInverse(double[][] l) {
    int n = l.length;
    double[] a = flat(l);
    zeroStrictUpper(a, n);
    lowerInverseInPlace(n, a);
    return Dense.unflatten(a, 0, n, n);
  }

  /** (L L^T)^{-1} from the Cholesky factor L, exactly symmetric. */
  public static double[][] inverseFromCholesky(double[][] l) {
    int n = l.length;
    double[] a = flat(l);
    inverseFromCholeskyInPlace(n, a);
    return Dense.unflatten(a, 0, n, n);
  }

  /** K^{-1} for an SPD K by Cholesky (relative error about n eps cond(K)), exactly symmetric. */
  public static double[][] spdInverse(double[][] k) {
    int n = k.length;
    double[] a = flat(k);
    choleskyInPlace(n, a);
    inverseFromCholeskyInPlace(n, a);
    return Dense.unflatten(a, 0, n, n);
  }

  /** Eigenvalues (ascending) and unit eigenvectors (columns of {@code vectors}) of a symmetric matrix. */
  public record SymmetricEigen(double[] values, double[][] vectors) {}

  /** The eigendecomposition of the symmetric part of s. */
  public static SymmetricEigen symmetricEigen(double[][] s) {
    int n = s.length;
    double[] a = flat(Dense.symmetricPart(s));
    double[] values = new double[n];
    symmetricEigenInPlace(n, a, values, true);
    double[][] vectors = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        vectors[j][i] = a[i * n + j];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /** Eigenvalues of the symmetric part of s, ascending. */
  public static double[] symmetricEigenvalues(double[][] s) {
    int n = s.length;
    double[] a = flat(Dense.symmetricPart(s));
    double[] values = new double[n];
    symmetricEigenInPlace(n, a, values, false);
    return values;
  }

  /** Singular values of a, descending. */
  public static double[] singularValues(double[][] a) {
    return singularValuesInPlace(a.length, Dense.cols(a), flat(a));
  }

  private static double[][] product(boolean transA, boolean transB, double[][] a, double[][] b, int n, int p,
      int k) {
    double[] c = new double[n * p];
    gemm(transA, transB, n, p, k, 1.0, flat(a), flat(b), 0.0, c);
    return Dense.unflatten(c, 0, n, p);
  }

  /** Row-major copy of a into one array. */
  public static double[] flat(double[][] a) {
    double[] out = new double[a.length * Dense.cols(a)];
    Dense.flattenInto(a, out, 0);
    return out;
  }

  private static void mirrorLowerToUpper(double[] c, int n) {
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        c[i * n + j] = c[j * n + i];
      }
    }
  }

  private static void zeroStrictUpper(double[] a, int n) {
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(a, i * n + i + 1, i * n + n, 0.0);
    }
  }

  private static void scaleInPlace(double s, double[] c, int len) {
    for (int i = 0; i < len; i++) {
      c[i] = s == 0.0 ? 0.0 : s * c[i];
    }
  }
}
