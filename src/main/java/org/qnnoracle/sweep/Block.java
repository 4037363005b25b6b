package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.qnnoracle.InvalidInputException;

/**
 * One block of a sweep specification ("tasks[i]") with the reading rules every kind shares: a member is a single
 * value or a list of values (the grid's axis), seeds are "A..B", a number or a list, and every refusal is one line
 * that starts with where the block is ("sweep.json: tasks[2]: 'd' must be ...").
 */
final class Block {
  /** Most seeds or values one axis may list: a typo such as "1..4000000" is refused before anything runs. */
  static final int MAX_AXIS = 100_000;

  private final JsonNode node;
  private final String where;

  Block(JsonNode node, String where) {
    this.node = node;
    this.where = where;
  }

  String where() {
    return where;
  }

  InvalidInputException error(String what) {
    return new InvalidInputException(where + ": " + what);
  }

  /** Refuses members outside {@code allowed} (a misspelt member would otherwise be silently ignored). */
  void allowOnly(Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw error("unknown member '" + name + "' (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
  }

  boolean has(String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  JsonNode get(String name) {
    return node.get(name);
  }

  /** The axis {@code name}: a number or a list of numbers, each finite; {@code fallback} when absent. */
  List<Double> numbers(String name, Double fallback) {
    if (!has(name)) {
      if (fallback == null) {
        throw error("'" + name + "' is required");
      }
      return List.of(fallback);
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode v : elements(name)) {
      if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
        throw error("'" + name + "' must be a number or a list of numbers, got " + v);
      }
      out.add(v.doubleValue());
    }
    return out;
  }

  /** As {@link #numbers}, each value an integer in [lo, hi]. */
  List<Long> integers(String name, Long fallback, long lo, long hi) {
    List<Long> out = new ArrayList<>();
    for (double v : numbers(name, fallback == null ? null : fallback.doubleValue())) {
      if (v != Math.rint(v) || v < lo || v > hi) {
        throw error(String.format(Locale.ROOT, "'%s' must be a whole number in [%d, %d], got %s", name, lo, hi,
            v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v)));
      }
      out.add((long) v);
    }
    return out;
  }

  /** As {@link #numbers}, each value in (0, hi] (positive). */
  List<Double> positives(String name, Double fallback, double hi) {
    List<Double> out = numbers(name, fallback);
    for (double v : out) {
      if (!(v > 0.0 && v <= hi)) {
        throw error("'" + name + "' must be > 0" + (Double.isInfinite(hi) ? "" : " and at most " + hi) + ", got " + v);
      }
    }
    return out;
  }

  /** The strings of member {@code name}: a string or a list of strings; {@code fallback} when absent. */
  List<String> strings(String name, String fallback) {
    if (!has(name)) {
      if (fallback == null) {
        throw error("'" + name + "' is required");
      }
      return List.of(fallback);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : elements(name)) {
      if (!v.isTextual() || v.asText().isBlank()) {
        throw error("'" + name + "' must be a string or a list of strings, got " + v);
      }
      out.add(v.asText().strip());
    }
    return out;
  }

  /** Seeds: "A..B" (inclusive), a whole number, a list of whole numbers, or {"from", "count", "stride"}. */
  List<Long> seeds(String name) {
    if (!has(name)) {
      throw error("'" + name + "' is required (the base seeds: \"1..40\", 7 or [1, 5, 9])");
    }
    JsonNode v = node.get(name);
    if (v.isObject()) {
      // {"from": A, "count": N, "stride": S}: A, A + S, ..., A + (N - 1) S. A stride larger than the largest seed
      // offset a claim uses keeps the runs' draws disjoint (consecutive base seeds share most of them).
      for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!Set.of("from", "count", "stride").contains(f)) {
          throw error("'" + name + "' as an object has members from, count and stride; got '" + f + "'");
        }
      }
      Block inner = new Block(v, where + ": '" + name + "'");
      long from = inner.integers("from", null, Long.MIN_VALUE / 4, Long.MAX_VALUE / 4).get(0);
      long count = inner.integers("count", null, 1, MAX_AXIS).get(0);
      long stride = inner.integers("stride", 1L, 1, Long.MAX_VALUE / 4 / MAX_AXIS).get(0);
      List<Long> out = new ArrayList<>();
      for (long k = 0; k < count; k++) {
        out.add(from + k * stride);
      }
      return out;
    }
    if (v.isTextual()) {
      String t = v.asText().strip();
      int dots = t.indexOf("..");
      try {
        long from = Long.parseLong(dots < 0 ? t : t.substring(0, dots).strip());
        long to = dots < 0 ? from : Long.parseLong(t.substring(dots + 2).strip());
        if (to < from) {
          throw error("'" + name + "' must be FROM..TO with FROM <= TO, got \"" + t + "\"");
        }
        if (to - from >= MAX_AXIS) {
          throw error("'" + name + "' names " + (to - from + 1) + " seeds; at most " + MAX_AXIS);
        }
        List<Long> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
          out.add(s);
        }
        return out;
      } catch (NumberFormatException e) {
        throw error("'" + name + "' must be \"FROM..TO\", a whole number or a list of them, got \"" + t + "\"");
      }
    }
    return integers(name, null, Long.MIN_VALUE / 4, Long.MAX_VALUE / 4);
  }

  private List<JsonNode> elements(String name) {
    JsonNode v = node.get(name);
    List<JsonNode> out = new ArrayList<>();
    if (v.isArray()) {
      v.elements().forEachRemaining(out::add);
      if (out.isEmpty()) {
        throw error("'" + name + "' is an empty list: the sweep would have no task");
      }
      if (out.size() > MAX_AXIS) {
        throw error("'" + name + "' lists " + out.size() + " values; at most " + MAX_AXIS);
      }
    } else {
      out.add(v);
    }
    return out;
  }

  /** Refuses a block whose grid has more than {@link SweepSpec#MAX_TASKS} points, before any task is built. */
  void requireAtMostMaxTasks(double count) {
    if (count > SweepSpec.MAX_TASKS) {
      throw error(String.format(java.util.Locale.ROOT, "the block expands to %.3g tasks; a sweep has at most %d",
          count, SweepSpec.MAX_TASKS));
    }
  }

  /**
   * The directions axis, given as 'r' (whole numbers up to {@code maxR}) or as 'beta' (r = round(d^beta) per d,
   * beta in (0, 1]); exactly one of them. Values are resolved per d by {@link #directions}.
   */
  List<Double> directionsAxis(double maxR) {
    if (has("r") == has("beta")) {
      throw error("give exactly one of 'r' (directions) or 'beta' (r = round(d^beta))");
    }
    if (has("r")) {
      List<Double> out = new ArrayList<>();
      for (long r : integers("r", null, 1, (long) maxR)) {
        out.add((double) r);
      }
      return out;
    }
    return positives("beta", null, 1.0);
  }

  /** r at dimension d for one value of {@link #directionsAxis}. */
  long directions(double value, long d) {
    return has("r") ? (long) value : Math.round(Math.pow(d, value));
  }
}
