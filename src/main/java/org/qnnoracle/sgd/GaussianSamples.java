package org.qnnoracle.sgd;

import java.util.random.RandomGenerator;

/**
 * Fresh samples x ~ N(0, I_d) and eps ~ N(0, s^2) from one seeded generator. {@link RandomGenerator#nextGaussian}
 * of the LXM generators (model.Seeds) is an exact ziggurat-type sampler (modified ziggurat of McFarland,
 * JDK 17+), so this is both fast and exact in distribution.
 */
public final class GaussianSamples implements SampleSource {
  private final RandomGenerator rng;
  private final double noise;

  /** @param noise the label-noise standard deviation s (0 for clean labels) */
  public GaussianSamples(RandomGenerator rng, double noise) {
    this.rng = rng;
    this.noise = noise;
  }

  @Override
  public double next(double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    // The noise draw is taken even when s = 0, so that s does not shift the stream of inputs.
    return noise * rng.nextGaussian();
  }

  /** The same draws as {@link #next(double[])}, in place (row is not used). */
  @Override
  public double next(double[] into, int offset, double[] row) {
    int end = offset + row.length;
    for (int i = offset; i < end; i++) {
      into[i] = rng.nextGaussian();
    }
    return noise * rng.nextGaussian();
  }
}
