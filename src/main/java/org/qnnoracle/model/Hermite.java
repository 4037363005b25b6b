package org.qnnoracle.model;

/** Probabilists' Hermite polynomials, the convention of spec/model.md: He2(z) = z^2 - 1, E[He2(z)^2] = 2. */
public final class Hermite {
  private Hermite() {}

  public static double he2(double z) {
    return z * z - 1.0;
  }
}
