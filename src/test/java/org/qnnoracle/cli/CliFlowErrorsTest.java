package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input to {@code flow}: exit 2, one error line, no stack trace, and no output file
 * (nor temporary file) in the output directory.
 */
class CliFlowErrorsTest {
  @TempDir
  Path tmp;

  /** Each case replaces or adds options on top of a valid run: name=VALUE pairs, or a lone argument. */
  static Stream<Arguments> badInput() {
    return Stream.of(
        bad("d < 1", "--d", "0"),
        bad("negative d", "--d", "-3"),
        bad("r > d", "--d", "3", "--r", "4"),
        bad("r < 1", "--r", "0"),
        bad("m < 1", "--m", "0"),
        bad("alpha < 0", "--alpha", "-0.5"),
        bad("alpha NaN", "--alpha", "NaN"),
        bad("alpha Infinity", "--alpha", "Infinity"),
        bad("alpha -Infinity", "--alpha", "-Infinity"),
        bad("alpha overflows to Infinity", "--alpha", "1e400"),
        bad("sigma0 NaN", "--sigma0", "NaN"),
        bad("sigma0 = 0", "--sigma0", "0"),
        bad("sigma0 < 0", "--sigma0", "-1e-3"),
        bad("t-max NaN", "--t-max", "NaN"),
        bad("t-max Infinity", "--t-max", "Infinity"),
        bad("t-max < 0", "--t-max", "-1"),
        bad("points < 2", "--points", "1"),
        bad("points = 0", "--points", "0"),
        bad("rtol NaN", "--rtol", "NaN"),
        bad("rtol = 0", "--rtol", "0"),
        bad("rtol below round-off", "--rtol", "1e-30"),
        bad("rtol >= 1", "--rtol", "2"),
        bad("unknown method", "--method", "rk4"),
        bad("unknown norm", "--norm", "l3"),
        bad("unknown basis", "--basis", "random"),
        bad("unparsable d", "--d", "six"),
        bad("fractional d", "--d", "6.5"),
        bad("unparsable alpha", "--alpha", "1.2.3"),
        bad("fractional points", "--points", "2.5"),
        bad("points beyond the bound", "--points", "100001"),
        bad("points beyond int", "--points", "1e10"),
        bad("t-max = 0", "--t-max", "0"),
        bad("unparsable seed", "--seed", "x"),
        bad("matrix form beyond its d limit", "--d", "301", "--method", "dp853-m"),
        bad("unknown option", "--frobnicate", "1"),
        bad("option given twice", "--m", "2", "--m", "3"),
        bad("stray positional argument", "extra"),
        bad("missing option value", "--alpha"));
  }

  private static Arguments bad(String name, String... args) {
    return Arguments.of(name, List.of(args));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badValuesFailWithOneLine(String name, List<String> changes) {
    Path out = tmp.resolve("out.csv");
    CliRun run = CliRun.of(args(changes, "--out", out.toString()));
    run.assertUsageError("flow");
    assertThat(CliRun.listing(tmp)).as("files left in the output directory").isEmpty();
  }

  @Test
  void missingRequiredOptions() {
    CliRun run = CliRun.of("flow", "--d", "6", "--out", tmp.resolve("out.csv").toString());
    run.assertUsageError("flow");
    assertThat(run.err()).contains("--r").contains("--m").contains("--alpha");
    assertThat(CliRun.listing(tmp)).isEmpty();
  }

  @Test
  void outputDirectoryMissing() {
    CliRun run = CliRun.of(args(List.of(), "--out", tmp.resolve("no-such-dir").resolve("out.csv").toString()));
    run.assertUsageError("flow");
    assertThat(run.err()).contains("does not exist");
    assertThat(CliRun.listing(tmp)).isEmpty();
  }

  @Test
  void outputParentIsAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
    CliRun run = CliRun.of(args(List.of(), "--out", file.resolve("out.csv").toString()));
    run.assertUsageError("flow");
    assertThat(run.err()).contains("is not a directory");
    assertThat(CliRun.listing(tmp)).containsExactly("plain.txt");
  }

  @Test
  void outputIsAnExistingDirectory() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("sub"));
    CliRun run = CliRun.of(args(List.of(), "--out", dir.toString()));
    run.assertUsageError("flow");
    assertThat(run.err()).contains("is a directory");
    assertThat(CliRun.listing(tmp)).containsExactly("sub");
  }

  @Test
  void outputDirectoryNotWritable() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("ro"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // root writes anywhere, so the case cannot be staged there (outputParentIsAFile covers the path).
      assumeFalse(Files.isWritable(dir), "directory permissions are not enforced for this user");
      CliRun run = CliRun.of(args(List.of(), "--out", dir.resolve("out.csv").toString()));
      run.assertUsageError("flow");
      assertThat(run.err()).contains("not writable");
      assertThat(CliRun.listing(dir)).isEmpty();
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void existingFileIsKeptWhenInputIsBad() throws IOException {
    Path out = Files.writeString(tmp.resolve("out.csv"), "previous run\n");
    CliRun run = CliRun.of(args(List.of("--alpha", "NaN"), "--out", out.toString()));
    run.assertUsageError("flow");
    assertThat(Files.readString(out)).isEqualTo("previous run\n");
    assertThat(CliRun.listing(tmp)).containsExactly("out.csv");
  }

  /**
   * A valid small run with {@code changes} applied: an option in changes replaces the base value
   * (so "--d 0" does not trip over "--d given twice"); other arguments are appended.
   */
  private static String[] args(List<String> changes, String... extra) {
    List<String> base = new ArrayList<>(List.of("flow", "--d", "6", "--r", "3", "--m", "2", "--alpha", "1",
        "--points", "3", "--t-max", "1"));
    List<String> replaced = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      String a = changes.get(i);
      int at = base.indexOf(a);
      boolean first = !replaced.contains(a);
      if (at > 0 && a.startsWith("--") && first && i + 1 < changes.size()) {
        base.set(at + 1, changes.get(++i));
        replaced.add(a);
      } else {
        base.add(a);
      }
    }
    base.addAll(List.of(extra));
    return base.toArray(new String[0]);
  }
}
