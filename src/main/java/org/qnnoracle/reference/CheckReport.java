package org.qnnoracle.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** The outputs of {@code check}: the plain-text table, check.json and check.md. */
public final class CheckReport {
  public static final String JSON_FILE = "check.json";
  public static final String MARKDOWN_FILE = "check.md";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] HEADER = {"quantity", "test", "worst", "bound", "status", "digits", "where"};
  private static final boolean[] RIGHT = {false, false, true, true, false, true, false};

  private CheckReport() {}

  /** Three significant digits, as in the claims report. */
  public static String number(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3g", x) : Double.toString(x);
  }

  public static String status(QuantityResult q) {
    return q.passed() ? "PASS" : "FAIL";
  }

  /** "check: PASS (3 of 3 quantities)" or "check: FAIL (1 of 3 quantities failed: overlaps)". */
  public static String verdict(CheckResult r) {
    int n = r.quantities().size();
    return r.passed()
        ? "check: PASS (" + n + " of " + n + " quantities)"
        : "check: FAIL (" + r.failed().size() + " of " + n + " quantities failed: " + String.join(", ", r.failed())
            + ")";
  }

  /** The aligned table: quantity, test, worst, bound, status, where. */
  public static String table(CheckResult r) {
    String[][] cells = new String[r.quantities().size() + 1][];
    cells[0] = HEADER;
    for (int i = 0; i < r.quantities().size(); i++) {
      QuantityResult q = r.quantities().get(i);
      cells[i + 1] = new String[] {q.quantity(), q.test(), worst(q), bound(q), status(q), digits(q), q.where()};
    }
    return org.qnnoracle.TextTable.render(cells, RIGHT);
  }

  /** The digits of agreement, worst / median element ("-" for a statistical quantity). */
  private static String digits(QuantityResult q) {
    return q.lre() == null ? "-" : q.lre().text();
  }

  private static String worst(QuantityResult q) {
    return q instanceof QuantityResult.Exact e ? Integer.toString(e.mismatches()) : number(q.worst());
  }

  private static String bound(QuantityResult q) {
    return q instanceof QuantityResult.Statistical ? number(q.bound()) : Integer.toString((int) q.bound());
  }


  /** check.json: tool version, case, candidate implementation, per quantity results, overall verdict. */
  public static String json(CheckResult r, String toolVersion) {
    ObjectNode root = JSON.createObjectNode();
    root.put("tool", "qnn-oracle");
    root.put("version", toolVersion);
    root.put("case", r.caseId());
    root.put("kind", r.caseKind());
    root.put("caseChecksum", r.caseChecksum());
    root.put("implementation", r.implementation());
    root.put("precision", r.precision());
    root.put("passed", r.passed());
    root.put("passCount", r.passCount());
    ArrayNode qs = root.putArray("quantities");
    for (QuantityResult q : r.quantities()) {
      ObjectNode o = qs.addObject();
      o.put("quantity", q.quantity());
      o.put("test", q.test());
      o.put("status", status(q));
      o.put("worst", q.worst());
      o.put("bound", q.bound());
      o.put("where", q.where());
      if (q.lre() != null) {
        ObjectNode lre = o.putObject("lre");
        lre.put("worst", q.lre().worst());
        lre.put("median", q.lre().median());
        lre.put("cap", q.lre().cap());
      }
      if (q instanceof QuantityResult.Tolerance t) {
        o.put("elements", t.elements());
        index(o.putArray("worstIndex"), t.worstIndex());
        o.put("candidate", t.candidate());
        o.put("expected", t.expected());
        o.put("absoluteDifference", t.absoluteDifference());
        o.put("absolute", t.absolute());
        o.put("relative", t.relative());
      } else if (q instanceof QuantityResult.Exact e) {
        o.put("elements", e.elements());
        o.put("mismatches", e.mismatches());
        if (e.mismatches() > 0) {
          index(o.putArray("firstMismatch"), e.firstMismatch());
          o.put("candidate", e.candidate());
          o.put("expected", e.expected());
        }
      } else if (q instanceof QuantityResult.Statistical s) {
        o.put("replicas", s.replicas());
        o.put("referenceReplicas", s.referenceReplicas());
        o.put("falseAlarm", s.falseAlarm());
        o.put("threshold", s.threshold());
        o.put("worstStep", s.worstStep());
        o.put("candidateMean", s.candidateMean());
        o.put("candidateStandardError", s.candidateStandardError());
        o.put("referenceMean", s.referenceMean());
        o.put("referenceStandardError", s.referenceStandardError());
        ArrayNode z = o.putArray("z");
        s.z().forEach(z::add);
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  private static void index(ArrayNode a, List<Integer> index) {
    index.forEach(a::add);
  }

  /** check.md: the same for people. */
  public static String markdown(CheckResult r, String toolVersion) {
    StringBuilder b = new StringBuilder();
    b.append("# qnn-oracle check: ").append(r.caseId()).append("\n\n");
    b.append("- case: `").append(r.caseId()).append("` (").append(r.caseKind()).append("), ")
        .append(r.caseChecksum()).append('\n');
    b.append("- candidate: ").append(md(r.implementation())).append(" (precision ").append(r.precision())
        .append(")\n");
    b.append("- checker: qnn-oracle ").append(toolVersion).append('\n');
    b.append("- verdict: **").append(verdict(r).substring("check: ".length())).append("**\n\n");
    b.append("| quantity | test | worst | bound | status | digits (worst / median) | where |\n");
    b.append("|---|---|---:|---:|---|---:|---|\n");
    for (QuantityResult q : r.quantities()) {
      b.append("| ").append(md(q.quantity())).append(" | ").append(q.test()).append(" | ").append(worst(q))
          .append(" | ").append(bound(q)).append(" | ").append(status(q)).append(" | ").append(digits(q))
          .append(" | ").append(md(q.where())).append(" |\n");
    }
    b.append("\nTolerance tests pass when the worst |candidate - expected| / (absolute + relative |expected|) "
        + "is at most 1; exact tests when every rational matches; statistical tests when the largest |z| over "
        + "the output steps is at most the two-sided Bonferroni threshold Phi^-1(1 - falseAlarm / (2K)). A "
        + "float32 candidate is held to each quantity's float32 tolerance. Digits: the log relative error "
        + "-log10(|candidate - expected| / |expected|) per element, clipped to [0, the certified digits], worst "
        + "and median element (NIST StRD's LRE).\n");
    return b.toString();
  }

  private static String md(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
