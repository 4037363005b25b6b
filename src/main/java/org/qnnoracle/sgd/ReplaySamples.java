package org.qnnoracle.sgd;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;

/**
 * Samples read from a file, so another implementation's run can be replayed step by step. Format (text,
 * UTF-8): lines starting with '#' and blank lines are ignored; every other line is one sample,
 * {@code x_1,...,x_d,eps}: the d input coordinates then the label noise eps (already scaled by s), as
 * decimal numbers. Consecutive lines form the minibatches: step k uses lines k b + 1 .. k b + b. The
 * whole file is validated on load (column count, finite numbers, UTF-8 text), so a malformed file fails before
 * any step, with one message naming the file and line.
 *
 * <p>The file is streamed, not held: a replay of a long run at large d is gigabytes of text (a million steps of
 * d = 1000 is 2e10 bytes), and loading it would bound the replay by the heap. {@link #read} makes one pass that
 * validates and counts; the run then reads the file a second time, one line per sample, holding one line and
 * d + 1 numbers. Only a line's length is bounded ({@link #maxLineBytes}: room for d + 1 numbers of
 * {@value #MAX_CHARS_PER_NUMBER} characters each), so that a file without line breaks cannot fill the heap.
 * A file changed between the passes is refused when the difference is read, with the same kind of message.
 *
 * <p>The open file is closed when the last sample has been read, by {@link #close}, or, for a source dropped
 * before either, when it is garbage collected.
 */
public final class ReplaySamples implements SampleSource, AutoCloseable {
  /**
   * Characters per number (with its comma and spaces) that a line may average: Double.toString writes at most 24
   * ("-2.2250738585072014E-308"), printf("%.17g") 24 as well; 100 leaves room for padding and long decimals.
   */
  static final int MAX_CHARS_PER_NUMBER = 100;

  private static final Cleaner CLEANER = Cleaner.create();

  private final Path file;
  private final int d;
  private final long count;
  private Lines lines;
  private Cleaner.Cleanable cleanable;
  private long next;

  private ReplaySamples(Path file, int d, long count) {
    this.file = file;
    this.d = d;
    this.count = count;
  }

  /** Reads and validates a replay file for dimension d (one pass, nothing kept but the count). */
  public static ReplaySamples read(Path file, int d) {
    if (!Files.exists(file)) {
      throw new InvalidInputException("replay file '" + file + "' does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException("replay file '" + file + "' is a directory");
    }
    long n = 0;
    double[] row = new double[d + 1];
    try (Lines in = Lines.open(file, d)) {
      while (in.nextSample(row)) {
        n++;
      }
    }
    return new ReplaySamples(file, d, n);
  }

  /** Number of samples in the file. */
  public long size() {
    return count;
  }

  @Override
  public double next(double[] x) {
    if (next >= count) {
      throw new InvalidInputException("the replay file " + file + " holds " + count
          + " samples; the run needs more");
    }
    if (lines == null) {
      lines = Lines.open(file, d);
      cleanable = CLEANER.register(this, lines::close);
    }
    double[] row = lines.row;
    if (!lines.nextSample(row)) {
      throw new InvalidInputException("the replay file " + file + " changed while it was replayed: it now ends "
          + "after " + next + " samples, it held " + count + " when it was checked");
    }
    next++;
    System.arraycopy(row, 0, x, 0, x.length);
    if (next == count) {
      close();
    }
    return row[d];
  }

  /** Closes the file (idempotent); a later {@link #next} past the samples read so far fails. */
  @Override
  public void close() {
    if (cleanable != null) {
      cleanable.clean();
    }
  }

  /** The longest line accepted for dimension d (bytes). */
  static long maxLineBytes(int d) {
    return (long) (d + 1) * MAX_CHARS_PER_NUMBER + 1024;
  }

  /**
   * The samples of a replay file, one line at a time: checks that the bytes are UTF-8 text (no NUL), skips
   * comments and blank lines without keeping them, and parses every other line into d + 1 finite numbers.
   * Closing it closes the file; it holds nothing else.
   */
  private static final class Lines implements AutoCloseable {
    private final Path file;
    private final int d;
    private final InputStream in;
    private final InputFiles.Utf8 utf8 = new InputFiles.Utf8();
    private final long maxLine;
    final double[] row;
    private byte[] buf = new byte[256]; // the current line
    private final byte[] chunk = new byte[1 << 16]; // read ahead from the file
    private int chunkPos;
    private int chunkEnd;
    private long offset; // bytes consumed so far
    private long lineNo;

    private Lines(Path file, int d, InputStream in) {
      this.file = file;
      this.d = d;
      this.in = in;
      this.maxLine = maxLineBytes(d);
      this.row = new double[d + 1];
    }

    static Lines open(Path file, int d) {
      try {
        return new Lines(file, d, Files.newInputStream(file));
      } catch (NoSuchFileException e) {
        throw new InvalidInputException("replay file '" + file + "' does not exist");
      } catch (IOException e) {
        throw new InvalidInputException("cannot read replay file '" + file + "': " + InputFiles.describe(e));
      }
    }

    /** Reads the next sample into {@code into} (length d + 1); false at the end of the file. */
    boolean nextSample(double[] into) {
      while (true) {
        int len = readLine();
        if (len == COMMENT) {
          continue; // read to its end, not kept
        }
        if (len == END) {
          return false;
        }
        String s = new String(buf, 0, len, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
          continue;
        }
        parse(s, into);
        return true;
      }
    }

    /** readLine's answer at the end of the file. */
    private static final int END = -1;
    /** readLine's answer for a comment line. */
    private static final int COMMENT = -2;

    /**
     * Reads one line into {@code buf} and returns its length (without the line break), {@link #END} at the end of
     * the file, or {@link #COMMENT} for a line whose first non-blank character is '#' (read to its end, not kept).
     */
    private int readLine() {
      int len = 0;
      boolean comment = false;
      boolean blankSoFar = true;
      try {
        int b;
        while ((b = read()) >= 0) {
          offset++;
          String problem = utf8.accept((byte) b, offset);
          if (problem != null) {
            throw new InvalidInputException(file + ": " + problem);
          }
          if (b == '\n') {
            lineNo++;
            return comment ? COMMENT : len;
          }
          if (comment) {
            continue;
          }
          if (blankSoFar && b == '#') {
            comment = true;
            continue;
          }
          if (b != ' ' && b != '\t' && b != '\r') {
            blankSoFar = false;
          }
          if (len == buf.length) {
            if (len >= maxLine) {
              throw new InvalidInputException(file + ":" + (lineNo + 1) + ": the line is longer than " + maxLine
                  + " bytes, too long for " + (d + 1) + " numbers (x_1..x_" + d + ", eps)");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(maxLine, 2L * len));
          }
          buf[len++] = (byte) b;
        }
      } catch (IOException e) {
        throw new InvalidInputException("cannot read replay file '" + file + "': " + InputFiles.describe(e));
      }
      String problem = utf8.end(offset + 1);
      if (problem != null) {
        throw new InvalidInputException(file + ": " + problem);
      }
      if (len == 0 && !comment && blankSoFar) {
        return END;
      }
      lineNo++; // a last line without a line break
      return comment ? COMMENT : len;
    }

    /** The next byte (0..255), or -1 at the end; our own buffer, since a stream's read() per byte is slow. */
    private int read() throws IOException {
      if (chunkPos == chunkEnd) {
        int n = in.read(chunk, 0, chunk.length);
        if (n <= 0) {
          return -1;
        }
        chunkPos = 0;
        chunkEnd = n;
      }
      return chunk[chunkPos++] & 0xFF;
    }

    private void parse(String s, double[] into) {
      String[] parts = s.split(",", -1);
      if (parts.length != d + 1) {
        throw new InvalidInputException(file + ":" + lineNo + ": expected " + (d + 1)
            + " comma-separated numbers (x_1..x_" + d + ", eps), found " + parts.length);
      }
      for (int i = 0; i <= d; i++) {
        String p = parts[i].strip();
        try {
          into[i] = Double.parseDouble(p);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(file + ":" + lineNo + ": column " + (i + 1) + " is not a number: '"
              + (p.length() <= 40 ? p : p.substring(0, 37) + "...") + "'");
        }
        if (!Double.isFinite(into[i])) {
          throw new InvalidInputException(file + ":" + lineNo + ": column " + (i + 1) + " is not finite");
        }
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // read-only file: nothing is lost when closing fails
      }
    }
  }
}
