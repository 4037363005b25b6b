package org.qnnoracle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.cli.Main;

/**
 * Bad input to {@code sweep run} with the Spark engine on the class path, through the in-process command line:
 * exit 2, one error line, no stack trace, and no output directory.
 */
class SparkCliErrorsTest {
  @TempDir
  Path tmp;

  record Result(int exit, String out, String err) {
    List<String> errorLines() {
      return err.lines().filter(l -> l.contains("error:")).toList();
    }
  }

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8), args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Exit 2, exactly one error line (starting "qnn-oracle: error: " and holding {@code says}), no stack trace. */
  static void refused(Result r, String says) {
    assertEquals(2, r.exit(), r.err());
    List<String> errors = r.errorLines();
    assertEquals(1, errors.size(), r.err());
    assertTrue(errors.get(0).startsWith("qnn-oracle: error: "), r.err());
    assertTrue(errors.get(0).contains(says), r.err());
    assertFalse(r.err().lines().anyMatch(l -> l.strip().startsWith("at ") || l.contains("Exception")), r.err());
    // Nothing but that line: Sweeps.run starts the engine before it prints its header. Allowed besides: picocli's
    // "Try 'qnn-oracle sweep run --help'." after errors of the input (as for every command: CliVerifyTest) and the
    // one-off note of a missing native BLAS.
    List<String> lines = r.err().lines()
        .filter(l -> !l.startsWith("Try 'qnn-oracle ") && !l.startsWith("qnn-oracle: note: ")).toList();
    assertEquals(List.of(errors.get(0)), lines, r.err());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void unreachableMaster() throws IOException {
    Path out = tmp.resolve("out");
    String master = "spark://127.0.0.1:" + freePort();
    Result r = cli("sweep", "run", SweepFixtures.example("calibration-small.json").toString(), "--out", out.toString(),
        "--master", master);
    refused(r, "cannot reach the Spark master " + master + ": ");
    assertFalse(Files.exists(out));
  }

  @Test
  void malformedSpecification() throws IOException {
    Path spec = Files.writeString(tmp.resolve("bad.json"), "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, ");
    Path out = tmp.resolve("out");
    refused(cli("sweep", "run", spec.toString(), "--out", out.toString()), "bad.json");
    assertFalse(Files.exists(out));
  }

  @Test
  void unknownTaskKind() throws IOException {
    Path spec = Files.writeString(tmp.resolve("kind.json"), "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, "
        + "\"name\": \"k\", \"tasks\": [{\"kind\": \"juggle\", \"seeds\": \"1..2\"}]}");
    Path out = tmp.resolve("out");
    refused(cli("sweep", "run", spec.toString(), "--out", out.toString()), "juggle");
    assertFalse(Files.exists(out));
  }

  @Test
  void unwritableOutput() {
    refused(cli("sweep", "run", SweepFixtures.example("calibration-small.json").toString(), "--out", "/proc/x"),
        "/proc/x");
    assertFalse(Files.exists(Path.of("/proc/x")));
  }
}
