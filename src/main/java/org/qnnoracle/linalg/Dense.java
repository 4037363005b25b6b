package org.qnnoracle.linalg;

/**
 * Dense row-major matrix kernels on {@code double[][]}, for the hot paths (propagators, right-hand
 * sides) where Hipparchus' general {@code RealMatrix} would allocate per call. Names follow EJML:
 * {@code multTransA(a, b)} is a^T b, {@code multTransB(a, b)} is a b^T. Nothing here mutates its inputs
 * unless the name says {@code InPlace}.
 */
public final class Dense {
  private Dense() {}

  public static double[][] zeros(int rows, int cols) {
    return new double[rows][cols];
  }

  public static double[][] identity(int n) {
    double[][] id = new double[n][n];
    for (int i = 0; i < n; i++) {
      id[i][i] = 1.0;
    }
    return id;
  }

  public static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  public static int rows(double[][] a) {
    return a.length;
  }

  public static int cols(double[][] a) {
    return a.length == 0 ? 0 : a[0].length;
  }

  /** a b. */
  public static double[][] mult(double[][] a, double[][] b) {
    int n = a.length;
    int k = b.length;
    int p = cols(b);
    double[][] c = new double[n][p];
    for (int i = 0; i < n; i++) {
      double[] ci = c[i];
      double[] ai = a[i];
      for (int l = 0; l < k; l++) {
        double ail = ai[l];
        if (ail == 0.0) {
          continue;
        }
        double[] bl = b[l];
        for (int j = 0; j < p; j++) {
          ci[j] += ail * bl[j];
        }
      }
    }
    return c;
  }

  /** a^T b, without forming a^T. */
  public static double[][] multTransA(double[][] a, double[][] b) {
    int k = a.length;
    int n = cols(a);
    int p = cols(b);
    double[][] c = new double[n][p];
    for (int l = 0; l < k; l++) {
      double[] al = a[l];
      double[] bl = b[l];
      for (int i = 0; i < n; i++) {
        double ali = al[i];
        if (ali == 0.0) {
          continue;
        }
        double[] ci = c[i];
        for (int j = 0; j < p; j++) {
          ci[j] += ali * bl[j];
        }
      }
    }
    return c;
  }

  /** a b^T, without forming b^T. */
  public static double[][] multTransB(double[][] a, double[][] b) {
    int n = a.length;
    int p = b.length;
    double[][] c = new double[n][p];
    for (int i = 0; i < n; i++) {
      double[] ai = a[i];
      for (int j = 0; j < p; j++) {
        double[] bj = b[j];
        double s = 0.0;
        for (int l = 0; l < ai.length; l++) {
          s += ai[l] * bj[l];
        }
        c[i][j] = s;
      }
    }
    return c;
  }

  /** a^T. */
  public static double[][] transpose(double[][] a) {
    int n = a.length;
    int p = cols(a);
    double[][] t = new double[p][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  /** a + s b. */
  public static double[][] addScaled(double[][] a, double s, double[][] b) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = a[i][j] + s * b[i][j];
      }
    }
    return c;
  }

  /** a - b. */
  public static double[][] subtract(double[][] a, double[][] b) {
    return addScaled(a, -1.0, b);
  }

  public static double[][] scale(double s, double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = s * a[i][j];
      }
    }
    return c;
  }

  /** diag(v) a: scales row i by v[i]. */
  public static double[][] scaleRows(double[] v, double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = v[i] * a[i][j];
      }
    }
    return c;
  }

  /** (a + a^T) / 2: removes the round-off asymmetry of products that are symmetric in exact arithmetic. */
  public static double[][] symmetricPart(double[][] a) {
    int n = a.length;
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        s[i][j] = 0.5 * (a[i][j] + a[j][i]);
      }
    }
    return s;
  }

  public static double trace(double[][] a) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i][i];
    }
    return s;
  }

  /** Frobenius norm, scaled to avoid overflow and underflow of the squares. */
  public static double frobeniusNorm(double[][] a) {
    double scale = 0.0;
    double ssq = 1.0;
    for (double[] row : a) {
      for (double x : row) {
        if (x != 0.0) {
          double ax = Math.abs(x);
          if (scale < ax) {
            ssq = 1.0 + ssq * (scale / ax) * (scale / ax);
            scale = ax;
          } else {
            ssq += (ax / scale) * (ax / scale);
          }
        }
      }
    }
    return scale * Math.sqrt(ssq);
  }

  /** |a - b|_F. */
  public static double frobeniusDistance(double[][] a, double[][] b) {
    return frobeniusNorm(subtract(a, b));
  }

  /** sum_ij a_ij b_ij = tr(a^T b). */
  public static double frobeniusInner(double[][] a, double[][] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        s += a[i][j] * b[i][j];
      }
    }
    return s;
  }

  /** True when every entry is finite. */
  public static boolean allFinite(double[][] a) {
    for (double[] row : a) {
      for (double x : row) {
        if (!Double.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Lower Cholesky factor L of a symmetric positive definite matrix, k = L L^T. Only the lower
   * triangle of k is read. Throws {@link ArithmeticException} when a pivot is not positive.
   */
  public static double[][] choleskyLower(double[][] k) {
    int n = k.length;
    double[][] l = new double[n][n];
    for (int j = 0; j < n; j++) {
      double s = k[j][j];
      for (int p = 0; p < j; p++) {
        s -= l[j][p] * l[j][p];
      }
      if (!(s > 0.0)) {
        throw new ArithmeticException("matrix is not positive definite (pivot " + j + " = " + s + ")");
      }
      double ljj = Math.sqrt(s);
      l[j][j] = ljj;
      for (int i = j + 1; i < n; i++) {
        double t = k[i][j];
        for (int p = 0; p < j; p++) {
          t -= l[i][p] * l[j][p];
        }
        l[i][j] = t / ljj;
      }
    }
    return l;
  }

  /** x L^{-T} for lower-triangular L, i.e. solves X L^T = x row by row (forward substitution). */
  public static double[][] multInverseLowerTransposed(double[][] x, double[][] l) {
    int n = l.length;
    double[][] y = new double[x.length][n];
    for (int row = 0; row < x.length; row++) {
      double[] xr = x[row];
      double[] yr = y[row];
      // (Y L^T)_{row, i} = sum_{j<=i} Y_{row,j} L_{i,j} = x_{row,i}
      for (int i = 0; i < n; i++) {
        double s = xr[i];
        double[] li = l[i];
        for (int j = 0; j < i; j++) {
          s -= yr[j] * li[j];
        }
        yr[i] = s / li[i];
      }
    }
    return y;
  }

  /** L^{-1} x for lower-triangular L (forward substitution on each column). */
  public static double[][] solveLower(double[][] l, double[][] x) {
    int n = l.length;
    int p = cols(x);
    double[][] y = new double[n][p];
    for (int i = 0; i < n; i++) {
      double[] li = l[i];
      for (int c = 0; c < p; c++) {
        double s = x[i][c];
        for (int j = 0; j < i; j++) {
          s -= li[j] * y[j][c];
        }
        y[i][c] = s / li[i];
      }
    }
    return y;
  }

  /** Flattens row-major into {@code out} starting at {@code offset}; returns the next offset. */
  public static int flattenInto(double[][] a, double[] out, int offset) {
    int o = offset;
    for (double[] row : a) {
      System.arraycopy(row, 0, out, o, row.length);
      o += row.length;
    }
    return o;
  }

  /** Reads a rows x cols matrix, row-major, from {@code in} at {@code offset}. */
  public static double[][] unflatten(double[] in, int offset, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(in, offset + i * cols, a[i], 0, cols);
    }
    return a;
  }
}
