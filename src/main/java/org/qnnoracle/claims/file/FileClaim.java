package org.qnnoracle.claims.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.model.Normalisation;

/**
 * One claim of a claim file as read and validated (spec/claim-file.md): immutable, every default applied, the
 * assertion parsed. {@link #at(Scale)} gives what a run at that scale computes.
 *
 * @param file the file's name as given (for messages and the report)
 * @param model the model members (d, r, m, alpha, sigma0, s2, batch, c, seed), defaults filled in; empty when
 *     {@code draw} is set
 * @param draw the random-instance draw, or null
 * @param sweep member -&gt; values, in file order; empty for a single point
 * @param scales per-scale replacements of model members, sweep and replicas
 * @param replicas SGD replicas (0 on deterministic routes)
 * @param falseAlarm the SGD claim's false-alarm rate (0 on deterministic routes)
 */
record FileClaim(
    String file,
    String id,
    String title,
    String statement,
    String source,
    Route route,
    boolean exact,
    Normalisation normalisation,
    Map<String, Double> model,
    Draw draw,
    Map<String, List<Double>> sweep,
    Map<Scale, ScaleOverride> scales,
    Grid grid,
    Fit fit,
    int replicas,
    double falseAlarm,
    double rtol,
    Assertion assertion,
    Quantifier quantifier,
    double tolerance,
    String toleranceReason) {

  enum Route {
    FLOW("flow"), EFFECTIVE_ODE("effective-ode"), SGD("sgd");

    final String label;

    Route(String label) {
      this.label = label;
    }
  }

  enum Quantifier { FORALL, END, FIT }

  enum Unit { T, LAMBDA_MAX_TAU, LAMBDA_MIN_TAU, SAMPLES }

  /**
   * {@code Scale.instances()} instances, the i-th from seed base + seedOffset + i: family "standard"
   * (RandomInstances.draw, d up to maxD, 0 = the scale's maxD) or "perp" (RandomInstances.drawWithPerp: d &gt; r).
   */
  record Draw(String family, long seedOffset, int maxD) {}

  /** What a scale replaces; null members are left as the claim states them. */
  record ScaleOverride(Map<String, Double> model, Map<String, List<Double>> sweep, Integer replicas) {}

  /**
   * The grid: explicit points (numbers or Symja expressions in the model's numbers), {@code uniform} [hi, count]
   * (count points from 0 to hi, as FlowTime.uniformGrid), {@code log} [lo, hi, count] (lo and hi may be
   * expressions), or {@code escapes} count (laws.TimeLaw's grid, t only); in {@code unit}.
   */
  record Grid(Unit unit, List<String> points, double[] uniform, List<String> log, int logCount, int escapes) {}

  /** The fit: of the risk, over the time-law window or [lo, hi] in the grid's unit. */
  record Fit(boolean timeLaw, double lo, double hi) {}

  /** One point of the sweep at a scale: the model's numbers. */
  record Setting(Map<String, Double> model) {
    double get(String name) {
      return model.get(name);
    }

    String describe() {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Double> e : model.entrySet()) {
        if (b.length() > 0) {
          b.append(' ');
        }
        b.append(e.getKey()).append('=').append(Numbers.format(e.getValue()));
      }
      return b.toString();
    }
  }

  /** What a run at {@code scale} computes: the settings (the sweep's product) and the replicas. */
  Plan at(Scale scale) {
    Map<String, Double> base = new LinkedHashMap<>(model);
    Map<String, List<Double>> sw = new LinkedHashMap<>(sweep);
    int reps = replicas;
    ScaleOverride o = scales.get(scale);
    if (o != null) {
      if (o.model() != null) {
        base.putAll(o.model());
      }
      if (o.sweep() != null) {
        sw = new LinkedHashMap<>(o.sweep());
      }
      if (o.replicas() != null) {
        reps = o.replicas();
      }
    }
    List<Setting> settings = new ArrayList<>();
    settings.add(new Setting(base));
    for (Map.Entry<String, List<Double>> e : sw.entrySet()) {
      List<Setting> next = new ArrayList<>();
      for (Setting s : settings) {
        for (double v : e.getValue()) {
          Map<String, Double> m = new LinkedHashMap<>(s.model());
          m.put(e.getKey(), v);
          next.add(new Setting(m));
        }
      }
      settings = next;
    }
    List<Setting> resolved = new ArrayList<>(settings.size());
    for (Setting s : settings) {
      resolved.add(draw == null ? resolve(s) : s);
    }
    return new Plan(List.copyOf(resolved), reps, draw == null ? 1 : scale.instances());
  }

  /** r from beta (r = round(d^beta), at least 1) and c from eta (c = eta d), where the claim gives those. */
  private static Setting resolve(Setting s) {
    Map<String, Double> m = new LinkedHashMap<>(s.model());
    if (m.containsKey("beta")) {
      InvalidInputException.require(!m.containsKey("r"), "give r or beta, not both");
      m.put("r", (double) Math.max(1L, Math.round(Math.pow(m.get("d"), m.get("beta")))));
    }
    if (m.containsKey("eta")) {
      InvalidInputException.require(!m.containsKey("c"), "give c or eta, not both");
      m.put("c", m.get("eta") * m.get("d"));
    }
    return new Setting(m);
  }

  /** The settings at a scale, the replicas, and the instances per setting (1, or the draw's count). */
  record Plan(List<Setting> settings, int replicas, int instancesPerSetting) {}
}
