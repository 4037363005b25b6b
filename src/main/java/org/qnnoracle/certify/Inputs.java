package org.qnnoracle.certify;

import java.util.Arrays;
import org.qnnoracle.InvalidInputException;

/**
 * The teacher and start shared by every certifier, checked once: d, r, m, lambda (r), theta (d x r, columns the
 * directions), w0 (d x m). Arrays are copied; the doubles are the exact inputs.
 */
record Inputs(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0) {
  Inputs {
    InvalidInputException.require(d >= 1 && r >= 1 && r <= d && m >= 1,
        "dimensions must satisfy d >= 1, 1 <= r <= d, m >= 1, got d=" + d + " r=" + r + " m=" + m);
    InvalidInputException.require(lambda != null && lambda.length == r, "lambda must have r = " + r + " entries");
    lambda = lambda.clone();
    for (double l : lambda) {
      InvalidInputException.requireFinite(l, "lambda");
    }
    theta = checked(theta, d, r, "theta");
    w0 = checked(w0, d, m, "w0");
  }

  private static double[][] checked(double[][] x, int rows, int cols, String name) {
    InvalidInputException.require(x != null && x.length == rows, name + " must have " + rows + " rows");
    double[][] out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      InvalidInputException.require(x[i] != null && x[i].length == cols,
          name + " row " + i + " must have " + cols + " entries");
      for (double v : x[i]) {
        InvalidInputException.requireFinite(v, name);
      }
      out[i] = x[i].clone();
    }
    return out;
  }

  @Override
  public double[] lambda() {
    return lambda.clone();
  }

  @Override
  public double[][] theta() {
    return Arrays.stream(theta).map(double[]::clone).toArray(double[][]::new);
  }

  @Override
  public double[][] w0() {
    return Arrays.stream(w0).map(double[]::clone).toArray(double[][]::new);
  }
}
