package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Runs one task and wraps its outcome in the result record every engine returns and every result file holds:
 * {@code {"task": ID, "kind": ..., "spec": {the task's fields}, "status": ..., "result": {...}, "millis": ...,
 * "host": ..., "pid": ...}}. The one entry point an engine calls on its workers. A task that throws gives status
 * "ERROR" with the message (a deterministic failure is a result, not something to retry); only the last three
 * members depend on where and when the task ran ({@link #comparable}).
 */
public final class SweepTasks {
  /** Looked up once per JVM: a host whose name does not resolve would make every lookup slow. */
  private static final String HOST = host();

  private SweepTasks() {}

  /** Runs {@code task} in this JVM and returns its result record as compact JSON text. */
  public static String run(SweepTask task) {
    JsonNode fields = task.fields();
    TaskKind kind = TaskKind.byName(task.kind());
    long start = System.nanoTime();
    ObjectNode out = SweepJson.object();
    out.put("task", task.id());
    out.put("kind", task.kind());
    out.set("spec", fields);
    try {
      if (kind == null) {
        throw new IllegalArgumentException("unknown task kind '" + task.kind() + "'");
      }
      TaskKind.Outcome o = kind.run(fields);
      out.put("status", o.status());
      out.set("result", o.values());
    } catch (RuntimeException | StackOverflowError e) {
      out.put("status", "ERROR");
      out.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    out.put("millis", (System.nanoTime() - start) / 1_000_000L);
    out.put("host", HOST);
    out.put("pid", ProcessHandle.current().pid());
    return SweepJson.canonical(out);
  }

  /** The members of a result record that depend only on the task (the run's time, host and process removed). */
  public static String comparable(String resultJson) {
    ObjectNode n = (ObjectNode) SweepJson.parseTrusted(resultJson);
    n.remove("millis");
    n.remove("host");
    n.remove("pid");
    return SweepJson.canonical(n);
  }

  /** The task ID of a result record. */
  public static String taskId(String resultJson) {
    return SweepJson.parseTrusted(resultJson).path("task").asText();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
