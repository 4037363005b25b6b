package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.PngRenderer;
import org.qnnoracle.plot.Series;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdSnapshot;
import org.qnnoracle.sgd.StepGrid;
import org.qnnoracle.sgd.StepSchedule;
import org.qnnoracle.stats.RunningMoments;

/**
 * {@code "kind": "sgd"}: online SGD replicas over a grid of settings, one task per (setting, replica). A
 * setting's teacher and W0 come from its seed (as {@code sgd --seed S}); replica k draws its samples from
 * {@code SgdRunner.Plan.replicaSeed(k)}, so task k gives exactly replica k of {@code sgd --replicas R --seed S} for
 * any R &gt; k, and raising "replicas" later reuses the finished ones. The step is constant, eta = c / d (or
 * "eta"); "batch" may be "d" (the source's batch size). The report gives per setting the mean risk with its
 * standard error at every output time (a table and a figure).
 */
final class SgdTasks implements TaskKind {
  private static final Set<String> MEMBERS = Set.of("kind", "d", "r", "beta", "m", "alpha", "sigma0", "c", "eta",
      "batch", "noise", "tMax", "steps", "points", "seed", "replicas");
  /** Default c of eta = c / d: the sgd command's default. */
  static final double DEFAULT_C = 0.05;
  /** Largest d: W is d x m and a batch is b x d in memory; the source's d = 3200 is well inside. */
  static final long MAX_D = 100_000;
  /** Most samples one replica may draw (the sgd command's limit). */
  static final double MAX_SAMPLES = 1e12;

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public List<SweepTask> expand(Block b) {
    b.allowOnly(MEMBERS);
    if (b.has("c") && b.has("eta")) {
      throw b.error("give at most one of 'c' (eta = c / d) or 'eta'");
    }
    if (b.has("tMax") == b.has("steps")) {
      throw b.error("give exactly one horizon: 'tMax' (SGD time) or 'steps'");
    }
    List<Long> ds = b.integers("d", null, 1, MAX_D);
    List<Double> rs = b.directionsAxis(MAX_D);
    List<Long> ms = b.integers("m", null, 1, MAX_D);
    List<Double> alphas = b.numbers("alpha", 1.0);
    List<Double> sigmas = b.positives("sigma0", 1e-3, 1e3);
    boolean byEta = b.has("eta");
    List<Double> steps = byEta ? b.positives("eta", null, 1e3) : b.positives("c", DEFAULT_C, 1e6);
    boolean batchIsD = b.has("batch") && b.get("batch").isTextual() && b.get("batch").asText().equals("d");
    List<Long> batches = batchIsD ? List.of(-1L) : b.integers("batch", 1L, 1, 1_000_000);
    List<Double> noises = b.numbers("noise", 0.0);
    List<Double> horizons = b.has("tMax") ? b.positives("tMax", null, 1e9) : b.positives("steps", null, 1e12);
    List<Long> points = b.integers("points", 51L, 2, 100_000);
    List<Long> seeds = b.seeds("seed");
    long replicas = b.integers("replicas", 1L, 1, Block.MAX_AXIS).get(0);
    b.requireAtMostMaxTasks((double) ds.size() * rs.size() * ms.size() * alphas.size() * sigmas.size() * steps.size()
        * batches.size() * noises.size() * horizons.size() * points.size() * seeds.size() * replicas);
    List<SweepTask> out = new ArrayList<>();
    for (long d : ds) {
      for (double rv : rs) {
        long r = b.directions(rv, d);
        for (long m : ms) {
          for (double alpha : alphas) {
            for (double sigma0 : sigmas) {
              for (double sv : steps) {
                double eta = byEta ? sv : sv / d;
                for (long bv : batches) {
                  long batch = bv < 0 ? d : bv;
                  for (double noise : noises) {
                    for (double h : horizons) {
                      for (long p : points) {
                        for (long seed : seeds) {
                          ObjectNode t = setting(b, d, r, m, alpha, sigma0, byEta ? Double.NaN : sv, eta, batch, noise,
                              h, p, seed);
                          for (long k = 0; k < replicas; k++) {
                            ObjectNode task = t.deepCopy();
                            task.put("replica", k);
                            out.add(SweepTask.of(task, String.format(Locale.ROOT, "sgd-d%d-r%d-m%d-b%d-s%d-k%d", d, r,
                                m, batch, seed, k)));
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  private ObjectNode setting(Block b, long d, long r, long m, double alpha, double sigma0, double c, double eta,
      long batch, double noise, double horizon, long points, long seed) {
    String at = String.format(Locale.ROOT, " (at d = %d, r = %d, m = %d)", d, r, m);
    if (r < 1 || r > d || m > d) {
      throw b.error("need 1 <= r <= d and m <= d" + at);
    }
    if (!(noise >= 0.0)) {
      throw b.error("'noise' must be >= 0, got " + noise);
    }
    if (!(alpha >= 0.0)) {
      throw b.error("'alpha' must be >= 0, got " + alpha);
    }
    ObjectNode t = SweepJson.object();
    t.put("kind", name());
    t.put("d", d);
    t.put("r", r);
    t.put("m", m);
    t.put("alpha", alpha);
    t.put("sigma0", sigma0);
    if (!Double.isNaN(c)) {
      t.put("c", c);
    }
    t.put("eta", eta);
    t.put("batch", batch);
    t.put("noise", noise);
    long total;
    if (b.has("tMax")) {
      t.put("tMax", horizon);
      total = Math.round(horizon / eta);
    } else {
      if (horizon != Math.rint(horizon)) {
        throw b.error("'steps' must be whole numbers, got " + horizon);
      }
      t.put("steps", (long) horizon);
      total = (long) horizon;
    }
    if (total < 1) {
      throw b.error("the horizon is less than half a step (eta = " + eta + "): the run would take no step" + at);
    }
    if ((double) total * batch > MAX_SAMPLES) {
      throw b.error("one replica would draw " + String.format(Locale.ROOT, "%.3g", (double) total * batch)
          + " samples; at most 1e12" + at);
    }
    t.put("points", points);
    t.put("seed", seed);
    return t;
  }

  /** The run of a task's setting with one replica slot per index up to its own. */
  static SgdRunner.Plan plan(JsonNode t) {
    ModelSpec spec = ModelSpec.of(t.path("d").asInt(), t.path("r").asInt(), t.path("m").asInt(),
        t.path("alpha").asDouble(), t.path("sigma0").asDouble(), t.path("seed").asLong());
    StepSchedule schedule = new StepSchedule.Constant(t.path("eta").asDouble());
    int points = t.path("points").asInt();
    long[] steps = t.has("steps") ? StepGrid.evenSteps(t.path("steps").asLong(), points)
        : StepGrid.stepsForUniformTimes(schedule, t.path("tMax").asDouble(), points);
    return new SgdRunner.Plan(spec.instance(), schedule, t.path("batch").asInt(), t.path("noise").asDouble(), steps,
        t.path("replica").asInt() + 1, spec.seed());
  }

  @Override
  public Outcome run(JsonNode t) {
    SgdRunner.Replica rep = SgdRunner.runReplica(plan(t), t.path("replica").asInt(), SgdProgress.NONE);
    ObjectNode v = SweepJson.object();
    ArrayNode step = v.putArray("step");
    ArrayNode samples = v.putArray("samples");
    ArrayNode time = v.putArray("t");
    ArrayNode risk = v.putArray("risk");
    for (SgdSnapshot s : rep.snapshots()) {
      step.add(s.step());
      samples.add(s.samples());
      time.add(s.t());
      SweepJson.putIn(risk, s.risk());
    }
    v.put("sampleSeed", rep.seed());
    v.put("divergedAt", rep.divergedAt());
    return new Outcome("OK", v);
  }

  @Override
  public Section report(List<JsonNode> results, Map<String, byte[]> files) {
    Map<String, List<JsonNode>> bySetting = new TreeMap<>();
    for (JsonNode res : results) {
      if (!"OK".equals(res.path("status").asText())) {
        continue;
      }
      ObjectNode s = res.path("spec").deepCopy();
      s.remove("replica");
      bySetting.computeIfAbsent(label(s), k -> new ArrayList<>()).add(res);
    }
    StringBuilder csv = new StringBuilder("setting,step,samples,t,replicas,mean_risk,sd_risk,se_risk\n");
    StringBuilder md = new StringBuilder("## SGD replicas (sgd tasks)\n\n");
    md.append("Per setting, the mean risk over the replicas still running at the last output time, with its standard "
        + "error; every output time is in sgd-risk.csv and the figure.\n\n");
    md.append("| setting | replicas | diverged | t | samples | mean risk | SE |\n|---|---:|---:|---:|---:|---:|---:|\n");
    ArrayNode rows = SweepJson.MAPPER.createArrayNode();
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, List<JsonNode>> e : bySetting.entrySet()) {
      List<JsonNode> reps = e.getValue();
      int n = 0;
      for (JsonNode r : reps) {
        n = Math.max(n, r.path("result").path("t").size());
      }
      double[] t = new double[n];
      double[] mean = new double[n];
      double[] se = new double[n];
      long[] alive = new long[n];
      int diverged = 0;
      for (JsonNode r : reps) {
        diverged += r.path("result").path("divergedAt").asLong() >= 0 ? 1 : 0;
      }
      for (int i = 0; i < n; i++) {
        RunningMoments mom = new RunningMoments(1);
        long step = -1;
        long samples = -1;
        for (JsonNode r : reps) {
          JsonNode v = r.path("result");
          if (i < v.path("risk").size()) {
            mom.add(new double[] {SweepJson.number(v.path("risk").get(i))});
            t[i] = v.path("t").get(i).asDouble();
            step = v.path("step").get(i).asLong();
            samples = v.path("samples").get(i).asLong();
          }
        }
        alive[i] = mom.count();
        mean[i] = mom.mean()[0];
        se[i] = mom.count() > 1 ? mom.standardErrors()[0] : Double.NaN;
        csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%s,%d,%s,%s,%s%n", e.getKey(), step, samples, t[i], alive[i],
            mean[i], se[i] * Math.sqrt(alive[i]), se[i]));
      }
      int last = n - 1;
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4g | %d | %.6g | %.2g |%n", e.getKey(), reps.size(),
          diverged, t[last], reps.get(0).path("result").path("samples").get(last).asLong(), mean[last], se[last]));
      ObjectNode o = rows.addObject();
      o.put("setting", e.getKey());
      o.put("replicas", reps.size());
      o.put("diverged", diverged);
      SweepJson.put(o, "t", t[last]);
      SweepJson.put(o, "meanRisk", mean[last]);
      SweepJson.put(o, "seRisk", se[last]);
      series.add(new Series(e.getKey(), t, mean, Series.Style.LINE_AND_MARKERS));
    }
    files.put("sgd-risk.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    if (!series.isEmpty()) {
      Figure f = Figure.logLog("sgd-risk-vs-t", "Mean SGD risk against SGD time", "t (sum of step sizes)",
          "mean risk over replicas", series, "One curve per setting: the mean over its replicas.");
      files.put(f.fileName(), PngRenderer.render(f));
      md.append("\n![").append(f.title()).append("](").append(f.fileName()).append(")\n");
    }
    ObjectNode summary = SweepJson.object();
    summary.set("settings", rows);
    return new Section(summary, md.append('\n').toString());
  }

  /** A setting's readable label: its fields that identify it, in a fixed order. */
  private static String label(JsonNode s) {
    StringBuilder b = new StringBuilder();
    for (String k : new String[] {"d", "r", "m", "alpha", "sigma0", "c", "eta", "batch", "noise", "tMax", "steps",
        "points", "seed"}) {
      if (s.has(k)) {
        b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(s.get(k).asText());
      }
    }
    return b.toString();
  }
}
