package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.StepSchedule;

/** {@code sgd}: the CSV is what the library computes, the error contract, replay from a file. */
class CliSgdTest {
  private static final String[] SMALL = {"sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1",
      "--sigma0", "0.5", "--c", "0.1", "--t-max", "2", "--points", "5"};

  @TempDir
  Path tmp;

  @Test
  void csvHasHeaderAndOneRowPerTimeAndIsWrittenAtomically() throws IOException {
    Path csv = tmp.resolve("sgd.csv");
    CliRun run = CliRun.of(with(SMALL, "--replicas", "3", "--out", csv.toString()));
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("t,step,samples,replicas_alive,risk_mean,risk_sd,risk_min,risk_max,"
        + "normalised_risk_mean,overlap_1,overlap_2,overlap_3");
    assertThat(lines).hasSize(6);
    // eta = 0.1 / 20 = 0.005: t = 0.5 is step 100; steps and samples are integers
    assertThat(lines.get(2)).startsWith("0.5,100,100,3,");
    assertThat(CliRun.listing(tmp)).containsExactly("sgd.csv");
    assertThat(run.errLines()).last().asString().contains("3 of 3 replicas ran to the end");
  }

  @Test
  void csvEqualsTheLibraryRunAndDoesNotDependOnThreads() throws IOException {
    Path one = tmp.resolve("one.csv");
    Path two = tmp.resolve("two.csv");
    assertThat(CliRun.of(with(SMALL, "--replicas", "3", "--threads", "1", "--out", one.toString())).exit())
        .isZero();
    assertThat(CliRun.of(with(SMALL, "--replicas", "3", "--threads", "3", "--out", two.toString())).exit())
        .isZero();
    assertThat(Files.readAllLines(one)).isEqualTo(Files.readAllLines(two));

    // replica 0 by hand: same instance (seed 1), samples from stream sgd-samples-0 of seed 1
    Instance inst = ModelSpec.of(20, 3, 2, 1.0, 0.5, 1L).instance();
    StepSchedule eta = new StepSchedule.Constant(0.1 / 20);
    SgdRunner.Plan plan = new SgdRunner.Plan(inst, eta, 1, 0.0, new long[] {400}, 1, 1L);
    OnlineSgd sgd = new OnlineSgd(inst.teacher(), inst.w0(), eta, 1,
        new GaussianSamples(Seeds.generator(plan.replicaSeed(0)), 0.0));
    sgd.runTo(400);
    Path single = tmp.resolve("single.csv");
    assertThat(CliRun.of(with(SMALL, "--out", single.toString())).exit()).isZero();
    String[] last = Files.readAllLines(single).get(5).split(",");
    assertThat(Double.parseDouble(last[4])).isEqualTo(sgd.snapshot().risk());
  }

  @Test
  void replayFileDrivesTheRun() throws IOException {
    int d = 4;
    // two steps of batch 2: four samples
    List<String> lines = new ArrayList<>(List.of("# x_1..x_4, eps"));
    var rng = Seeds.generator(7L);
    for (int k = 0; k < 4; k++) {
      lines.add(String.format(java.util.Locale.ROOT, "%s,%s,%s,%s,%s", rng.nextGaussian(), rng.nextGaussian(),
          rng.nextGaussian(), rng.nextGaussian(), 0.1 * rng.nextGaussian()));
    }
    Path replay = tmp.resolve("samples.csv");
    Files.write(replay, lines);
    Path csv = tmp.resolve("out.csv");
    CliRun run = CliRun.of("sgd", "--d", "4", "--r", "2", "--m", "2", "--alpha", "1", "--sigma0", "0.5",
        "--batch", "2", "--steps", "2", "--points", "3", "--replay", replay.toString(), "--out", csv.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readAllLines(csv)).hasSize(4);
    // one step more than the file holds is refused up front
    Path none = tmp.resolve("none.csv");
    CliRun.of("sgd", "--d", "4", "--r", "2", "--m", "2", "--alpha", "1", "--batch", "2", "--steps", "3",
        "--replay", replay.toString(), "--out", none.toString()).assertUsageError("sgd");
    assertThat(none).doesNotExist();
  }

  @Test
  void badInputIsOneLineAndNoFile() throws IOException {
    Path csv = tmp.resolve("x.csv");
    String o = csv.toString();
    CliRun.of("sgd", "--d", "0", "--r", "1", "--m", "1", "--alpha", "1", "--out", o).assertUsageError("sgd");
    CliRun.of(with(SMALL, "--noise", "-1", "--out", o)).assertUsageError("sgd");
    CliRun.of(with(SMALL, "--noise", "NaN", "--out", o)).assertUsageError("sgd");
    CliRun.of(with(SMALL, "--eta", "0.1", "--out", o)).assertUsageError("sgd");
    CliRun.of("sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1", "--t-max", "1", "--steps", "5",
        "--out", o).assertUsageError("sgd");
    CliRun.of(with(SMALL, "--batch", "0", "--out", o)).assertUsageError("sgd");
    CliRun.of(with(SMALL, "--schedule", "cosine", "--out", o)).assertUsageError("sgd");
    CliRun.of(with(SMALL, "--replicas", "0", "--out", o)).assertUsageError("sgd");
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "1,2,3\n");
    CliRun.of("sgd", "--d", "4", "--r", "2", "--m", "2", "--alpha", "1", "--steps", "1", "--replay",
        bad.toString(), "--out", o).assertUsageError("sgd");
    CliRun.of("sgd", "--d", "4", "--r", "2", "--m", "2", "--alpha", "1", "--steps", "1", "--replay",
        tmp.resolve("missing.csv").toString(), "--out", o).assertUsageError("sgd");
    assertThat(csv).doesNotExist();
  }

  @Test
  void divergenceIsAResultNotACrash() throws IOException {
    Path csv = tmp.resolve("div.csv");
    CliRun run = CliRun.of("sgd", "--d", "50", "--r", "3", "--m", "3", "--alpha", "1", "--sigma0", "1",
        "--c", "5", "--t-max", "2", "--points", "3", "--replicas", "2", "--out", csv.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("diverged after step").contains("0 of 2 replicas ran to the end");
    assertThat(Files.readAllLines(csv).get(3)).contains(",0,,,");
  }

  @Test
  void effectiveColumnsAreTheEffectiveOdeAndThePopulationFlow() throws IOException {
    Path csv = tmp.resolve("eff.csv");
    assertThat(CliRun.of(with(SMALL, "--effective", "--out", csv.toString())).exit()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).endsWith(",effective_risk,effective_overlap_1,effective_overlap_2,"
        + "effective_overlap_3,flow_risk");
    Instance inst = ModelSpec.of(20, 3, 2, 1.0, 0.5, 1L).instance();
    double[] times = {0.0, 0.5, 1.0, 1.5, 2.0};
    var eff = org.qnnoracle.sgd.EffectiveDynamics.scaledEta(inst.teacher().lambda(), 20, 1, 0.0, 0.1)
        .solve(inst, times, 1e-10).observables();
    var flow = org.qnnoracle.flow.FlowMethod.REDUCED.solve(inst, times, 1e-10);
    for (int i = 0; i < times.length; i++) {
      String[] cells = lines.get(i + 1).split(",", -1);
      assertThat(Double.parseDouble(cells[12])).isEqualTo(eff.get(i).risk());
      assertThat(Double.parseDouble(cells[16])).isEqualTo(flow.get(i).observables(inst.teacher()).risk());
    }
    // the eta correction slows learning: the effective risk stays above the population flow's
    assertThat(Double.parseDouble(lines.get(5).split(",")[12]))
        .isGreaterThan(Double.parseDouble(lines.get(5).split(",")[16]));
  }

  @Test
  void fewerStepsThanPointsWritesEachStepOnce() {
    // the default 51 output times over 5 steps round to the steps 0..5: six rows, not 51 with repeats
    CliRun run = CliRun.of("sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1", "--steps", "5");
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines).hasSize(1 + 6);
    assertThat(lines.subList(1, lines.size()).stream().map(l -> l.split(",")[1]).toList())
        .containsExactly("0", "1", "2", "3", "4", "5");
    // the same through --t-max: eta = 0.1 / 20 = 0.005, so t-max 0.02 is 4 steps
    CliRun byTime = CliRun.of("sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1", "--c", "0.1", "--t-max",
        "0.02");
    assertThat(byTime.exit()).as(byTime.err()).isZero();
    assertThat(byTime.outLines().subList(1, byTime.outLines().size()).stream().map(l -> l.split(",")[1]).toList())
        .containsExactly("0", "1", "2", "3", "4");
    // a horizon shorter than half a step would take no step at all
    CliRun none = CliRun.of("sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1", "--c", "0.1", "--t-max",
        "0.002");
    none.assertUsageError("sgd");
    assertThat(none.err()).contains("less than half a step");
    // help text is wrapped at 80 columns: compare with the line breaks taken out
    assertThat(CliRun.of("sgd", "--help").out().replaceAll("\\s+", " ")).contains("writes at most K + 1 rows");
  }

  @Test
  void helpDescribesTheStepAndTheColumns() {
    CliRun run = CliRun.of("sgd", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("--c=C", "--eta=ETA", "--batch=B", "--noise=S", "--t-max=T", "--steps=K",
        "--replicas=R", "--replay=FILE", "--effective", "--out=FILE.csv", "risk_mean");
  }

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
