package org.qnnoracle.gaussian;

import org.qnnoracle.linalg.Dense;

/** {@link MatrixAlgebra} over doubles on the dense kernels: what the dynamics evaluate the closed forms in. */
public final class DoubleMatrices implements MatrixAlgebra<Double, double[][]> {
  public static final DoubleMatrices INSTANCE = new DoubleMatrices();

  private DoubleMatrices() {}

  @Override
  public Double scalar(long num, long den) {
    return (double) num / (double) den;
  }

  @Override
  public Double plus(Double a, Double b) {
    return a + b;
  }

  @Override
  public Double minus(Double a, Double b) {
    return a - b;
  }

  @Override
  public Double times(Double a, Double b) {
    return a * b;
  }

  @Override
  public double[][] add(double[][] a, double[][] b) {
    return Dense.addScaled(a, 1.0, b);
  }

  @Override
  public double[][] subtract(double[][] a, double[][] b) {
    return Dense.subtract(a, b);
  }

  @Override
  public double[][] multiply(double[][] a, double[][] b) {
    return Dense.mult(a, b);
  }

  @Override
  public double[][] scale(Double s, double[][] a) {
    return Dense.scale(s, a);
  }

  @Override
  public double[][] transpose(double[][] a) {
    return Dense.transpose(a);
  }

  @Override
  public double[][] identity(int n) {
    return Dense.identity(n);
  }

  @Override
  public Double trace(double[][] a) {
    return Dense.trace(a);
  }

  @Override
  public int rows(double[][] a) {
    return Dense.rows(a);
  }

  @Override
  public int cols(double[][] a) {
    return Dense.cols(a);
  }
}
