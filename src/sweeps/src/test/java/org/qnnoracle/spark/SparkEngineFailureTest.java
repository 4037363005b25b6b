package org.qnnoracle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qnnoracle.sweep.SweepEngine.SweepEngineException;
import org.qnnoracle.sweep.SweepTask;

/** A task that fails outside SweepTasks' own error handling fails the job: one line, the others still delivered. */
class SparkEngineFailureTest {
  @Test
  void aFailingJobIsOneLine() {
    // unparsable fields: SweepTasks.run throws before its error handling (a task normally returns status ERROR)
    SweepTask broken = new SweepTask("broken-000000000000", "verify", "{not json");
    List<String> got = new ArrayList<>();
    try (SparkEngine e = SparkEngine.start("local[1]", 1)) {
      assertEquals("Spark 4.2.0 local[1]", e.describe());
      SweepEngineException x = assertThrows(SweepEngineException.class, () -> e.run(List.of(broken), got::add));
      assertTrue(x.getMessage().startsWith("the Spark job failed: "), x.getMessage());
      assertEquals(1, x.getMessage().lines().count(), x.getMessage());
    }
    assertEquals(List.of(), got);
  }

  @Test
  void notAMasterUrl() {
    SweepEngineException x = assertThrows(SweepEngineException.class, () -> SparkEngine.start("spark://", 1));
    assertTrue(x.getMessage().startsWith("not a Spark master URL"), x.getMessage());
  }
}
