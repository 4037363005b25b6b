package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One concrete task of a sweep: its kind and every field it needs, as canonical JSON (keys sorted, no blanks).
 * The task is a pure function of this text: it carries its seed, so its result depends on nothing else (not the
 * partition it lands in, the executor, a retry, or the order tasks finish).
 *
 * <p>The ID is a readable prefix (kind and the fields that vary in sweeps) and the first 12 hex digits of the
 * SHA-256 of the canonical JSON: two different tasks never share an ID, and a task whose fields change never
 * reuses an old result. Serializable (two strings and a kind) so that an engine can ship it.
 *
 * @param id file-name-safe, unique within a sweep
 * @param kind "verify", "laws" or "sgd"
 * @param json canonical JSON object of the task's fields, "kind" included
 */
public record SweepTask(String id, String kind, String json) implements Serializable, Comparable<SweepTask> {
  private static final long serialVersionUID = 1L;

  /** The task of {@code fields} (must hold "kind"), with {@code readable} as the ID's prefix. */
  static SweepTask of(ObjectNode fields, String readable) {
    String canonical = SweepJson.canonical(fields);
    String kind = fields.path("kind").asText();
    return new SweepTask(safe(readable) + "-" + hash(canonical).substring(0, 12), kind, canonical);
  }

  /** The task's fields as a JSON tree (a fresh copy). */
  public JsonNode fields() {
    return SweepJson.parseTrusted(json);
  }

  /** The SHA-256 of {@code text} (UTF-8) in lower-case hex. */
  static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** {@code s} with every character outside [A-Za-z0-9._-] replaced by '_': IDs are file names. */
  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public int compareTo(SweepTask o) {
    return id.compareTo(o.id);
  }
}
