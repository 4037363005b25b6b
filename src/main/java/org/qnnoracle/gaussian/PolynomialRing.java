package org.qnnoracle.gaussian;

/**
 * A ring of polynomials in Gaussian variables g_0, g_1, ...: independent standard normals. The data x
 * of a sample and the label noise are laid out on these variables by {@link Integrands}.
 */
public interface PolynomialRing<P> extends Ring<P> {
  /** The i-th standard normal variable g_i. */
  P variable(int i);
}
