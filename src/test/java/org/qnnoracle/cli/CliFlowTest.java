package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.TeacherBasis;

/** {@code flow} writes what the library computes, only formatted. */
class CliFlowTest {
  private static final String[] SMALL = {"flow", "--d", "6", "--r", "3", "--m", "2", "--alpha", "1",
      "--points", "5", "--t-max", "2"};

  @TempDir
  Path tmp;

  @Test
  void csvFileHasHeaderAndOneRowPerTime() throws IOException {
    Path csv = tmp.resolve("curve.csv");
    CliRun run = CliRun.of(with(SMALL, "--out", csv.toString()));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("t,risk,normalised_risk,overlap_1,overlap_2,overlap_3");
    assertThat(lines).hasSize(6);
    for (String line : lines.subList(1, lines.size())) {
      assertThat(line.split(",", -1)).hasSize(6);
    }
    // Written atomically: nothing but the target in the directory afterwards.
    assertThat(CliRun.listing(tmp)).containsExactly("curve.csv");
    assertThat(run.errLines()).last().asString().contains("method exact").contains("final risk");
  }

  @Test
  void csvEqualsTheLibraryTrajectory() throws IOException {
    Path csv = tmp.resolve("curve.csv");
    assertThat(CliRun.of(with(SMALL, "--out", csv.toString())).exit()).isZero();
    double[][] rows = parse(Files.readAllLines(csv));

    // Same defaults as the command: l2, haar, sigma0 0.001, seed 1.
    ModelSpec spec = new ModelSpec(6, 3, 2, 1.0, Normalisation.L2, 0.001, TeacherBasis.HAAR, 1L);
    Instance inst = spec.instance();
    double[] times = FlowTime.uniformGrid(2.0, 5);
    List<FlowState> states = FlowMethod.EXACT.solve(inst, times, 1e-12);
    assertThat(rows).hasNumberOfRows(times.length);
    for (int k = 0; k < times.length; k++) {
      FlowObservables obs = states.get(k).observables(inst.teacher());
      assertThat(rows[k][0]).isEqualTo(times[k]);
      assertRelative(rows[k][1], obs.risk());
      assertRelative(rows[k][2], Risk.normalised(obs.risk(), inst.teacher()));
      double[] overlaps = obs.directionOverlaps();
      for (int j = 0; j < overlaps.length; j++) {
        assertRelative(rows[k][3 + j], overlaps[j]);
      }
    }
    assertRelative(rows[0][1], Risk.ofStudent(inst.teacher(), inst.w0()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"reduced", "dp853", "reduced-gbs", "closed-form"})
  void otherMethodsAndOptionsReachTheLibrary(String method) throws IOException {
    Path csv = tmp.resolve("curve.csv");
    CliRun run = CliRun.of("flow", "--d", "5", "--r", "2", "--m", "3", "--alpha", "0.5", "--norm", "l1",
        "--basis", "canonical", "--sigma0", "0.01", "--seed", "7", "--t-max", "1.5", "--points", "4",
        "--method", method, "--rtol", "1e-11", "--out", csv.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    double[][] rows = parse(Files.readAllLines(csv));

    Instance inst = new ModelSpec(5, 2, 3, 0.5, Normalisation.L1, 0.01, TeacherBasis.CANONICAL, 7L).instance();
    List<FlowState> states = FlowMethod.parse(method).solve(inst, FlowTime.uniformGrid(1.5, 4), 1e-11);
    for (int k = 0; k < rows.length; k++) {
      assertRelative(rows[k][1], states.get(k).observables(inst.teacher()).risk());
    }
  }

  @Test
  void withoutOutTheCsvGoesToStdout() {
    CliRun run = CliRun.of(SMALL);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(6)
        .first().isEqualTo("t,risk,normalised_risk,overlap_1,overlap_2,overlap_3");
    assertThat(run.err()).contains("final risk").doesNotContain("error");
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    Path csv = tmp.resolve("curve.csv");
    Files.writeString(csv, "old content\n");
    assertThat(CliRun.of(with(SMALL, "--out", csv.toString())).exit()).isZero();
    assertThat(Files.readString(csv)).startsWith("t,risk,");
    assertThat(CliRun.listing(tmp)).containsExactly("curve.csv");
  }

  @Test
  void matrixFormWithMBelowRIsRefusedBeyondItsStableHorizon() {
    // lambda_2 tau = 4 * 0.5 * lambda_2 ~ 0.9 <= 3: accepted
    CliRun ok = CliRun.of("flow", "--d", "4", "--r", "3", "--m", "1", "--alpha", "1", "--t-max", "0.5",
        "--points", "2", "--method", "dp853-m");
    assertThat(ok.exit()).as(ok.err()).isZero();
    // lambda_2 tau ~ 90: refused with one error line, before anything is computed
    CliRun refused = CliRun.of("flow", "--d", "4", "--r", "3", "--m", "1", "--alpha", "1", "--t-max", "50",
        "--points", "2", "--method", "dp853-m");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).startsWith("qnn-oracle: error: method dp853-m is unstable for m < r");
  }

  static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static double[][] parse(List<String> lines) {
    return lines.stream().skip(1)
        .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
        .toArray(double[][]::new);
  }

  /** Same computation, only formatted and parsed: equal to 1e-15 relative (in fact bit for bit). */
  private static void assertRelative(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(1e-15 * Math.abs(expected)));
  }
}
