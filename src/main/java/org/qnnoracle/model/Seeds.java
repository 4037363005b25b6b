package org.qnnoracle.model;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Every random object takes a seed. One user seed feeds several independent streams (teacher basis,
 * initialisation, ...) through {@link #derive}, so changing how many numbers one stream draws never
 * shifts another.
 */
public final class Seeds {
  /** A member of the LXM family (JDK 17+): splittable, statistically strong, fast Gaussian sampler. */
  public static final String ALGORITHM = "L64X128MixRandom";

  private Seeds() {}

  /** A seed for the named stream, mixed from the user seed with the SplitMix64 finaliser. */
  public static long derive(long seed, String stream) {
    long h = 0x9E3779B97F4A7C15L;
    for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
      h = mix64(h ^ (b & 0xFF));
    }
    return mix64(seed ^ h);
  }

  public static RandomGenerator generator(long seed) {
    return RandomGeneratorFactory.of(ALGORITHM).create(seed);
  }

  public static RandomGenerator generator(long seed, String stream) {
    return generator(derive(seed, stream));
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** rows x cols matrix of i.i.d. N(0, sd^2). */
  public static double[][] gaussianMatrix(RandomGenerator rng, int rows, int cols, double sd) {
    double[][] a = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        a[i][j] = sd * rng.nextGaussian();
      }
    }
    return a;
  }
}
