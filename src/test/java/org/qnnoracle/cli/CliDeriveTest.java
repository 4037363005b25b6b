package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.qnnoracle.experiments.IdentityVerification;
import org.qnnoracle.gaussian.GaussianIdentity;

/** {@code qnn-oracle derive}: help, the error contract, and real (small) verifications end to end. */
class CliDeriveTest {
  @Test
  void helpNamesEveryIdentityAndOption() {
    CliRun run = CliRun.of("derive", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("--identity=NAME", "--d=N", "--cases=K", "--seed=S", "--no-symja",
        "--no-symbolic", "Exit codes");
    // picocli wraps long words at the terminal width, so compare without white space
    assertThat(run.out().replaceAll("\\s+", "")).contains("proofs-notes/gaussian-moments.md");
    for (GaussianIdentity g : GaussianIdentity.values()) {
      assertThat(run.out()).contains(g.cliName());
    }
    assertThat(CliRun.of("--help").out()).contains("derive");
  }

  @Test
  void badArgumentsAreOneLineUsageErrors() {
    CliRun.of("derive", "--identity", "nope").assertUsageError("derive");
    CliRun.of("derive", "--d", "0").assertUsageError("derive");
    CliRun.of("derive", "--d", "5").assertUsageError("derive");
    CliRun.of("derive", "--d", "two").assertUsageError("derive");
    CliRun.of("derive", "--cases", "0").assertUsageError("derive");
    CliRun.of("derive", "--frobnicate").assertUsageError("derive");
  }

  @Test
  void javaOnlyRunVerifiesEveryIdentityAndReportsTheDimensions() {
    CliRun run = CliRun.of("derive", "--no-symja", "--d", "2");
    assertThat(run.exit()).as(run.err()).isZero();
    for (GaussianIdentity g : GaussianIdentity.values()) {
      assertThat(run.out()).contains(g.cliName() + "  (claim " + IdentityVerification.claimId(g) + ")");
    }
    assertThat(run.out()).contains("closed form  T(B, M) = E[(x^T B x - tr B)^2 Q M Q]")
        .contains("9 of 9 identities verified").doesNotContain("FAIL").doesNotContain("Symja (Expand");
    // a table row per dimension: d, cases, entries, verdict of the closed form
    assertThat(run.outLines()).anyMatch(l -> l.matches("\\s+2\\s+\\d+\\s+\\d+\\s+holds\\s+-.*"));
    assertThat(run.err()).contains("(Java engine only)");
  }

  @Test
  void symjaRunAgreesAndProvesSymbolically() {
    CliRun run = CliRun.of("derive", "--identity", "noise-moment", "--d", "2");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("[1/1] noise-moment  (claim GAUSS-NOISE-MOMENT)")
        .contains("Symja (Expand")
        .contains("d=2: holds as a polynomial identity in the entries (4 entries")
        .contains("verdict      verified")
        .contains("1 of 1 identities verified");
    assertThat(run.outLines()).filteredOn(l -> l.matches("\\s+[12]\\s+.*")).hasSize(2)
        .allMatch(l -> l.contains("holds") && l.contains("agrees"));
  }
}
