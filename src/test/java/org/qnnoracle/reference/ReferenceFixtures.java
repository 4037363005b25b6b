package org.qnnoracle.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small hand-made cases of each kind, with candidates, for the checker's tests. Case builders return the
 * case without its checksum; {@link #sealed} adds it (computed with {@link CanonicalJson}).
 */
public final class ReferenceFixtures {
  public static final ObjectMapper JSON = new ObjectMapper();

  public static final double ABS = 1e-12;
  public static final double REL = 1e-8;

  /** Flow-like deterministic expected values. */
  public static final double[] FLOW_RISK = {4.5, 1.25, 0.0625};
  public static final double[][] FLOW_OVERLAPS = {{0.0, 0.0}, {0.75, 0.125}, {0.9990234375, 0.4}};
  public static final double[] FLOW_TRACE = {0.0, 1.5, 2.0};

  /** Identity (exact) expected values. */
  public static final String[][] ID_DRIFT = {{"1/3", "-2/7"}, {"-2/7", "5"}};
  public static final String ID_RISK = "8/9";

  /** Statistical reference: means, per-replica sd, reference replicas, false alarm. */
  public static final double[] STAT_MEAN = {3.0, 1.5, 0.8, 0.5};
  public static final double[] STAT_SD = {0.6, 0.3, 0.2, 0.1};
  public static final int STAT_REF_REPLICAS = 400;
  public static final double STAT_FALSE_ALARM = 1e-3;

  private ReferenceFixtures() {}

  private static ObjectNode header(String id, String kind) {
    ObjectNode c = JSON.createObjectNode();
    c.put("format", "qnn-oracle-reference");
    c.put("formatVersion", 1);
    c.put("id", id);
    c.put("kind", kind);
    c.put("title", "hand-made " + kind + " case");
    c.put("why", "checker tests");
    ObjectNode gen = c.putObject("generator");
    gen.put("tool", "test");
    gen.put("version", "0");
    gen.put("seed", 1);
    return c;
  }

  private static ObjectNode quantity(ObjectNode expected, String name, Object values, int... shape) {
    ObjectNode q = expected.putObject(name);
    ArrayNode s = q.putArray("shape");
    for (int n : shape) {
      s.add(n);
    }
    q.set("values", JSON.valueToTree(values));
    ObjectNode t = q.putObject("tolerance");
    t.put("absolute", ABS);
    t.put("relative", REL);
    q.put("reason", "double rounding of a short computation");
    return q;
  }

  public static ObjectNode flowCase(String id) {
    ObjectNode c = header(id, "flow");
    ObjectNode in = c.putObject("inputs");
    in.put("d", 2);
    in.put("r", 2);
    in.put("m", 1);
    in.set("times", JSON.valueToTree(new double[] {0, 0.5, 1}));
    ObjectNode e = c.putObject("expected");
    quantity(e, "risk", FLOW_RISK, 3);
    quantity(e, "overlaps", FLOW_OVERLAPS, 3, 2);
    quantity(e, "traceM", FLOW_TRACE, 3);
    return c;
  }

  public static ObjectNode identityCase(String id) {
    ObjectNode c = header(id, "identity");
    ObjectNode in = c.putObject("inputs");
    in.put("d", 2);
    in.put("batch", 1);
    in.put("eta", "1/10");
    in.put("s2", "0");
    ObjectNode e = c.putObject("expected");
    quantity(e, "stepDrift", ID_DRIFT, 2, 2).put("exact", true);
    quantity(e, "risk", ID_RISK).put("exact", true);
    return c;
  }

  public static ObjectNode statisticalCase(String id) {
    ObjectNode c = header(id, "statistical");
    ObjectNode in = c.putObject("inputs");
    in.put("d", 4);
    in.set("outputSteps", JSON.valueToTree(new int[] {0, 10, 20, 40}));
    in.put("replicas", STAT_REF_REPLICAS);
    ObjectNode e = c.putObject("expected");
    ObjectNode q = e.putObject("meanRisk");
    q.putArray("shape").add(STAT_MEAN.length);
    q.set("values", JSON.valueToTree(STAT_MEAN));
    double[] se = new double[STAT_SD.length];
    for (int k = 0; k < se.length; k++) {
      se[k] = STAT_SD[k] / Math.sqrt(STAT_REF_REPLICAS);
    }
    q.set("standardError", JSON.valueToTree(se));
    q.put("replicas", STAT_REF_REPLICAS);
    q.put("falseAlarm", STAT_FALSE_ALARM);
    q.put("reason", "Monte Carlo over replicas");
    return c;
  }

  /** float32 tolerance of {@link #flowCaseV2}: 1000 times the float64 one. */
  public static final double ABS32 = 1000 * ABS;
  public static final double REL32 = 1000 * REL;
  /** Certified digits of every quantity of {@link #flowCaseV2}. */
  public static final int CERTIFIED_DIGITS = 17;

  /** {@link #flowCase} in format version 2: difficulty, certification, certified digits, float32 tolerances. */
  public static ObjectNode flowCaseV2(String id) {
    ObjectNode c = flowCase(id);
    c.put("formatVersion", 2);
    ObjectNode d = c.putObject("difficulty");
    d.put("grade", "lower");
    d.put("reason", "short times, well-conditioned");
    ObjectNode cert = c.putObject("certification");
    cert.putArray("routes").add("closed form").add("field integrator");
    cert.put("note", "test fixture");
    for (JsonNode q : c.get("expected")) {
      ObjectNode o = (ObjectNode) q;
      o.put("certifiedDigits", CERTIFIED_DIGITS);
      ObjectNode f = o.putObject("float32");
      ObjectNode t = f.putObject("tolerance");
      t.put("absolute", ABS32);
      t.put("relative", REL32);
      f.put("reason", "fixture");
    }
    return c;
  }

  /** The case with its checksum member set. */
  public static ObjectNode sealed(ObjectNode c) {
    c.put("checksum", CanonicalJson.checksum(c));
    return c;
  }

  public static ObjectNode candidate(String caseId) {
    ObjectNode c = JSON.createObjectNode();
    c.put("format", "qnn-oracle-candidate");
    c.put("formatVersion", 1);
    c.put("case", caseId);
    c.put("implementation", "hand-made test candidate");
    c.putObject("quantities");
    return c;
  }

  public static ObjectNode flowCandidate(String caseId) {
    ObjectNode c = candidate(caseId);
    ObjectNode q = (ObjectNode) c.get("quantities");
    q.set("risk", JSON.valueToTree(FLOW_RISK));
    q.set("overlaps", JSON.valueToTree(FLOW_OVERLAPS));
    q.set("traceM", JSON.valueToTree(FLOW_TRACE));
    return c;
  }

  public static ObjectNode identityCandidateStrings(String caseId) {
    ObjectNode c = candidate(caseId);
    ObjectNode q = (ObjectNode) c.get("quantities");
    q.set("stepDrift", JSON.valueToTree(ID_DRIFT));
    q.put("risk", ID_RISK);
    return c;
  }

  public static ObjectNode identityCandidateNumbers(String caseId) {
    ObjectNode c = candidate(caseId);
    ObjectNode q = (ObjectNode) c.get("quantities");
    q.set("stepDrift", JSON.valueToTree(new double[][] {{1.0 / 3, -2.0 / 7}, {-2.0 / 7, 5}}));
    q.put("risk", 8.0 / 9);
    return c;
  }

  /**
   * Replicas drawn from N(STAT_MEAN[k] + shift * se_combined[k], STAT_SD[k]^2), se_combined being the
   * standard error of the z test's denominator at this replica count.
   */
  public static ObjectNode statisticalCandidate(String caseId, long seed, int replicas, double shiftInSe) {
    Random rng = new Random(seed);
    double[][] reps = new double[replicas][STAT_MEAN.length];
    for (int k = 0; k < STAT_MEAN.length; k++) {
      double se = Math.sqrt(STAT_SD[k] * STAT_SD[k] / replicas + STAT_SD[k] * STAT_SD[k] / STAT_REF_REPLICAS);
      for (int r = 0; r < replicas; r++) {
        reps[r][k] = STAT_MEAN[k] + shiftInSe * se + STAT_SD[k] * rng.nextGaussian();
      }
    }
    ObjectNode c = candidate(caseId);
    ((ObjectNode) c.get("quantities")).set("riskReplicas", JSON.valueToTree(reps));
    return c;
  }

  /** Tolerance bound of an expected value under the fixtures' tolerance. */
  public static double allowed(double expected) {
    return ABS + REL * Math.abs(expected);
  }

  public static Path write(Path dir, String name, JsonNode node) {
    return writeText(dir, name, node.toString());
  }

  public static Path writeText(Path dir, String name, String text) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the sealed case as ID.json. */
  public static Path writeCase(Path dir, ObjectNode sealedCase) {
    return write(dir, sealedCase.get("id").asText() + ".json", sealedCase);
  }
}
