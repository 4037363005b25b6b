package org.qnnoracle.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.ClaimRegistry;

/** The sweep specification: expansion into tasks, task IDs, and every refusal in one line naming the block. */
class SweepSpecTest {
  @TempDir
  Path dir;

  private Path spec(String tasks) throws IOException {
    return Files.writeString(dir.resolve("s.json"),
        "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": [" + tasks + "]}");
  }

  @Test
  void verifyBlockIsClaimsTimesSeedsTimesScales() throws IOException {
    SweepSpec s = SweepSpec.read(spec("{\"kind\": \"verify\", \"claims\": [\"FLOW-LOEWNER\", \"MODEL-\"], "
        + "\"seeds\": \"3..7\", \"scale\": [\"small\", \"default\"]}"));
    int models = ClaimRegistry.withPrefix("MODEL-").size();
    assertThat(models).isPositive();
    assertThat(s.tasks()).hasSize((1 + models) * 5 * 2);
    assertThat(s.tasks()).isSorted();
    assertThat(s.tasks().get(0).fields().path("kind").asText()).isEqualTo("verify");
  }

  @Test
  void idsDependOnTheTaskAloneNotOnTheFile() throws IOException {
    // The same task in two differently written files has the same ID (canonical JSON); a changed field changes it.
    SweepSpec a = SweepSpec.read(spec("{\"kind\": \"verify\", \"claims\": \"FLOW-LOEWNER\", \"seeds\": 4, \"scale\": \"small\"}"));
    SweepSpec b = SweepSpec.read(spec("{\"scale\": \"small\", \"seeds\": [4], \"claims\": [\"FLOW-LOEWNER\"], \"kind\": \"verify\"}"));
    SweepSpec c = SweepSpec.read(spec("{\"kind\": \"verify\", \"claims\": \"FLOW-LOEWNER\", \"seeds\": 5, \"scale\": \"small\"}"));
    assertThat(a.tasks()).isEqualTo(b.tasks());
    assertThat(a.tasks().get(0).id()).startsWith("verify-FLOW-LOEWNER-small-s4-").isNotEqualTo(c.tasks().get(0).id());
  }

  @Test
  void seedsWithAStrideKeepRunsApart() throws IOException {
    SweepSpec s = SweepSpec.read(spec("{\"kind\": \"verify\", \"claims\": \"FLOW-LOEWNER\", "
        + "\"seeds\": {\"from\": 1, \"count\": 3, \"stride\": 100000}}"));
    assertThat(s.tasks()).extracting(t -> t.fields().path("seed").asLong()).containsExactlyInAnyOrder(1L, 100001L, 200001L);
  }

  @Test
  void sgdReplicasAreTasksAndBatchMayBeD() throws IOException {
    SweepSpec s = SweepSpec.read(spec("{\"kind\": \"sgd\", \"d\": [20, 30], \"r\": 4, \"m\": 2, \"c\": [0.1, 0.2], "
        + "\"batch\": \"d\", \"tMax\": 1, \"seed\": 9, \"replicas\": 3}"));
    assertThat(s.tasks()).hasSize(2 * 2 * 3);
    assertThat(s.tasks()).allSatisfy(t -> assertThat(t.fields().path("batch").asLong())
        .isEqualTo(t.fields().path("d").asLong()));
    assertThat(s.tasks()).allSatisfy(t -> assertThat(t.fields().path("eta").asDouble())
        .isEqualTo(t.fields().path("c").asDouble() / t.fields().path("d").asDouble()));
  }

  @Test
  void lawsBetaGivesR() throws IOException {
    SweepSpec s = SweepSpec.read(spec("{\"kind\": \"laws\", \"d\": [10000], \"beta\": 0.5, \"seeds\": 1}"));
    assertThat(s.tasks()).hasSize(1);
    assertThat(s.tasks().get(0).fields().path("r").asLong()).isEqualTo(100);
    assertThat(s.tasks().get(0).fields().path("m").asLong()).isEqualTo(100);
  }

  @Test
  void shardsPartitionTheTasks() throws IOException {
    SweepSpec s = SweepSpec.read(spec("{\"kind\": \"verify\", \"claims\": \"FLOW-\", \"seeds\": \"1..7\"}"));
    List<SweepTask> all = new java.util.ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      all.addAll(s.shard(i, 4));
    }
    assertThat(all).hasSameSizeAs(s.tasks()).containsExactlyInAnyOrderElementsOf(s.tasks());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown kind|{\"kind\": \"fit\"}|tasks[0]: unknown task kind \"fit\"; the kinds are verify, laws, sgd",
    "no kind|{\"claims\": \"all\"}|tasks[0]: unknown task kind (none given)",
    "unknown member|{\"kind\": \"verify\", \"seed\": 1}|tasks[0]: unknown member 'seed'",
    "unknown claim|{\"kind\": \"verify\", \"claims\": \"NOPE-\", \"seeds\": 1}|tasks[0]: 'claims': no built-in claim has ID or prefix 'NOPE-'",
    "reversed seeds|{\"kind\": \"verify\", \"seeds\": \"9..2\"}|tasks[0]: 'seeds' must be FROM..TO with FROM <= TO",
    "huge seeds|{\"kind\": \"verify\", \"seeds\": \"1..4000000\"}|tasks[0]: 'seeds' names 4000000 seeds; at most 100000",
    "bad scale|{\"kind\": \"verify\", \"seeds\": 1, \"scale\": \"huge\"}|tasks[0]: 'scale':",
    "empty axis|{\"kind\": \"laws\", \"d\": [], \"r\": 16, \"seeds\": 1}|tasks[0]: 'd' is an empty list",
    "r and beta|{\"kind\": \"laws\", \"d\": 100, \"r\": 16, \"beta\": 0.5, \"seeds\": 1}|give exactly one of 'r'",
    "narrow law|{\"kind\": \"laws\", \"d\": 100, \"r\": 8, \"seeds\": 1}|the time-law fit needs min(m, r) >= 16",
    "other law|{\"kind\": \"laws\", \"law\": \"width\", \"d\": 100, \"r\": 16, \"seeds\": 1}|'law' must be \"time\"",
    "NaN-like d|{\"kind\": \"sgd\", \"d\": \"x\", \"r\": 2, \"m\": 1, \"tMax\": 1, \"seed\": 1}|'d' must be a number",
    "no horizon|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"seed\": 1}|give exactly one horizon",
    "r > d|{\"kind\": \"sgd\", \"d\": 10, \"r\": 20, \"m\": 1, \"tMax\": 1, \"seed\": 1}|need 1 <= r <= d",
    "too many samples|{\"kind\": \"sgd\", \"d\": 1000, \"r\": 2, \"m\": 1, \"batch\": \"d\", \"steps\": 1e10, \"seed\": 1}|at most 1e12",
    "negative noise|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"tMax\": 1, \"seed\": 1, \"noise\": -1}|'noise' must be >= 0",
  })
  void refusalsAreOneLineNamingTheBlock(String name, String block, String expected) throws IOException {
    Path f = spec(block);
    assertThatThrownBy(() -> SweepSpec.read(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f + ": tasks[0]").hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void fileLevelRefusals() throws IOException {
    Path f = dir.resolve("f.json");
    Files.writeString(f, "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": [");
    assertThatThrownBy(() -> SweepSpec.read(f)).hasMessageStartingWith(f.toString()).hasMessageContaining("truncated");
    Files.writeString(f, "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"tasks\": []}");
    assertThatThrownBy(() -> SweepSpec.read(f)).hasMessageContaining("\"format\" must be \"qnn-oracle-sweep\"");
    Files.writeString(f, "{\"format\": \"qnn-oracle-sweep\", \"version\": 2, \"tasks\": []}");
    assertThatThrownBy(() -> SweepSpec.read(f)).hasMessageContaining("\"version\" must be 1");
    Files.writeString(f, "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": []}");
    assertThatThrownBy(() -> SweepSpec.read(f)).hasMessageContaining("\"tasks\" must be a non-empty list");
    Files.writeString(f, "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": [{\"kind\": \"verify\", "
        + "\"claims\": \"FLOW-LOEWNER\", \"seeds\": 1}, {\"kind\": \"verify\", \"claims\": \"FLOW-LOEWNER\", \"seeds\": 1}]}");
    assertThatThrownBy(() -> SweepSpec.read(f)).hasMessageContaining("tasks[1]: task verify-FLOW-LOEWNER-default-s1-")
        .hasMessageContaining("is also in tasks[0]");
    assertThatThrownBy(() -> SweepSpec.read(dir.resolve("missing.json"))).hasMessageContaining("does not exist");
  }

  @Test
  void tooManyTasksAreRefusedBeforeAnythingRuns() throws IOException {
    // 48+ claims x 100000 seeds x 1 scale > 1e6 tasks
    Path f = spec("{\"kind\": \"verify\", \"seeds\": \"1..100000\"}");
    assertThatThrownBy(() -> SweepSpec.read(f)).hasMessageContaining("tasks[0]: the block expands to").hasMessageContaining("tasks; a sweep has at most 1000000");
  }

  @Test
  void committedExamplesRead() throws IOException {
    try (var files = Files.list(Path.of("test-data/sweeps"))) {
      List<Path> specs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertThat(specs).isNotEmpty();
      for (Path p : specs) {
        assertThat(SweepSpec.read(p).tasks()).as(p.toString()).isNotEmpty();
      }
    }
  }
}
