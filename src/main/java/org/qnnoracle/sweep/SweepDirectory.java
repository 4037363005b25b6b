package org.qnnoracle.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qnnoracle.AtomicOutput;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;

/**
 * A sweep's output directory:
 *
 * <pre>
 * OUT/sweep.json        the specification (canonical JSON) with its format and task-list hash
 * OUT/tasks.jsonl       the expanded tasks, one a line, in ID order
 * OUT/results/ID.json   one result record per finished task (written atomically: complete or absent)
 * OUT/results.csv, OUT/summary.json, OUT/summary.md, OUT/*.png   the report ({@link SweepReport})
 * </pre>
 *
 * A result file is written by the process that collects results (the driver, for an engine) to a temporary file
 * and renamed ({@link AtomicOutput}), so a killed task, executor or driver leaves no half-written result, and a
 * rerun skips exactly the tasks whose file exists. Results are keyed by task ID, which hashes the task's fields:
 * a result file is valid for any sweep that contains its task.
 */
public final class SweepDirectory {
  private final Path dir;

  private SweepDirectory(Path dir) {
    this.dir = dir;
  }

  public Path path() {
    return dir;
  }

  Path results() {
    return dir.resolve("results");
  }

  /**
   * Checks that {@code dir} can hold a sweep's output: an existing writable directory, or one that can be
   * created. Creates nothing; a bad path fails here, before anything runs.
   */
  public static SweepDirectory check(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    String what = "cannot use '" + dir + "' as the sweep's output directory: ";
    Path probe = abs;
    if (Files.exists(abs)) {
      if (!Files.isDirectory(abs)) {
        throw new InvalidInputException(what + "it is not a directory");
      }
    } else {
      probe = abs.getParent();
      while (probe != null && !Files.exists(probe)) {
        probe = probe.getParent();
      }
      if (probe == null || !Files.isDirectory(probe)) {
        throw new InvalidInputException(what + "'" + probe + "' is not a directory");
      }
    }
    if (!Files.isWritable(probe)) {
      throw new InvalidInputException(what + "'" + probe + "' is not writable");
    }
    AtomicOutput.probeDirectory(probe, what);
    Path results = abs.resolve("results");
    if (Files.exists(results) && (!Files.isDirectory(results) || !Files.isWritable(results))) {
      throw new InvalidInputException(what + "'" + results + "' is not a writable directory");
    }
    return new SweepDirectory(abs);
  }

  /** Opens an existing sweep directory for reading (report, merge). */
  public static SweepDirectory existing(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs.resolve("tasks.jsonl"))) {
      throw new InvalidInputException("'" + dir + "' is not a sweep directory (it has no tasks.jsonl)");
    }
    return new SweepDirectory(abs);
  }

  /** Writes the specification and its task list (creating the directory): the start of every run. */
  public void begin(SweepSpec spec) throws IOException {
    AtomicOutput.prepareDirectory(dir);
    AtomicOutput.prepareDirectory(results());
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) SweepJson.parseTrusted(spec.text());
    root.put("tasksHash", spec.tasksHash());
    root.put("taskCount", spec.tasks().size());
    AtomicOutput.writeString(dir.resolve("sweep.json"), SweepJson.canonical(root) + "\n");
    StringBuilder b = new StringBuilder();
    for (SweepTask t : spec.tasks()) {
      b.append("{\"id\":").append(SweepJson.MAPPER.writeValueAsString(t.id())).append(",\"task\":").append(t.json())
          .append("}\n");
    }
    AtomicOutput.writeString(dir.resolve("tasks.jsonl"), b.toString());
  }

  /** The tasks of tasks.jsonl, in ID order. */
  public List<SweepTask> tasks() throws IOException {
    List<SweepTask> out = new ArrayList<>();
    Path f = dir.resolve("tasks.jsonl");
    int line = 0;
    for (String s : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      try {
        var n = SweepJson.parseTrusted(s);
        String json = SweepJson.canonical(n.get("task"));
        out.add(new SweepTask(n.path("id").asText(), n.get("task").path("kind").asText(), json));
      } catch (RuntimeException e) {
        throw new InvalidInputException(f + " line " + line + ": not a task line this tool wrote");
      }
    }
    return out;
  }

  /** The hash in sweep.json (what {@link SweepSpec#tasksHash} gave when the directory was begun). */
  public String tasksHash() {
    byte[] bytes = InputFiles.readBounded(dir.resolve("sweep.json"), "sweep", SweepSpec.MAX_BYTES + 4096);
    return SweepJson.parseTrusted(new String(bytes, StandardCharsets.UTF_8)).path("tasksHash").asText();
  }

  /** IDs of the tasks with a result file. */
  public Set<String> done() throws IOException {
    Set<String> ids = new HashSet<>();
    if (!Files.isDirectory(results())) {
      return ids;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(results(), "*.json")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".")) {
          ids.add(n.substring(0, n.length() - ".json".length()));
        }
      }
    }
    return ids;
  }

  /** Writes one result record atomically under its task's ID. */
  public void write(String resultJson) {
    write(SweepTasks.taskId(resultJson), resultJson);
  }

  /** As {@link #write(String)}, for a caller that has already read the record's task ID. */
  void write(String id, String resultJson) {
    if (id.isEmpty() || !id.equals(SweepTask.safe(id))) {
      throw new IllegalStateException("a result record without a valid task ID: " + id);
    }
    try {
      AtomicOutput.writeString(results().resolve(id + ".json"), resultJson + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the result of " + id + ": " + InputFiles.describe(e), e);
    }
  }

  /** The result text of task {@code id}, or null. */
  public String read(String id) throws IOException {
    Path p = results().resolve(id + ".json");
    if (!Files.exists(p)) {
      return null;
    }
    String text = Files.readString(p, StandardCharsets.UTF_8).strip();
    try {
      if (SweepJson.parseTrusted(text).path("task").asText().equals(id)) {
        return text;
      }
    } catch (IllegalStateException e) {
      // reported below
    }
    throw new InvalidInputException(p + ": not the result record of task " + id
        + " (edited or damaged? delete it and rerun 'sweep run' to compute it again)");
  }

  /** The results of {@code tasks} that exist, by task ID in the tasks' order. */
  public Map<String, String> results(List<SweepTask> tasks) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (SweepTask t : tasks) {
      String r = read(t.id());
      if (r != null) {
        out.put(t.id(), r);
      }
    }
    return out;
  }
}
