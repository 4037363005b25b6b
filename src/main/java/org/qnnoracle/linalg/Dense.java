package org.qnnoracle.linalg;

/**
 * Entry-wise helpers on row-major {@code double[][]} matrices (sums, scalings, norms, traces, layout): O(n^2)
 * work that needs no kernel. Every product, factorisation and solve is in {@link Linalg}, on BLAS/LAPACK.
 * Nothing here mutates its inputs.
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
