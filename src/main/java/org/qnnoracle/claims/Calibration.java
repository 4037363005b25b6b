package org.qnnoracle.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.distribution.discrete.BinomialDistribution;

/**
 * The false-alarm calibration of the claims: each claim run at many base seeds, its failures counted and set
 * against the rate it states ({@link Claim#falseAlarmRate()}). A count k of N is consistent with a stated rate
 * p when the binomial tail P(K &gt;= k | N, p) is at least {@value #CONSISTENCY_LEVEL}; for a deterministic
 * claim (p = 0) only k = 0 is. Zero failures in N = 40 runs cannot confirm a rate of 1e-4 (it only excludes
 * rates above about 0.16 at the 1e-3 level); what the table can show is a claim failing more often than it
 * says, which is how an underpowered check or a bound read off one seed's spread shows up.
 *
 * @param scale the scale every run used
 * @param seeds the base seeds, in order
 * @param version the tool version that ran them
 * @param linearAlgebra the linear-algebra backend of the runs
 * @param rows one row per claim, in registry order
 */
public record Calibration(Scale scale, List<Long> seeds, String version, String linearAlgebra, List<Row> rows) {
  /** Binomial tail below which a failure count is called inconsistent with the stated rate. */
  public static final double CONSISTENCY_LEVEL = 1e-3;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One claim's calibration.
   *
   * @param id the claim ID
   * @param statedRate the false-alarm rate the claim states (per run)
   * @param runs the seeds that produced a verdict for it
   * @param failedSeeds the seeds at which it failed
   */
  public record Row(String id, double statedRate, int runs, List<Long> failedSeeds) {
    public Row {
      failedSeeds = List.copyOf(failedSeeds);
    }

    public int failures() {
      return failedSeeds.size();
    }

    /** P(K &gt;= failures) for K ~ Binomial(runs, statedRate): 1 when there are no failures. */
    public double tail() {
      int k = failures();
      if (k == 0) {
        return 1.0;
      }
      if (statedRate <= 0.0) {
        return 0.0;
      }
      return 1.0 - new BinomialDistribution(runs, statedRate).cumulativeProbability(k - 1);
    }

    public boolean consistent() {
      return tail() >= CONSISTENCY_LEVEL;
    }
  }

  public Calibration {
    seeds = List.copyOf(seeds);
    rows = List.copyOf(rows);
  }

  /** One run's verdicts: claim ID to passed. */
  public record SeedRun(long seed, Map<String, Boolean> verdicts) {
    public SeedRun {
      verdicts = Map.copyOf(verdicts);
    }
  }

  /**
   * Tallies the runs claim by claim. A claim missing from a run (its process died) counts as a failure of that
   * seed: a crash is never silently dropped.
   */
  public static Calibration tally(List<Claim> claims, Scale scale, List<SeedRun> runs, String version,
      String linearAlgebra) {
    List<Row> rows = new ArrayList<>();
    for (Claim c : claims) {
      List<Long> failed = new ArrayList<>();
      for (SeedRun run : runs) {
        if (!Boolean.TRUE.equals(run.verdicts().get(c.id()))) {
          failed.add(run.seed());
        }
      }
      rows.add(new Row(c.id(), c.falseAlarmRate(), runs.size(), failed));
    }
    return new Calibration(scale, runs.stream().map(SeedRun::seed).toList(), version, linearAlgebra, rows);
  }

  public boolean allConsistent() {
    return rows.stream().allMatch(Row::consistent);
  }

  public int totalFailures() {
    return rows.stream().mapToInt(Row::failures).sum();
  }

  /** The seeds as a range when they are consecutive ("1..40"), else a list. */
  public String seedLabel() {
    boolean consecutive = !seeds.isEmpty();
    for (int i = 1; i < seeds.size() && consecutive; i++) {
      consecutive = seeds.get(i) == seeds.get(i - 1) + 1;
    }
    return consecutive ? seeds.get(0) + ".." + seeds.get(seeds.size() - 1) : seeds.toString();
  }

  // ------------------------------------------------------------------------------------------ rendering

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("tool", ClaimsReport.TOOL);
    root.put("version", version);
    root.put("scale", scale.label());
    root.put("linearAlgebra", linearAlgebra);
    ArrayNode s = root.putArray("seeds");
    seeds.forEach(s::add);
    root.put("consistencyLevel", CONSISTENCY_LEVEL);
    ArrayNode rs = root.putArray("claims");
    for (Row r : rows) {
      ObjectNode o = rs.addObject();
      o.put("id", r.id());
      o.put("falseAlarmRate", r.statedRate());
      o.put("runs", r.runs());
      o.put("failures", r.failures());
      ArrayNode f = o.putArray("failedSeeds");
      r.failedSeeds().forEach(f::add);
      o.put("binomialTail", r.tail());
      o.put("consistent", r.consistent());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the calibration", e);
    }
  }

  /** Reads what {@link #toJson()} wrote (the committed spec/calibration files). */
  public static Calibration fromJson(String text) throws IOException {
    JsonNode root = JSON.readTree(text);
    List<Long> seeds = new ArrayList<>();
    root.path("seeds").forEach(n -> seeds.add(n.asLong()));
    List<Row> rows = new ArrayList<>();
    for (JsonNode o : root.path("claims")) {
      List<Long> failed = new ArrayList<>();
      o.path("failedSeeds").forEach(n -> failed.add(n.asLong()));
      rows.add(new Row(o.path("id").asText(), o.path("falseAlarmRate").asDouble(), o.path("runs").asInt(), failed));
    }
    return new Calibration(Scale.parse(root.path("scale").asText()), seeds, root.path("version").asText(),
        root.path("linearAlgebra").asText(), rows);
  }

  /** A Markdown table: per claim, failures k of N, the stated rate, the binomial tail and the verdict. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Scale %s, base seeds %s (%d runs), version %s, linear algebra: %s. "
        + "%d failure(s) in all; %s.%n%n", scale.label(), seedLabel(), seeds.size(), version, linearAlgebra,
        totalFailures(), allConsistent() ? "every count is consistent with its stated rate"
            : "SOME COUNTS ARE INCONSISTENT with their stated rates"));
    md.append("| ID | failures | stated rate | P(K >= k) | consistent |\n");
    md.append("|---|---:|---:|---:|:---:|\n");
    for (Row r : rows) {
      md.append("| ").append(r.id())
          .append(" | ").append(r.failures()).append(" of ").append(r.runs())
          .append(r.failures() == 0 ? "" : " (seeds " + r.failedSeeds() + ")")
          .append(" | ").append(r.statedRate() == 0.0 ? "0 (deterministic)" : ClaimsReport.number(r.statedRate()))
          .append(" | ").append(ClaimsReport.number(r.tail()))
          .append(" | ").append(r.consistent() ? "yes" : "**no**")
          .append(" |\n");
    }
    return md.toString();
  }

  /** Index of the rows by ID. */
  public Map<String, Row> byId() {
    Map<String, Row> m = new LinkedHashMap<>();
    rows.forEach(r -> m.put(r.id(), r));
    return m;
  }
}
