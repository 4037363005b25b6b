package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify --claims, --only-file and check-claim from the command line. */
class CliClaimFilesTest {
  @TempDir
  Path dir;

  @Test
  void verifyRunsFileClaimsInTheSameTableAndReports() throws IOException {
    Path report = dir.resolve("r");
    CliRun run = CliRun.of("verify", "--scale", "small", "--claims", "test-data/claim-files/false-wrong-floor.json",
        "--only", "MODEL-HE2,TRUE-,FALSE-", "--report", report.toString());
    // A false claim fails the run (exit 1), beside a built-in and a true file claim that pass.
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("MODEL-HE2-NORM").contains("TRUE-WIDTH-FLOOR").contains("FALSE-WIDTH-FLOOR")
        .contains("2 of 3 claims passed").contains("failed: FALSE-WIDTH-FLOOR");
    String json = Files.readString(report.resolve("claims.json"));
    assertThat(json).contains("FALSE-WIDTH-FLOOR").contains("misses by");
    assertThat(Files.readString(report.resolve("report.md"))).contains("stated in a claim file");
  }

  @Test
  void onlyFileLeavesTheBuiltInsOut() {
    CliRun run = CliRun.of("verify", "--claims", "test-data/claim-files/false-wrong-floor.json", "--only-file",
        "--only", "TRUE-", "--report", dir.resolve("r").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("1 of 1 claims passed").doesNotContain("MODEL-");
  }

  @Test
  void badClaimFileExitsTwoAndWritesNothing() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"claims\": [{\"id\": \"MY-X\", "
        + "\"statement\": \"s\", \"source\": \"x\", \"route\": \"flow\", \"model\": {\"d\": 100, \"r\": 4, \"m\": 2}, "
        + "\"grid\": {\"points\": [1]}, \"assert\": \"risk <=\", \"quantifier\": \"end\", \"tolerance\": 0, "
        + "\"toleranceReason\": \"r\"}]}");
    Path report = dir.resolve("never");
    CliRun run = CliRun.of("verify", "--claims", bad.toString(), "--report", report.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("bad.json: claim MY-X: assert").contains("parse error at character");
    assertThat(run.err().lines().filter(l -> l.startsWith("qnn-oracle: error")).count()).isEqualTo(1);
    assertThat(report).doesNotExist();
  }

  @Test
  void onlyFileNeedsClaims() {
    CliRun run = CliRun.of("verify", "--only-file", "--report", dir.resolve("r").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--only-file needs --claims");
  }

  @Test
  void checkClaimExplainsWithoutRunning() {
    CliRun run = CliRun.of("check-claim", "test-data/claim-files/builtin-time-exponent.json", "--scale", "large");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("FILE-LAWS-TIME-EXPONENT").contains("settings:   4 at scale large")
        .contains("r=128").contains("floating-point operations");
  }
}
