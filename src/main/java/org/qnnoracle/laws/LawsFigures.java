package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.Series;
import org.qnnoracle.stats.LinearFit;

/**
 * The scaling-law figures, as plain {@link Figure} data (no I/O, no rendering): risk against time for a sweep
 * in d, the same curves against the collapse variable J*(t), the width floor against m, and the sample law's
 * risk against n. Used by the {@code laws} command and by the claims; every number on a figure comes from
 * {@link ScalingLaws}, {@link TimeLaw} or the caller's measurements.
 */
public final class LawsFigures {
  /** Confidence of the intervals quoted in captions. */
  static final double CONFIDENCE = 0.95;

  private LawsFigures() {}

  /** One curve of {@link #riskVsSamples}: risk against the number of samples n, drawn in {@code style}. */
  public record SampleCurve(String label, double[] samples, double[] risk, Series.Style style) {
    public SampleCurve {
      require(samples != null && risk != null && samples.length == risk.length,
          "a sample curve needs as many risks as sample counts");
      samples = samples.clone();
      risk = risk.clone();
    }

    @Override
    public double[] samples() {
      return samples.clone();
    }

    @Override
    public double[] risk() {
      return risk.clone();
    }
  }

  /** The legend entry that says what the dashed curves of {@link #riskVsTime} are. */
  static final String ADDITIVE_KEY = "dashed: additive model";

  /**
   * Log-log risk against gradient-flow time: the exact flow of each run (solid), its additive prediction
   * (dashed, "... additive", in the colour of its run and not listed in the legend, where one grey entry
   * {@value #ADDITIVE_KEY} explains all of them), and a dashed reference of slope timeExponent(alpha) through
   * the middle of the last run's fit window.
   *
   * <p>The prediction lies on its curve to within a few percent, so it is drawn over it: in a colour of its own it
   * would hide the curve and make the legend's colours meaningless; in the curve's colour the pair reads as one
   * line whose dashes show where the model departs.
   */
  public static Figure riskVsTime(String stem, List<TimeLaw> runs) {
    require(runs != null && !runs.isEmpty(), "a risk-vs-time figure needs at least one run");
    List<Series> series = new ArrayList<>();
    for (TimeLaw run : runs) {
      series.add(Series.line(label(run), run.times(), run.risk()));
    }
    for (TimeLaw run : runs) {
      series.add(Series.dashed(label(run) + " additive", run.times(), run.predictedRisk()).coloured(label(run))
          .hiddenFromLegend());
    }
    series.add(Series.key(ADDITIVE_KEY, Series.Style.DASHED));
    TimeLaw last = runs.get(runs.size() - 1);
    double slope = ScalingLaws.timeExponent(last.alpha());
    series.add(reference(String.format(Locale.ROOT, "slope %.2f (asymptote)", slope), last, slope));

    StringBuilder caption = new StringBuilder(String.format(Locale.ROOT,
        "Exponent of R(t) fitted over the window %s (%.0f%% CI) per d: ", last.window(), 100 * CONFIDENCE));
    for (int i = 0; i < runs.size(); i++) {
      TimeLaw run = runs.get(i);
      double[] ci = run.fit().interval(CONFIDENCE);
      caption.append(String.format(Locale.ROOT, "%sd = %s: %.3f [%.3f, %.3f] (additive %.3f)",
          i == 0 ? "" : "; ", formatD(run.d()), run.fit().slope(), ci[0], ci[1], run.predictedFit().slope()));
    }
    caption.append(String.format(Locale.ROOT, ". Asymptote -(2 alpha - 1)/alpha = %.3f.", slope));
    return Figure.logLog(stem,
        String.format(Locale.ROOT, "Population flow: risk vs time (alpha = %s)", fmt(last.alpha())),
        "gradient-flow time t", "risk R(t) = 2 |M - A|_F^2", series, caption.toString());
  }

  /**
   * Log-log risk against the collapse variable J*(t) = (Z lambda*(t))^(-1/alpha), one line per run, and the tail
   * sum 2 sum_{j &gt; J} lambda_j^2 at integer J (markers). Times where lambda*(t) is undefined
   * (8 t mu0 &gt; 1/e) are left out.
   */
  public static Figure collapse(String stem, List<TimeLaw> runs) {
    require(runs != null && !runs.isEmpty(), "a collapse figure needs at least one run");
    List<Series> series = new ArrayList<>();
    double maxJ = 1.0;
    TimeLaw widest = runs.get(0);
    for (TimeLaw run : runs) {
      double[] lambda = PowerLawSpectrum.lambdas(run.r(), run.alpha(), Normalisation.L2);
      double z = ScalingLaws.normaliser(lambda);
      double mu0 = EscapeTimes.meanInitialOverlap(run.m(), run.sigma0(), run.d());
      double[] t = run.times();
      double[] risk = run.risk();
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < t.length; i++) {
        try {
          double j = ScalingLaws.learnedCount(t[i], mu0, run.alpha(), z);
          points.add(new double[] {j, risk[i]});
          maxJ = Math.max(maxJ, j);
        } catch (InvalidInputException e) {
          // lambda*(t) does not exist here (8 t mu0 > 1/e): no point on the collapse
        }
      }
      double[] x = new double[points.size()];
      double[] y = new double[points.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = points.get(i)[0];
        y[i] = points.get(i)[1];
      }
      series.add(Series.line(label(run), x, y));
      if (run.r() > widest.r()) {
        widest = run;
      }
    }
    double[] lambda = PowerLawSpectrum.lambdas(widest.r(), widest.alpha(), Normalisation.L2);
    int jMax = (int) Math.min(widest.r() - 1, Math.ceil(maxJ));
    int[] js = integerLogGrid(1, Math.max(1, jMax), 20);
    double[] x = new double[js.length];
    double[] y = new double[js.length];
    for (int i = 0; i < js.length; i++) {
      x[i] = js[i];
      y[i] = ScalingLaws.tailRisk(lambda, js[i]);
    }
    series.add(Series.markers("2 sum_{j>J} lambda_j^2", x, y));
    return Figure.logLog(stem,
        String.format(Locale.ROOT, "Collapse: risk vs directions learned (alpha = %s)", fmt(widest.alpha())),
        "directions learned J*(t) = (Z lambda*(t))^(-1/alpha), lambda*: 8 lambda t = log(lambda/mu0)",
        "risk R(t)", series,
        "Each run's risk plotted against the number of directions its leading escape times say are learned by t "
            + "(mu0 = m sigma0^2 / d); the markers are the risk with exactly J directions learned, r = "
            + widest.r() + ". Curves for different d falling on the markers is the d-independence of R(J).");
  }

  /**
   * Log-log width floor against m: the measured long-time risks (markers), the tail sum 2 sum_{j &gt; m} lambda_j^2
   * at every m = 1..r-1 (line) and the reference m^-(2 alpha - 1) through the measured floor at the middle width
   * (dashed).
   */
  public static Figure widthFloor(String stem, double[] lambda, double alpha, int[] widths, double[] measuredFloors) {
    require(lambda != null && lambda.length >= 2, "a width-floor figure needs r >= 2");
    require(widths != null && measuredFloors != null && widths.length == measuredFloors.length && widths.length >= 1,
        "a width-floor figure needs one measured floor per width");
    int r = lambda.length;
    double[] w = new double[widths.length];
    for (int i = 0; i < widths.length; i++) {
      w[i] = widths[i];
    }
    double[] mAll = new double[r - 1];
    double[] tail = new double[r - 1];
    for (int m = 1; m < r; m++) {
      mAll[m - 1] = m;
      tail[m - 1] = ScalingLaws.tailRisk(lambda, m);
    }
    int[] sorted = widths.clone();
    Arrays.sort(sorted);
    int mid = sorted[sorted.length / 2];
    double anchor = Double.NaN;
    for (int i = 0; i < widths.length; i++) {
      if (widths[i] == mid) {
        anchor = measuredFloors[i];
      }
    }
    if (!(anchor > 0.0) || !Double.isFinite(anchor)) {
      anchor = ScalingLaws.tailRisk(lambda, Math.min(Math.max(mid, 0), r));
    }
    double slope = ScalingLaws.widthExponent(alpha);
    double[] refM = {1.0, r - 1.0};
    double[] refY = {anchor * Math.pow(1.0 / mid, slope), anchor * Math.pow((r - 1.0) / mid, slope)};
    List<Series> series = List.of(
        Series.markers("flow at long time", w, measuredFloors),
        Series.line("2 sum_{j>m} lambda_j^2", mAll, tail),
        Series.dashed(String.format(Locale.ROOT, "m^%.2f (reference)", slope), refM, refY));
    return Figure.logLog(stem,
        String.format(Locale.ROOT, "Width floor: long-time risk vs student width (alpha = %s, r = %d)", fmt(alpha), r),
        "student width m", "risk floor", series,
        String.format(Locale.ROOT, "A student of width m < r ends with the top m directions learned: floor "
            + "2 sum_{j>m} lambda_j^2, which falls like m^-(2 alpha - 1) = m^%.2f until the end of the spectrum.",
            slope));
  }

  /**
   * Log-log risk against samples n: the caller's curves, the predicted envelope (best c per n, dashed) and, when
   * floor &gt; 0, the width floor as a horizontal dashed line over the curves' n range.
   */
  public static Figure riskVsSamples(String stem, String title, List<SampleCurve> curves, double[] envelopeN,
      double[] envelopeRisk, double floor) {
    require(curves != null, "a risk-vs-samples figure needs a list of curves (may be empty)");
    List<Series> series = new ArrayList<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0.0;
    for (SampleCurve c : curves) {
      series.add(new Series(c.label(), c.samples(), c.risk(), c.style()));
      for (double n : c.samples()) {
        if (n > 0.0 && Double.isFinite(n)) {
          lo = Math.min(lo, n);
          hi = Math.max(hi, n);
        }
      }
    }
    series.add(Series.dashed("best c per n (predicted envelope)", envelopeN, envelopeRisk));
    for (double n : envelopeN) {
      if (n > 0.0 && Double.isFinite(n)) {
        lo = Math.min(lo, n);
        hi = Math.max(hi, n);
      }
    }
    if (floor > 0.0 && hi > 0.0) {
      series.add(Series.dashed(String.format(Locale.ROOT, "floor 2 sum_{j>m} lambda_j^2 = %.3g", floor),
          new double[] {lo, hi}, new double[] {floor, floor}));
    }
    return Figure.logLog(stem, title, "samples n", "risk R", series,
        "Online SGD at eta = c / d, batch 1: n samples reach SGD time t = n c / d. The envelope is min over c of "
            + "R_flow(n c / d) + kappa c, kappa the first-order excess of the stationary risk.");
  }

  /**
   * Log-log best risk against samples for the noise-limited sample law ({@link SamplePower}): the formula's best
   * risk over c (dashed) and the effective ODE's (markers), the law's schedule on the effective ODE (solid) and
   * through the formula (dashed, same colour), the width floor, and a dashed reference n^-rho through the middle of
   * the sample window.
   */
  public static Figure samplePower(String stem, SamplePower run) {
    SamplePower.Settings s = run.settings();
    double[] n = run.samples();
    List<Series> series = new ArrayList<>();
    series.add(Series.dashed("best c per n: formula R0 + kappa c", n, run.formulaRisk()));
    series.add(Series.markers("best c per n: effective ODE", n, run.odeRisk()));
    series.add(Series.line("schedule c0 (1 + n / n0)^-rho: effective ODE", n, run.scheduleOde()));
    series.add(Series.dashed("schedule: formula", n, run.scheduleFormula()).coloured(
        "schedule c0 (1 + n / n0)^-rho: effective ODE"));
    int[] w = run.window();
    double mid = Math.sqrt(n[w[0]] * n[w[w.length - 1]]);
    double atMid = FlowRiskCurve.logLogInterpolate(n, run.odeRisk(), mid);
    double[] ref = {n[w[0]], n[w[w.length - 1]]};
    series.add(Series.dashed(String.format(Locale.ROOT, "n^-%.3f (gamma / (1 + gamma)) over the window", run.rho()),
        ref, new double[] {atMid * Math.pow(ref[0] / mid, -run.rho()), atMid * Math.pow(ref[1] / mid, -run.rho())}));
    series.add(Series.dashed(String.format(Locale.ROOT, "floor 2 sum_{j>m} lambda_j^2 = %.3g", run.floor()),
        new double[] {n[0], n[n.length - 1]}, new double[] {run.floor(), run.floor()}));
    return Figure.logLog(stem, String.format(Locale.ROOT, "Sample law with label noise: alpha = %s, r = %d, m = %d, "
        + "s^2 = %s, d = %s, b = %d", s.alpha(), s.r(), s.m(), s.s2(), formatD(s.d()), s.batch()), "samples n",
        "risk R", series, "Online SGD at eta = c / d: n samples reach SGD time t = n c / (d b). Formula: min over c "
            + "of R0(t) + kappa(t) c, kappa = (2 / b) [(1 + 5/d) R0 + (1 + 1/d) s^2] tr G from the flow's state.");
  }

  /** "d = 1e6 (r = 64, m = 64)". */
  static String label(TimeLaw run) {
    return "d = " + formatD(run.d()) + " (r = " + run.r() + ", m = " + run.m() + ")";
  }

  /**
   * Log-log risk against the compute of online SGD (flops, {@link ComputeFrontier}): the exact flow of each width
   * (solid), the lower envelope over the widths (the frontier, markers), and a dashed reference of the derived
   * window exponent ({@link ComputeFrontier#windowExponent}) through the middle of the frontier's fit window.
   */
  public static Figure riskVsCompute(String stem, FrontierRun run) {
    List<Series> series = new ArrayList<>();
    for (ComputeFrontier.Curve c : run.flowCurves()) {
      series.add(Series.line("m = " + c.m(), c.compute(), c.risk()));
    }
    double[] grid = run.flow().compute();
    double[] env = run.flow().risk();
    series.add(Series.markers("frontier (envelope)", grid, env).coloured(Series.NEUTRAL));
    int[] idx = run.window().select(grid, env);
    require(idx.length >= 1, "the frontier's fit window is empty");
    double cLo = grid[idx[0]];
    double cHi = grid[idx[idx.length - 1]];
    double cMid = Math.sqrt(cLo * cHi);
    double rMid = Math.exp(run.flowFit().predict(Math.log(cMid)));
    double slope = run.predictedExponent();
    double a = cLo / 3.0;
    double b = cHi * 3.0;
    series.add(Series.dashed(String.format(Locale.ROOT, "derived slope %.3f", slope), new double[] {a, cMid, b},
        new double[] {rMid * Math.pow(a / cMid, slope), rMid, rMid * Math.pow(b / cMid, slope)}));
    double[] ci = run.flowFit().interval(CONFIDENCE);
    String caption = String.format(Locale.ROOT, "d = %s, r = %d, alpha = %s, sigma0 = %s, batch %d, eta = %.3g; "
        + "compute = steps x (4 b d m + 3 b r + 3 b m + 4 d m + 2 b) flops (sgd.SgdRiskCurve.flopsPerStep). "
        + "Frontier exponent over "
        + "%s: %.3f [%.3f, %.3f] (%.0f%% CI); additive model %.3f; derived %.3f (best width %.2f J at J = %d, "
        + "L = %.1f, width share of the compute %.2f%s).", formatD(run.d()), run.r(), fmt(run.alpha()),
        fmt(run.sigma0()), run.batch(), run.eta(), run.window(), run.flowFit().slope(), ci[0], ci[1],
        100 * CONFIDENCE, run.additiveFit().slope(), slope, run.prediction().widthRatio(), run.prediction().j(),
        run.prediction().logFactor(), run.prediction().widthShare(),
        run.prediction().labelsDominate() ? "; the teacher's labels dominate the cost" : "");
    return Figure.logLog(stem, String.format(Locale.ROOT, "Online SGD (population flow): risk vs compute "
        + "(alpha = %s)", fmt(run.alpha())), "compute C (flops)", "risk R", series, caption);
  }

  /**
   * The additive model behind the laws (proofs-notes/scaling-laws.md, section 3): each direction's emergent
   * curve 2 lambda_j^2 s_j(t) (thin), their sum (the model's risk) and the exact flow's risk, log-log against
   * time: a sum of sigmoids at staggered escape times adds up to a power law.
   *
   * @param times increasing times. Not modified.
   * @param flowRisk the exact flow's risk at each time. Not modified.
   * @param shown how many of the directions to draw (the first ones)
   */
  public static Figure additiveCurves(String stem, AdditiveModel model, double[] times, double[] flowRisk, int shown,
      String caption) {
    require(times.length == flowRisk.length, "one flow risk per time");
    List<Series> series = new ArrayList<>();
    double[] lambda = model.lambda();
    // each curve is drawn down to a hundredth of the sum's last value: below that it falls like e^{-16 lambda t}
    // to nothing and would only stretch the axis
    double[] sum = model.risk(times);
    double floor = 1e-2 * sum[sum.length - 1];
    for (int j = 0; j < Math.min(shown, lambda.length); j++) {
      List<double[]> pts = new ArrayList<>();
      for (int i = 0; i < times.length; i++) {
        double y = 2.0 * lambda[j] * lambda[j] * model.residual(j, times[i]);
        if (y < floor) {
          break;
        }
        pts.add(new double[] {times[i], y});
      }
      if (pts.size() >= 2) {
        series.add(Series.line("j = " + (j + 1), pts.stream().mapToDouble(p -> p[0]).toArray(),
            pts.stream().mapToDouble(p -> p[1]).toArray()).coloured(Series.NEUTRAL).hiddenFromLegend());
      }
    }
    series.add(Series.key("grey: 2 lambda_j^2 s_j(t), one per direction", Series.Style.LINE));
    series.add(Series.line("sum (additive model)", times, sum));
    series.add(Series.dashed("exact flow", times, flowRisk));
    return Figure.logLog(stem, "Emergent learning curves and their sum", "gradient-flow time t", "risk", series,
        caption);
  }

  /** 1e6 for powers of ten from 1000 on, plain digits below 1e5, otherwise three significant digits (2.5e6). */
  public static String formatD(long d) {
    if (d >= 1000) {
      long p = 1;
      int k = 0;
      while (p < d && p <= Long.MAX_VALUE / 10) {
        p *= 10;
        k++;
      }
      if (p == d) {
        return "1e" + k;
      }
    }
    if (d < 100_000) {
      return Long.toString(d);
    }
    String s = String.format(Locale.ROOT, "%.3g", (double) d);
    int e = s.indexOf('e');
    String mantissa = s.substring(0, e).replaceFirst("\\.?0+$", "");
    return mantissa + "e" + Integer.parseInt(s.substring(e + 1));
  }

  private static String fmt(double x) {
    String s = String.format(Locale.ROOT, "%.4g", x);
    return s.contains("e") || !s.contains(".") ? s : s.replaceFirst("\\.?0+$", "");
  }

  /** The fit line of the last run's window has slope timeExponent instead: a reference through its middle. */
  private static Series reference(String name, TimeLaw run, double slope) {
    double[] t = run.times();
    int[] idx = run.window().select(t, run.risk());
    double tLo;
    double tHi;
    if (idx.length >= 1) {
      tLo = t[idx[0]];
      tHi = t[idx[idx.length - 1]];
    } else {
      tLo = t[0];
      tHi = t[t.length - 1];
    }
    double tMid = Math.sqrt(tLo * tHi);
    LinearFit fit = run.fit();
    double rMid = Math.exp(fit.predict(Math.log(tMid)));
    double a = tLo / 3.0;
    double b = tHi * 3.0;
    return Series.dashed(name, new double[] {a, tMid, b},
        new double[] {rMid * Math.pow(a / tMid, slope), rMid, rMid * Math.pow(b / tMid, slope)});
  }

  /** Integers from lo to hi: all of them up to 10, then about {@code perDecade} per decade, hi included. */
  static int[] integerLogGrid(int lo, int hi, int perDecade) {
    TreeSet<Integer> set = new TreeSet<>();
    for (int j = lo; j <= Math.min(hi, 10); j++) {
      set.add(j);
    }
    if (hi > 10) {
      double step = Math.pow(10.0, 1.0 / perDecade);
      for (double x = 10.0; x < hi; x *= step) {
        set.add((int) Math.round(x));
      }
      set.add(hi);
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }
}
