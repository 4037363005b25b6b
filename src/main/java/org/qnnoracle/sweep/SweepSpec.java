package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.JsonText;

/**
 * A sweep specification (spec/sweep.md; JSON Schema spec/schema/sweep.schema.json): a name, a default output
 * directory, and blocks of tasks, each expanded by its kind into concrete tasks. Reading expands everything, so a
 * bad file is refused (one line, naming the file and the block) before any engine starts or anything is written.
 *
 * @param name the sweep's name (for reports)
 * @param output the output directory named in the file, resolved against the file's directory; null if none
 * @param tasks every task, sorted by ID (the order shards are cut in)
 * @param text the file's JSON in canonical form (written to OUT/sweep.json)
 */
public record SweepSpec(String name, Path output, List<SweepTask> tasks, String text) {
  public static final String FORMAT = "qnn-oracle-sweep";
  public static final int VERSION = 1;
  /** Largest specification file read. */
  static final long MAX_BYTES = 4L << 20;
  /** Most tasks one sweep may expand to: a typo in a grid is refused before it fills a disk with results. */
  public static final int MAX_TASKS = 1_000_000;
  private static final Set<String> MEMBERS = Set.of("format", "version", "name", "output", "tasks", "description");

  public SweepSpec {
    tasks = List.copyOf(tasks);
  }

  /** Reads, validates and expands {@code file}. */
  public static SweepSpec read(Path file) {
    byte[] bytes = InputFiles.readBounded(file, "sweep specification", MAX_BYTES);
    JsonNode root = JsonText.parse(SweepJson.MAPPER, bytes, file.toString());
    String where = file.toString();
    if (!root.isObject()) {
      throw new InvalidInputException(where + ": a sweep specification is a JSON object {\"format\": \"" + FORMAT
          + "\", \"version\": 1, \"tasks\": [...]}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!MEMBERS.contains(n)) {
        throw new InvalidInputException(where + ": unknown member '" + n + "' (allowed: description, format, name, "
            + "output, tasks, version)");
      }
    }
    if (!FORMAT.equals(root.path("format").asText(null))) {
      throw new InvalidInputException(where + ": \"format\" must be \"" + FORMAT + "\", got "
          + (root.has("format") ? root.get("format").toString() : "nothing"));
    }
    if (!root.path("version").isIntegralNumber() || root.path("version").asInt() != VERSION) {
      throw new InvalidInputException(where + ": \"version\" must be " + VERSION + " (this qnn-oracle reads version "
          + VERSION + "), got " + (root.has("version") ? root.get("version").toString() : "nothing"));
    }
    String name = root.path("name").isTextual() ? root.path("name").asText() : stem(file);
    Path output = null;
    if (root.has("output")) {
      if (!root.get("output").isTextual() || root.get("output").asText().isBlank()) {
        throw new InvalidInputException(where + ": \"output\" must be a directory name, got " + root.get("output"));
      }
      Path dir = file.toAbsolutePath().getParent();
      output = dir.resolve(root.get("output").asText()).normalize();
    }
    JsonNode blocks = root.path("tasks");
    if (!blocks.isArray() || blocks.isEmpty()) {
      throw new InvalidInputException(where + ": \"tasks\" must be a non-empty list of task blocks");
    }
    List<SweepTask> tasks = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < blocks.size(); i++) {
      String at = where + ": tasks[" + i + "]";
      JsonNode b = blocks.get(i);
      if (!b.isObject()) {
        throw new InvalidInputException(at + ": a task block is a JSON object with a \"kind\"");
      }
      String kindName = b.path("kind").asText("");
      TaskKind kind = TaskKind.byName(kindName);
      if (kind == null) {
        throw new InvalidInputException(at + ": unknown task kind "
            + (b.has("kind") ? b.get("kind").toString() : "(none given)") + "; the kinds are verify, laws, sgd");
      }
      for (SweepTask t : kind.expand(new Block(b, at))) {
        String before = seen.putIfAbsent(t.id(), at);
        if (before != null) {
          throw new InvalidInputException(at + ": task " + t.id() + " is also in " + before.substring(where.length() + 2)
              + " (each task once)");
        }
        tasks.add(t);
        if (tasks.size() > MAX_TASKS) {
          throw new InvalidInputException(where + ": the sweep expands to more than " + MAX_TASKS + " tasks");
        }
      }
    }
    Collections.sort(tasks);
    return new SweepSpec(name, output, tasks, SweepJson.canonical(root));
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }

  /** The hash identifying this sweep's task list (the IDs, in order). */
  public String tasksHash() {
    StringBuilder b = new StringBuilder();
    tasks.forEach(t -> b.append(t.id()).append('\n'));
    return SweepTask.hash(b.toString());
  }

  /** The tasks of share {@code i} of {@code n} (1-based): those whose index in ID order is i - 1 modulo n. */
  public List<SweepTask> shard(int i, int n) {
    List<SweepTask> out = new ArrayList<>();
    for (int k = i - 1; k < tasks.size(); k += n) {
      out.add(tasks.get(k));
    }
    return out;
  }
}
