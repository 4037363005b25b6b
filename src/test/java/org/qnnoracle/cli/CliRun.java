package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** One in-process run of the command line: exit code and what it printed. */
record CliRun(int exit, String out, String err) {

  static CliRun of(String... args) {
    return of(new VerifyCommand(), args);
  }

  static CliRun of(VerifyCommand verify, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(o, e, verify, args);
    }
    return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * A run whose standard output is {@code stdout}: a PrintStream goes through the public
   * {@link Main#run(PrintStream, PrintStream, String...)} (which only learns that a write failed), any other
   * stream is written directly, as {@code main} does with the file descriptor (the failure's reason is kept).
   * {@link #out()} is empty: what reached {@code stdout} is the caller's to read.
   */
  static CliRun withStdout(VerifyCommand verify, OutputStream stdout, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = stdout instanceof PrintStream ps ? Main.run(ps, e, verify, args)
          : Main.run(stdout, e, verify, false, args);
    }
    return new CliRun(exit, "", err.toString(StandardCharsets.UTF_8));
  }

  static CliRun withStdout(OutputStream stdout, String... args) {
    return withStdout(new VerifyCommand(), stdout, args);
  }

  /** A stream whose every write fails with {@code reason}, as /dev/full does ("No space left on device"). */
  static OutputStream failing(String reason) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException(reason);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException(reason);
      }
    };
  }

  /** The lines of stderr that are messages of ours ("qnn-oracle: ..."), without the one-off backend note. */
  List<String> errorLines() {
    return errLines().stream().filter(l -> l.startsWith("qnn-oracle: ") && !l.startsWith("qnn-oracle: note: "))
        .toList();
  }

  List<String> errLines() {
    return err.lines().toList();
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  /**
   * The error contract: exit 2, exactly one line "qnn-oracle: error: ..." optionally followed by the
   * "Try '... --help'." hint, nothing on stdout, no stack trace.
   */
  void assertUsageError(String command) {
    assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(Console.EXIT_USAGE);
    List<String> lines = errLines();
    assertThat(lines).as("stderr lines").hasSizeBetween(1, 2);
    assertThat(lines.get(0)).startsWith("qnn-oracle: error: ");
    if (lines.size() == 2) {
      assertThat(lines.get(1)).isEqualTo("Try 'qnn-oracle" + (command.isEmpty() ? "" : " " + command) + " --help'.");
    }
    assertThat(err).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("at java.")
        .doesNotContain("at picocli.");
    assertThat(out).as("stdout").isEmpty();
  }

  /** Every regular file and directory under {@code dir}, relative to it (temp files included). */
  static List<String> listing(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
