package org.qnnoracle.linalg;

import static org.qnnoracle.InvalidInputException.require;

/**
 * Cache-blocked O(n^3) kernels on row-major {@code double[][]} matrices: products, Cholesky, SPD inverse.
 * {@link Dense} is the plain reference (one dot product per entry, a cache miss per column step); at
 * n = 2400 that is the difference between minutes and seconds.
 *
 * <p>Every kernel is single-threaded on purpose: the callers parallelise over independent problems (output
 * times), which scales without synchronisation and keeps each result independent of the thread count.
 *
 * <p>The one inner kernel ({@link #update}) runs C[i][j] += s * sum_k A[i][k] B[k][j] four rows of C at a
 * time over a block of KC rows of B and JC columns: the four C row segments (4 x JC doubles = 16 KiB) stay
 * in L1, the B block (KC x JC = 256 KiB) in L2, and the innermost loop over j is a plain array loop that
 * the JIT vectorises. Same sums as the naive product, only in another order (round-off of the same size).
 */
public final class BlockedDense {
  private static final int KC = 128;
  private static final int JC = 512;
  /** Column block of the blocked Cholesky and triangular solves. */
  private static final int NB = 96;

  private BlockedDense() {}

  /** A B. */
  public static double[][] mult(double[][] a, double[][] b) {
    int k = Dense.cols(a);
    require(k == b.length, "mult: inner dimensions differ (" + k + " vs " + b.length + ")");
    double[][] c = new double[a.length][Dense.cols(b)];
    update(c, 0, a.length, 0, a, 0, b, 0, k, 0, c.length == 0 ? 0 : c[0].length, 1.0, false);
    return c;
  }

  /** A^T B. */
  public static double[][] multTransA(double[][] a, double[][] b) {
    return mult(Dense.transpose(a), b);
  }

  /** A B^T. */
  public static double[][] multTransB(double[][] a, double[][] b) {
    return mult(a, Dense.transpose(b));
  }

  /**
   * C[i][cCol + j] += s * sum_{q &lt; kLen} A[i][aCol + q] B[bRow + q][j] for rows i in [i0, i1) and j in
   * [j0, j1); with {@code lowerOnly} j stops at the end of each group of four rows' diagonal (i + 3), which is
   * all a lower-triangular update needs (entries a little above the diagonal are touched, never read).
   */
  static void update(double[][] c, int i0, int i1, int cCol, double[][] a, int aCol, double[][] b, int bRow,
      int kLen, int j0, int j1, double s, boolean lowerOnly) {
    for (int kb = 0; kb < kLen; kb += KC) {
      int ke = Math.min(kLen, kb + KC);
      for (int jb = j0; jb < j1; jb += JC) {
        int je = Math.min(j1, jb + JC);
        int i = i0;
        for (; i + 3 < i1; i += 4) {
          int jEnd = lowerOnly ? Math.min(je, i + 4 - cCol) : je;
          if (jEnd > jb) {
            block4(c[i], c[i + 1], c[i + 2], c[i + 3], a[i], a[i + 1], a[i + 2], a[i + 3], aCol, b, bRow,
                kb, ke, cCol, jb, jEnd, s);
          }
        }
        for (; i < i1; i++) {
          int jEnd = lowerOnly ? Math.min(je, i + 1 - cCol) : je;
          double[] ci = c[i];
          double[] ai = a[i];
          for (int q = kb; q < ke; q++) {
            double x = s * ai[aCol + q];
            double[] bq = b[bRow + q];
            for (int j = jb; j < jEnd; j++) {
              ci[cCol + j] += x * bq[j];
            }
          }
        }
      }
    }
  }

  private static void block4(double[] c0, double[] c1, double[] c2, double[] c3, double[] a0, double[] a1,
      double[] a2, double[] a3, int aCol, double[][] b, int bRow, int kb, int ke, int cCol, int jb, int je,
      double s) {
    for (int q = kb; q < ke; q++) {
      double x0 = s * a0[aCol + q];
      double x1 = s * a1[aCol + q];
      double x2 = s * a2[aCol + q];
      double x3 = s * a3[aCol + q];
      double[] bq = b[bRow + q];
      for (int j = jb; j < je; j++) {
        double v = bq[j];
        int cj = cCol + j;
        c0[cj] += x0 * v;
        c1[cj] += x1 * v;
        c2[cj] += x2 * v;
        c3[cj] += x3 * v;
      }
    }
  }

  /**
   * The lower Cholesky factor L of an SPD matrix (L L^T = K), blocked right-looking: factor a diagonal block,
   * solve the panel below it, subtract the panel's outer product from the trailing lower triangle.
   *
   * @throws ArithmeticException if a pivot is not positive (K not numerically positive definite)
   */
  public static double[][] choleskyLower(double[][] k) {
    int n = k.length;
    double[][] a = Dense.copy(k);
    for (int k0 = 0; k0 < n; k0 += NB) {
      int k1 = Math.min(n, k0 + NB);
      // diagonal block (already updated by the previous panels)
      for (int j = k0; j < k1; j++) {
        double d = a[j][j];
        for (int q = k0; q < j; q++) {
          d -= a[j][q] * a[j][q];
        }
        if (!(d > 0.0)) {
          throw new ArithmeticException("Cholesky: pivot " + j + " is " + d + " (matrix not positive definite)");
        }
        double ljj = Math.sqrt(d);
        a[j][j] = ljj;
        for (int i = j + 1; i < k1; i++) {
          double s = a[i][j];
          for (int q = k0; q < j; q++) {
            s -= a[i][q] * a[j][q];
          }
          a[i][j] = s / ljj;
        }
      }
      // panel rows below: L21 = A21 L11^{-T}, row by row
      for (int i = k1; i < n; i++) {
        double[] ai = a[i];
        for (int j = k0; j < k1; j++) {
          double s = ai[j];
          double[] aj = a[j];
          for (int q = k0; q < j; q++) {
            s -= ai[q] * aj[q];
          }
          ai[j] = s / aj[j];
        }
      }
      if (k1 < n) {
        // trailing update A22 -= L21 L21^T (lower triangle), with L21^T stored row-major for the kernel
        double[][] panelT = new double[k1 - k0][n];
        for (int i = k1; i < n; i++) {
          for (int q = k0; q < k1; q++) {
            panelT[q - k0][i] = a[i][q];
          }
        }
        update(a, k1, n, 0, a, k0, panelT, 0, k1 - k0, k1, n, -1.0, true);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        a[i][j] = 0.0;
      }
    }
    return a;
  }

  /** X with L X = B, L lower triangular (blocked forward substitution; the off-diagonal work is {@link #update}). */
  public static double[][] solveLower(double[][] l, double[][] b) {
    int n = l.length;
    require(b.length == n, "solveLower: L is " + n + " x " + n + " but B has " + b.length + " rows");
    double[][] x = Dense.copy(b);
    int p = Dense.cols(b);
    for (int i0 = 0; i0 < n; i0 += NB) {
      int i1 = Math.min(n, i0 + NB);
      update(x, i0, i1, 0, l, 0, x, 0, i0, 0, p, -1.0, false);
      for (int i = i0; i < i1; i++) {
        double[] xi = x[i];
        for (int q = i0; q < i; q++) {
          double f = l[i][q];
          double[] xq = x[q];
          for (int j = 0; j < p; j++) {
            xi[j] -= f * xq[j];
          }
        }
        double inv = 1.0 / l[i][i];
        for (int j = 0; j < p; j++) {
          xi[j] *= inv;
        }
      }
    }
    return x;
  }

  /**
   * A^T B for a product known to be symmetric (e.g. X^T K X with K symmetric, or X^T X): only the lower
   * triangle is computed (half the flops) and mirrored.
   */
  public static double[][] symmetricMultTransA(double[][] a, double[][] b) {
    require(a.length == b.length, "symmetricMultTransA: row counts differ (" + a.length + " vs " + b.length + ")");
    int n = Dense.cols(a);
    require(n == Dense.cols(b), "symmetricMultTransA: A^T B is not square");
    double[][] c = new double[n][n];
    update(c, 0, n, 0, Dense.transpose(a), 0, b, 0, a.length, 0, n, 1.0, true);
    return mirrorLower(c);
  }

  /** A A^T (lower triangle computed, mirrored). */
  public static double[][] gramOfRows(double[][] a) {
    double[][] at = Dense.transpose(a);
    return symmetricMultTransA(at, at);
  }

  /** L^{-1} for L lower triangular: blocked, skipping the known zeros above the diagonal (n^3 / 3 flops). */
  public static double[][] lowerInverse(double[][] l) {
    int n = l.length;
    double[][] x = new double[n][n];
    for (int i0 = 0; i0 < n; i0 += NB) {
      int i1 = Math.min(n, i0 + NB);
      // X_I = L_II^{-1} (E_I - L_{I,<i0} X_{<i0}); X_{<i0} is zero beyond column i0
      update(x, i0, i1, 0, l, 0, x, 0, i0, 0, i0, -1.0, false);
      for (int i = i0; i < i1; i++) {
        double[] xi = x[i];
        xi[i] += 1.0;
        for (int q = i0; q < i; q++) {
          double f = l[i][q];
          double[] xq = x[q];
          for (int j = 0; j <= q; j++) {
            xi[j] -= f * xq[j];
          }
        }
        double inv = 1.0 / l[i][i];
        for (int j = 0; j <= i; j++) {
          xi[j] *= inv;
        }
      }
    }
    return x;
  }

  /**
   * K^{-1} for an SPD K, as X^T X with X = L^{-1}, K = L L^T (n^3 flops in all): symmetric by construction,
   * with the backward stability of Cholesky (relative error about n eps cond(K)).
   */
  public static double[][] spdInverse(double[][] k) {
    return inverseFromCholesky(choleskyLower(k));
  }

  /** (L L^T)^{-1} from the Cholesky factor L. */
  public static double[][] inverseFromCholesky(double[][] l) {
    int n = l.length;
    double[][] x = lowerInverse(l);
    double[][] xt = Dense.transpose(x);
    double[][] c = new double[n][n];
    for (int i0 = 0; i0 < n; i0 += NB) {
      int i1 = Math.min(n, i0 + NB);
      // (X^T X)_ij = sum_{q >= max(i, j)} X_qi X_qj: for rows i >= i0 the sum starts at q = i0
      update(c, i0, i1, 0, xt, i0, x, i0, n - i0, 0, i1, 1.0, true);
    }
    return mirrorLower(c);
  }

  private static double[][] mirrorLower(double[][] c) {
    for (int i = 0; i < c.length; i++) {
      for (int j = i + 1; j < c.length; j++) {
        c[i][j] = c[j][i];
      }
    }
    return c;
  }
}
