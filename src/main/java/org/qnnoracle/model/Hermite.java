package org.qnnoracle.model;

import java.math.BigInteger;

/** Probabilists' Hermite polynomials, the convention of spec/model.md: He2(z) = z^2 - 1, E[He2(z)^2] = 2. */
public final class Hermite {
  private Hermite() {}

  public static double he2(double z) {
    return z * z - 1.0;
  }

  /**
   * Exact integer coefficients of He_k, lowest power first, from He_{k+1}(z) = z He_k(z) - k He_{k-1}(z),
   * He_0 = 1, He_1 = z.
   */
  public static BigInteger[] coefficients(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("Hermite degree must be >= 0, got " + k);
    }
    BigInteger[] prev = {BigInteger.ONE};
    if (k == 0) {
      return prev;
    }
    BigInteger[] cur = {BigInteger.ZERO, BigInteger.ONE};
    for (int n = 1; n < k; n++) {
      BigInteger[] next = new BigInteger[n + 2];
      java.util.Arrays.fill(next, BigInteger.ZERO);
      for (int i = 0; i < cur.length; i++) {
        next[i + 1] = next[i + 1].add(cur[i]);
      }
      for (int i = 0; i < prev.length; i++) {
        next[i] = next[i].subtract(prev[i].multiply(BigInteger.valueOf(n)));
      }
      prev = cur;
      cur = next;
    }
    return cur;
  }

  /** He_k(z) in doubles by the same three-term recurrence (stable for the moderate k used here). */
  public static double he(int k, double z) {
    if (k < 0) {
      throw new IllegalArgumentException("Hermite degree must be >= 0, got " + k);
    }
    double prev = 1.0;
    if (k == 0) {
      return prev;
    }
    double cur = z;
    for (int n = 1; n < k; n++) {
      double next = z * cur - n * prev;
      prev = cur;
      cur = next;
    }
    return cur;
  }
}
