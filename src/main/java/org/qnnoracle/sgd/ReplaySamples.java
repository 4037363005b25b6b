package org.qnnoracle.sgd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.InvalidInputException;

/**
 * Samples read from a file, so another implementation's run can be replayed step by step. Format (text,
 * UTF-8): lines starting with '#' and blank lines are ignored; every other line is one sample,
 * {@code x_1,...,x_d,eps}: the d input coordinates then the label noise eps (already scaled by s), as
 * decimal numbers. Consecutive lines form the minibatches: step k uses lines k b + 1 .. k b + b. The
 * whole file is validated on load (column count, finite numbers), so a malformed file fails before any
 * step, with one message naming the file and line.
 */
public final class ReplaySamples implements SampleSource {
  /** Most numbers a replay file may hold (5e7 doubles = 400 MB). */
  public static final long MAX_VALUES = 50_000_000L;

  private final Path file;
  private final double[][] xs;
  private final double[] eps;
  private int next;

  private ReplaySamples(Path file, double[][] xs, double[] eps) {
    this.file = file;
    this.xs = xs;
    this.eps = eps;
  }

  /** Reads and validates a replay file for dimension d. */
  public static ReplaySamples read(Path file, int d) {
    List<double[]> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        String[] parts = s.split(",", -1);
        if (parts.length != d + 1) {
          throw new InvalidInputException(file + ":" + lineNo + ": expected " + (d + 1)
              + " comma-separated numbers (x_1..x_" + d + ", eps), found " + parts.length);
        }
        double[] row = new double[d + 1];
        for (int i = 0; i <= d; i++) {
          try {
            row[i] = Double.parseDouble(parts[i].strip());
          } catch (NumberFormatException e) {
            throw new InvalidInputException(file + ":" + lineNo + ": column " + (i + 1) + " is not a number: '"
                + parts[i].strip() + "'");
          }
          if (!Double.isFinite(row[i])) {
            throw new InvalidInputException(file + ":" + lineNo + ": column " + (i + 1) + " is not finite");
          }
        }
        rows.add(row);
        if ((long) rows.size() * (d + 1) > MAX_VALUES) {
          throw new InvalidInputException(file + ": more than " + MAX_VALUES + " numbers; too large to replay");
        }
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("replay file not found: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read replay file " + file + ": " + e.getMessage(), e);
    }
    double[][] xs = new double[rows.size()][];
    double[] eps = new double[rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      double[] row = rows.get(k);
      xs[k] = java.util.Arrays.copyOf(row, d);
      eps[k] = row[d];
    }
    return new ReplaySamples(file, xs, eps);
  }

  /** Number of samples in the file. */
  public int size() {
    return eps.length;
  }

  @Override
  public double next(double[] x) {
    if (next >= eps.length) {
      throw new InvalidInputException("the replay file " + file + " holds " + eps.length
          + " samples; the run needs more");
    }
    System.arraycopy(xs[next], 0, x, 0, x.length);
    return eps[next++];
  }
}
