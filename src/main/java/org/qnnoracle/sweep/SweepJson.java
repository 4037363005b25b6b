package org.qnnoracle.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The sweep's JSON conventions in one place: canonical text (keys sorted at every level, no blanks; doubles as
 * Java's shortest round-trip decimal, so a value read back is the same double), and numbers that may be non-finite
 * (NaN, Infinity are written as the strings "NaN", "Infinity", "-Infinity").
 */
final class SweepJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private SweepJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** {@code node} as canonical text: object keys sorted recursively. */
  static String canonical(JsonNode node) {
    try {
      return CANONICAL.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = object();
      for (String n : names) {
        out.set(n, sorted(node.get(n)));
      }
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        out.add(sorted(it.next()));
      }
      return out;
    }
    return node;
  }

  /** Parses text this package wrote (a task or a result); a failure is a bug or a damaged file. */
  static JsonNode parseTrusted(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not the JSON this sweep wrote: " + e.getOriginalMessage(), e);
    }
  }

  /** Puts a double, writing a non-finite value as its name (JSON has no NaN). */
  static void put(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.put(name, Double.toString(v));
    }
  }

  /** The double of a number or of "NaN" / "Infinity" / "-Infinity". */
  static double number(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return Double.parseDouble(n.asText());
  }

  /** Appends a double to an array, a non-finite value as its name. */
  static void putIn(com.fasterxml.jackson.databind.node.ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.add(Double.toString(v));
    }
  }
}
