package org.qnnoracle.laws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.Series;
import org.qnnoracle.stats.LinearFit;

/**
 * The three figures of a scenario run, all log-log: risk against SGD time ({@code scenario}), against samples
 * n = k b ({@code scenario-samples}) and against compute in flops ({@code scenario-compute}, the source's
 * "population loss vs. compute, online SGD with batch size d"). Online SGD is drawn with markers (a measurement),
 * the effective ODE and the flow as lines, the additive model and the reference slope dashed.
 */
public final class ScenarioFigures {
  private ScenarioFigures() {}

  /** Against SGD time, with the additive model and a reference line of the asymptotic slope. */
  public static Figure riskVsTime(String stem, ScenarioRun run) {
    double[] t = run.times();
    List<Series> series = new ArrayList<>();
    for (ScenarioRun.Part p : run.parts()) {
      series.add(series(p, t));
    }
    double asymptote = run.asymptote();
    LinearFit fit = run.part(ScenarioRun.SGD).fit();
    if (fit == null) {
      fit = run.part(ScenarioRun.FLOW).fit();
    }
    int[] idx = run.window().select(t, run.part(ScenarioRun.FLOW).risk());
    if (fit != null && idx.length > 0) {
      double tMid = Math.sqrt(t[idx[0]] * t[idx[idx.length - 1]]);
      double rMid = Math.exp(fit.predict(Math.log(tMid)));
      double tA = t[idx[0]] / 3;
      double tB = t[idx[idx.length - 1]] * 3;
      series.add(Series.dashed(String.format(Locale.ROOT, "slope %.2f (asymptote)", asymptote),
          new double[] {tA, tMid, tB},
          new double[] {rMid * Math.pow(tA / tMid, asymptote), rMid, rMid * Math.pow(tB / tMid, asymptote)}));
    }
    if (run.flowWidth() != null) {
      ScenarioRun.FlowWidthCurve w = run.flowWidth();
      series.add(Series.lineAndMarkers(String.format(Locale.ROOT, "population flow, m = %d (closed form, own grid)",
          w.width()), w.times(), w.risk()));
    }
    return Figure.logLog(stem, title(run, "risk vs SGD time"), "SGD time t = k eta", "risk R", series,
        caption(run));
  }

  /** Against samples n = k b = t b / eta (the same map for every curve: they share eta). */
  public static Figure riskVsSamples(String stem, ScenarioRun run) {
    double[] n = new double[run.samples().length];
    long[] s = run.samples();
    for (int i = 0; i < n.length; i++) {
      n[i] = s[i];
    }
    List<Series> series = new ArrayList<>();
    for (ScenarioRun.Part p : run.parts()) {
      if (!p.key().equals(ScenarioRun.ADDITIVE)) {
        series.add(series(p, n));
      }
    }
    return Figure.logLog(stem, title(run, "risk vs samples"), "samples n = k b", "risk R", series,
        "Every curve at the samples SGD uses to reach its time: n = t b / eta = t d / c.");
  }

  /**
   * Against compute: k flopsPerStep at each curve's own width (for the ODE and flow curves, what SGD at that width
   * would spend to reach their time).
   */
  public static Figure riskVsCompute(String stem, ScenarioRun run) {
    List<Series> series = new ArrayList<>();
    for (ScenarioRun.Part p : run.parts()) {
      if (!p.key().equals(ScenarioRun.ADDITIVE)) {
        series.add(series(p, p.flops()));
      }
    }
    return Figure.logLog(stem, String.format(Locale.ROOT, "Scenario %s: population loss vs. compute, online SGD "
        + "with batch size b = %d (d = %d, r = %d)", run.scenario().name(), run.scenario().batch(),
        run.scenario().d(), run.scenario().r()), "compute (flops; 4 b d m + 3 b r per SGD step)", "risk R", series,
        "Compute = SGD steps x (4 b d m + 3 b r + 3 b m + 4 d m + 2 b) flops at each curve's own width m; the ODE "
            + "and flow curves are placed at the compute SGD at that width would spend to reach their time.");
  }

  private static Series series(ScenarioRun.Part p, double[] x) {
    return switch (p.key()) {
      case ScenarioRun.SGD -> Series.markers(p.label(), x, p.risk());
      case ScenarioRun.ADDITIVE -> Series.dashed(p.label(), x, p.risk());
      default -> Series.line(p.label(), x, p.risk());
    };
  }

  private static String title(ScenarioRun run, String what) {
    Scenario sc = run.scenario();
    return String.format(Locale.ROOT, "Scenario %s: %s (d = %d, r = %d, m = %d, b = %d, eta = %.3g)", sc.name(), what,
        sc.d(), sc.r(), sc.m(), sc.batch(), run.eta());
  }

  private static String caption(ScenarioRun run) {
    StringBuilder sb = new StringBuilder("Fitted exponents over " + run.window() + ":");
    for (ScenarioRun.Part p : run.parts()) {
      sb.append(String.format(Locale.ROOT, " %s %s;", p.label(), p.fit() == null ? "n/a"
          : String.format(Locale.ROOT, "%.3f", p.fit().slope())));
    }
    sb.append(String.format(Locale.ROOT, " asymptote %.3f.", run.asymptote()));
    return sb.toString();
  }
}
