package org.qnnoracle.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical text of a JSON tree, and the checksum of a case built on it (spec/reference-format.md):
 * object members sorted by name at every level, no whitespace, strings JSON-escaped, integers as digits,
 * other numbers in Java's shortest round-trip form (Double.toString). Generator and checker both parse the
 * file and serialise the parsed tree, so the form a file happens to be written in does not matter.
 */
public final class CanonicalJson {
  public static final String CHECKSUM_FIELD = "checksum";
  public static final String CHECKSUM_PREFIX = "sha256:";

  private CanonicalJson() {}

  public static String canonical(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b);
    return b.toString();
  }

  /** "sha256:" + hex digest of the canonical text of {@code caseNode} without its checksum member. */
  public static String checksum(ObjectNode caseNode) {
    ObjectNode copy = caseNode.deepCopy();
    copy.remove(CHECKSUM_FIELD);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(copy).getBytes(StandardCharsets.UTF_8));
      return CHECKSUM_PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static void write(JsonNode node, StringBuilder b) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
      Collections.sort(names);
      b.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(new com.fasterxml.jackson.databind.node.TextNode(names.get(i)).toString()).append(':');
        write(node.get(names.get(i)), b);
      }
      b.append('}');
    } else if (node.isArray()) {
      b.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(node.get(i), b);
      }
      b.append(']');
    } else if (node.isIntegralNumber()) {
      b.append(node.bigIntegerValue().toString());
    } else if (node.isNumber()) {
      b.append(Double.toString(node.doubleValue()));
    } else {
      // strings, booleans and null: Jackson's own JSON text.
      b.append(node.toString());
    }
  }
}
