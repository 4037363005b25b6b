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
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.InvalidInputException;

/**
 * A candidate's answers to one case (spec/reference-format.md, "Candidate file"), validated against the
 * case: format and version, the case id, exactly the case's quantities (riskReplicas, replicas x K, for a
 * statistical case's meanRisk), the same shapes, every number finite. Problems are one-line
 * {@link InvalidInputException}s naming the file and the JSON path.
 */
public final class CandidateFile {
  public static final String FORMAT = "qnn-oracle-candidate";
  /**
   * The version written by our examples; versions 1 and 2 are read alike: 2 only names the optional
   * {@code precision} member, which a version-1 reader already ignored as an unknown member.
   */
  public static final int FORMAT_VERSION = 2;
  public static final List<Integer> READ_VERSIONS = List.of(1, 2);
  /** The precisions a candidate may declare; float64 when it declares none. */
  public static final List<String> PRECISIONS = List.of("float64", "float32");

  /**
   * A candidate quantity. {@code values}: the elements row-major (doubles of the rationals when given as
   * strings); {@code rationals}: non-null when the candidate gave an exact quantity as rational strings;
   * {@code replicas}: for a statistical quantity, replicas x K (then {@code values} is empty).
   */
  public record Given(String name, double[] values, List<BigFraction> rationals, double[][] replicas) {
    public boolean isRational() {
      return rationals != null;
    }
  }

  private final String label;
  private final String caseId;
  private final String implementation;
  private final String precision;
  private final Map<String, Given> quantities;

  private CandidateFile(String label, String caseId, String implementation, String precision,
      Map<String, Given> quantities) {
    this.precision = precision;
    this.label = label;
    this.caseId = caseId;
    this.implementation = implementation;
    this.quantities = quantities;
  }

  public static CandidateFile read(Path file, CaseFile forCase) {
    JsonInput in = new JsonInput(file.toString());
    return validate(in, in.readObject(file, "candidate", JsonInput.MAX_CANDIDATE_BYTES), forCase);
  }

  public static CandidateFile parse(String json, String label, CaseFile forCase) {
    JsonInput in = new JsonInput(label);
    return validate(in, in.parseObject(json.getBytes(StandardCharsets.UTF_8)), forCase);
  }

  private static CandidateFile validate(JsonInput in, ObjectNode root, CaseFile c) {
    String format = in.string(root, "format", "format");
    in.require(format.equals(FORMAT), "format is \"" + JsonInput.abbreviate(format) + "\", expected \"" + FORMAT
        + "\"" + (format.equals(CaseFile.FORMAT) ? " (this is a case file, not a candidate)" : ""));
    JsonNode version = in.member(root, "formatVersion", "formatVersion");
    in.require(version.isIntegralNumber() && version.canConvertToInt() && READ_VERSIONS.contains(version.intValue()),
        "formatVersion is " + JsonInput.describe(version) + "; this checker reads versions 1 and 2");
    String caseId = in.string(root, "case", "case");
    in.require(caseId.equals(c.id()), "case is \"" + JsonInput.abbreviate(caseId) + "\", but the case file is \""
        + c.id() + "\"");
    String implementation = in.string(root, "implementation", "implementation");
    String precision = "float64";
    if (root.has("precision")) {
      precision = in.string(root, "precision", "precision");
      in.require(PRECISIONS.contains(precision), "precision is \"" + JsonInput.abbreviate(precision)
          + "\", expected float64 or float32");
      in.require(precision.equals("float64") || c.formatVersion() >= 2 || c.isStatistical(), "precision is float32, "
          + "but case " + c.id() + " has format version 1, which gives no float32 tolerances; check against the "
          + "version-2 case");
    }
    ObjectNode q = in.object(root, "quantities", "quantities");

    List<String> wanted = new ArrayList<>();
    for (String name : c.expected().keySet()) {
      wanted.add(c.candidateName(name));
    }
    Iterator<String> it = q.fieldNames();
    while (it.hasNext()) {
      String name = it.next();
      if (!wanted.contains(name)) {
        String hint = name.equals(CaseFile.MEAN_RISK) && wanted.contains(CaseFile.RISK_REPLICAS)
            ? " (a statistical case takes " + CaseFile.RISK_REPLICAS + ", replicas x K, instead of " + name + ")"
            : " (the case expects " + String.join(", ", wanted) + ")";
        // the name is the candidate's, of any length: cut short so the message stays one readable line
        throw in.error("quantities." + JsonInput.abbreviate(name) + " is not a quantity of case " + c.id() + hint);
      }
    }
    Map<String, Given> given = new LinkedHashMap<>();
    for (CaseFile.Expected e : c.expected().values()) {
      String name = c.candidateName(e.name());
      String p = "quantities." + name;
      in.require(q.has(name), p + " is missing (the case expects " + String.join(", ", wanted) + ")");
      given.put(e.name(), e.isStatistical() ? replicas(in, q.get(name), e, p) : values(in, q.get(name), e, p));
    }
    return new CandidateFile(in.label, caseId, implementation, precision, Collections.unmodifiableMap(given));
  }

  private static Given values(JsonInput in, JsonNode node, CaseFile.Expected e, String p) {
    List<JsonInput.Leaf> leaves = in.leaves(node, e.shape(), p,
        (got, want) -> "has " + got + " entries, the case expects " + want);
    double[] values = new double[leaves.size()];
    boolean strings = e.isExact() && !leaves.isEmpty() && leaves.get(0).node().isTextual()
        && JsonInput.rational(leaves.get(0).node().asText()) != null;
    List<BigFraction> rationals = strings ? new ArrayList<>() : null;
    for (int i = 0; i < leaves.size(); i++) {
      JsonInput.Leaf leaf = leaves.get(i);
      JsonNode n = leaf.node();
      if (strings) {
        if (n.isTextual()) {
          BigFraction f = JsonInput.rational(n.asText());
          if (f == null) {
            in.finite(n, leaf.path()); // reports "NaN" and friends as not finite
            throw in.error(leaf.path() + " is \"" + JsonInput.abbreviate(n.asText())
                + "\", not a reduced rational \"p/q\" (q > 0) or \"p\"");
          }
          rationals.add(f);
          values[i] = JsonInput.toDouble(f);
        } else {
          in.finite(n, leaf.path());
          throw in.error(leaf.path() + " is a number, but " + p + " starts with rational strings; give every "
              + "element as a string (exact) or every element as a number (held to the tolerance)");
        }
      } else {
        if (e.isExact() && n.isTextual() && JsonInput.rational(n.asText()) != null) {
          throw in.error(leaf.path() + " is a rational string, but " + p + " starts with numbers; give every "
              + "element as a string (exact) or every element as a number (held to the tolerance)");
        }
        values[i] = in.finite(n, leaf.path());
      }
    }
    return new Given(e.name(), values, rationals == null ? null : List.copyOf(rationals), null);
  }

  private static Given replicas(JsonInput in, JsonNode node, CaseFile.Expected e, String p) {
    int k = e.shape().get(0);
    in.require(node.isArray(), p + " is " + JsonInput.describe(node) + ", expected an array of replicas, each "
        + "an array of " + k + " risks");
    in.require(node.size() >= 2, p + " has " + node.size() + " row" + (node.size() == 1 ? "" : "s")
        + "; at least 2 replicas are needed for a standard error");
    double[][] reps = new double[node.size()][];
    for (int r = 0; r < node.size(); r++) {
      List<JsonInput.Leaf> leaves = in.leaves(node.get(r), List.of(k), p + "[" + r + "]",
          (got, want) -> "has " + got + " entries, the case expects " + want + " (one per output step)");
      reps[r] = new double[k];
      for (int i = 0; i < k; i++) {
        reps[r][i] = in.finite(leaves.get(i).node(), leaves.get(i).path());
      }
    }
    return new Given(e.name(), new double[0], null, reps);
  }

  public String label() {
    return label;
  }

  public String caseId() {
    return caseId;
  }

  /** "float64" (also when the candidate declares nothing) or "float32". */
  public String precision() {
    return precision;
  }

  public boolean isFloat32() {
    return precision.equals("float32");
  }

  public String implementation() {
    return implementation;
  }

  /** The candidate's quantities, keyed by the case's quantity names (meanRisk, not riskReplicas). */
  public Map<String, Given> quantities() {
    return quantities;
  }
}
