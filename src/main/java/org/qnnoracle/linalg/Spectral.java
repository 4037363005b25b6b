package org.qnnoracle.linalg;

/** Spectral facts about symmetric matrices (LAPACK's dsyevd and dgesdd through {@link Linalg}). */
public final class Spectral {
  private Spectral() {}

  /** Eigenvalues of the symmetric part of {@code s}, ascending. */
  public static double[] eigenvaluesAscending(double[][] s) {
    return Linalg.symmetricEigenvalues(s);
  }

  public static double minEigenvalue(double[][] s) {
    return eigenvaluesAscending(s)[0];
  }

  public static double maxEigenvalue(double[][] s) {
    double[] ev = eigenvaluesAscending(s);
    return ev[ev.length - 1];
  }

  /** Singular values, descending. */
  public static double[] singularValues(double[][] a) {
    return Linalg.singularValues(a);
  }

  /**
   * Numerical rank: the number of singular values above {@code max(rows, cols) * eps * sigma_max}, the
   * usual threshold below which a singular value cannot be told from round-off.
   */
  public static int numericalRank(double[][] a) {
    double[] sv = singularValues(a);
    if (sv.length == 0 || sv[0] == 0.0) {
      return 0;
    }
    double threshold = Math.max(Dense.rows(a), Dense.cols(a)) * Math.ulp(1.0) * sv[0];
    int rank = 0;
    for (double s : sv) {
      if (s > threshold) {
        rank++;
      }
    }
    return rank;
  }

  /**
   * The relative eigenvalue level below which a computed eigenvalue of a d x d PSD matrix cannot be told
   * from round-off: a backward-stable symmetric eigensolver is accurate to about d eps lambda_max, with a
   * factor 100 for the rounding already in the matrix. Factors used to start a flow must drop such
   * eigenvalues: a round-off eigenvalue along a teacher direction the matrix does not cover would become a
   * column of size sqrt(eps) that the flow amplifies like e^{2 lambda tau}.
   */
  public static double roundOffCutoff(int d) {
    return 100.0 * d * Math.ulp(1.0);
  }

  /**
   * A factor W (d x k) with W W^T = M for a symmetric PSD M, keeping the k eigenpairs whose eigenvalue
   * exceeds {@code relativeCutoff * lambda_max}. Negative round-off eigenvalues are dropped, so the
   * caller must check PSD separately when it matters.
   */
  public static double[][] psdFactor(double[][] m, double relativeCutoff) {
    Linalg.SymmetricEigen eig = Linalg.symmetricEigen(m);
    double[] ev = eig.values();
    double max = 0.0;
    for (double e : ev) {
      max = Math.max(max, e);
    }
    int d = m.length;
    int k = 0;
    for (double e : ev) {
      if (e > relativeCutoff * max && e > 0.0) {
        k++;
      }
    }
    double[][] w = new double[d][k];
    double[][] v = eig.vectors();
    int col = 0;
    for (int i = 0; i < ev.length; i++) {
      if (ev[i] > relativeCutoff * max && ev[i] > 0.0) {
        double s = Math.sqrt(ev[i]);
        for (int r = 0; r < d; r++) {
          w[r][col] = v[r][i] * s;
        }
        col++;
      }
    }
    return w;
  }
}
