package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.qnnoracle.AtomicOutput;

/**
 * The report of a sweep directory, rebuilt from its result files alone (so a merged or resumed sweep reports the
 * same as one run in one go): results.csv (one row per finished task: its fields, status and scalar results;
 * curves stay in results/ID.json), summary.json (counts, and each kind's summary), summary.md (the tables each kind
 * gives, as the single-machine commands give them) and the kinds' figures.
 */
public final class SweepReport {
  private SweepReport() {}

  /**
   * What the report found.
   *
   * @param inconsistent "scale ID" of every claim whose failure count is inconsistent with its stated false-alarm
   *     rate (the calibration's binomial tail below its level), as verify --calibrate reports them
   */
  public record Summary(int tasks, int done, Map<String, Integer> byStatus, List<String> errors,
      List<String> inconsistent, String markdown) {
    public int missing() {
      return tasks - done;
    }
  }

  /** Writes the report into {@code dir} (each file atomically) and returns its summary. */
  public static Summary write(SweepDirectory dir) throws IOException {
    List<SweepTask> tasks = dir.tasks();
    Map<String, String> results = dir.results(tasks);
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<JsonNode> records = new ArrayList<>();
    for (String r : results.values()) {
      records.add(SweepJson.parseTrusted(r));
    }
    Map<String, Integer> byStatus = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    long millis = 0;
    for (JsonNode r : records) {
      byStatus.merge(r.path("status").asText(), 1, Integer::sum);
      if ("ERROR".equals(r.path("status").asText())) {
        errors.add(r.path("task").asText() + ": " + r.path("error").asText());
      }
      millis += r.path("millis").asLong();
    }
    files.put("results.csv", csv(records).getBytes(StandardCharsets.UTF_8));
    JsonNode spec = SweepJson.parseTrusted(new String(java.nio.file.Files.readAllBytes(dir.path().resolve("sweep.json")),
        StandardCharsets.UTF_8));
    ObjectNode summary = SweepJson.object();
    summary.put("format", "qnn-oracle-sweep-summary");
    summary.put("version", 1);
    summary.put("name", spec.path("name").asText(dir.path().getFileName().toString()));
    summary.put("tasksHash", spec.path("tasksHash").asText());
    summary.put("tasks", tasks.size());
    summary.put("done", results.size());
    summary.put("missing", tasks.size() - results.size());
    byStatus.forEach(summary.putObject("byStatus")::put);
    ArrayNode err = summary.putArray("errors");
    errors.forEach(err::add);
    summary.put("taskSeconds", millis / 1000.0);
    StringBuilder md = new StringBuilder();
    md.append("# Sweep ").append(summary.path("name").asText()).append("\n\n");
    md.append(String.format(Locale.ROOT, "%d of %d tasks have a result%s; status: %s; %.1f s of task time in all.%n%n",
        results.size(), tasks.size(), results.size() == tasks.size() ? "" : " (INCOMPLETE: " + (tasks.size()
            - results.size()) + " missing; rerun `sweep run` to finish)", byStatus, millis / 1000.0));
    if (!errors.isEmpty()) {
      md.append("Tasks that stopped with an error:\n\n");
      errors.forEach(e -> md.append("- ").append(e).append('\n'));
      md.append('\n');
    }
    ObjectNode kinds = summary.putObject("kinds");
    for (TaskKind k : TaskKind.ALL) {
      List<JsonNode> mine = records.stream().filter(r -> k.name().equals(r.path("kind").asText())).toList();
      if (mine.isEmpty()) {
        continue;
      }
      TaskKind.Section s = k.report(mine, files);
      kinds.set(k.name(), s.summary());
      md.append(s.markdown());
    }
    files.put("summary.json", (SweepJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n")
        .getBytes(StandardCharsets.UTF_8));
    files.put("summary.md", md.toString().getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      AtomicOutput.writeBytes(dir.path().resolve(f.getKey()), f.getValue());
    }
    List<String> inconsistent = new ArrayList<>();
    kinds.path("verify").fields().forEachRemaining(scale -> scale.getValue().path("inconsistent")
        .forEach(id -> inconsistent.add(scale.getKey() + " " + id.asText())));
    return new Summary(tasks.size(), results.size(), byStatus, errors, inconsistent, md.toString());
  }

  /** One row per result: task, kind, status, the task's fields, the scalar results, error, millis, host, pid. */
  static String csv(List<JsonNode> records) {
    TreeSet<String> specCols = new TreeSet<>();
    TreeSet<String> resultCols = new TreeSet<>();
    for (JsonNode r : records) {
      r.path("spec").fieldNames().forEachRemaining(specCols::add);
      for (Iterator<Map.Entry<String, JsonNode>> it = r.path("result").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode()) {
          resultCols.add(e.getKey());
        }
      }
    }
    specCols.remove("kind");
    StringBuilder b = new StringBuilder("task,kind,status");
    specCols.forEach(c -> b.append(',').append(c));
    resultCols.forEach(c -> b.append(',').append(c));
    b.append(",error,millis,host,pid\n");
    for (JsonNode r : records) {
      b.append(cell(r.path("task"))).append(',').append(cell(r.path("kind"))).append(',').append(cell(r.path("status")));
      for (String c : specCols) {
        b.append(',').append(cell(r.path("spec").path(c)));
      }
      for (String c : resultCols) {
        b.append(',').append(cell(r.path("result").path(c)));
      }
      b.append(',').append(cell(r.path("error"))).append(',').append(cell(r.path("millis"))).append(',')
          .append(cell(r.path("host"))).append(',').append(cell(r.path("pid"))).append('\n');
    }
    return b.toString();
  }

  /** A CSV cell: empty for a missing value, quoted (RFC 4180) when it holds a comma, quote or line break. */
  private static String cell(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "";
    }
    String s = v.asText();
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
