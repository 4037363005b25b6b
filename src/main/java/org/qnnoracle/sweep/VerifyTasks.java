package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.Version;
import org.qnnoracle.claims.Calibration;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.linalg.Linalg;

/**
 * {@code "kind": "verify"}: built-in claims x base seeds x scales, one task per (claim, seed, scale); the task is
 * {@code ClaimRunner.run(claim, scale, seed)}, exactly what {@code verify --seed S --only ID} runs. The report is
 * the calibration table of {@code verify --calibrate} (failures k of N per claim, the stated false-alarm rate, the
 * binomial tail), one per scale.
 */
final class VerifyTasks implements TaskKind {
  private static final Set<String> MEMBERS = Set.of("kind", "claims", "seeds", "scale");

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public List<SweepTask> expand(Block b) {
    b.allowOnly(MEMBERS);
    List<Claim> claims = select(b, b.strings("claims", "all"));
    List<Long> seeds = b.seeds("seeds");
    List<Scale> scales = new ArrayList<>();
    for (String s : b.strings("scale", "default")) {
      try {
        scales.add(Scale.parse(s));
      } catch (InvalidInputException e) {
        throw b.error("'scale': " + e.getMessage());
      }
    }
    b.requireAtMostMaxTasks((double) scales.size() * claims.size() * seeds.size());
    List<SweepTask> out = new ArrayList<>();
    for (Scale scale : scales) {
      for (Claim c : claims) {
        for (long seed : seeds) {
          ObjectNode t = SweepJson.object();
          t.put("kind", name());
          t.put("claim", c.id());
          t.put("scale", scale.label());
          t.put("seed", seed);
          out.add(SweepTask.of(t, "verify-" + c.id() + "-" + scale.label() + "-s" + seed));
        }
      }
    }
    return out;
  }

  /** The claims named by IDs and prefixes (as verify --only: an exact ID, or a prefix such as "FLOW-"), or "all". */
  private static List<Claim> select(Block b, List<String> names) {
    Set<Claim> out = new LinkedHashSet<>();
    for (String n : names) {
      if (n.equals("all")) {
        out.addAll(ClaimRegistry.all());
        continue;
      }
      List<Claim> hit = ClaimRegistry.byId(n).map(List::of).orElseGet(() -> ClaimRegistry.withPrefix(n));
      if (hit.isEmpty()) {
        throw b.error("'claims': no built-in claim has ID or prefix '" + n + "' (see verify --list)");
      }
      out.addAll(hit);
    }
    return new ArrayList<>(out);
  }

  @Override
  public Outcome run(JsonNode task) {
    Claim claim = ClaimRegistry.byId(task.path("claim").asText())
        .orElseThrow(() -> new InvalidInputException("no built-in claim " + task.path("claim").asText()));
    ClaimResult r = ClaimRunner.run(claim, Scale.parse(task.path("scale").asText()), task.path("seed").asLong());
    ObjectNode v = SweepJson.object();
    SweepJson.put(v, "measured", r.measurement().measured());
    SweepJson.put(v, "bound", r.measurement().bound());
    v.put("detail", r.measurement().detail());
    return new Outcome(r.status(), v);
  }

  @Override
  public Section report(List<JsonNode> results, Map<String, byte[]> files) {
    // scale -> claim -> (seed -> passed), claims in registry order
    Map<String, Map<String, Map<Long, Boolean>>> byScale = new TreeMap<>();
    for (JsonNode r : results) {
      JsonNode spec = r.path("spec");
      byScale.computeIfAbsent(spec.path("scale").asText(), k -> new TreeMap<>())
          .computeIfAbsent(spec.path("claim").asText(), k -> new TreeMap<>())
          .put(spec.path("seed").asLong(), "PASS".equals(r.path("status").asText()));
    }
    ObjectNode summary = SweepJson.object();
    StringBuilder md = new StringBuilder("## Calibration (verify tasks)\n\n");
    for (Map.Entry<String, Map<String, Map<Long, Boolean>>> e : byScale.entrySet()) {
      Scale scale = Scale.parse(e.getKey());
      Set<Long> seeds = new TreeSet<>();
      List<Calibration.Row> rows = new ArrayList<>();
      for (Claim c : ClaimRegistry.all()) {
        Map<Long, Boolean> runs = e.getValue().get(c.id());
        if (runs == null) {
          continue;
        }
        seeds.addAll(runs.keySet());
        List<Long> failed = new ArrayList<>();
        runs.forEach((seed, passed) -> {
          if (!passed) {
            failed.add(seed);
          }
        });
        rows.add(new Calibration.Row(c.id(), c.falseAlarmRate(), runs.size(), failed));
      }
      Calibration cal = new Calibration(scale, new ArrayList<>(seeds), Version.CURRENT, Linalg.describe(), rows);
      files.put("calibration-" + scale.label() + ".json", cal.toJson().getBytes(StandardCharsets.UTF_8));
      files.put("calibration-" + scale.label() + ".md", cal.toMarkdown().getBytes(StandardCharsets.UTF_8));
      md.append("### Scale ").append(scale.label()).append("\n\n").append(cal.toMarkdown()).append('\n');
      ObjectNode s = summary.putObject(scale.label());
      s.put("claims", rows.size());
      s.put("seeds", seeds.size());
      s.put("failures", cal.totalFailures());
      s.put("allConsistent", cal.allConsistent());
      var inconsistent = s.putArray("inconsistent");
      rows.stream().filter(row -> !row.consistent()).forEach(row -> inconsistent.add(row.id()));
      Map<String, Integer> failures = new LinkedHashMap<>();
      rows.forEach(row -> failures.put(row.id(), row.failures()));
      failures.forEach(s.putObject("failuresByClaim")::put);
    }
    return new Section(summary, md.toString());
  }
}
