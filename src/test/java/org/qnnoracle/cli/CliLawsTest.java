package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code laws}: files and tables of a small sweep, the sample law, scenarios, and the error contract. */
class CliLawsTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  @TempDir
  Path tmp;

  private static String[] sweep(Path out, String... extra) {
    String[] base = {"laws", "--alpha", "1", "--d-list", "1e3,1e5,1e7", "--r-list", "24,28,32", "--points", "40",
        "--out", out.toString()};
    String[] all = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  private static void assertPng(Path p) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    assertThat(Arrays.copyOf(bytes, 8)).as(p.toString()).isEqualTo(PNG);
  }

  @Test
  void sweepWritesFiguresCsvAndSummaryAndPrintsTheTable() throws IOException {
    Path out = tmp.resolve("new/dir");
    CliRun run = CliRun.of(sweep(out, "--widths", "4,8"));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CliRun.listing(out)).containsExactly("collapse.png", "laws.csv", "risk-vs-time.png", "summary.txt",
        "width-floor.png");
    for (String png : List.of("collapse.png", "risk-vs-time.png", "width-floor.png")) {
      assertPng(out.resolve(png));
    }
    assertThat(run.out()).contains("fitted exponent (95% CI)").contains("log-corrected").contains("1e5")
        .contains("Finite-size trend").contains("log factor").contains("tail sum");
    assertThat(Files.readString(out.resolve("summary.txt"))).isEqualTo(run.out());
    List<String> csv = Files.readAllLines(out.resolve("laws.csv"));
    assertThat(csv.get(0)).isEqualTo("d,r,m,t,risk,additive");
    assertThat(csv).hasSize(1 + 3 * 40);
    assertThat(csv.get(1)).startsWith("1000,24,24,");
  }

  @Test
  void sampleLawAddsItsFigureAndTable() throws IOException {
    Path out = tmp.resolve("sgd");
    CliRun run = CliRun.of(sweep(out, "--widths", "4", "--sgd", "--sgd-d", "40", "--c-list", "0.05,0.1",
        "--replicas", "2", "--threads", "2"));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CliRun.listing(out)).contains("risk-vs-samples.png", "sample-law.csv");
    assertPng(out.resolve("risk-vs-samples.png"));
    assertThat(run.out()).contains("Sample law at d = 40").contains("c*(n)").contains("best SGD");
    assertThat(Files.readAllLines(out.resolve("sample-law.csv")).get(0))
        .isEqualTo("n,c_star,predicted,sgd_mean_c0.05,sgd_mean_c0.1,ode_c0.05,ode_c0.1");
  }

  @Test
  void scenarioFileRunsThroughTheEffectiveDynamics() throws IOException {
    Path file = tmp.resolve("small.json");
    Files.writeString(file, "{\"name\": \"small\", \"description\": \"a quick test\", \"d\": 400, \"r\": 24, "
        + "\"m\": 24, \"alpha\": 1, \"sigma0\": 0.001, \"batch\": 400, \"c\": 0.01, \"seed\": 3, \"points\": 40, "
        + "\"tMax\": 40}");
    Path out = tmp.resolve("scen");
    CliRun run = CliRun.of("laws", "--scenario", file.toString(), "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CliRun.listing(out)).containsExactly("scenario.csv", "scenario.png", "summary.txt");
    assertPng(out.resolve("scenario.png"));
    assertThat(run.out()).contains("Scenario small").contains("effective SGD dynamics").contains("asymptote");

    // --flow-width: the exact flow at a width M >= r by the overlap closed form, in its own file.
    Path wide = tmp.resolve("scen-wide");
    CliRun w = CliRun.of("laws", "--scenario", file.toString(), "--flow-width", "30", "--threads", "2", "--out",
        wide.toString());
    assertThat(w.exit()).as(w.err()).isZero();
    assertThat(CliRun.listing(wide)).contains("scenario-flow-width.csv");
    assertThat(w.out()).contains("Population flow at m = 30");
  }

  @Test
  void badInputIsOneLineExitTwoAndNoFiles() throws IOException {
    Path out = tmp.resolve("never");
    String o = out.toString();
    List<String[]> bad = List.of(
        new String[] {"laws", "--alpha", "0.5", "--d-list", "1e3", "--r-list", "24", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e5,1e3", "--r-list", "24,24", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e3", "--beta", "1", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "100", "--r-list", "200", "--out", o},
        new String[] {"laws", "--alpha", "NaN", "--d-list", "1e3", "--r-list", "24", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--sigma0", "Infinity", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e3", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e9", "--r-list", "100000", "--m", "1000", "--out", o},
        new String[] {"laws", "--d-list", "1e3", "--r-list", "24", "--out", o},
        new String[] {"laws", "--scenario", tmp.resolve("missing.json").toString(), "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--flow-width", "30", "--out", o},
        new String[] {"laws", "--scenario", "paper", "--flow-width", "100", "--out", o});
    for (String[] args : bad) {
      CliRun run = CliRun.of(args);
      run.assertUsageError("laws");
      assertThat(Files.exists(out)).as(String.join(" ", args)).isFalse();
    }
  }

  @Test
  void malformedScenarioAndUnwritableOutAreRefused() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"name\": \"x\", \"d\": ");
    Path out = tmp.resolve("never");
    CliRun run = CliRun.of("laws", "--scenario", bad.toString(), "--out", out.toString());
    run.assertUsageError("laws");
    assertThat(run.err()).contains("malformed JSON");
    Files.writeString(bad, "{\"name\": \"x\", \"dd\": 3}");
    CliRun unknown = CliRun.of("laws", "--scenario", bad.toString(), "--out", out.toString());
    unknown.assertUsageError("laws");
    assertThat(unknown.err()).contains("unknown field 'dd'");
    assertThat(Files.exists(out)).isFalse();

    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    CliRun notDir = CliRun.of(sweep(file));
    notDir.assertUsageError("laws");
    assertThat(notDir.err()).contains("not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void helpExplainsTheWindowAndShowsExamples() {
    CliRun run = CliRun.of("laws", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Measure the time, width and sample scaling laws").contains("window")
        .contains("Examples:").contains("--scenario paper").contains("--d-list");
  }
}
