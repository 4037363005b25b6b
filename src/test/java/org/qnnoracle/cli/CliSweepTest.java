package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sweep run, merge and report from the command line; every refusal one line, exit 2, nothing written. */
class CliSweepTest {
  private static final String CALIBRATION = "test-data/sweeps/calibration-small.json";

  @TempDir
  Path dir;

  @Test
  void runThenReportGiveTheCalibrationTable() {
    Path out = dir.resolve("cal");
    CliRun run = CliRun.of("sweep", "run", CALIBRATION, "--out", out.toString(), "--parallelism", "1");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("sweep: calibration-small: 24 task(s), 0 already done, 24 to run")
        .contains("[24/24]").contains("ETA").contains("24 of 24 tasks of the sweep have a result");
    assertThat(out.resolve("summary.json")).exists();
    CliRun report = CliRun.of("sweep", "report", out.toString());
    assertThat(report.exit()).as(report.err()).isZero();
    assertThat(report.out()).contains("| FLOW-LOEWNER | 0 of 8 |");
  }

  @Test
  void shardsThenMerge() {
    for (int i = 1; i <= 2; i++) {
      CliRun r = CliRun.of("sweep", "run", CALIBRATION, "--out", dir.resolve("s" + i).toString(), "--shard", i + "/2");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).contains("share " + i + "/2 holds 12");
    }
    CliRun m = CliRun.of("sweep", "merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(), "--out",
        dir.resolve("m").toString());
    assertThat(m.exit()).as(m.err()).isZero();
    assertThat(m.err()).contains("24 of 24 tasks have a result");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "malformed JSON|{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": [|truncated",
    "unknown kind|{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": [{\"kind\": \"fit\"}]}|unknown task kind \"fit\"",
    "not an object|[1, 2]|a sweep specification is a JSON object",
  })
  void badSpecificationsAreOneLine(String name, String text, String expected) throws IOException {
    Path spec = Files.writeString(dir.resolve("spec.json"), text);
    Path out = dir.resolve("never");
    CliRun run = CliRun.of("sweep", "run", spec.toString(), "--out", out.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errorLines()).hasSize(1);
    assertThat(run.errorLines().get(0)).startsWith("qnn-oracle: error: " + spec).contains(expected);
    assertThat(out).doesNotExist();
  }

  @Test
  void unwritableOutputIsOneLine() {
    CliRun run = CliRun.of("sweep", "run", CALIBRATION, "--out", "/proc/qnn-sweep");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errorLines()).singleElement().asString().contains("cannot use '/proc/qnn-sweep' as the sweep's "
        + "output directory");
  }

  @Test
  void masterWithoutTheEngineIsOneLine() {
    Path out = dir.resolve("never");
    CliRun run = CliRun.of("sweep", "run", CALIBRATION, "--out", out.toString(), "--master", "spark://127.0.0.1:1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errorLines()).singleElement().asString().contains("--master needs the Spark engine");
    assertThat(out).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource({"0/2", "3/2", "x", "1/0", "2"})
  void badSharesAreOneLine(String shard) {
    Path out = dir.resolve("never");
    CliRun run = CliRun.of("sweep", "run", CALIBRATION, "--out", out.toString(), "--shard", shard);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errorLines()).singleElement().asString().contains("--shard must be i/N");
    assertThat(out).doesNotExist();
  }

  @Test
  void reportOfANonSweepIsOneLine() {
    CliRun run = CliRun.of("sweep", "report", dir.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errorLines()).singleElement().asString().contains("is not a sweep directory");
  }

  @Test
  void sweepAloneAsksForACommand() {
    CliRun run = CliRun.of("sweep");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("missing command: use 'sweep run'");
  }
}
