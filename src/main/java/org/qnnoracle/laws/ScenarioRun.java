package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.OverlapClosedForm;
import org.qnnoracle.model.Instance;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRiskCurve;
import org.qnnoracle.stats.LinearFit;

/**
 * One scenario run (README, "Scenarios"): online SGD itself, one replica from the model's random start (teacher
 * basis e_1..e_r, W0 entries N(0, sigma0^2 / d) from the seed) at eta = c b / d, beside the effective ODE of SGD
 * ({@link EffectiveDynamics}) and the exact population flow ({@link FlowRiskCurve}) at the same width from the
 * overlap coordinates (Q0, P0) of the same W0, so all three start from one point; the additive model of that
 * start; optionally the effective ODE and the flow (one-shot closed form, {@link OverlapClosedForm}) at the full
 * width M &gt;= r from the model's start at width M; optionally (the older {@code --flow-width}) the flow alone at
 * a width &gt;= r on its own grid from {@link ReducedStart}.
 *
 * <p>All parts share one grid of output steps k (log-spaced from a quarter of the first escape time to tMax,
 * distinct, &gt;= 1), at SGD times t = k eta and samples n = k b; compute is k times
 * {@link SgdRiskCurve#flopsPerStep} at each part's own width: for the ODE and flow curves, the compute SGD at that
 * width would spend to reach their time. Exponents are fitted over one window ({@link FitWindow} at the SGD width:
 * the same risk levels for every curve).
 *
 * @param times SGD times k eta of the output steps
 * @param parts the curves on the common grid (online SGD, effective ODE, population flow, additive model, then
 *     the full-width ones), NaN where a part did not reach a time
 * @param risk0 R(0) of the shared start at the SGD width (SGD's own snapshot; the ODE's start equals it exactly)
 * @param flowWidth the --flow-width curve on its own grid, or null
 */
public record ScenarioRun(Scenario scenario, double eta, FitWindow window, long[] steps, double[] times,
    long[] samples, List<Part> parts, double risk0, FlowWidthCurve flowWidth, double seconds) {

  /** Relative tolerance of the effective ODE at scenario scale (the risk curve to about 1e-5). */
  public static final double ODE_RTOL = 1e-6;
  /** Output times of the --flow-width curve. */
  public static final int FLOW_WIDTH_POINTS = 40;

  public static final String SGD = "sgd";
  public static final String EFFECTIVE = "effective";
  public static final String FLOW = "flow";
  public static final String ADDITIVE = "additive";
  public static final String FULL_EFFECTIVE = "full_effective";
  public static final String FULL_FLOW = "full_flow";

  /**
   * One curve on the common grid.
   *
   * @param key short name (CSV column stem)
   * @param label legend and table label
   * @param width the student width it runs at
   * @param flops compute at each output time at that width (SGD steps to reach it times flopsPerStep)
   * @param risk the risk at each output time (NaN where not reached)
   * @param fit the exponent over the window, or null when fewer than 3 of its points fall in it
   * @param seconds wall time of this part
   * @param note how it ended ("completed", "diverged at t = ...")
   */
  public record Part(String key, String label, int width, double[] flops, double[] risk, LinearFit fit,
      double seconds, String note) {
    public Part {
      flops = flops.clone();
      risk = risk.clone();
    }

    @Override
    public double[] flops() {
      return flops.clone();
    }

    @Override
    public double[] risk() {
      return risk.clone();
    }

    /** The risk at the last output time, NaN when not reached. */
    public double finalRisk() {
      return risk[risk.length - 1];
    }
  }

  /** The population flow at width M &gt;= r by the closed form on its own grid (option --flow-width). */
  public record FlowWidthCurve(int width, double[] times, double[] risk, FitWindow window, LinearFit fit,
      int threads, double seconds) {}

  /** What to run besides the SGD-width parts. */
  public record Options(boolean fullWidth, Integer flowWidth, int threads) {
    public Options {
      require(threads >= 1 && threads <= 1024, "--threads must be in 1..1024, got " + threads);
    }
  }

  /** Told when each part starts, how far it is, and when it ends (for a progress bar). */
  public interface Listener {
    Listener NONE = new Listener() {};

    /** Part {@code label} starts; its progress is counted in {@code unit}. */
    default void started(String label, String detail, String unit) {}

    default void reached(long done, long total) {}

    default void finished(String label, double seconds) {}
  }

  public ScenarioRun {
    steps = steps.clone();
    times = times.clone();
    samples = samples.clone();
    parts = List.copyOf(parts);
  }

  @Override
  public long[] steps() {
    return steps.clone();
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  @Override
  public long[] samples() {
    return samples.clone();
  }

  /** The part with this key, or null. */
  public Part part(String key) {
    return parts.stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
  }

  /** The asymptotic exponent -(2 alpha - 1) / alpha. */
  public double asymptote() {
    return ScalingLaws.timeExponent(scenario.alpha());
  }

  /**
   * The distinct SGD steps of the scenario's grid: round(t / eta) (at least 1) for the log grid of
   * {@code points} times from {@link Scenario#firstOutputTime} to tMax.
   */
  public static long[] outputSteps(Scenario sc) {
    return FlowRiskCurve.stepGrid(sc.firstOutputTime(), sc.tMax(), sc.points(), sc.eta());
  }


  /** Refuses, before anything runs, options the scenario cannot honour. */
  public static void check(Scenario sc, Options opts) {
    require(!opts.fullWidth() || sc.hasFullWidth(), "scenario '" + sc.name() + "' has no full-width part "
        + "(its fullWidth is false): drop --full-width");
    Integer fw = opts.flowWidth();
    require(fw == null || (fw >= sc.r() && fw <= Scenario.MAX_FULL_WIDTH), "--flow-width must satisfy r <= M <= "
        + Scenario.MAX_FULL_WIDTH + " (the closed form needs m >= r), got " + fw + " with r = " + sc.r());
    require(outputSteps(sc).length >= 3, "scenario '" + sc.name() + "': fewer than 3 distinct SGD steps on the "
        + "output grid (eta is too large for tMax)");
  }

  /** Runs every part; see the class comment. */
  public static ScenarioRun run(Scenario sc, Options opts, Listener listener) {
    check(sc, opts);
    long start = System.nanoTime();
    double[] lambda = sc.lambda();
    double eta = sc.eta();
    int d = sc.d();
    int r = sc.r();
    int m = sc.m();
    int b = sc.batch();
    FitWindow window = FitWindow.timeLaw(lambda, m);
    long[] steps = outputSteps(sc);
    int n = steps.length;
    double[] times = new double[n];
    long[] samples = new long[n];
    for (int i = 0; i < n; i++) {
      times[i] = steps[i] * eta;
      samples[i] = steps[i] * b;
    }
    double[] flops = flopsAt(steps, d, m, r, b);
    List<Part> parts = new ArrayList<>();

    // Online SGD and the start (Q0, P0) of the same W0 for the ODE and the flow.
    Instance instance = sc.model(m).instance();
    FlowState.Overlaps s0 = canonicalStart(instance.w0(), r);
    listener.started("online SGD", String.format(Locale.ROOT, "one replica at m = %d, %d steps of b = %d, "
        + "%.3g flops", m, steps[n - 1], b, flops[n - 1]), "steps");
    SgdRiskCurve.Curve sgd = SgdRiskCurve.run(instance, eta, b, steps, sc.seed(), listener::reached);
    listener.finished("online SGD", sgd.seconds());
    double[] sgdRisk = padded(sgd.risk(), n);
    parts.add(new Part(SGD, "online SGD, m = " + m, m, flops, sgdRisk, fit(window, times, sgdRisk),
        sgd.seconds(), sgd.diverged() ? String.format(Locale.ROOT, "diverged after step %d (t = %.4g)",
            sgd.divergedAt(), sgd.divergedAt() * eta) : String.format(Locale.ROOT, "completed, %.3g steps/s",
            steps[n - 1] / Math.max(sgd.seconds(), 1e-9))));

    EffectiveDynamics dyn = EffectiveDynamics.constantEta(lambda, d, b, 0.0, eta);
    parts.add(effective(EFFECTIVE, "effective ODE, m = " + m, m, dyn, s0, times, flops, window, listener));
    parts.add(flow(FLOW, "population flow, m = " + m, m, lambda, s0, times, flops, window, false, 1, listener));
    double[] additive = AdditiveModel.corrected(lambda, EscapeTimes.availableOverlaps(s0.q()),
        EscapeTimes.meanPerpendicular(s0)).risk(times);
    parts.add(new Part(ADDITIVE, "additive model, m = " + m, m, flops, additive, fit(window, times, additive), 0.0,
        "escape times of this start"));

    if (opts.fullWidth()) {
      int full = sc.fullWidth();
      double[] fullFlops = flopsAt(steps, d, full, r, b);
      FlowState.Overlaps sFull = canonicalStart(sc.model(full).initialWeights(), r);
      parts.add(effective(FULL_EFFECTIVE, "effective ODE, m = " + full, full, dyn, sFull, times, fullFlops, window,
          listener));
      parts.add(flow(FULL_FLOW, "population flow, m = " + full, full, lambda, sFull, times, fullFlops, window,
          true, opts.threads(), listener));
    }

    FlowWidthCurve wide = null;
    if (opts.flowWidth() != null) {
      wide = flowWidth(sc, lambda, opts.flowWidth(), opts.threads(), listener);
    }
    return new ScenarioRun(sc, eta, window, steps, times, samples, parts, sgd.risk0(), wide,
        (System.nanoTime() - start) / 1e9);
  }

  private static Part effective(String key, String label, int width, EffectiveDynamics dyn, FlowState.Overlaps s0,
      double[] times, double[] flops, FitWindow window, Listener listener) {
    long t0 = System.nanoTime();
    listener.started(label, "r m + m^2 = " + ((long) s0.q().length * width + (long) width * width) + " states",
        "output times");
    EffectiveTrajectory traj = dyn.solve(s0, times, ODE_RTOL, (done, total, t) -> listener.reached(done, total));
    double seconds = (System.nanoTime() - t0) / 1e9;
    listener.finished(label, seconds);
    double[] risk = new double[times.length];
    Arrays.fill(risk, Double.NaN);
    for (int i = 0; i < traj.observables().size(); i++) {
      risk[i] = traj.observables().get(i).risk();
    }
    return new Part(key, label, width, flops, risk, fit(window, times, risk), seconds,
        traj.diverged() ? String.format(Locale.ROOT, "diverged at t = %.4g", traj.divergenceTime())
            : String.format(Locale.ROOT, "completed, %d steps, %d evaluations", traj.steps(), traj.evaluations()));
  }

  private static Part flow(String key, String label, int width, double[] lambda, FlowState.Overlaps s0,
      double[] times, double[] flops, FitWindow window, boolean closedForm, int threads, Listener listener) {
    long t0 = System.nanoTime();
    listener.started(label, closedForm
        ? "overlap closed form, " + OverlapClosedForm.concurrentPoints(threads) + " time point(s) at once"
        : "reduced exact propagator",
        "output times");
    FlowProgress progress = (done, total, t) -> listener.reached(done, total);
    double[] risk = closedForm ? OverlapClosedForm.risk(lambda, s0, times, threads, progress)
        : FlowRiskCurve.risk(lambda, s0, times, progress);
    double seconds = (System.nanoTime() - t0) / 1e9;
    listener.finished(label, seconds);
    return new Part(key, label, width, flops, risk, fit(window, times, risk), seconds,
        closedForm ? "overlap closed form" : "reduced exact propagator");
  }

  private static FlowWidthCurve flowWidth(Scenario sc, double[] lambda, int width, int threads, Listener listener) {
    // The exact flow at width M >= r, on its own grid up to twice the leading escape time of the last direction
    // its window needs, by the closed form (independent times, run in parallel).
    FitWindow w = FitWindow.timeLaw(lambda, width);
    double mu = EscapeTimes.meanInitialOverlap(width, sc.sigma0(), sc.d());
    double[] t = FlowRiskCurve.logGrid(0.25 * EscapeTimes.leading(lambda[0], mu),
        2.0 * EscapeTimes.leading(lambda[w.jHigh() - 1], mu), FLOW_WIDTH_POINTS);
    FlowState.Overlaps s = ReducedStart.sample(sc.d(), sc.r(), width, sc.sigma0(), sc.seed());
    long t0 = System.nanoTime();
    String label = "population flow, m = " + width + " (closed form, own grid)";
    listener.started(label, OverlapClosedForm.concurrentPoints(threads) + " time point(s) at once",
        "output times");
    double[] risk = OverlapClosedForm.risk(lambda, s, t, threads, (done, total, tt) -> listener.reached(done, total));
    double seconds = (System.nanoTime() - t0) / 1e9;
    listener.finished(label, seconds);
    return new FlowWidthCurve(width, t, risk, w, fit(w, t, risk), threads, seconds);
  }

  /**
   * (Q0, P0) of W0 for the canonical basis theta_j = e_j: Q0 = the first r rows of W0, P0 = W_perp^T W_perp over
   * the remaining rows, summed row by row in the order {@code OnlineSgd#snapshot} uses, so the start's risk is the
   * SGD replica's R(0) to the last bit.
   */
  public static FlowState.Overlaps canonicalStart(double[][] w0, int r) {
    int d = w0.length;
    int m = w0[0].length;
    require(r >= 1 && r <= d, "canonicalStart needs 1 <= r <= d");
    double[][] q = new double[r][];
    for (int a = 0; a < r; a++) {
      q[a] = w0[a].clone();
    }
    double[][] p = new double[m][m];
    for (int i = r; i < d; i++) {
      double[] row = w0[i];
      for (int j = 0; j < m; j++) {
        double rj = row[j];
        if (rj == 0.0) {
          continue;
        }
        double[] pj = p[j];
        for (int k = 0; k <= j; k++) {
          pj[k] += rj * row[k];
        }
      }
    }
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < j; k++) {
        p[k][j] = p[j][k];
      }
    }
    return new FlowState.Overlaps(0.0, q, p);
  }

  private static double[] flopsAt(long[] steps, int d, int width, int r, int b) {
    double per = SgdRiskCurve.flopsPerStep(d, width, r, b);
    double[] out = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      out[i] = steps[i] * per;
    }
    return out;
  }

  private static double[] padded(double[] values, int n) {
    double[] out = Arrays.copyOf(values, n);
    Arrays.fill(out, values.length, n, Double.NaN);
    return out;
  }

  /** The window's fit over the finite points, or null when fewer than 3 fall in it. */
  static LinearFit fit(FitWindow window, double[] times, double[] risk) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      if (Double.isFinite(risk[i])) {
        keep.add(i);
      }
    }
    double[] t = keep.stream().mapToDouble(i -> times[i]).toArray();
    double[] y = keep.stream().mapToDouble(i -> risk[i]).toArray();
    return window.select(t, y).length >= 3 ? window.fit(t, y) : null;
  }

  // ----------------------------------------------------------------------------------------------------
  // Tables

  /** CSV header: t, samples, flops, one risk column per SGD-width part, then the full-width columns. */
  public List<String> csvHeader() {
    List<String> h = new ArrayList<>(List.of("t", "samples", "flops", "sgd_risk", "effective_risk", "flow_risk",
        "additive"));
    if (part(FULL_EFFECTIVE) != null) {
      h.addAll(List.of("full_width_flops", "full_effective_risk", "full_flow_risk"));
    }
    return h;
  }

  /** The CSV's integer columns (samples). */
  public static Set<Integer> csvIntegerColumns() {
    return Set.of(1);
  }

  /** One row per output step, in the order of {@link #csvHeader}. */
  public List<double[]> csvRows() {
    Part fe = part(FULL_EFFECTIVE);
    Part ff = part(FULL_FLOW);
    double[] flops = part(SGD).flops();
    double[] sgd = part(SGD).risk();
    double[] eff = part(EFFECTIVE).risk();
    double[] flow = part(FLOW).risk();
    double[] add = part(ADDITIVE).risk();
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      double[] row = {times[i], samples[i], flops[i], sgd[i], eff[i], flow[i], add[i]};
      if (fe != null) {
        row = Arrays.copyOf(row, 10);
        row[7] = fe.flops()[i];
        row[8] = fe.risk()[i];
        row[9] = ff.risk()[i];
      }
      rows.add(row);
    }
    return rows;
  }

  /** The printed summary: setting, one line per part (width, time, final risk, exponent), the asymptote. */
  public List<String> summary(double confidence) {
    Scenario sc = scenario;
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Scenario %s: %s", sc.name(), sc.description()));
    lines.add(String.format(Locale.ROOT, "d = %d, r = %d, alpha = %s, sigma0 = %s, batch = %d, c = %s (eta = %s), "
        + "seed = %d; %d output times, t in [%.4g, %.4g] (steps %d .. %d, samples up to %d)", sc.d(), sc.r(),
        num(sc.alpha()), num(sc.sigma0()), sc.batch(), num(sc.c()), num(eta), sc.seed(), times.length, times[0],
        times[times.length - 1], steps[0], steps[steps.length - 1], samples[samples.length - 1]));
    lines.add(String.format(Locale.ROOT, "Student width m = %d: online SGD (one replica), the effective ODE and the "
        + "flow start from the same W0, R(0) = %.6g", sc.m(), risk0));
    lines.add(String.format(Locale.ROOT, "Compute per SGD step 4 b d m + 3 b r + 3 b m + 4 d m + 2 b = %.4g flops "
        + "at m = %d%s", SgdRiskCurve.flopsPerStep(sc.d(), sc.m(), sc.r(), sc.batch()), sc.m(),
        part(FULL_EFFECTIVE) == null ? "" : String.format(Locale.ROOT, ", %.4g at m = %d",
            SgdRiskCurve.flopsPerStep(sc.d(), sc.fullWidth(), sc.r(), sc.batch()), sc.fullWidth())));
    lines.add("Exponent of R(t) over the window " + window + ":");
    lines.add(String.format(Locale.ROOT, "  %-28s %6s %10s %12s  %s", "part", "width", "time (s)", "final risk",
        "exponent"));
    for (Part p : parts) {
      lines.add(String.format(Locale.ROOT, "  %-28s %6d %10.1f %12.5g  %s; %s", p.label(), p.width(), p.seconds(),
          p.finalRisk(), p.fit() == null ? "no fit (fewer than 3 points in the window)" : p.fit().describe(confidence),
          p.note()));
    }
    lines.add(String.format(Locale.ROOT, "  asymptote -(2 alpha - 1)/alpha = %.3f", asymptote()));
    if (flowWidth != null) {
      lines.add(String.format(Locale.ROOT, "Population flow at m = %d (overlap closed form, %d threads, %.1f s), "
          + "window %s:", flowWidth.width(), flowWidth.threads(), flowWidth.seconds(), flowWidth.window()));
      lines.add("  population flow         " + (flowWidth.fit() == null ? "no fit"
          : flowWidth.fit().describe(confidence)));
    }
    lines.add(String.format(Locale.ROOT, "Total %.1f s", seconds));
    return lines;
  }

  private static String num(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }
}
