package org.qnnoracle.sgd;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SampleSource} that passes another source's samples through unchanged and keeps a copy of each
 * (x, eps), so a run's data can be inspected (the explicit one-step check builds
 * P = I - (2 eta / b) sum_i e_i Q(x_i) from them: proofs-notes/sgd-simulation.md, the one-step section) or
 * written as a replay file for {@link ReplaySamples} (the reproducibility section of the same file). Memory
 * grows with every sample: for short runs only.
 */
public final class RecordingSamples implements SampleSource {
  private final SampleSource inner;
  private final List<double[]> xs = new ArrayList<>();
  private final List<Double> eps = new ArrayList<>();

  public RecordingSamples(SampleSource inner) {
    this.inner = inner;
  }

  @Override
  public double next(double[] x) {
    double e = inner.next(x);
    xs.add(x.clone());
    eps.add(e);
    return e;
  }

  /** Samples recorded so far. */
  public int size() {
    return xs.size();
  }

  /** A copy of the k-th input x (0-based). */
  public double[] x(int k) {
    return xs.get(k).clone();
  }

  /** The k-th label noise eps (already scaled by s). */
  public double eps(int k) {
    return eps.get(k);
  }

  /** Forgets the samples recorded so far (the inner source is not rewound). */
  public void clear() {
    xs.clear();
    eps.clear();
  }

  /**
   * Writes the recorded samples in the replay format of {@link ReplaySamples}: one line per sample,
   * x_1,...,x_d,eps, each number as {@link Double#toString(double)}, which {@link Double#parseDouble}
   * reads back to the identical double (the Java specification guarantees the round trip), after one
   * comment line.
   */
  public void writeReplay(Path file) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("# qnn-oracle replay: x_1..x_d,eps per line; consecutive lines form the minibatches\n");
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < xs.size(); k++) {
        line.setLength(0);
        for (double v : xs.get(k)) {
          line.append(Double.toString(v)).append(',');
        }
        line.append(Double.toString(eps.get(k))).append('\n');
        out.write(line.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write replay file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "RecordingSamples(" + xs.size() + " samples" + (xs.isEmpty() ? "" : ", d = " + xs.get(0).length) + ")";
  }
}
