package org.qnnoracle.model;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * The teacher f*(x) = sum_j lambda_j He2(&lt;theta_j, x&gt;) = x^T A x - tr A with A = Theta diag(lambda) Theta^T.
 * Theta (d x r) has orthonormal columns. Arrays are shared, not copied: treat them as read-only.
 */
public record Teacher(double[][] theta, double[] lambda) {
  public Teacher {
    require(theta.length >= 1, "teacher basis must have at least one row");
    require(Dense.cols(theta) == lambda.length,
        "teacher basis has " + Dense.cols(theta) + " columns but " + lambda.length + " coefficients");
  }

  public static Teacher of(ModelSpec spec) {
    double[] lambda = PowerLawSpectrum.lambdas(spec.r(), spec.alpha(), spec.normalisation());
    double[][] theta = switch (spec.basis()) {
      case HAAR -> Orthonormal.haar(Seeds.generator(spec.seed(), "teacher-basis"), spec.d(), spec.r());
      case CANONICAL -> Orthonormal.canonical(spec.d(), spec.r());
    };
    return new Teacher(theta, lambda);
  }

  public int d() {
    return theta.length;
  }

  public int r() {
    return lambda.length;
  }

  /** |A|_F^2 = sum_j lambda_j^2. */
  public double frobeniusNormSquared() {
    double s = 0.0;
    for (double l : lambda) {
      s += l * l;
    }
    return s;
  }

  public double lambdaMax() {
    double max = 0.0;
    for (double l : lambda) {
      max = Math.max(max, Math.abs(l));
    }
    return max;
  }

  /** A = Theta diag(lambda) Theta^T, d x d: only for small d (tests, M-form integration). */
  public double[][] matrixA() {
    return partialSum(allDirections());
  }

  /** A_S = sum_{j in S} lambda_j theta_j theta_j^T for the 0-based direction indices in {@code s}. */
  public double[][] partialSum(int[] s) {
    int d = d();
    double[][] a = new double[d][d];
    for (int j : s) {
      for (int p = 0; p < d; p++) {
        double tp = lambda[j] * theta[p][j];
        for (int q = 0; q < d; q++) {
          a[p][q] += tp * theta[q][j];
        }
      }
    }
    return a;
  }

  public int[] allDirections() {
    int[] s = new int[r()];
    for (int j = 0; j < s.length; j++) {
      s[j] = j;
    }
    return s;
  }

  /** Q = Theta^T W (r x m): the overlaps of the student columns with the teacher directions. */
  public double[][] overlaps(double[][] w) {
    return Linalg.multTransA(theta, w);
  }

  /**
   * The overlaps of a student with this teacher: Q = Theta^T W (r x m) and P = W_perp^T W_perp (m x m), W_perp =
   * (I - Theta Theta^T) W, so that M = W W^T has the blocks Q Q^T, Q (in the cross term) and P in the basis
   * (Theta, Theta_perp).
   */
  public record Projection(double[][] q, double[][] p) {}

  /**
   * The projection W -&gt; (Q, P), the one place it is computed for 2-d arrays (the online SGD simulator keeps its
   * own flat-storage version, see OnlineSgd#snapshot). {@code w}: not modified.
   */
  public Projection project(double[][] w) {
    double[][] q = overlaps(w);
    double[][] perp = Dense.subtract(w, Linalg.mult(theta, q));
    return new Projection(q, Linalg.multTransA(perp, perp));
  }

  /** A W = Theta diag(lambda) Theta^T W without forming A. */
  public double[][] applyA(double[][] w) {
    return Linalg.mult(theta, Dense.scaleRows(lambda, overlaps(w)));
  }

  /** W minus its projection on span(Theta): (I - Theta Theta^T) W. */
  public double[][] perpendicularPart(double[][] w) {
    return Dense.subtract(w, Linalg.mult(theta, overlaps(w)));
  }

  /** f*(x) = sum_j lambda_j (&lt;theta_j, x&gt;^2 - 1). */
  public double value(double[] x) {
    double f = 0.0;
    for (int j = 0; j < lambda.length; j++) {
      double z = 0.0;
      for (int p = 0; p < x.length; p++) {
        z += theta[p][j] * x[p];
      }
      f += lambda[j] * Hermite.he2(z);
    }
    return f;
  }
}
