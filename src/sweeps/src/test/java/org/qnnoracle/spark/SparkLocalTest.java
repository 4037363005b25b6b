package org.qnnoracle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spark local mode (local[2]) through Sweeps.run gives the plain loop's results, every task once; resume. */
class SparkLocalTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"calibration-small.json", "laws-grid-small.json", "sgd-replicas-small.json"})
  void localModeGivesTheLoopResults(String name) throws IOException {
    Path spec = SweepFixtures.example(name);
    Path out = tmp.resolve("out");
    SweepFixtures.Run run = SweepFixtures.run(spec, out, null, 2);
    Map<String, String> expected = SweepFixtures.loop(spec);
    assertEquals("Spark 4.2.0 local[2,4]", run.outcome().engine());
    assertEquals(expected.size(), run.outcome().ran());
    assertEquals(0, run.outcome().errors(), run.progress());
    assertEquals(expected, SweepFixtures.results(out));
    Map<String, Integer> once = new TreeMap<>();
    expected.keySet().forEach(id -> once.put(id, 1));
    assertEquals(once, SweepFixtures.deliveries(run.progress()), "one delivery per task");
  }

  @Test
  void aRerunRunsOnlyTheTasksWithoutAResult() throws IOException {
    Path spec = SweepFixtures.example("calibration-small.json");
    Path out = tmp.resolve("out");
    SweepFixtures.run(spec, out, null, 2);
    Map<String, String> first = SweepFixtures.results(out);
    List<String> removed = first.keySet().stream().skip(5).limit(3).toList();
    for (String id : removed) {
      Files.delete(out.resolve("results").resolve(id + ".json"));
    }
    SweepFixtures.Run again = SweepFixtures.run(spec, out, null, 2);
    assertEquals(3, again.outcome().ran());
    assertEquals(21, again.outcome().skipped());
    assertEquals(removed, List.copyOf(SweepFixtures.deliveries(again.progress()).keySet()));
    assertEquals(first, SweepFixtures.results(out));
    assertTrue(again.outcome().report().done() == 24);
  }
}
