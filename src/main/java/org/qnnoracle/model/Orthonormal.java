package org.qnnoracle.model;

import java.util.random.RandomGenerator;

/** Orthonormal frames: Haar-random (Gaussian matrix, then Gram-Schmidt) or canonical. */
public final class Orthonormal {
  private Orthonormal() {}

  /**
   * A d x r matrix with Haar-distributed orthonormal columns: the Q factor of a Gaussian matrix whose R
   * factor has a positive diagonal (that sign convention is what makes Q Haar). Modified Gram-Schmidt
   * run twice ("twice is enough", Giraud et al. 2005) keeps |Q^T Q - I| at round-off level; O(d r^2)
   * and no d x d matrix, so d in the thousands is fine.
   */
  public static double[][] haar(RandomGenerator rng, int d, int r) {
    double[][] cols = new double[r][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < r; j++) {
        cols[j][i] = rng.nextGaussian();
      }
    }
    for (int j = 0; j < r; j++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < j; k++) {
          double dot = 0.0;
          for (int i = 0; i < d; i++) {
            dot += cols[k][i] * cols[j][i];
          }
          for (int i = 0; i < d; i++) {
            cols[j][i] -= dot * cols[k][i];
          }
        }
      }
      double norm = 0.0;
      for (int i = 0; i < d; i++) {
        norm += cols[j][i] * cols[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < d; i++) {
        cols[j][i] /= norm;
      }
    }
    double[][] theta = new double[d][r];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < r; j++) {
        theta[i][j] = cols[j][i];
      }
    }
    return theta;
  }

  /** The first r standard basis vectors of R^d as columns. */
  public static double[][] canonical(int d, int r) {
    double[][] theta = new double[d][r];
    for (int j = 0; j < r; j++) {
      theta[j][j] = 1.0;
    }
    return theta;
  }
}
