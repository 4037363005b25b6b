package org.qnnoracle.reference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.JsonText;

/**
 * Reading and validating the JSON of case and candidate files: every problem becomes one
 * {@link InvalidInputException} line "FILE: PATH problem", PATH being the JSON path (quantities.risk[3]).
 */
final class JsonInput {
  /** Strict: no NaN tokens, no duplicate members, nothing after the document. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern RATIONAL = Pattern.compile("(-?[0-9]+)(?:/([0-9]+))?");

  /** The name used in messages (the path as given). */
  final String label;

  JsonInput(String label) {
    this.label = label;
  }

  InvalidInputException error(String message) {
    return new InvalidInputException(label + ": " + message);
  }

  void require(boolean condition, String message) {
    if (!condition) {
      throw error(message);
    }
  }

  /**
   * Largest case file read (16 MB). The largest golden case, sgd-replay-b4-noise.json, is 126 KB (it carries its
   * 800 samples); 16 MB leaves room for cases with a hundred times its data, and a 16 MB tree of numbers still
   * parses in the default heap. A larger file is refused before it is read.
   */
  static final long MAX_CASE_BYTES = 16L << 20;

  /**
   * Largest candidate file read (16 MB). A candidate for a golden case holds at most 72 numbers (2.4 KB), one for
   * the statistical case 256 replicas x 4 risks (about 30 KB); 16 MB holds a statistical candidate of over 100,000
   * replicas at full precision, more than anyone runs to judge a mean.
   */
  static final long MAX_CANDIDATE_BYTES = 16L << 20;

  /**
   * Reads {@code file} as one JSON object; {@code kind} ("case", "candidate") names it in messages, and
   * {@code limit} is its size bound in bytes.
   */
  ObjectNode readObject(Path file, String kind, long limit) {
    return parseObject(InputFiles.readBounded(file, kind, limit));
  }

  ObjectNode parseObject(byte[] bytes) {
    JsonNode root = JsonText.parse(JSON, bytes, label);
    require(root != null && !root.isMissingNode(), "empty file, expected a JSON object");
    require(root.isObject(), "the top level is " + describe(root) + ", expected a JSON object");
    return (ObjectNode) root;
  }

  JsonNode member(ObjectNode parent, String name, String path) {
    JsonNode n = parent.get(name);
    require(n != null, path + " is missing");
    return n;
  }

  String string(ObjectNode parent, String name, String path) {
    JsonNode n = member(parent, name, path);
    require(n.isTextual(), path + " is " + describe(n) + ", expected a string");
    return n.asText();
  }

  ObjectNode object(ObjectNode parent, String name, String path) {
    JsonNode n = member(parent, name, path);
    require(n.isObject(), path + " is " + describe(n) + ", expected an object");
    return (ObjectNode) n;
  }

  long integer(ObjectNode parent, String name, String path) {
    JsonNode n = member(parent, name, path);
    require(n.isIntegralNumber() && n.canConvertToLong(), path + " is " + describe(n) + ", expected an integer");
    return n.longValue();
  }

  /** A finite JSON number at {@code path}; strings "NaN"/"Infinity" and null are reported as not finite. */
  double finite(JsonNode n, String path) {
    require(n != null, path + " is missing");
    if (n.isNull()) {
      throw error(path + " is null: not a finite number (JSON has no NaN; a missing value is an error)");
    }
    if (n.isTextual()) {
      String s = n.asText().trim();
      if (s.equalsIgnoreCase("nan") || s.matches("(?i)[+-]?(inf|infinity)")) {
        throw error(path + " is \"" + n.asText() + "\": not a finite number");
      }
      throw error(path + " is the string \"" + abbreviate(n.asText()) + "\", expected a number");
    }
    require(n.isNumber(), path + " is " + describe(n) + ", expected a number");
    double v = n.doubleValue();
    require(Double.isFinite(v), path + " is " + n.asText() + ": not a finite number (outside the double range)");
    return v;
  }

  /** Parses an exact rational "p/q" or "p" (reduced, q > 0), or null when {@code s} is not of that form. */
  static BigFraction rational(String s) {
    Matcher m = RATIONAL.matcher(s);
    if (!m.matches()) {
      return null;
    }
    BigInteger p = new BigInteger(m.group(1));
    BigInteger q = m.group(2) == null ? BigInteger.ONE : new BigInteger(m.group(2));
    if (q.signum() <= 0 || !p.gcd(q).equals(BigInteger.ONE) && !(p.signum() == 0 && q.equals(BigInteger.ONE))) {
      return null;
    }
    return new BigFraction(p, q);
  }

  /** The double nearest to {@code f} (correctly rounded up to the 34-digit intermediate). */
  /** The numbers of a JSON array, for inputs already validated (a case read by {@link CaseFile}). */
  static double[] doubles(JsonNode array) {
    double[] x = new double[array.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = array.get(i).doubleValue();
    }
    return x;
  }

  /** The rows of a JSON array of arrays of numbers, for inputs already validated. */
  static double[][] doubleRows(JsonNode rows) {
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = doubles(rows.get(i));
    }
    return x;
  }

  static double toDouble(BigFraction f) {
    return new BigDecimal(f.getNumerator()).divide(new BigDecimal(f.getDenominator()), MathContext.DECIMAL128)
        .doubleValue();
  }

  /** The canonical string of a rational: "p" or "p/q". */
  static String rationalString(BigFraction f) {
    return f.getDenominator().equals(BigInteger.ONE) ? f.getNumerator().toString()
        : f.getNumerator() + "/" + f.getDenominator();
  }

  /**
   * The leaves of {@code node} nested as {@code shape} (row-major), checked level by level.
   *
   * @param mismatch message for a wrong length: (actual, expected) -> text after the path, e.g.
   *     "has 2 entries, the case expects 3"
   */
  List<Leaf> leaves(JsonNode node, List<Integer> shape, String path, BiFunction<Integer, Integer, String> mismatch) {
    List<Leaf> out = new ArrayList<>();
    walk(node, shape, 0, path, new ArrayList<>(), out, mismatch);
    return out;
  }

  /** One element: its JSON node, JSON path and multi-index. */
  record Leaf(JsonNode node, String path, List<Integer> index) {}

  private void walk(JsonNode node, List<Integer> shape, int depth, String path, List<Integer> index, List<Leaf> out,
      BiFunction<Integer, Integer, String> mismatch) {
    if (depth == shape.size()) {
      if (node.isArray() || node.isObject()) {
        throw error(path + " is " + describe(node) + ", expected a number (the shape has "
            + shape.size() + " dimension" + (shape.size() == 1 ? "" : "s") + ")");
      }
      out.add(new Leaf(node, path, List.copyOf(index)));
      return;
    }
    int n = shape.get(depth);
    require(node.isArray(), path + " is " + describe(node) + ", expected an array of " + n + " "
        + (depth == 0 && shape.size() == 2 ? "rows" : "entries"));
    if (node.size() != n) {
      throw error(path + " " + mismatch.apply(node.size(), n)
          .replace("entries", depth == 0 && shape.size() == 2 ? "rows" : "entries"));
    }
    for (int i = 0; i < n; i++) {
      index.add(i);
      walk(node.get(i), shape, depth + 1, path + "[" + i + "]", index, out, mismatch);
      index.remove(index.size() - 1);
    }
  }

  static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "missing";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array of " + n.size();
    }
    if (n.isTextual()) {
      return "the string \"" + abbreviate(n.asText()) + "\"";
    }
    if (n.isBoolean()) {
      return n.asText();
    }
    return n.asText();
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** "[3][1]" for a multi-index; "" for a scalar. */
  static String indexString(List<Integer> index) {
    StringBuilder b = new StringBuilder();
    for (int i : index) {
      b.append('[').append(i).append(']');
    }
    return b.toString();
  }

  static String plural(int n, String one, String many) {
    return String.format(Locale.ROOT, "%d %s", n, n == 1 ? one : many);
  }
}
