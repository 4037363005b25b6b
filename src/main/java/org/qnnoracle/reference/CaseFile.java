package org.qnnoracle.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.InvalidInputException;

/**
 * A reference case (spec/reference-format.md), read and validated: format and version, id, kind, every
 * expected quantity (shape, values, tolerance, reason; the statistical extras) and the checksum. Any problem
 * is an {@link InvalidInputException} with one line naming the file and the JSON path.
 *
 * <p>The records hold arrays for speed; treat them as read-only.
 */
public final class CaseFile {
  public static final String FORMAT = "qnn-oracle-reference";
  /** The version this tool writes; {@link #READ_VERSIONS} lists what it reads. */
  public static final int FORMAT_VERSION = 2;
  /** Version 1 (no certification, difficulty or float32 tolerances) is still read; see spec/reference-format.md. */
  public static final List<Integer> READ_VERSIONS = List.of(1, 2);
  /** The kinds whose values are certified in multi-precision arithmetic (version 2). */
  public static final List<String> CERTIFIED_KINDS = List.of("flow", "sgd-replay", "effective");
  /** Difficulty grades (NIST StRD's lower, average, higher). */
  public static final List<String> GRADES = List.of("lower", "average", "higher");
  /** Most significant digits a published value carries. */
  public static final int MAX_CERTIFIED_DIGITS = 17;
  public static final List<String> KINDS = List.of("identity", "flow", "sgd-replay", "effective", "statistical");
  /** The quantity of a statistical case, and the name of the candidate's replicas for it. */
  public static final String MEAN_RISK = "meanRisk";
  public static final String RISK_REPLICAS = "riskReplicas";

  private static final Pattern ID = Pattern.compile("[a-z0-9-]+");

  /** |candidate - expected| <= absolute + relative |expected|. */
  public record Tolerance(double absolute, double relative) {
    public double bound(double expected) {
      return absolute + relative * Math.abs(expected);
    }
  }

  /** A tolerance with its reason, e.g. the float32 tolerance of a version-2 quantity. */
  public record ReasonedTolerance(Tolerance tolerance, String reason) {}

  /** How hard a case is (version 2): a grade of {@link #GRADES} and why. */
  public record Difficulty(String grade, String reason) {}

  /** The extras of a statistical quantity: standard error per output step, replicas behind it, false alarm. */
  public record Statistical(double[] standardError, int replicas, double falseAlarm) {}

  /**
   * One expected quantity. {@code values} holds the elements row-major (for an exact quantity, the doubles of
   * its rationals); {@code exact} the rationals of an exact identity quantity, else null; {@code tolerance}
   * is null only for a statistical quantity without one; {@code statistical} is null unless statistical.
   * Version 2: {@code certifiedDigits} is how many significant digits of every value are certified (NaN when the
   * case does not say: version 1, identity and statistical cases); {@code float32} the tolerance a candidate
   * declaring float32 precision is held to (null in version 1 and for statistical quantities).
   */
  public record Expected(String name, List<Integer> shape, double[] values, List<BigFraction> exact,
      Tolerance tolerance, String reason, Statistical statistical, double certifiedDigits,
      ReasonedTolerance float32) {
    public int size() {
      return values.length;
    }

    public boolean isExact() {
      return exact != null;
    }

    public boolean isStatistical() {
      return statistical != null;
    }

    /** The multi-index of the row-major element {@code flat}. */
    public List<Integer> index(int flat) {
      Integer[] idx = new Integer[shape.size()];
      int rest = flat;
      for (int d = shape.size() - 1; d >= 0; d--) {
        idx[d] = rest % shape.get(d);
        rest /= shape.get(d);
      }
      return List.of(idx);
    }
  }

  private final String label;
  private final String id;
  private final String kind;
  private final String title;
  private final String checksum;
  private final ObjectNode root;
  private final Map<String, Expected> expected;
  private final int formatVersion;
  private final Difficulty difficulty;

  private CaseFile(String label, String id, String kind, String title, String checksum, ObjectNode root,
      Map<String, Expected> expected, int formatVersion, Difficulty difficulty) {
    this.formatVersion = formatVersion;
    this.difficulty = difficulty;
    this.label = label;
    this.id = id;
    this.kind = kind;
    this.title = title;
    this.checksum = checksum;
    this.root = root;
    this.expected = expected;
  }

  /** Reads and validates the case in {@code file}; its id must equal the file name without ".json". */
  public static CaseFile read(Path file) {
    JsonInput in = new JsonInput(file.toString());
    ObjectNode root = in.readObject(file, "case", JsonInput.MAX_CASE_BYTES);
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return validate(in, root, name.endsWith(".json") ? name.substring(0, name.length() - 5) : name);
  }

  /**
   * Validates a case given as text; {@code label} names it in messages. {@code expectedId}, when not null,
   * is what the id must be (the file name without ".json").
   */
  public static CaseFile parse(String json, String label, String expectedId) {
    JsonInput in = new JsonInput(label);
    return validate(in, in.parseObject(json.getBytes(StandardCharsets.UTF_8)), expectedId);
  }

  private static CaseFile validate(JsonInput in, ObjectNode root, String expectedId) {
    String format = in.string(root, "format", "format");
    in.require(format.equals(FORMAT), "format is \"" + JsonInput.abbreviate(format) + "\", expected \"" + FORMAT
        + "\" (is this a case file?)");
    JsonNode version = in.member(root, "formatVersion", "formatVersion");
    in.require(version.isIntegralNumber() && version.canConvertToInt() && READ_VERSIONS.contains(version.intValue()),
        "formatVersion is " + JsonInput.describe(version) + "; this checker reads versions 1 and 2");
    int formatVersion = version.intValue();

    String checksum = in.string(root, CanonicalJson.CHECKSUM_FIELD, "checksum");
    in.require(checksum.matches("sha256:[0-9a-f]{64}"), "checksum \"" + JsonInput.abbreviate(checksum)
        + "\" is not of the form sha256:<64 lower-case hex digits>");
    String actual = CanonicalJson.checksum(root);
    in.require(checksum.equals(actual), "checksum mismatch: the file says " + checksum + " but its content hashes "
        + "to " + actual + " (the case was edited or corrupted; regenerate it)");

    String id = in.string(root, "id", "id");
    in.require(ID.matcher(id).matches(), "id \"" + JsonInput.abbreviate(id) + "\" is not of the form [a-z0-9-]+");
    in.require(expectedId == null || id.equals(expectedId), "id \"" + JsonInput.abbreviate(id)
        + "\" does not match the file name (\"" + expectedId + ".json\")");
    String kind = in.string(root, "kind", "kind");
    in.require(KINDS.contains(kind), "kind \"" + JsonInput.abbreviate(kind) + "\" is not one of "
        + String.join(", ", KINDS));
    String title = root.has("title") && root.get("title").isTextual() ? root.get("title").asText() : "";
    in.object(root, "inputs", "inputs");
    Difficulty difficulty = null;
    if (formatVersion >= 2) {
      ObjectNode dn = in.object(root, "difficulty", "difficulty");
      String grade = in.string(dn, "grade", "difficulty.grade");
      in.require(GRADES.contains(grade), "difficulty.grade is \"" + JsonInput.abbreviate(grade) + "\", expected one of "
          + String.join(", ", GRADES));
      String why = in.string(dn, "reason", "difficulty.reason");
      in.require(!why.isBlank(), "difficulty.reason is empty; say what makes the case hard or easy");
      difficulty = new Difficulty(grade, why);
      if (root.has("certification")) {
        in.require(CERTIFIED_KINDS.contains(kind), "certification is only given for the kinds "
            + String.join(", ", CERTIFIED_KINDS));
        ObjectNode cert = in.object(root, "certification", "certification");
        JsonNode routes = in.member(cert, "routes", "certification.routes");
        in.require(routes.isArray() && routes.size() >= 2, "certification.routes is " + JsonInput.describe(routes)
            + ", expected an array naming at least two independent routes");
      }
    } else {
      for (String v2 : List.of("difficulty", "certification")) {
        in.require(!root.has(v2), v2 + " is a version-2 member, but formatVersion is 1");
      }
    }

    ObjectNode exp = in.object(root, "expected", "expected");
    in.require(exp.size() > 0, "expected has no quantities");
    boolean statistical = kind.equals("statistical");
    if (statistical) {
      in.require(exp.has(MEAN_RISK), "expected." + MEAN_RISK + " is missing (a statistical case expects it)");
      in.require(exp.size() == 1, "a statistical case expects only " + MEAN_RISK + ", but expected has "
          + JsonInput.abbreviate(String.join(", ", names(exp))));
    }
    Map<String, Expected> quantities = new LinkedHashMap<>();
    for (String q : names(exp)) {
      quantities.put(q, expected(in, exp, q, kind, formatVersion, root.has("certification")));
    }
    return new CaseFile(in.label, id, kind, title, checksum, root, Collections.unmodifiableMap(quantities),
        formatVersion, difficulty);
  }

  private static Expected expected(JsonInput in, ObjectNode exp, String q, String kind, int formatVersion,
      boolean certified) {
    String p = "expected." + q;
    JsonNode node = exp.get(q);
    in.require(node.isObject(), p + " is " + JsonInput.describe(node) + ", expected an object");
    ObjectNode e = (ObjectNode) node;
    boolean statistical = kind.equals("statistical");

    JsonNode shapeNode = in.member(e, "shape", p + ".shape");
    in.require(shapeNode.isArray(), p + ".shape is " + JsonInput.describe(shapeNode) + ", expected an array");
    List<Integer> shape = new ArrayList<>();
    for (int i = 0; i < shapeNode.size(); i++) {
      JsonNode s = shapeNode.get(i);
      in.require(s.isIntegralNumber() && s.canConvertToInt() && s.intValue() >= 1,
          p + ".shape[" + i + "] is " + JsonInput.describe(s) + ", expected a positive integer");
      shape.add(s.intValue());
    }
    long total = 1;
    for (int s : shape) {
      total *= s;
      in.require(total <= 50_000_000L, p + ".shape describes more than 5e7 elements");
    }
    if (statistical) {
      in.require(shape.size() == 1, p + ".shape has " + shape.size() + " dimensions; " + MEAN_RISK
          + " is a vector over the output steps");
    }

    boolean exact = false;
    if (e.has("exact")) {
      JsonNode x = e.get("exact");
      in.require(x.isBoolean(), p + ".exact is " + JsonInput.describe(x) + ", expected true or false");
      exact = x.booleanValue();
      in.require(!exact || kind.equals("identity"), p + ".exact is true, but only identity cases hold exact "
          + "rationals");
    }

    JsonNode valuesNode = in.member(e, "values", p + ".values");
    List<JsonInput.Leaf> leaves = in.leaves(valuesNode, shape, p + ".values",
        (got, want) -> "has " + got + " entries, its shape says " + want);
    double[] values = new double[leaves.size()];
    List<BigFraction> rationals = exact ? new ArrayList<>() : null;
    for (int i = 0; i < leaves.size(); i++) {
      JsonInput.Leaf leaf = leaves.get(i);
      if (exact) {
        in.require(leaf.node().isTextual(), leaf.path() + " is " + JsonInput.describe(leaf.node())
            + ", expected a rational string \"p/q\" or \"p\" (the quantity is exact)");
        BigFraction f = JsonInput.rational(leaf.node().asText());
        in.require(f != null, leaf.path() + " is \"" + JsonInput.abbreviate(leaf.node().asText())
            + "\", not a reduced rational \"p/q\" (q > 0) or \"p\"");
        rationals.add(f);
        values[i] = JsonInput.toDouble(f);
      } else {
        values[i] = in.finite(leaf.node(), leaf.path());
      }
    }

    Tolerance tolerance = null;
    if (!statistical || e.has("tolerance")) {
      tolerance = tolerance(in, in.object(e, "tolerance", p + ".tolerance"), p + ".tolerance");
    }
    String reason = in.string(e, "reason", p + ".reason");
    in.require(!reason.isBlank(), p + ".reason is empty; say why the tolerance has its size");

    double certifiedDigits = Double.NaN;
    ReasonedTolerance float32 = null;
    if (formatVersion >= 2) {
      if (certified) {
        certifiedDigits = in.finite(in.member(e, "certifiedDigits", p + ".certifiedDigits"), p + ".certifiedDigits");
        in.require(certifiedDigits >= 0 && certifiedDigits <= MAX_CERTIFIED_DIGITS, p + ".certifiedDigits is "
            + certifiedDigits + ", expected 0.." + MAX_CERTIFIED_DIGITS);
      } else {
        in.require(!e.has("certifiedDigits"), p + ".certifiedDigits is given, but the case has no certification");
      }
      if (!statistical) {
        ObjectNode f = in.object(e, "float32", p + ".float32");
        Tolerance t32 = tolerance(in, in.object(f, "tolerance", p + ".float32.tolerance"), p + ".float32.tolerance");
        String why = in.string(f, "reason", p + ".float32.reason");
        in.require(!why.isBlank(), p + ".float32.reason is empty; say why the float32 tolerance has its size");
        float32 = new ReasonedTolerance(t32, why);
      }
    } else {
      for (String v2 : List.of("certifiedDigits", "float32")) {
        in.require(!e.has(v2), p + "." + v2 + " is a version-2 member, but formatVersion is 1");
      }
    }

    Statistical extras = null;
    if (statistical) {
      JsonNode seNode = in.member(e, "standardError", p + ".standardError");
      List<JsonInput.Leaf> seLeaves = in.leaves(seNode, shape, p + ".standardError",
          (got, want) -> "has " + got + " entries, the shape says " + want);
      double[] se = new double[seLeaves.size()];
      for (int i = 0; i < se.length; i++) {
        se[i] = in.finite(seLeaves.get(i).node(), seLeaves.get(i).path());
        in.require(se[i] >= 0, seLeaves.get(i).path() + " is " + se[i] + ", a standard error cannot be negative");
      }
      long replicas = in.integer(e, "replicas", p + ".replicas");
      in.require(replicas >= 2 && replicas <= Integer.MAX_VALUE, p + ".replicas is " + replicas
          + ", expected at least 2");
      double fa = in.finite(in.member(e, "falseAlarm", p + ".falseAlarm"), p + ".falseAlarm");
      in.require(fa > 0 && fa < 1, p + ".falseAlarm is " + fa + ", expected a probability strictly between 0 and 1");
      extras = new Statistical(se, (int) replicas, fa);
    } else {
      for (String extra : List.of("standardError", "replicas", "falseAlarm")) {
        in.require(!e.has(extra), p + "." + extra + " is only allowed in a statistical case");
      }
    }
    return new Expected(q, List.copyOf(shape), values, rationals == null ? null : List.copyOf(rationals),
        tolerance, reason, extras, certifiedDigits, float32);
  }

  private static Tolerance tolerance(JsonInput in, ObjectNode t, String path) {
    return new Tolerance(nonNegative(in, t, "absolute", path + ".absolute"),
        nonNegative(in, t, "relative", path + ".relative"));
  }

  private static double nonNegative(JsonInput in, ObjectNode t, String name, String path) {
    double v = in.finite(in.member(t, name, path), path);
    in.require(v >= 0, path + " is " + v + ", expected a non-negative number");
    return v;
  }

  private static List<String> names(ObjectNode node) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  /** 1 or 2. */
  public int formatVersion() {
    return formatVersion;
  }

  /** The case's difficulty (version 2), or null (version 1). */
  public Difficulty difficulty() {
    return difficulty;
  }

  /** The file name (or label) used in messages. */
  public String label() {
    return label;
  }

  public String id() {
    return id;
  }

  public String kind() {
    return kind;
  }

  public String title() {
    return title;
  }

  public String checksum() {
    return checksum;
  }

  public boolean isStatistical() {
    return kind.equals("statistical");
  }

  /** The expected quantities in file order. */
  public Map<String, Expected> expected() {
    return expected;
  }

  /** The name a candidate gives quantity {@code q} under: riskReplicas for a statistical meanRisk. */
  public String candidateName(String q) {
    return expected.get(q).isStatistical() ? RISK_REPLICAS : q;
  }

  /** A copy of the parsed JSON (inputs included). */
  public ObjectNode json() {
    return root.deepCopy();
  }
}
