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

  /** d = 60, r = 45, m = 45, b = d, eta = c = 0.02, to t = 30 (1500 steps); full width 50. */
  private Path smallScenario(String extra) throws IOException {
    Path file = tmp.resolve("small.json");
    Files.writeString(file, "{\"name\": \"small\", \"description\": \"a quick test\", \"d\": 60, \"r\": 45, "
        + "\"m\": 45, \"alpha\": 1, \"sigma0\": 0.001, \"batch\": 60, \"c\": 0.02, \"seed\": 1, \"points\": 30, "
        + "\"tMax\": 30" + extra + "}");
    return file;
  }

  /**
   * laws --compute at a small teacher: the five files, the frontier table, a CSV whose compute is steps x the one
   * flops formula, and an envelope that never lies above any width's curve.
   */
  @Test
  void computeFrontierWritesItsFiguresTablesAndCsv() throws IOException {
    Path out = tmp.resolve("frontier");
    CliRun run = CliRun.of("laws", "--compute", "--compute-d", "400", "--compute-r", "64", "--compute-max-width", "16",
        "--points", "60", "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CliRun.listing(out)).containsExactly("additive-curves.png", "compute-curves.csv",
        "compute-frontier.csv", "risk-vs-compute.png", "summary.txt");
    assertPng(out.resolve("risk-vs-compute.png"));
    assertPng(out.resolve("additive-curves.png"));
    assertThat(run.out()).contains("Compute frontier: d = 400, r = 64").contains("frontier exponent (exact flow)")
        .contains("derived (window)").contains("if width were free (time law)");
    assertThat(run.err()).contains("laws: compute frontier at d=400 r=64").contains("widths [2, 3, 4, 6, 8, 11, 16]");
    assertThat(Files.readString(out.resolve("summary.txt"))).isEqualTo(run.out());
    List<String> curves = Files.readAllLines(out.resolve("compute-curves.csv"));
    assertThat(curves.get(0)).isEqualTo("m,t,compute,flow_risk,additive_risk");
    assertThat(curves).hasSize(1 + 7 * 60);
    java.util.Map<Integer, List<double[]>> byWidth = new java.util.TreeMap<>();
    for (String line : curves.subList(1, curves.size())) {
      double[] v = row(line);
      int m = (int) v[0];
      // compute = (t / eta) flopsPerStep at batch d = 400, eta = 0.02
      assertThat(v[2]).as(line).isCloseTo(v[1] / 0.02 * org.qnnoracle.sgd.SgdRiskCurve.flopsPerStep(400, m, 64, 400),
          org.assertj.core.api.Assertions.withinPercentage(1e-10));
      byWidth.computeIfAbsent(m, k -> new java.util.ArrayList<>()).add(v);
    }
    assertThat(byWidth.keySet()).containsExactly(2, 3, 4, 6, 8, 11, 16);
    List<String> frontier = Files.readAllLines(out.resolve("compute-frontier.csv"));
    assertThat(frontier.get(0)).isEqualTo("compute,frontier_risk,best_width,additive_frontier_risk,"
        + "additive_best_width");
    for (String line : frontier.subList(1, frontier.size())) {
      double[] v = row(line);
      for (List<double[]> c : byWidth.values()) {
        // not above any curve: a curve decreases, so its value at the last node at or below this compute (its first
        // node before it starts) bounds its interpolant here from above
        double[] node = c.get(0);
        for (double[] p : c) {
          if (p[2] <= v[0]) {
            node = p;
          }
        }
        assertThat(v[1]).as("envelope at C = %s vs m = %s", v[0], node[0]).isLessThanOrEqualTo(node[3] * (1 + 1e-12));
      }
    }
  }

  @Test
  void computeFrontierRefusesBadSizesWithOneLineAndNoFiles() {
    Path out = tmp.resolve("never");
    for (String[] args : new String[][] {
        {"--compute-max-width", "8"},
        {"--compute-r", "20"},
        {"--compute-r", "100", "--compute-max-width", "64"},
        {"--compute-r", "2400", "--compute-max-width", "1200"},
        {"--d-list", "1e3"},
        {"--alpha", "0.5"}}) {
      List<String> a = new java.util.ArrayList<>(List.of("laws", "--compute", "--out", out.toString()));
      a.addAll(Arrays.asList(args));
      CliRun run = CliRun.of(a.toArray(String[]::new));
      assertThat(run.exit()).as(Arrays.toString(args) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err().lines().filter(l -> l.contains("error:")).count()).as(run.err()).isEqualTo(1);
      assertThat(Files.exists(out)).isFalse();
    }
  }

  @Test
  void scenarioRunsSgdBesideTheEffectiveOdeAndTheFlowWithTheFullWidth() throws IOException {
    Path file = smallScenario(", \"fullWidth\": 50");
    Path out = tmp.resolve("scen");
    CliRun run = CliRun.of("laws", "--scenario", file.toString(), "--full-width", "--threads", "2", "--out",
        out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CliRun.listing(out)).containsExactly("scenario-compute.png", "scenario-samples.png", "scenario.csv",
        "scenario.png", "summary.txt");
    for (String png : List.of("scenario.png", "scenario-samples.png", "scenario-compute.png")) {
      assertPng(out.resolve(png));
    }
    assertThat(run.out()).contains("Scenario small").contains("online SGD, m = 45").contains("effective ODE, m = 45")
        .contains("population flow, m = 45").contains("effective ODE, m = 50").contains("population flow, m = 50")
        .contains("asymptote").contains("time (s)");
    assertThat(run.err()).contains("laws: scenario: online SGD").contains("1500 steps");
    assertThat(Files.readString(out.resolve("summary.txt"))).isEqualTo(run.out());

    List<String> csv = Files.readAllLines(out.resolve("scenario.csv"));
    assertThat(csv.get(0)).isEqualTo("t,samples,flops,sgd_risk,effective_risk,flow_risk,additive,full_width_flops,"
        + "full_effective_risk,full_flow_risk");
    double perStep = 4.0 * 60 * 60 * 45 + 3.0 * 60 * 45 + 3.0 * 60 * 45 + 4.0 * 60 * 45 + 2.0 * 60;
    double perStepFull = 4.0 * 60 * 60 * 50 + 3.0 * 60 * 45 + 3.0 * 60 * 50 + 4.0 * 60 * 50 + 2.0 * 60;
    double[] first = row(csv.get(1));
    double[] last = row(csv.get(csv.size() - 1));
    for (String line : csv.subList(1, csv.size())) {
      double[] v = row(line);
      assertThat(v).hasSize(10);
      long steps = Math.round(v[0] / 0.02);
      assertThat(v[1]).as("samples = k b").isEqualTo(steps * 60.0);
      assertThat(v[2]).as("flops at m").isEqualTo(steps * perStep);
      assertThat(v[7]).as("flops at the full width").isEqualTo(steps * perStepFull);
      for (int k = 3; k < 10; k++) {
        assertThat(v[k]).as(line).isFinite().isPositive();
      }
    }
    assertThat(last[0]).isEqualTo(30.0);
    // SGD learns: from R(0) = 2 (sum lambda^2 = 1) to below R(0) / 20 at t = 30 (the effective ODE is at 0.047).
    assertThat(first[3]).isGreaterThan(1.9);
    assertThat(last[3]).isLessThan(2.0 / 20);
    // One replica against the effective ODE at the end: |log(R_sgd / R_eff)| <= 0.2. Over seeds 1..20 of this
    // setting the gap is 0.026 .. 0.122 (mean 0.060, sd 0.024; here seed 1: 0.031): one replica's excess over the
    // mean dynamics at d = 60 (the ODE's own noise correction is log(R_eff / R_flow) = 0.135) plus its escape-time
    // jitter. 0.2 is 5.9 sd above the mean; SGD at twice the step size gives 0.24 .. 0.33 on the same seeds, and
    // eta not divided by b diverges.
    double gap = Math.abs(Math.log(last[3] / last[4]));
    System.out.println("scenario seed 1: |log(R_sgd / R_eff)| at t = 30 is " + gap + " (bound 0.2)");
    assertThat(gap).isLessThanOrEqualTo(0.2);
  }

  @Test
  void scenarioSgdWidthOverridesAndFlowWidthAddsItsCurve() throws IOException {
    Path file = smallScenario("");
    Path out = tmp.resolve("scen-narrow");
    // --compute adds the frontier at the scenario's d, r, alpha, batch and step: its figures, CSVs and table.
    CliRun run = CliRun.of("laws", "--scenario", file.toString(), "--sgd-width", "16", "--flow-width", "50",
        "--compute", "--compute-max-width", "16", "--threads", "2", "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CliRun.listing(out)).contains("scenario-flow-width.csv", "scenario-compute.png", "risk-vs-compute.png",
        "additive-curves.png", "compute-frontier.csv", "compute-curves.csv");
    assertThat(run.out()).contains("Compute frontier: d = 60, r = 45, alpha = 1, sigma0 = 0.001, batch 60, eta = 0.02");
    assertThat(Files.readString(out.resolve("summary.txt"))).contains("Compute frontier");
    assertThat(run.err()).contains("laws: compute frontier at d=60 r=45");
    assertThat(run.out()).contains("online SGD, m = 16").contains("Population flow at m = 50")
        .doesNotContain("m = 45");
    List<String> csv = Files.readAllLines(out.resolve("scenario.csv"));
    assertThat(csv.get(0)).isEqualTo("t,samples,flops,sgd_risk,effective_risk,flow_risk,additive");
  }

  private static double[] row(String line) {
    return Arrays.stream(line.split(",", -1)).mapToDouble(x -> x.isEmpty() ? Double.NaN : Double.parseDouble(x))
        .toArray();
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
        new String[] {"laws", "--scenario", "paper", "--flow-width", "100", "--out", o},
        new String[] {"laws", "--scenario", "paper", "--sgd-width", "0", "--out", o},
        new String[] {"laws", "--scenario", "paper", "--sgd-width", "8", "--out", o},
        new String[] {"laws", "--scenario", "paper", "--sgd-width", "100000", "--out", o},
        new String[] {"laws", "--scenario", "paper", "--sgd-width", "x", "--out", o},
        new String[] {"laws", "--scenario", "paper", "--compute", "--compute-max-width", "2000", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--full-width", "--out", o},
        new String[] {"laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--sgd-width", "32", "--out", o});
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
    assertThat(run.errLines().get(0)).endsWith("': the file ends before the JSON is complete (truncated?)");
    Files.writeString(bad, "{\"name\": \"x\", \"dd\": 3}");
    CliRun unknown = CliRun.of("laws", "--scenario", bad.toString(), "--out", out.toString());
    unknown.assertUsageError("laws");
    assertThat(unknown.err()).contains("unknown field 'dd'");
    assertThat(Files.exists(out)).isFalse();

    // Wrong types and values, in the optional field as in the required ones, are refused before anything runs.
    String base = "{\"name\": \"x\", \"description\": \"\", \"d\": 60, \"r\": 45, \"alpha\": 1, "
        + "\"sigma0\": 0.001, \"batch\": 60, \"c\": 0.02, \"seed\": 1, \"points\": 30, \"tMax\": 30, ";
    List<String[]> cases = List.of(
        new String[] {"\"m\": 45, \"fullWidth\": \"yes\"}", "'fullWidth' must be a whole number M >= r, true or false"},
        new String[] {"\"m\": 45, \"fullWidth\": 44}", "the full width must satisfy r <= M"},
        new String[] {"\"m\": 45, \"fullWidth\": 50.5}", "'fullWidth' must be a whole number M >= r"},
        new String[] {"\"m\": 45, \"fullWidth\": 0}", "'fullWidth' must be a whole number M >= r"},
        new String[] {"\"m\": 4.5}", "'m' must be a whole number"},
        new String[] {"\"m\": \"45\"}", "'m' must be a whole number"},
        new String[] {"\"m\": 0}", "the student width must be >= 1"},
        new String[] {"\"m\": 45, \"c\": 0}", "'c' is given twice"});
    for (String[] c : cases) {
      Files.writeString(bad, base + c[0]);
      CliRun r = CliRun.of("laws", "--scenario", bad.toString(), "--out", out.toString());
      r.assertUsageError("laws");
      assertThat(r.err()).as(c[0]).contains(c[1]);
      assertThat(Files.exists(out)).as(c[0]).isFalse();
    }
    Files.writeString(bad, base + "\"m\": 45, \"fullWidth\": false}");
    CliRun noFull = CliRun.of("laws", "--scenario", bad.toString(), "--full-width", "--out", out.toString());
    noFull.assertUsageError("laws");
    assertThat(noFull.err()).contains("no full-width part");
    assertThat(Files.exists(out)).isFalse();

    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    CliRun notDir = CliRun.of(sweep(file));
    notDir.assertUsageError("laws");
    assertThat(notDir.err()).contains("not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void theBundledPaperScenarioIsTheSourcesSetting() {
    org.qnnoracle.laws.Scenario paper = org.qnnoracle.laws.ScenarioFile.load("paper");
    assertThat(List.of(paper.d(), paper.r(), paper.m(), paper.batch(), paper.fullWidth()))
        .containsExactly(3200, 2400, 256, 3200, 2400);
    assertThat(paper.alpha()).isEqualTo(1.0);
    assertThat(paper.eta()).isEqualTo(0.02);
    // tMax = 60 at eta = 0.02: the source's 3000 steps of batch d
    assertThat(org.qnnoracle.laws.ScenarioRun.outputSteps(paper)).endsWith(3000L);
  }

  @Test
  void helpExplainsTheWindowAndShowsExamples() {
    CliRun run = CliRun.of("laws", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Measure the time, width and sample scaling laws").contains("window")
        .contains("Examples:").contains("--scenario paper").contains("--d-list").contains("--sgd-width")
        .contains("--full-width").contains("fullWidth").contains("scenario-compute.png");
  }
}
