package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hipparchus.distribution.continuous.TDistribution;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.laws.FitWindow;
import org.qnnoracle.laws.LawsFigures;
import org.qnnoracle.laws.ScalingLaws;
import org.qnnoracle.laws.TimeLaw;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.PngRenderer;
import org.qnnoracle.plot.Series;
import org.qnnoracle.stats.LinearFit;
import org.qnnoracle.stats.RunningMoments;

/**
 * {@code "kind": "laws"}: grid points of the time law, one task per (d, r, m, alpha, sigma0, seed): the exact
 * population flow from the model's random start in overlap coordinates, its exponent fitted over the documented
 * window ({@link TimeLaw#run}, what {@code laws} runs for each of its d), the additive model's exponent and the
 * asymptote. The report gives, per grid point, the exponent with its 95% confidence interval (over seeds when a
 * point has several, else the fit's own) and a figure of the exponent against d.
 */
final class LawsTasks implements TaskKind {
  /** The confidence of the intervals, as in the laws command. */
  static final double CONFIDENCE = 0.95;
  private static final Set<String> MEMBERS =
      Set.of("kind", "law", "d", "r", "beta", "m", "alpha", "sigma0", "points", "seeds");
  /** Largest d: the reduced flow works in overlap coordinates (any d); d enters only through the start's law. */
  private static final double MAX_D = 1e15;
  /** Largest r (and m): the flow is an r x m problem; beyond this one point takes hours. */
  private static final long MAX_R = 4096;

  @Override
  public String name() {
    return "laws";
  }

  @Override
  public List<SweepTask> expand(Block b) {
    b.allowOnly(MEMBERS);
    String law = b.strings("law", "time").get(0);
    if (!law.equals("time")) {
      throw b.error("'law' must be \"time\" (the time law of the population flow), got \"" + law + "\"");
    }
    List<Double> rs = b.directionsAxis(MAX_R);
    List<Long> ds = b.integers("d", null, 1, (long) MAX_D);
    boolean mIsR = !b.has("m") || (b.get("m").isTextual() && b.get("m").asText().equals("r"));
    List<Long> ms = mIsR ? List.of(-1L) : b.integers("m", null, 1, MAX_R);
    List<Double> alphas = b.numbers("alpha", 1.0);
    List<Double> sigmas = b.positives("sigma0", 1e-3, 1e3);
    List<Long> points = b.integers("points", (long) TimeLaw.DEFAULT_POINTS, 20, 100_000);
    List<Long> seeds = b.seeds("seeds");
    b.requireAtMostMaxTasks((double) ds.size() * rs.size() * ms.size() * alphas.size() * sigmas.size() * points.size()
        * seeds.size());
    List<SweepTask> out = new ArrayList<>();
    for (long d : ds) {
      for (double rv : rs) {
        long r = b.directions(rv, d);
        for (long mv : ms) {
          long m = mv < 0 ? r : mv;
          for (double alpha : alphas) {
            for (double sigma0 : sigmas) {
              for (long p : points) {
                for (long seed : seeds) {
                  check(b, d, r, m, alpha);
                  ObjectNode t = SweepJson.object();
                  t.put("kind", name());
                  t.put("law", law);
                  t.put("d", d);
                  t.put("r", r);
                  t.put("m", m);
                  t.put("alpha", alpha);
                  t.put("sigma0", sigma0);
                  t.put("points", p);
                  t.put("seed", seed);
                  out.add(SweepTask.of(t, String.format(Locale.ROOT, "laws-time-d%d-r%d-m%d-s%d", d, r, m, seed)));
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static void check(Block b, long d, long r, long m, double alpha) {
    String at = String.format(Locale.ROOT, " (at d = %d, r = %d, m = %d)", d, r, m);
    if (r < 1 || r > MAX_R || r > d) {
      throw b.error("r must be in [1, min(d, " + MAX_R + ")]" + at);
    }
    if (m > d) {
      throw b.error("m must be at most d" + at);
    }
    if (Math.min(m, r) < FitWindow.MIN_WIDTH) {
      throw b.error("the time-law fit needs min(m, r) >= " + FitWindow.MIN_WIDTH + at);
    }
    if (!(alpha > 0.5)) {
      throw b.error("the time law needs alpha > 1/2, got " + alpha);
    }
  }

  @Override
  public Outcome run(JsonNode t) {
    TimeLaw law = TimeLaw.run(t.path("d").asLong(), t.path("r").asInt(), t.path("m").asInt(),
        t.path("alpha").asDouble(), t.path("sigma0").asDouble(), t.path("seed").asLong(), t.path("points").asInt(),
        FlowProgress.NONE);
    ObjectNode v = SweepJson.object();
    SweepJson.put(v, "slope", law.fit().slope());
    SweepJson.put(v, "slopeSE", law.fit().standardError());
    v.put("fitPoints", law.fit().n());
    SweepJson.put(v, "additiveSlope", law.predictedFit().slope());
    SweepJson.put(v, "logCorrected", law.logCorrectedExponent());
    SweepJson.put(v, "asymptote", ScalingLaws.timeExponent(law.alpha()));
    v.put("jLow", law.window().jLow());
    v.put("jHigh", law.window().jHigh());
    SweepJson.put(v, "riskHigh", law.window().riskHigh());
    SweepJson.put(v, "riskLow", law.window().riskLow());
    SweepJson.put(v, "intercept", law.fit().intercept());
    SweepJson.put(v, "additiveIntercept", law.predictedFit().intercept());
    SweepJson.put(v, "additiveSE", law.predictedFit().standardError());
    v.put("additivePoints", law.predictedFit().n());
    SweepJson.put(v, "logFactor", law.logFactor());
    ArrayNode times = v.putArray("t");
    ArrayNode risk = v.putArray("risk");
    ArrayNode additive = v.putArray("additiveRisk");
    for (int i = 0; i < law.times().length; i++) {
      times.add(law.times()[i]);
      SweepJson.putIn(risk, law.risk()[i]);
      SweepJson.putIn(additive, law.predictedRisk()[i]);
    }
    return new Outcome("OK", v);
  }

  /** The TimeLaw a result records (what {@link #run} computed), for the laws command's own figures. */
  static TimeLaw timeLaw(JsonNode result) {
    JsonNode s = result.path("spec");
    JsonNode v = result.path("result");
    return new TimeLaw(s.path("d").asLong(), s.path("r").asInt(), s.path("m").asInt(), s.path("alpha").asDouble(),
        s.path("sigma0").asDouble(), s.path("seed").asLong(), doubles(v.path("t")), doubles(v.path("risk")),
        doubles(v.path("additiveRisk")),
        new FitWindow(v.path("jLow").asInt(), v.path("jHigh").asInt(), SweepJson.number(v.get("riskHigh")),
            SweepJson.number(v.get("riskLow"))),
        new LinearFit(SweepJson.number(v.get("slope")), SweepJson.number(v.get("intercept")),
            SweepJson.number(v.get("slopeSE")), v.path("fitPoints").asInt()),
        new LinearFit(SweepJson.number(v.get("additiveSlope")), SweepJson.number(v.get("additiveIntercept")),
            SweepJson.number(v.get("additiveSE")), v.path("additivePoints").asInt()),
        SweepJson.number(v.get("logFactor")));
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = SweepJson.number(a.get(i));
    }
    return out;
  }

  /** Aggregate of one grid point over its seeds. */
  private record Point(long d, long r, long m, double alpha, double sigma0, int seeds, double slope, double lo,
      double hi, double additive, double logCorrected, double asymptote) {}

  @Override
  public Section report(List<JsonNode> results, Map<String, byte[]> files) {
    Map<String, List<JsonNode>> groups = new TreeMap<>();
    for (JsonNode res : results) {
      if (!"OK".equals(res.path("status").asText())) {
        continue;
      }
      JsonNode s = res.path("spec");
      String key = String.format(Locale.ROOT, "%020d|%08d|%08d|%s|%s|%d", s.path("d").asLong(), s.path("r").asLong(),
          s.path("m").asLong(), s.path("alpha").asText(), s.path("sigma0").asText(), s.path("points").asLong());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(res);
    }
    List<Point> points = new ArrayList<>();
    for (List<JsonNode> g : groups.values()) {
      points.add(aggregate(g));
    }
    StringBuilder md = new StringBuilder("## Time-law exponents (laws tasks)\n\n");
    md.append("Per grid point, the fitted exponent of R(t) (mean over seeds; ").append((int) (100 * CONFIDENCE))
        .append("% CI from the seeds' spread with Student's t, or the fit's own interval for a single seed), ")
        .append("the additive model's and the asymptote -(2 alpha - 1) / alpha with its log correction.\n\n");
    md.append("| d | r | m | alpha | sigma0 | seeds | exponent | CI | additive | log-corrected | asymptote |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
    ArrayNode rows = SweepJson.MAPPER.createArrayNode();
    for (Point p : points) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %d | %s | %s | %d | %.4f | [%.4f, %.4f] | %.4f | %.4f | %.4f |%n",
          p.d(), p.r(), p.m(), fmt(p.alpha()), fmt(p.sigma0()), p.seeds(), p.slope(), p.lo(), p.hi(), p.additive(),
          p.logCorrected(), p.asymptote()));
      ObjectNode o = rows.addObject();
      o.put("d", p.d());
      o.put("r", p.r());
      o.put("m", p.m());
      o.put("alpha", p.alpha());
      o.put("sigma0", p.sigma0());
      o.put("seeds", p.seeds());
      SweepJson.put(o, "exponent", p.slope());
      SweepJson.put(o, "ciLow", p.lo());
      SweepJson.put(o, "ciHigh", p.hi());
      SweepJson.put(o, "additive", p.additive());
      SweepJson.put(o, "logCorrected", p.logCorrected());
      SweepJson.put(o, "asymptote", p.asymptote());
    }
    if (!points.isEmpty()) {
      Figure f = exponentFigure(points);
      files.put(f.fileName(), PngRenderer.render(f));
      md.append("\n![").append(f.title()).append("](").append(f.fileName()).append(")\n");
    }
    // The laws command's figures, per (r, m, alpha, sigma0, points): one run per d, the lowest seed's.
    Map<String, TreeMap<Long, JsonNode>> shapes = new TreeMap<>();
    for (JsonNode res : results) {
      if (!"OK".equals(res.path("status").asText())) {
        continue;
      }
      JsonNode s = res.path("spec");
      String stem = String.format(Locale.ROOT, "r%d-m%d-alpha%s-sigma%s-p%d", s.path("r").asLong(), s.path("m").asLong(),
          s.path("alpha").asText(), s.path("sigma0").asText(), s.path("points").asLong()).toLowerCase(Locale.ROOT)
          .replaceAll("[^a-z0-9-]", "p");
      JsonNode kept = shapes.computeIfAbsent(stem, k -> new TreeMap<>()).get(s.path("d").asLong());
      if (kept == null || s.path("seed").asLong() < kept.path("spec").path("seed").asLong()) {
        shapes.get(stem).put(s.path("d").asLong(), res);
      }
    }
    for (Map.Entry<String, TreeMap<Long, JsonNode>> e : shapes.entrySet()) {
      List<TimeLaw> runs = e.getValue().values().stream().map(LawsTasks::timeLaw).toList();
      for (Figure f : List.of(LawsFigures.riskVsTime("laws-risk-vs-time-" + e.getKey(), runs),
          LawsFigures.collapse("laws-collapse-" + e.getKey(), runs))) {
        files.put(f.fileName(), PngRenderer.render(f));
        md.append("\n![").append(f.title()).append("](").append(f.fileName()).append(")\n");
      }
    }
    ObjectNode summary = SweepJson.object();
    summary.set("points", rows);
    return new Section(summary, md.append('\n').toString());
  }

  private static Point aggregate(List<JsonNode> g) {
    JsonNode s = g.get(0).path("spec");
    RunningMoments mom = new RunningMoments(4);
    for (JsonNode res : g) {
      JsonNode v = res.path("result");
      mom.add(new double[] {SweepJson.number(v.get("slope")), SweepJson.number(v.get("additiveSlope")),
          SweepJson.number(v.get("logCorrected")), SweepJson.number(v.get("asymptote"))});
    }
    double[] mean = mom.mean();
    double lo;
    double hi;
    if (g.size() == 1) {
      JsonNode v = g.get(0).path("result");
      double se = SweepJson.number(v.get("slopeSE"));
      double q = new TDistribution(Math.max(1, v.path("fitPoints").asInt() - 2)).inverseCumulativeProbability(
          0.5 + CONFIDENCE / 2);
      lo = mean[0] - q * se;
      hi = mean[0] + q * se;
    } else {
      double q = new TDistribution(g.size() - 1).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
      double se = mom.standardErrors()[0];
      lo = mean[0] - q * se;
      hi = mean[0] + q * se;
    }
    return new Point(s.path("d").asLong(), s.path("r").asLong(), s.path("m").asLong(), s.path("alpha").asDouble(),
        s.path("sigma0").asDouble(), g.size(), mean[0], lo, hi, mean[1], mean[2], mean[3]);
  }

  /** Exponent against d, one colour per (r, m, alpha): the measured exponent with its CI, and the asymptote. */
  private static Figure exponentFigure(List<Point> points) {
    Map<String, List<Point>> byShape = new TreeMap<>();
    for (Point p : points) {
      byShape.computeIfAbsent(String.format(Locale.ROOT, "r=%d m=%d alpha=%s sigma0=%s", p.r(), p.m(), fmt(p.alpha()),
          fmt(p.sigma0())), k -> new ArrayList<>()).add(p);
    }
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, List<Point>> e : byShape.entrySet()) {
      List<Point> ps = e.getValue();
      double[] d = ps.stream().mapToDouble(Point::d).toArray();
      series.add(new Series(e.getKey(), d, ps.stream().mapToDouble(Point::slope).toArray(),
          Series.Style.LINE_AND_MARKERS, e.getKey(), true));
      series.add(new Series(e.getKey() + " CI low", d, ps.stream().mapToDouble(Point::lo).toArray(),
          Series.Style.DASHED, e.getKey(), false));
      series.add(new Series(e.getKey() + " CI high", d, ps.stream().mapToDouble(Point::hi).toArray(),
          Series.Style.DASHED, e.getKey(), false));
      series.add(new Series(e.getKey() + " asymptote", d, ps.stream().mapToDouble(Point::asymptote).toArray(),
          Series.Style.LINE, Series.NEUTRAL, false));
    }
    return new Figure("laws-exponent-vs-d", "Fitted time-law exponent against d", "d",
        "exponent of R in t", true, false, series,
        "Markers: the fitted exponent (mean over seeds); dashed: its " + (int) (100 * CONFIDENCE)
            + "% interval; grey: the asymptote -(2 alpha - 1) / alpha.");
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.4g", x);
  }
}
