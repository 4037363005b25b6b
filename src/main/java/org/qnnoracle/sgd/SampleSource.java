package org.qnnoracle.sgd;

/**
 * Where the samples of online SGD come from: fresh Gaussian draws ({@link GaussianSamples}) or a file
 * written by another implementation ({@link ReplaySamples}), so two implementations can be compared step
 * by step on the same data.
 */
public interface SampleSource {
  /** Writes the next input x (length d) into {@code x} and returns its label noise eps (already scaled by s). */
  double next(double[] x);

  /**
   * The same draw as {@link #next(double[])}, written into {@code into[offset .. offset + d - 1]} (d =
   * {@code row.length}), so a batch can be filled in place as the rows of one flat array. The default draws
   * into {@code row} (scratch of length d, overwritten) and copies; a source that can write in place overrides
   * it, with the same numbers.
   */
  default double next(double[] into, int offset, double[] row) {
    double eps = next(row);
    System.arraycopy(row, 0, into, offset, row.length);
    return eps;
  }
}
