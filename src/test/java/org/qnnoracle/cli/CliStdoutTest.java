package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.qnnoracle.reference.ReferenceFixtures.flowCandidate;
import static org.qnnoracle.reference.ReferenceFixtures.flowCase;
import static org.qnnoracle.reference.ReferenceFixtures.sealed;
import static org.qnnoracle.reference.ReferenceFixtures.write;
import static org.qnnoracle.reference.ReferenceFixtures.writeCase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.claims.Measurement;

/**
 * Standard output that cannot be written (a full disk, a closed pipe) is an error: one line on stderr and exit 2,
 * for every command that prints results. PrintWriter and PrintStream swallow write errors, so before this
 * {@code flow ... > /dev/full} exited 0 with the CSV lost.
 */
class CliStdoutTest {
  private static final String FULL = "No space left on device";
  private static final String[] FLOW = {"flow", "--d", "6", "--r", "3", "--m", "2", "--alpha", "1", "--points", "3",
      "--t-max", "1"};

  @TempDir
  Path tmp;

  /** Exit 2 and exactly one error line of ours, saying what was lost and why; no stack trace. */
  private static void assertStdoutLost(CliRun run, String expectedLine) {
    assertThat(run.exit()).as(run.err()).isEqualTo(Console.EXIT_USAGE);
    assertThat(run.errorLines()).as(run.err()).containsExactly(expectedLine);
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static void assertFullDisk(CliRun run) {
    assertStdoutLost(run, "qnn-oracle: error: cannot write to standard output: " + FULL);
  }

  @Test
  void flowCsvToAFullStandardOutputIsAnErrorWithItsReason() {
    CliRun run = CliRun.withStdout(CliRun.failing(FULL), FLOW);
    assertFullDisk(run);
    // the closing "final risk ... " line would claim a success: it is not printed
    assertThat(run.err()).doesNotContain("final risk");
  }

  @Test
  void aPrintStreamThatFailsIsNoticedThoughItKeepsNoReason() {
    // PrintStream (System.out's type) swallows the IOException and keeps only a flag
    CliRun run = CliRun.withStdout(new PrintStream(CliRun.failing(FULL), true), FLOW);
    assertStdoutLost(run, "qnn-oracle: error: cannot write to standard output");
  }

  @Test
  void sgdCsvToAFullStandardOutputIsAnError() {
    CliRun run = CliRun.withStdout(CliRun.failing(FULL), "sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1",
        "--steps", "3", "--points", "4");
    assertFullDisk(run);
    assertThat(run.err()).doesNotContain("ran to the end");
  }

  @Test
  void lawsStopsAtItsFirstTableAndWritesNoFile() {
    Path out = tmp.resolve("laws");
    CliRun run = CliRun.withStdout(CliRun.failing(FULL), "laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24",
        "--points", "20", "--widths", "4", "--out", out.toString());
    assertFullDisk(run);
    assertThat(out).doesNotExist();
  }

  @Test
  void deriveVerifyCheckAndReferenceReportALostTable() throws IOException {
    assertFullDisk(CliRun.withStdout(CliRun.failing(FULL), "derive", "--identity", "hermite", "--d", "1",
        "--no-symja"));

    VerifyCommand verify = new VerifyCommand(prefix -> List.of(CliVerifyTest.claim("TEST-PASS",
        s -> Measurement.atMost(0.5, 1.0, "fabricated pass"))));
    assertFullDisk(CliRun.withStdout(verify, CliRun.failing(FULL), "verify", "--report",
        tmp.resolve("report").toString()));
    // the claims have run: their reports are still written, the lost table is still an error
    assertThat(CliRun.listing(tmp.resolve("report"))).containsExactly("claims.json", "report.md");

    Path caseFile = writeCase(tmp, sealed(flowCase("flow-small")));
    Path candidate = write(tmp, "cand.json", flowCandidate("flow-small"));
    assertFullDisk(CliRun.withStdout(CliRun.failing(FULL), "check", "--case", caseFile.toString(), "--candidate",
        candidate.toString()));

    assertFullDisk(CliRun.withStdout(CliRun.failing(FULL), "reference", "generate", "--out",
        tmp.resolve("cases").toString()));
  }

  @Test
  void helpAndVersionTextLostAreErrorsToo() {
    assertFullDisk(CliRun.withStdout(CliRun.failing(FULL), "--help"));
    assertFullDisk(CliRun.withStdout(CliRun.failing(FULL), "--version"));
    assertFullDisk(CliRun.withStdout(CliRun.failing(FULL), "flow", "--help"));
  }

  @Test
  void aWorkingStandardOutputStillGetsTheWholeCsv() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    CliRun run = CliRun.withStdout(stdout, FLOW);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8).lines()).hasSize(4).first().asString().startsWith("t,risk,");
    assertThat(CliRun.of(FLOW).out()).isEqualTo(stdout.toString(StandardCharsets.UTF_8));
  }

  /** The real thing: a separate JVM through main(), its standard output redirected to /dev/full. */
  @Test
  void mainToDevFullExitsTwoWithOneLine() throws IOException, InterruptedException {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.exists(devFull) && Files.isWritable(devFull), "/dev/full is needed (Linux)");
    Path err = tmp.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Dqnn.linalg=java", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(FLOW));
    Process p = new ProcessBuilder(command).redirectOutput(devFull.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the process finished").isTrue();
    List<String> lines = Files.readAllLines(err);
    assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(Console.EXIT_USAGE);
    assertThat(lines.stream().filter(l -> l.startsWith("qnn-oracle: "))).containsExactly(
        "qnn-oracle: error: cannot write to standard output: " + FULL);
    assertThat(lines).noneMatch(l -> l.contains("Exception"));
  }
}
