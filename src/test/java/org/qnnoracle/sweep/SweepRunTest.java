package org.qnnoracle.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdSnapshot;

/**
 * Runs without an engine: shares merged equal one run, a rerun resumes, threads do not change results, and each
 * kind's task computes what the single-machine route computes. Every comparison is exact (same code, same seeds:
 * a result may not depend on where or in what order its task ran).
 */
class SweepRunTest {
  private static final Path CALIBRATION = Path.of("test-data/sweeps/calibration-small.json");
  private static final Path SGD = Path.of("test-data/sweeps/sgd-replicas-small.json");

  @TempDir
  Path dir;

  private final StringWriter log = new StringWriter();
  private final PrintWriter progress = new PrintWriter(log, true);

  /** The reference: every task of {@code spec} run one by one on this thread, by task ID. */
  static Map<String, String> oneByOne(Path spec) {
    Map<String, String> out = new TreeMap<>();
    new LoopEngine(1).run(SweepSpec.read(spec).tasks(), r -> out.put(SweepTasks.taskId(r), SweepTasks.comparable(r)));
    return out;
  }

  static Map<String, String> results(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (var files = Files.list(out.resolve("results"))) {
      for (Path p : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        String text = Files.readString(p).strip();
        String id = SweepTasks.taskId(text);
        assertThat(p.getFileName().toString()).isEqualTo(id + ".json");
        m.put(id, SweepTasks.comparable(text));
      }
    }
    return m;
  }

  private Sweeps.RunOutcome run(Path spec, Path out, int threads, int shard, int of) throws IOException {
    return Sweeps.run(spec, new Sweeps.RunOptions(out, null, threads, shard, of), progress);
  }

  @Test
  void sharesMergedEqualTheTasksRunOneByOne() throws IOException {
    Map<String, String> reference = oneByOne(CALIBRATION);
    System.out.println("[sweep] calibration-small: base seeds 1..8, " + reference.size() + " tasks");
    List<Path> shares = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path share = dir.resolve("share" + i);
      Sweeps.RunOutcome o = run(CALIBRATION, share, 1, i, 3);
      assertThat(o.selected()).isBetween(reference.size() / 3, reference.size() / 3 + 1);
      assertThat(o.report().done()).isEqualTo(o.selected());
      shares.add(share);
    }
    SweepReport.Summary merged = Sweeps.merge(shares, dir.resolve("merged"), progress);
    assertThat(merged.done()).isEqualTo(reference.size());
    assertThat(results(dir.resolve("merged"))).isEqualTo(reference);
    // The merged report is the one a single run writes.
    Sweeps.RunOutcome whole = run(CALIBRATION, dir.resolve("whole"), 1, 0, 0);
    assertThat(Files.readString(dir.resolve("merged/summary.md")).replaceAll("[0-9.]+ s of task time", ""))
        .isEqualTo(Files.readString(dir.resolve("whole/summary.md")).replaceAll("[0-9.]+ s of task time", ""));
    assertThat(whole.ran()).isEqualTo(reference.size());
  }

  @Test
  void twoThreadsGiveTheOneThreadResults() throws IOException {
    run(CALIBRATION, dir.resolve("t1"), 1, 0, 0);
    run(CALIBRATION, dir.resolve("t2"), 2, 0, 0);
    assertThat(results(dir.resolve("t2"))).isEqualTo(results(dir.resolve("t1")));
  }

  @Test
  void aRerunRunsOnlyTheMissingTasks() throws IOException {
    Path out = dir.resolve("out");
    Sweeps.RunOutcome first = run(CALIBRATION, out, 1, 0, 0);
    Map<String, String> before = results(out);
    List<String> removed = new ArrayList<>(before.keySet()).subList(5, 8);
    for (String id : removed) {
      Files.delete(out.resolve("results").resolve(id + ".json"));
    }
    // a temporary file left by a killed writer is not a result
    Files.writeString(out.resolve("results").resolve(".x.json.qnn-1-2.tmp"), "{");
    Sweeps.RunOutcome second = run(CALIBRATION, out, 1, 0, 0);
    assertThat(second.ran()).isEqualTo(3);
    assertThat(second.skipped()).isEqualTo(first.ran() - 3);
    assertThat(results(out)).isEqualTo(before);
    assertThat(run(CALIBRATION, out, 1, 0, 0).ran()).isZero();
  }

  @Test
  void mergeRefusesDisagreeingSharesAndWritesNothing() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    run(CALIBRATION, a, 1, 1, 2);
    run(CALIBRATION, b, 1, 1, 2);
    // doctor one result of b: the same task with another measured value
    Path victim;
    try (var files = Files.list(b.resolve("results"))) {
      victim = files.sorted().findFirst().orElseThrow();
    }
    var doctored = (com.fasterxml.jackson.databind.node.ObjectNode) SweepJson.parseTrusted(Files.readString(victim));
    ((com.fasterxml.jackson.databind.node.ObjectNode) doctored.get("result")).put("measured", 0.5);
    Files.writeString(victim, SweepJson.canonical(doctored));
    Path out = dir.resolve("merged");
    assertThatThrownBy(() -> Sweeps.merge(List.of(a, b), out, progress)).isInstanceOf(Sweeps.MergeConflict.class)
        .hasMessageContaining("task " + victim.getFileName().toString().replace(".json", "") + " has different results");
    assertThat(out).doesNotExist();
  }

  @Test
  void mergeRefusesSharesOfAnotherSweep() throws IOException {
    run(CALIBRATION, dir.resolve("a"), 1, 1, 4);
    run(SGD, dir.resolve("b"), 1, 1, 4);
    assertThatThrownBy(() -> Sweeps.merge(List.of(dir.resolve("a"), dir.resolve("b")), dir.resolve("m"), progress))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds another sweep");
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void anIncompleteMergeSaysWhatIsMissing() throws IOException {
    run(CALIBRATION, dir.resolve("a"), 1, 1, 3);
    SweepReport.Summary s = Sweeps.merge(List.of(dir.resolve("a")), dir.resolve("m"), progress);
    assertThat(s.missing()).isEqualTo(s.tasks() - s.done()).isPositive();
    assertThat(Files.readString(dir.resolve("m/summary.md"))).contains("INCOMPLETE: " + s.missing() + " missing");
  }

  @Test
  void sgdTaskKIsReplicaKOfTheSgdRun() throws IOException {
    // sgd --replicas 4 --seed 1 computes the four replicas together; the sweep runs each alone.
    SweepSpec spec = SweepSpec.read(SGD);
    int checked = 0;
    for (SweepTask t : spec.tasks()) {
      JsonNode f = t.fields();
      if (f.path("replica").asInt() != 3 && f.path("replica").asInt() != 0) {
        continue;
      }
      SgdRunner.Plan p = SgdTasks.plan(f);
      SgdRunner.Plan four = new SgdRunner.Plan(p.instance(), p.schedule(), p.batch(), p.noise(), p.outputSteps(), 4,
          p.seed());
      SgdRunner.Replica together = SgdRunner.run(four, 2, SgdProgress.NONE).get(f.path("replica").asInt());
      JsonNode r = SweepJson.parseTrusted(SweepTasks.run(t)).path("result");
      assertThat(r.path("risk")).hasSize(together.snapshots().size());
      for (int i = 0; i < together.snapshots().size(); i++) {
        SgdSnapshot s = together.snapshots().get(i);
        assertThat(r.path("risk").get(i).asDouble()).isEqualTo(s.risk());
        assertThat(r.path("t").get(i).asDouble()).isEqualTo(s.t());
        assertThat(r.path("samples").get(i).asLong()).isEqualTo(s.samples());
      }
      checked++;
    }
    assertThat(checked).isEqualTo(4);
  }

  @Test
  void theCalibrationTableCountsFailuresPerClaim() throws IOException {
    // A doctored FAIL must appear as one failure at its seed in the table built from the result files.
    Path out = dir.resolve("out");
    run(CALIBRATION, out, 1, 0, 0);
    Path victim = out.resolve("results").resolve(SweepSpec.read(CALIBRATION).tasks().stream()
        .filter(t -> t.id().startsWith("verify-FLOW-LOEWNER-small-s5-")).findFirst().orElseThrow().id() + ".json");
    Files.writeString(victim, Files.readString(victim).replace("\"status\":\"PASS\"", "\"status\":\"FAIL\""));
    SweepReport.Summary report = Sweeps.report(out);
    // a deterministic claim (stated rate 0) failing once is inconsistent with its rate, as verify --calibrate says
    assertThat(report.inconsistent()).containsExactly("small FLOW-LOEWNER");
    String table = Files.readString(out.resolve("calibration-small.md"));
    assertThat(table).contains("| FLOW-LOEWNER | 1 of 8 (seeds [5]) |").contains("| FLOW-RISK-MONOTONE | 0 of 8 |");
    JsonNode summary = SweepJson.parseTrusted(Files.readString(out.resolve("summary.json")));
    assertThat(summary.path("kinds").path("verify").path("small").path("failures").asInt()).isEqualTo(1);
    assertThat(summary.path("byStatus").path("FAIL").asInt()).isEqualTo(1);
    assertThat(Files.readString(out.resolve("results.csv")).lines().count()).isEqualTo(1 + 24);
  }

  @Test
  void aLawsResultRecordsTheTimeLawExactly() {
    // The report redraws the laws command's figures from result files: the record must give back every double.
    SweepTask t = SweepSpec.read(Path.of("test-data/sweeps/laws-grid-small.json")).tasks().get(0);
    JsonNode f = t.fields();
    org.qnnoracle.laws.TimeLaw direct = org.qnnoracle.laws.TimeLaw.run(f.path("d").asLong(), f.path("r").asInt(),
        f.path("m").asInt(), f.path("alpha").asDouble(), f.path("sigma0").asDouble(), f.path("seed").asLong(),
        f.path("points").asInt(), org.qnnoracle.flow.FlowProgress.NONE);
    org.qnnoracle.laws.TimeLaw back = LawsTasks.timeLaw(SweepJson.parseTrusted(SweepTasks.run(t)));
    assertThat(back.times()).containsExactly(direct.times());
    assertThat(back.risk()).containsExactly(direct.risk());
    assertThat(back.predictedRisk()).containsExactly(direct.predictedRisk());
    assertThat(back.fit()).isEqualTo(direct.fit());
    assertThat(back.predictedFit()).isEqualTo(direct.predictedFit());
    assertThat(back.window()).isEqualTo(direct.window());
    assertThat(back.logFactor()).isEqualTo(direct.logFactor());
  }
}
