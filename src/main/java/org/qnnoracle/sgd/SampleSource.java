package org.qnnoracle.sgd;

/**
 * Where the samples of online SGD come from: fresh Gaussian draws ({@link GaussianSamples}) or a file
 * written by another implementation ({@link ReplaySamples}), so two implementations can be compared step
 * by step on the same data.
 */
public interface SampleSource {
  /** Writes the next input x (length d) into {@code x} and returns its label noise eps (already scaled by s). */
  double next(double[] x);
}
