package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.qnnoracle.Version;

/** Help, version and the top-level command. */
class CliMainTest {
  @Test
  void versionPrintsNameAndVersion() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exit()).isZero();
    // the version comes from the pom through the filtered qnn-oracle-version.properties
    assertThat(run.out().lines().toList()).containsExactly("qnn-oracle " + Version.CURRENT,
        "linear algebra: " + org.qnnoracle.linalg.Linalg.describe());
    assertThat(run.out()).startsWith("qnn-oracle 0.1.0");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage: qnn-oracle").contains("verify").contains("flow").contains("help");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void flowHelpDescribesEveryOptionAndTheTimeUnits() {
    CliRun run = CliRun.of("flow", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("--d=N", "--r=N", "--m=N", "--alpha=X", "--norm", "--basis", "--sigma0",
        "--seed", "--t-max", "--points", "--method", "--rtol", "--out", "tau = 4t", "gradient-flow time",
        "reduced-dp853", "Default: 101");
  }

  @Test
  void verifyHelpAndHelpSubcommand() {
    CliRun run = CliRun.of("verify", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("--scale", "--only", "--report", "claims.json", "report.md");
    CliRun viaHelp = CliRun.of("help", "verify");
    assertThat(viaHelp.exit()).isZero();
    assertThat(viaHelp.out()).isEqualTo(run.out());
  }

  @Test
  void missingOrUnknownCommandIsAUsageError() {
    CliRun.of().assertUsageError("");
    CliRun.of("frobnicate").assertUsageError("");
    CliRun.of("--frobnicate").assertUsageError("");
  }
}
