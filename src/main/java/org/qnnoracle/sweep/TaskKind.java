package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What a kind of task knows: how a block of the specification expands into tasks, how one task runs (a pure
 * function of its fields), and how its results become the tables and figures of the report. The kinds are
 * {@link VerifyTasks}, {@link LawsTasks} and {@link SgdTasks}; {@link #byName} is the one list of them.
 */
interface TaskKind {
  /** The kind's name in the specification and in every task ("verify", "laws", "sgd"). */
  String name();

  /** The tasks of one block of the specification; refusals are one line starting with the block's place. */
  List<SweepTask> expand(Block block);

  /**
   * Runs one task in this JVM.
   *
   * @param task the task's fields (not modified)
   * @return its status ("PASS"/"FAIL" for a claim, "OK" for a computation) and its values
   */
  Outcome run(JsonNode task);

  /**
   * This kind's part of the report.
   *
   * @param results the results of this kind (the envelope of {@link SweepTasks}; not modified)
   * @param files where figures and tables go, by file name (modified)
   * @return the kind's summary (into summary.json) and its section of summary.md
   */
  Section report(List<JsonNode> results, Map<String, byte[]> files);

  record Outcome(String status, ObjectNode values) {}

  record Section(ObjectNode summary, String markdown) {}

  List<TaskKind> ALL = List.of(new VerifyTasks(), new LawsTasks(), new SgdTasks());

  static TaskKind byName(String name) {
    for (TaskKind k : ALL) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    return null;
  }
}
