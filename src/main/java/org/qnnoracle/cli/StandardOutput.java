package org.qnnoracle.cli;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The writer behind every command's standard output, which does not lose write errors. PrintWriter and
 * PrintStream (System.out) swallow IOExceptions and only set a flag, so {@code flow ... > /dev/full} used to exit
 * 0 with the CSV gone. Here the first IOException of the underlying stream is kept with its reason, and
 * {@link #check} (called by every command once its results are printed) turns it into an IOException that
 * {@link CliErrors} reports as one line, "cannot write to standard output: No space left on device", exit 2.
 * {@link Main} checks once more after the command, for what picocli itself prints (help, version).
 */
final class StandardOutput extends PrintWriter {
  static final String CANNOT_WRITE = "cannot write to standard output";

  private final FailureRecorder recorder;
  /** The stream written to, when it is a PrintStream: that keeps only a flag, so the reason is unknown then. */
  private final PrintStream printStream;
  private boolean reported;

  private StandardOutput(FailureRecorder recorder, PrintStream printStream) {
    // the default charset and line autoflush, as Main's plain PrintWriter(out, true) had
    super(new BufferedWriter(new OutputStreamWriter(recorder, Charset.defaultCharset())), true);
    this.recorder = recorder;
    this.printStream = printStream;
  }

  /** A writer over {@code sink}; main passes the file descriptor itself, so the reason of a failure is known. */
  static StandardOutput over(OutputStream sink) {
    return new StandardOutput(new FailureRecorder(sink), sink instanceof PrintStream ps ? ps : null);
  }

  /**
   * Flushes {@code out} and throws if anything written to it so far was lost. Every command calls this after
   * printing its results, before it reports success, so a full disk or a closed pipe stops it with exit 2.
   */
  static void check(PrintWriter out) throws IOException {
    out.flush();
    IOException lost = out instanceof StandardOutput so ? so.failure() : out.checkError()
        ? new IOException(CANNOT_WRITE) : null;
    if (lost != null) {
      if (out instanceof StandardOutput so) {
        so.reported = true;
      }
      throw lost;
    }
  }

  /** The failure that no command has reported yet (flushing first), or null; for Main's final check. */
  IOException unreportedFailure() {
    IOException lost = failure();
    return reported ? null : lost;
  }

  private IOException failure() {
    flush();
    IOException cause = recorder.failure;
    if (cause != null) {
      return new IOException(CANNOT_WRITE + ": " + CliErrors.oneLine(cause.getMessage() == null
          ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    }
    // checkError() is this writer's own flag (set when the recorder threw); the PrintStream's flag covers a
    // PrintStream handed to Main.run, which swallows the exception before the recorder could see it.
    if (checkError() || (printStream != null && printStream.checkError())) {
      return new IOException(CANNOT_WRITE);
    }
    return null;
  }

  /** Passes everything through and remembers the first IOException (then rethrows it, as the stream did). */
  private static final class FailureRecorder extends FilterOutputStream {
    private volatile IOException failure;

    FailureRecorder(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw remember(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      // FilterOutputStream would write byte by byte
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw remember(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw remember(e);
      }
    }

    private IOException remember(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }
  }
}
