package org.qnnoracle.gaussian;

import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * {@link MatrixAlgebra} over doubles on the dense kernels: what the dynamics evaluate the closed forms in.
 * {@link #RING} and {@link #BOXED} are the same arithmetic as a {@link Ring} of boxed doubles, for the
 * identity-level closed forms of {@link GaussianIdentity#closedForms}, which take ring matrices (used off the
 * hot paths: the Monte Carlo check's expected values).
 */
public final class DoubleMatrices implements MatrixAlgebra<Double, double[][]> {
  public static final DoubleMatrices INSTANCE = new DoubleMatrices();

  /** Doubles as a {@link Ring}; rationals are rounded once on entry. */
  public static final Ring<Double> RING = new Ring<>() {
    @Override
    public Double fromRational(BigFraction c) {
      return c.doubleValue();
    }

    @Override
    public Double add(Double a, Double b) {
      return a + b;
    }

    @Override
    public Double subtract(Double a, Double b) {
      return a - b;
    }

    @Override
    public Double multiply(Double a, Double b) {
      return a * b;
    }
  };

  /** Ring matrices of boxed doubles over {@link #RING}. */
  public static final RingMatrices<Double> BOXED = new RingMatrices<>(RING);

  private DoubleMatrices() {}

  @Override
  public Double scalar(long num, long den) {
    return (double) num / (double) den;
  }

  @Override
  public Double plus(Double a, Double b) {
    return RING.add(a, b);
  }

  @Override
  public Double minus(Double a, Double b) {
    return RING.subtract(a, b);
  }

  @Override
  public Double times(Double a, Double b) {
    return RING.multiply(a, b);
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
    return Linalg.mult(a, b);
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
