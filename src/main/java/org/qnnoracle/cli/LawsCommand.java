package org.qnnoracle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.laws.EscapeTimes;
import org.qnnoracle.laws.FitWindow;
import org.qnnoracle.laws.LawsFigures;
import org.qnnoracle.laws.LawsSweep;
import org.qnnoracle.laws.FrontierRun;
import org.qnnoracle.laws.ComputeFrontier;
import org.qnnoracle.laws.SampleLawRun;
import org.qnnoracle.laws.ScalingLaws;
import org.qnnoracle.laws.Scenario;
import org.qnnoracle.laws.ScenarioFigures;
import org.qnnoracle.laws.ScenarioFile;
import org.qnnoracle.laws.ScenarioRun;
import org.qnnoracle.laws.TimeLaw;
import org.qnnoracle.laws.WidthFloor;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.plot.PngRenderer;
import org.qnnoracle.plot.Series;
import org.qnnoracle.sgd.SgdProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle laws}: the scaling laws of the population flow measured over a sweep in d (time law, collapse,
 * width floor), optionally the sample law of online SGD, or one scenario file through the effective dynamics.
 * Every argument and the output directory are checked before the first computation; the files are written only
 * when everything has been computed, all together, so an error leaves nothing behind.
 */
@Command(
    name = "laws",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Measure the time, width and sample scaling laws and write figures, CSV and a summary.",
    descriptionHeading = "%n",
    description = {
      "Time law. For each d of --d-list: teacher rank r = round(d^beta) (or the matching entry of --r-list), "
          + "width m = --m or min(r, " + LawsCommand.M_CAP + "), lambda_j = j^-alpha / Z (l2). The model's random "
          + "start W0 ~ N(0, sigma0^2/d) is drawn in overlap coordinates (Q0, P0), so any d is affordable, and the "
          + "exact population flow is propagated from t_1/4 to 2 t_J on a geometric grid (t_j the leading "
          + "escape time log(lambda_j / mu0) / (8 lambda_j), mu0 = m sigma0^2 / d). The exponent of R(t) is "
          + "fitted (log-log least squares) over a fixed window: the times at which R lies between "
          + "2 sum_{j>J} lambda_j^2 for J = 2 sqrt(min(m, r)) and J = 4, i.e. while the 4th to the Jth direction "
          + "are learned (never chosen by eye; needs min(m, r) >= 16). The table gives the fit with its 95%% CI, the same "
          + "fit of the additive model (independent logistic escapes: the finite-size prediction), the "
          + "log-corrected asymptote -(2 alpha - 1)/alpha * L/(L - 1) with L = log(lambda_J / mu0) at the window's "
          + "middle, and the asymptote -(2 alpha - 1)/alpha (alpha > 1/2). The finite-size trend splits each run's gap "
          + "to the asymptote into the log factor's part and the rest (discrete first escapes, the tail's end at r).",
      "",
      "Width law. For each width of --widths (default: the powers of two from m/16 to m/2 of the largest run, "
          + "skipping any whose run would take more than about " + (int) LawsSweep.DEFAULT_FLOOR_BUDGET_S
          + " s), at the largest run's d and r, the flow is run to t_m + 20 / (8 (lambda_m - lambda_{m+1})) "
          + "and its risk compared with the floor 2 sum_{j>m} lambda_j^2.",
      "",
      "Sample law (--sgd). At d = --sgd-d, r = --sgd-r, m = --sgd-m, batch 1, no label noise: online SGD at "
          + "eta = c / d for each c of --c-list (replicas averaged), the effective ODE at the same c, and the "
          + "predicted best risk after n samples, min over c of R_flow(n c / d) + kappa c (kappa the first-order "
          + "excess of the stationary risk; c searched in [1e-4, c_max], c_max = half the learned-mode stability "
          + "limit when m >= r, else a quarter of the linear-stability limit, where the excess is still about "
          + "kappa c).",
      "",
      "Scenario (--scenario NAME|FILE). A JSON file {name, description, d, r, m, alpha, sigma0, batch, c, seed, "
          + "points, tMax, and optionally fullWidth}. Online SGD itself, one replica at student width m "
          + "(--sgd-width overrides it) from the model's random start (teacher basis e_1..e_r, lambda_j = j^-alpha / Z "
          + "with sum lambda^2 = 1, W0 entries N(0, sigma0^2/d) from the seed), batch b, eta = c b / d (c = eta d / b, "
          + "the strength of the noise term; c = eta at b = d), beside the effective ODE of SGD and the exact "
          + "population flow at the same width from the overlaps (Q0, P0) of the same W0, and the additive model. "
          + "Output steps k: log-spaced from a quarter of the first escape time to tMax (SGD time t = k eta, 'points' "
          + "of them, distinct); samples n = k b; compute k (4 b d m + 3 b r + 3 b m + 4 d m + 2 b) flops. "
          + "fullWidth: a whole number M >= r, true (M = r, also the default) or false (none): with --full-width "
          + "the effective ODE and the flow (overlap closed form) also run at width M, from the model's start at "
          + "that width, their compute counted at M. Exponents are fitted over one window (that of width m). "
          + "'paper' is the bundled scenario (see the README); any other value is a file path.",
      "",
      "Compute frontier (--compute). At d = --compute-d (also the batch), r = --compute-r, eta = 0.02 (the paper "
          + "scenario's step): the exact population flow for the widths 2, 3, 4, 6, 8, 11, .. (sqrt 2 apart) up to "
          + "--compute-max-width, each from its own random start, against the compute of online SGD (steps x "
          + "4 b d m + 3 b r + 3 b m + 4 d m + 2 b flops); the lower envelope over the widths (the frontier), its "
          + "exponent over the compute where J = 4 to M / 2 directions are learned, beside the additive model's, the "
          + "derived exponent (proofs-notes/scaling-laws.md, section 9) and the time law's. Files: "
          + "risk-vs-compute.png, additive-curves.png, compute-frontier.csv, compute-curves.csv, summary.txt. With "
          + "--scenario, --compute adds the same frontier at the scenario's d, r, alpha, sigma0, batch, step and seed "
          + "(--compute-d and --compute-r are not used) and its four files to the scenario's.",
      "",
      "Files in --out (created if needed): risk-vs-time.png, collapse.png, width-floor.png, laws.csv "
          + "(d, r, m, t, risk, additive), summary.txt (the printed tables); with --sgd also risk-vs-samples.png "
          + "and sample-law.csv; for a scenario scenario.png (risk vs SGD time), scenario-samples.png (risk vs "
          + "samples), scenario-compute.png (risk vs flops), scenario.csv (t, samples, flops, sgd_risk, "
          + "effective_risk, flow_risk, additive; with --full-width also full_width_flops, full_effective_risk, "
          + "full_flow_risk) and summary.txt (the table, with the seconds of each part).",
      ""
    },
    optionListHeading = "Options:%n",
    footer = {
      "",
      "Examples:",
      "  qnn-oracle laws --alpha 1 --d-list 1e5,1e7,1e9 --beta 0.3 --out laws-out",
      "  qnn-oracle laws --alpha 1.5 --d-list 1e3,1e5,1e7 --r-list 24,48,96 --points 120 --out laws-small",
      "  qnn-oracle laws --alpha 1 --d-list 1e5,1e7,1e9 --beta 0.3 --sgd --replicas 8 --out laws-sgd",
      "  qnn-oracle laws --scenario paper --out paper-out",
      "  qnn-oracle laws --scenario paper --full-width --threads 2 --out paper-full",
      "  qnn-oracle laws --scenario paper --compute --out paper-frontier",
      "  qnn-oracle laws --scenario my-scenario.json --sgd-width 64 --out quick",
      "  qnn-oracle laws --compute --out frontier-out",
      "",
      "Exit codes: 0 success; 1 a computation could not complete; 2 invalid arguments, a refused (too large) "
          + "run, a malformed scenario file, an unusable output directory (nothing is written) or "
          + "standard output; 3 internal error."
    })
final class LawsCommand implements Callable<Integer> {
  /** Default cap on the width of a time-law run: the cost grows like m^3 (r + m) (about 45 s at r = m = 256). */
  static final int M_CAP = 256;
  /** Refused above this r m^2: one reduced sub-step costs O(r m^2 + m^3). */
  static final double MAX_R_M2 = 5e9;
  /** Refused above this r m: the overlap matrix Q alone is r m doubles. */
  static final long MAX_R_M = 20_000_000L;
  /** Explicit widths are refused above this much work (about an hour). */
  static final double MAX_FLOOR_WORK = 1e12;
  /** Largest d of --d-list: the time law runs in overlap coordinates, so d only enters through mu0. */
  static final long MAX_D = 1_000_000_000_000_000L;
  /**
   * Largest state n = r m + m^2 of the sample law: its stability search (SampleLaw.searchCeiling) runs Newton
   * with an n x n SVD per iteration over a scan of c; measured about 3 s at n = 27 (the defaults) and 25 s at
   * n = 108 on the 2-core machine under load, growing like n^3, so n = 400 is already about 20 minutes.
   */
  static final int MAX_SAMPLE_LAW_STATE = 400;

  /** Confidence of the printed intervals. */
  static final double CONFIDENCE = 0.95;

  @Spec
  CommandSpec spec;

  @Option(names = "--alpha", paramLabel = "A", order = 1,
      description = "Power-law exponent of lambda_j = j^-alpha / Z; the time law needs alpha > 1/2.")
  Double alpha;

  @Option(names = "--d-list", split = ",", splitSynopsisLabel = ",", paramLabel = "D", order = 2,
      description = "Input dimensions, strictly increasing, 1 <= d <= 1e15 (1e6 notation, as in every "
          + "integer option).")
  List<Long> dList;

  @Option(names = "--beta", paramLabel = "B", order = 3,
      description = "r = round(d^B), 0 <= B < 1 (default 0.3 when --r-list is not given).")
  Double beta;

  @Option(names = "--r-list", split = ",", splitSynopsisLabel = ",", paramLabel = "R", order = 4,
      description = "Teacher ranks, one per d (instead of --beta).")
  List<Integer> rList;

  @Option(names = "--m", paramLabel = "M", order = 5,
      description = "Student width for every run (default min(r, " + M_CAP + ")).")
  Integer m;

  @Option(names = "--sigma0", defaultValue = "0.001", paramLabel = "X", order = 6,
      description = "Initial scale: W0 entries N(0, sigma0^2/d). Default: ${DEFAULT-VALUE}.")
  double sigma0;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", order = 7,
      description = "Seed of the random starts (stream reduced-start; the SGD instance for --sgd). "
          + "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--points", defaultValue = "" + TimeLaw.DEFAULT_POINTS, paramLabel = "K", order = 8,
      description = "Output times per time-law run, 20 <= K <= " + OptionBounds.MAX_POINTS
          + " (and the states must fit in the Java heap). Default: ${DEFAULT-VALUE}.")
  int points;

  @Option(names = "--widths", split = ",", splitSynopsisLabel = ",", paramLabel = "M", order = 9,
      description = "Widths of the width-floor runs (1 <= m < r of the largest run).")
  List<Integer> widths;

  @Option(names = "--sgd", order = 10, description = "Also measure the sample law of online SGD.")
  boolean sgd;

  @Option(names = "--sgd-d", defaultValue = "200", paramLabel = "D", order = 11,
      description = "Dimension of the sample-law runs. Default: ${DEFAULT-VALUE}.")
  int sgdD;

  @Option(names = "--sgd-r", defaultValue = "6", paramLabel = "R", order = 12,
      description = "Teacher rank of the sample-law runs. Default: ${DEFAULT-VALUE}.")
  int sgdR;

  @Option(names = "--sgd-m", defaultValue = "3", paramLabel = "M", order = 13,
      description = "Student width of the sample-law runs, m <= r. Default: ${DEFAULT-VALUE}.")
  int sgdM;

  @Option(names = "--c-list", split = ",", splitSynopsisLabel = ",", paramLabel = "C", order = 14,
      description = "Step constants c (eta = c / d) of the SGD runs (default: three values spanning the "
          + "predicted best c over the n range).")
  List<Double> cList;

  @Option(names = "--replicas", defaultValue = "8", paramLabel = "K", order = 15,
      description = "SGD replicas per c, 1..10000. Default: ${DEFAULT-VALUE}.")
  int replicas;

  @Option(names = "--threads", paramLabel = "T", order = 16,
      description = "Threads for the SGD replicas. Default: the number of processors.")
  Integer threads;

  @Option(names = "--scenario", paramLabel = "NAME|FILE", order = 17,
      description = "Run a scenario file instead of the sweep: 'paper' (bundled) or a JSON file path.")
  String scenario;

  @Option(names = "--sgd-width", paramLabel = "M", order = 18,
      description = "With --scenario: the student width of the online-SGD run and of the effective ODE and flow "
          + "beside it, instead of the scenario's m (16 <= M, r M^2 <= 5e9, d M <= 5e7).")
  Integer sgdWidth;

  @Option(names = "--full-width", order = 19,
      description = "With --scenario: also the effective ODE and the population flow (overlap closed form, over "
          + "--threads) at the scenario's full width (fullWidth, default m = r), from the model's start at that "
          + "width. Off by default: at the paper's r = 2400 this is the long part of the run.")
  boolean fullWidth;

  @Option(names = "--flow-width", paramLabel = "M", order = 20,
      description = "With --scenario: also the population flow at student width M >= r, by the one-shot overlap "
          + "closed form (flow.OverlapClosedForm) at 40 time points, fitted over its own window: one time point at a "
          + "time on the native BLAS, which uses every core itself (in parallel over --threads on the pure-Java "
          + "backend). At the paper's r = 2400, M = 2400 it took 34 s on 2 cores, with under 0.5 GB of workspace.")
    Integer flowWidth;

  @Option(names = "--compute", order = 22,
      description = "Run the compute-optimal frontier instead of the sweep: risk against SGD flops for the widths "
          + "2, 3, 4, 6, 8, 11, .. (sqrt 2 apart) up to --compute-max-width, their lower envelope and its exponent. "
          + "With --scenario: also the frontier at the scenario's setting.")
  boolean compute;

  @Option(names = "--compute-d", defaultValue = "3200", paramLabel = "D", order = 23,
      description = "With --compute: the dimension, also the batch size (the source's d). Default: ${DEFAULT-VALUE}.")
  long computeD;

  @Option(names = "--compute-r", defaultValue = "2400", paramLabel = "R", order = 24,
      description = "With --compute: the teacher rank (the source's r). Default: ${DEFAULT-VALUE}.")
  int computeR;

  @Option(names = "--compute-max-width", defaultValue = "64", paramLabel = "M", order = 25,
      description = "With --compute: the largest width, 16 <= M <= r / 2 (the fit window ends at J = M / 2); the "
          + "cost grows like M^3 r (64 at r = 2400: about 50 s on 2 cores). Default: ${DEFAULT-VALUE}.")
  int computeMaxWidth;

  @Option(names = "--out", required = true, paramLabel = "DIR", order = 21,
      description = "Output directory (created if needed; files are replaced atomically).")
  Path out;

  /** A validated sweep. */
  record Sweep(double alpha, List<LawsSweep.Run> runs, int[] widths, boolean widthsGiven) {}

  @Override
  public Integer call() throws IOException {
    InvalidInputException.require(scenario != null || (flowWidth == null && sgdWidth == null && !fullWidth),
        "--flow-width, --sgd-width and --full-width need --scenario");
    if (scenario != null) {
      return callScenario();
    }
    if (compute) {
      return callCompute();
    }
    Sweep sweep = validate();
    OutputDirectory dir = OutputDirectory.check(out);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    long start = System.nanoTime();
    SampleLawRun.Settings sample = null;
    if (sgd) {
      double[] cs = cList == null ? null : cList.stream().mapToDouble(Double::doubleValue).toArray();
      sample = new SampleLawRun.Settings(sgdD, sgdR, sgdM, sweep.alpha(), sigma0, seed, replicas,
          OptionBounds.threads(threads), cs);
    }
    LawsSweep.Plan plan = new LawsSweep.Plan(sweep.alpha(), sigma0, seed, points, sweep.runs(), sweep.widths(),
        sweep.widthsGiven(), sample, budgets);
    Printer printer = new Printer(err, stdout);
    LawsSweep.Result result;
    try {
      result = LawsSweep.run(plan, printer);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }

    Map<String, byte[]> files = new LinkedHashMap<>();
    if (result.floors() != null) {
      LawsSweep.Floors f = result.floors();
      files.put("width-floor.png", PngRenderer.render(
          LawsFigures.widthFloor("width-floor", f.lambda(), sweep.alpha(), f.widths(), f.risks())));
    }
    files.put("risk-vs-time.png", PngRenderer.render(LawsFigures.riskVsTime("risk-vs-time", result.timeLaws())));
    files.put("collapse.png", PngRenderer.render(LawsFigures.collapse("collapse", result.timeLaws())));
    files.put("laws.csv", csvBytes(lawsCsv(result.timeLaws())));
    if (result.sampleLaw() != null) {
      sampleLawOutput(result.sampleLaw(), sweep.alpha(), stdout, printer.summary, files);
    }
    files.put("summary.txt", printer.summary.toString().getBytes(StandardCharsets.UTF_8));
    dir.writeAll(files);
    err.println(String.format(Locale.ROOT, "laws: wrote %d files to %s, %.1f s", files.size(), out,
        (System.nanoTime() - start) / 1e9));
    return Console.EXIT_OK;
  }

  /**
   * The sweep's stderr lines and progress bars, and its tables printed as soon as their part is done (a table
   * lost on the way to the terminal stops the run there, before the longer parts that follow).
   */
  private final class Printer implements LawsSweep.Listener {
    private final PrintWriter err;
    private final PrintWriter stdout;
    private final StringBuilder summary = new StringBuilder();
    private final SampleLawProgress sampleProgress;
    private Console.ProgressBar bar;

    Printer(PrintWriter err, PrintWriter stdout) {
      this.err = err;
      this.stdout = stdout;
      this.sampleProgress = new SampleLawProgress(err, sgdD, sgdR, sgdM, replicas);
    }

    @Override
    public FlowProgress timeLawStarted(LawsSweep.Run rs) {
      err.println(String.format(Locale.ROOT, "laws: time law at d=%s r=%d m=%d alpha=%s sigma0=%s, %d output times",
          LawsFigures.formatD(rs.d()), rs.r(), rs.m(), Console.fmt(alpha), Console.fmt(sigma0), points));
      bar = new Console.ProgressBar(err, System.nanoTime(), "laws d=" + LawsFigures.formatD(rs.d()), "output times");
      return (done, total, t) -> bar.reached(done, total);
    }

    @Override
    public void timeLawFinished(TimeLaw run) {
      bar.finish();
    }

    @Override
    public void timeLawsFinished(List<TimeLaw> runs) {
      printLines(timeLawTable(runs));
    }

    @Override
    public void widthSkipped(int w, double seconds, int r) {
      err.println(String.format(Locale.ROOT, "laws: default width %d skipped (its floor run would take about "
          + "%.0f s at r = %d); give --widths to run it", w, seconds, r));
    }

    @Override
    public FlowProgress floorStarted(int w, double t, long d, int r) {
      err.println(String.format(Locale.ROOT, "laws: width floor m=%d at d=%s r=%d, flow to t=%s", w,
          LawsFigures.formatD(d), r, Console.fmt(t)));
      bar = new Console.ProgressBar(err, System.nanoTime(), "laws m=" + w, "output times");
      return (done, total, tt) -> bar.reached(done, total);
    }

    @Override
    public void floorFinished(int w) {
      bar.finish();
    }

    @Override
    public void floorsFinished(LawsSweep.Floors f) {
      List<String> lines = new ArrayList<>();
      lines.add("");
      lines.add(String.format(Locale.ROOT, "Width floor at d = %s, r = %d: flow to t = t_m + 20 / (8 (lambda_m - "
          + "lambda_{m+1}))", LawsFigures.formatD(f.d()), f.r()));
      lines.add(String.format(Locale.ROOT, "%6s %12s %14s %14s %10s", "m", "t", "measured", "tail sum", "rel diff"));
      for (int i = 0; i < f.widths().length; i++) {
        lines.add(String.format(Locale.ROOT, "%6d %12.5g %14.6g %14.6g %10.2e", f.widths()[i], f.times()[i],
            f.risks()[i], f.tails()[i], (f.risks()[i] - f.tails()[i]) / f.tails()[i]));
      }
      printLines(lines);
    }

    @Override
    public SgdProgress sgdStarted(double c, long steps) {
      return sampleProgress.sgdStarted(c, steps);
    }

    @Override
    public void sgdFinished(double c) {
      sampleProgress.sgdFinished(c);
    }

    @Override
    public void diverged(double c, int diverged, int total, boolean odeDiverged, double odeDivergenceTime) {
      sampleProgress.diverged(c, diverged, total, odeDiverged, odeDivergenceTime);
    }

    private void printLines(List<String> lines) {
      try {
        print(stdout, summary, lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // Validation

  /** Every check on the sweep's arguments, before anything is computed or written. */
  Sweep validate() {
    InvalidInputException.require(alpha != null, "--alpha is required (or give --scenario)");
    InvalidInputException.require(dList != null && !dList.isEmpty(), "--d-list is required (or give --scenario)");
    InvalidInputException.require(alpha > 0.5, "the time law needs --alpha > 1/2, got " + alpha);
    InvalidInputException.require(beta == null || rList == null, "give either --beta or --r-list, not both");
    double b = beta == null ? 0.3 : beta;
    InvalidInputException.require(b >= 0.0 && b < 1.0, "--beta must lie in [0, 1), got " + b);
    InvalidInputException.require(Double.isFinite(sigma0) && sigma0 > 0.0, "--sigma0 must be > 0, got " + sigma0);
    OptionBounds.requirePoints("--points", points, 20);
    long[] ds = new long[dList.size()];
    for (int i = 0; i < ds.length; i++) {
      ds[i] = dList.get(i);
      InvalidInputException.require(ds[i] >= 1 && ds[i] <= MAX_D, "--d-list values must be in 1..1e15, got "
          + LawsFigures.formatD(ds[i]));
      InvalidInputException.require(i == 0 || ds[i] > ds[i - 1], "--d-list must be strictly increasing, got "
          + String.join(",", dList.stream().map(LawsFigures::formatD).toList()));
    }
    InvalidInputException.require(rList == null || rList.size() == ds.length,
        "--r-list needs one r per d: " + ds.length + " values, got " + (rList == null ? 0 : rList.size()));
    InvalidInputException.require(m == null || m >= 1, "--m must be at least 1, got " + m);
    List<LawsSweep.Run> runs = new ArrayList<>();
    for (int i = 0; i < ds.length; i++) {
      long d = ds[i];
      long r = rList != null ? rList.get(i) : Math.round(Math.pow((double) d, b));
      InvalidInputException.require(r >= 1 && r <= d, "r must lie in 1..d, got r = " + r + " at d = " + d);
      InvalidInputException.require(r <= Integer.MAX_VALUE, "r = " + r + " is too large");
      int width = m != null ? m : (int) Math.min(r, M_CAP);
      InvalidInputException.require(Math.min(r, width) >= FitWindow.MIN_WIDTH, "the time-law window "
          + "[4, 2 sqrt(min(m, r))] needs min(m, r) >= " + FitWindow.MIN_WIDTH + "; d = " + d + " gives r = " + r + " and m = " + width
          + (rList == null ? " (raise --beta or give --r-list)" : ""));
      InvalidInputException.require((double) r * width * width <= MAX_R_M2 && (double) r * width <= MAX_R_M,
          String.format(Locale.ROOT, "d = %d with r = %d, m = %d is too large to run (r m^2 = %.3g > %.0g or "
              + "r m = %.3g > %.0g); lower --beta or --m", d, r, width, (double) r * width * width, MAX_R_M2,
              (double) r * width, (double) MAX_R_M));
      InvalidInputException.require(EscapeTimes.meanInitialOverlap(width, sigma0, d)
          < ScalingLaws.lambdas((int) r, alpha)[0],
          "the start m sigma0^2 / d is not small at d = " + d + ": lower --sigma0");
      OptionBounds.requireOverlapFlowFits("the time-law run", d, (int) r, width, points);
      runs.add(new LawsSweep.Run(d, (int) r, width));
    }
    LawsSweep.Run widest = runs.stream().max((x, y) -> Integer.compare(x.r(), y.r())).orElseThrow();
    int[] ws;
    boolean given = widths != null;
    if (given) {
      ws = widths.stream().mapToInt(Integer::intValue).toArray();
      double[] lambda = ScalingLaws.lambdas(widest.r(), alpha);
      for (int w : ws) {
        InvalidInputException.require(w >= 1 && w < widest.r(),
            "--widths must lie in 1..r-1 = " + (widest.r() - 1) + " (r of the largest run), got " + w);
        OptionBounds.requireOverlapFlowFits("the width-floor run at m = " + w, widest.d(), widest.r(), w, 1);
        double work = WidthFloor.work(lambda, w, sigma0, widest.d());
        InvalidInputException.require(work <= MAX_FLOOR_WORK, String.format(Locale.ROOT,
            "the width-floor run at m = %d, r = %d would take about %.0f s; choose smaller widths", w, widest.r(),
            WidthFloor.estimatedSeconds(lambda, w, sigma0, widest.d())));
      }
    } else {
      List<Integer> list = new ArrayList<>();
      for (int p = 1; p <= widest.m() / 2; p *= 2) {
        if (16 * p >= widest.m() && p < widest.r()) {
          list.add(p);
        }
      }
      ws = list.stream().mapToInt(Integer::intValue).toArray();
    }
    if (sgd) {
      validateSgd(alpha);
    }
    return new Sweep(alpha, runs, ws, given);
  }

  private void validateSgd(double a) {
    InvalidInputException.require(sgdR >= 1 && sgdM >= 1 && sgdM <= sgdR,
        "the sample law needs 1 <= --sgd-m <= --sgd-r, got m = " + sgdM + ", r = " + sgdR);
    ModelSpec.of(sgdD, sgdR, sgdM, alpha, sigma0, seed);
    OptionBounds.requireReplicas(replicas);
    OptionBounds.requireThreads(threads);
    if (cList != null) {
      InvalidInputException.require(!cList.isEmpty() && cList.size() <= 8, "--c-list needs 1 to 8 values");
      for (double c : cList) {
        InvalidInputException.require(c > 0.0 && c <= 10.0, "--c-list values must lie in (0, 10], got " + c);
      }
    }
    long state = (long) sgdR * sgdM + (long) sgdM * sgdM;
    InvalidInputException.require(state <= MAX_SAMPLE_LAW_STATE, String.format(Locale.ROOT, "the sample law's "
        + "stability search solves n x n systems, n = r m + m^2 = %d at --sgd-r %d --sgd-m %d, many times over; "
        + "it is limited to n <= %d (about 25 s at n = 108, growing like n^3): lower --sgd-r or --sgd-m",
        state, sgdR, sgdM, MAX_SAMPLE_LAW_STATE));
    int nThreads = OptionBounds.threads(threads);
    OptionBounds.requireSgdFits("laws --sgd", new OptionBounds.SgdSize(sgdD, sgdR, sgdM, 1,
        Math.min(replicas, nThreads), replicas, SampleLawRun.POINTS, true, 0.0));
    budgets = SampleLawRun.budgets(sgdD, sgdR, sgdM, a, sigma0);
    InvalidInputException.require(budgets.nHi() <= OptionBounds.MAX_SGD_SAMPLES, String.format(Locale.ROOT,
        "the sample law at --sgd-d %d would run SGD to %.3g samples, more than 1e12; lower --sgd-d", sgdD,
        budgets.nHi()));
  }

  /** Set by {@link #validateSgd} (cMax is a stability search of seconds), used by the sample law's plan. */
  private SampleLawRun.Budgets budgets;

  // ----------------------------------------------------------------------------------------------------
  // Time law and width floor

  private List<String> timeLawTable(List<TimeLaw> runs) {
    List<String> lines = new ArrayList<>();
    TimeLaw first = runs.get(0);
    lines.add(String.format(Locale.ROOT, "Time law, alpha = %s, sigma0 = %s, seed = %d: exponent of R(t) fitted "
        + "over the window J in [4, 2 sqrt(min(m, r))]", Console.fmt(first.alpha()), Console.fmt(sigma0), seed));
    lines.add(String.format(Locale.ROOT, "%-8s %6s %6s  %-10s  %-30s %9s %14s %10s", "d", "r", "m", "window",
        "fitted exponent (95% CI)", "additive", "log-corrected", "asymptote"));
    for (TimeLaw run : runs) {
      double[] ci = run.fit().interval(CONFIDENCE);
      lines.add(String.format(Locale.ROOT, "%-8s %6d %6d  %-10s  %-30s %9.3f %14.3f %10.3f",
          LawsFigures.formatD(run.d()), run.r(), run.m(), "J " + run.window().jLow() + ".." + run.window().jHigh(),
          String.format(Locale.ROOT, "%.3f [%.3f, %.3f] n=%d", run.fit().slope(), ci[0], ci[1], run.fit().n()),
          run.predictedFit().slope(), run.logCorrectedExponent(), ScalingLaws.timeExponent(run.alpha())));
    }
    // The gap to the asymptote has two finite-size parts: the log factor (gamma / (L - 1), predicted) and what
    // the fixed window still sees of the discrete first escapes and of the tail's end at r (J_high / r). A
    // regression on 1/(L - 1) alone would mix them when r changes with d, so the parts are printed instead.
    double gamma = -ScalingLaws.timeExponent(first.alpha());
    lines.add("Finite-size trend: gap to the asymptote = log-factor part + rest (discrete escapes, tail end at r)");
    boolean falls = true;
    double prev = Double.POSITIVE_INFINITY;
    for (TimeLaw run : runs) {
      double gap = Math.abs(run.fit().slope() + gamma);
      double logPart = Math.abs(run.logCorrectedExponent() + gamma);
      falls &= gap < prev;
      prev = gap;
      lines.add(String.format(Locale.ROOT, "  d = %-6s gap %.3f = %.3f (log factor, L = %.1f) + %.3f (rest; J_high / r = %.3f)",
          LawsFigures.formatD(run.d()), gap, logPart, run.logFactor(), gap - logPart,
          (double) run.window().jHigh() / run.r()));
    }
    lines.add(runs.size() >= 2 ? "  the gap " + (falls ? "falls" : "does NOT fall") + " as d grows" : "");
    return lines;
  }

  private static CsvTable lawsCsv(List<TimeLaw> runs) {
    List<double[]> rows = new ArrayList<>();
    for (TimeLaw run : runs) {
      double[] t = run.times();
      double[] risk = run.risk();
      double[] add = run.predictedRisk();
      for (int i = 0; i < t.length; i++) {
        rows.add(new double[] {run.d(), run.r(), run.m(), t[i], risk[i], add[i]});
      }
    }
    return new CsvTable(List.of("d", "r", "m", "t", "risk", "additive"), rows, Set.of(0, 1, 2));
  }

  // ----------------------------------------------------------------------------------------------------
  // Sample law

  private void sampleLawOutput(SampleLawRun run, double a, PrintWriter stdout, StringBuilder summary,
      Map<String, byte[]> files) throws IOException {
    int d = run.d();
    int r = run.r();
    int mm = run.m();
    long[] ns = run.samples();
    double[] n = run.sampleCounts();
    double[] cs = run.cs();
    List<LawsFigures.SampleCurve> curves = new ArrayList<>();
    for (int k = 0; k < cs.length; k++) {
      double c = cs[k];
      curves.add(new LawsFigures.SampleCurve(String.format(Locale.ROOT, "SGD c = %s (mean of %d)",
          Console.fmt(c), replicas), n, run.sgdMean()[k], Series.Style.MARKERS));
      curves.add(new LawsFigures.SampleCurve("effective ODE c = " + Console.fmt(c), n, run.odeRisk()[k],
          Series.Style.LINE));
    }
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add(String.format(Locale.ROOT, "Sample law at d = %d, r = %d, m = %d, alpha = %s, batch 1, s = 0: "
        + "kappa = %.4g, c searched in [1e-4, %.4g], floor %.4g", d, r, mm, Console.fmt(a), run.kappa(), run.cMax(),
        run.floor()));
    lines.add(String.format(Locale.ROOT, "%12s %10s %14s %14s %10s", "n", "c*(n)", "predicted", "best SGD", "at c"));
    for (int i = 0; i < ns.length; i++) {
      double best = Double.NaN;
      double bestC = Double.NaN;
      for (int k = 0; k < cs.length; k++) {
        if (Double.isFinite(run.sgdMean()[k][i]) && !(run.sgdMean()[k][i] >= best)) {
          best = run.sgdMean()[k][i];
          bestC = cs[k];
        }
      }
      lines.add(String.format(Locale.ROOT, "%12d %10.4g %14.5g %14.5g %10s", ns[i], run.cStar()[i],
          run.predicted()[i], best, Double.isNaN(bestC) ? "-" : Console.fmt(bestC)));
    }
    print(stdout, summary, lines);
    files.put("risk-vs-samples.png", PngRenderer.render(LawsFigures.riskVsSamples("risk-vs-samples",
        String.format(Locale.ROOT, "Online SGD: risk vs samples (d = %d, r = %d, m = %d, alpha = %s)", d, r, mm,
            Console.fmt(a)), curves, n, run.predicted(), run.floor())));
    List<String> header = new ArrayList<>(List.of("n", "c_star", "predicted"));
    for (double c : cs) {
      header.add("sgd_mean_c" + Console.fmt(c));
    }
    for (double c : cs) {
      header.add("ode_c" + Console.fmt(c));
    }
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < ns.length; i++) {
      double[] row = new double[header.size()];
      row[0] = n[i];
      row[1] = run.cStar()[i];
      row[2] = run.predicted()[i];
      for (int k = 0; k < cs.length; k++) {
        row[3 + k] = run.sgdMean()[k][i];
        row[3 + cs.length + k] = run.odeRisk()[k][i];
      }
      rows.add(row);
    }
    files.put("sample-law.csv", csvBytes(new CsvTable(header, rows, Set.of(0))));
  }

  /** The sample law's stderr lines: one per c, its progress bar, and any divergence. */
  private static final class SampleLawProgress implements SampleLawRun.Listener {
    private final PrintWriter err;
    private final int d;
    private final int r;
    private final int m;
    private final int replicas;
    private Console.ProgressBar bar;

    SampleLawProgress(PrintWriter err, int d, int r, int m, int replicas) {
      this.err = err;
      this.d = d;
      this.r = r;
      this.m = m;
      this.replicas = replicas;
    }

    @Override
    public SgdProgress sgdStarted(double c, long steps) {
      err.println(String.format(Locale.ROOT, "laws: sample law, SGD at d=%d r=%d m=%d c=%s (eta=%s), %d replicas, "
          + "%d steps", d, r, m, Console.fmt(c), Console.fmt(c / d), replicas, steps));
      bar = new Console.ProgressBar(err, System.nanoTime(), "laws sgd c=" + Console.fmt(c), "steps");
      return bar;
    }

    @Override
    public void sgdFinished(double c) {
      bar.finish();
    }

    @Override
    public void diverged(double c, int diverged, int total, boolean odeDiverged, double odeDivergenceTime) {
      err.println(String.format(Locale.ROOT, "laws: at c=%s %d of %d SGD replicas diverged%s", Console.fmt(c),
          diverged, total, odeDiverged ? "; the effective ODE diverged at t = " + Console.fmt(odeDivergenceTime)
              : ""));
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // Compute frontier

  /** Largest r M^3 of --compute: about 50 s at r = 2400, M = 64 (6e8); 1e11 is a few hours. */
  static final double MAX_COMPUTE_WORK = 1e11;

  /** Checks, runs {@link FrontierRun} with a progress bar per width, prints the tables, writes the files together. */
  private Integer callCompute() throws IOException {
    InvalidInputException.require(dList == null && rList == null && beta == null && m == null && widths == null
        && !sgd && cList == null, "--compute runs on its own: drop --d-list, --r-list, --beta, --m, --widths, --sgd "
        + "and --c-list (use --compute-d, --compute-r, --compute-max-width)");
    double a = alpha == null ? 1.0 : alpha;
    InvalidInputException.require(a > 0.5 && a <= 10.0, "--alpha must be in (1/2, 10] for the frontier, got " + a);
    InvalidInputException.require(computeD >= 1 && computeD <= 1_000_000L, "--compute-d must be in [1, 1e6] (it is "
        + "also the batch size), got " + computeD);
    InvalidInputException.require(computeR >= 34, "--compute-r must be at least 34 (widths up to r / 2 >= 16), got "
        + computeR);
    requireFrontierFits(computeR, computeMaxWidth);
    InvalidInputException.require(sigma0 > 0.0 && Double.isFinite(sigma0), "--sigma0 must be > 0, got " + sigma0);
    InvalidInputException.require(points >= 40 && points <= OptionBounds.MAX_POINTS, "--points must be in [40, "
        + OptionBounds.MAX_POINTS + "] for --compute, got " + points);
    OutputDirectory dir = OutputDirectory.check(out);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    long start = System.nanoTime();
    FrontierRun run = runFrontier(err, computeD, computeR, a, sigma0, (int) computeD, FrontierRun.PAPER_ETA, seed,
        points);
    StringBuilder summary = new StringBuilder();
    Map<String, byte[]> files = new LinkedHashMap<>();
    addFrontier(stdout, summary, files, run);
    files.put("summary.txt", summary.toString().getBytes(StandardCharsets.UTF_8));
    dir.writeAll(files);
    err.println(String.format(Locale.ROOT, "laws: compute frontier done, wrote %d files to %s, %.1f s",
        files.size(), out, (System.nanoTime() - start) / 1e9));
    return Console.EXIT_OK;
  }

  /** The frontier's sizes: the widest width in [16, r / 2] and r M^3 within MAX_COMPUTE_WORK. */
  private void requireFrontierFits(int r, int maxWidth) {
    InvalidInputException.require(maxWidth >= 16 && maxWidth <= r / 2,
        "--compute-max-width must be in [16, r / 2 = " + r / 2 + "], got " + maxWidth);
    InvalidInputException.require((double) r * Math.pow(maxWidth, 3) <= MAX_COMPUTE_WORK,
        "--compute-max-width " + maxWidth + " at r = " + r + " is refused: r M^3 = "
        + String.format(Locale.ROOT, "%.2g", (double) r * Math.pow(maxWidth, 3)) + " > "
        + String.format(Locale.ROOT, "%.0g", MAX_COMPUTE_WORK) + " (hours on 2 cores)");
  }

  /** Runs {@link FrontierRun} for the widths up to --compute-max-width with a progress bar per width. */
  private FrontierRun runFrontier(PrintWriter err, long d, int r, double a, double s0, int batch, double eta,
      long runSeed, int outputs) {
    int[] ws = FrontierRun.widths(computeMaxWidth);
    err.println(String.format(Locale.ROOT, "laws: compute frontier at d=%d r=%d alpha=%s sigma0=%s batch=%d "
        + "eta=%s, widths %s, %d output times each", d, r, Console.fmt(a), Console.fmt(s0), batch,
        Console.fmt(eta), java.util.Arrays.toString(ws), outputs));
    err.flush();
    Console.ProgressBar[] bar = new Console.ProgressBar[1];
    return FrontierRun.run(d, r, ws, a, s0, batch, eta, runSeed, outputs, new FrontierRun.Listener() {
      @Override
      public FlowProgress widthStarted(int w, int index, int count) {
        bar[0] = new Console.ProgressBar(err, System.nanoTime(), String.format(Locale.ROOT, "laws m=%d (%d/%d)",
            w, index, count), "output times");
        return (done, total, t) -> bar[0].reached(done, total);
      }

      @Override
      public void widthFinished(int w, double seconds) {
        bar[0].finish();
      }
    });
  }

  /** The frontier's table (printed and kept for summary.txt), its two figures and its two CSV files. */
  private static void addFrontier(PrintWriter stdout, StringBuilder summary, Map<String, byte[]> files,
      FrontierRun run) throws IOException {
    print(stdout, summary, computeTable(run));
    files.put("risk-vs-compute.png", PngRenderer.render(LawsFigures.riskVsCompute("risk-vs-compute", run)));
    ComputeFrontier.Curve widest = run.flowCurves().get(run.flowCurves().size() - 1);
    files.put("additive-curves.png", PngRenderer.render(additiveFigure(run, widest)));
    files.put("compute-frontier.csv", csvBytes(frontierCsv(run)));
    files.put("compute-curves.csv", csvBytes(curvesCsv(run)));
  }

  /** The frontier's exponents and a sample of its points (about every fifteenth of the grid). */
  private static List<String> computeTable(FrontierRun run) {
    List<String> lines = new ArrayList<>();
    double[] ci = run.flowFit().interval(CONFIDENCE);
    ComputeFrontier.Prediction p = run.prediction();
    lines.add(String.format(Locale.ROOT, "Compute frontier: d = %d, r = %d, alpha = %s, sigma0 = %s, batch %d, "
        + "eta = %s; window %s", run.d(), run.r(), Console.fmt(run.alpha()), Console.fmt(run.sigma0()), run.batch(),
        Console.fmt(run.eta()), run.window()));
    lines.add(String.format(Locale.ROOT, "  frontier exponent (exact flow)  %.4f  [%.4f, %.4f] (95%% CI, %d points)",
        run.flowFit().slope(), ci[0], ci[1], run.flowFit().n()));
    lines.add(String.format(Locale.ROOT, "  additive model                  %.4f", run.additiveFit().slope()));
    lines.add(String.format(Locale.ROOT, "  derived (window)                %.4f  (at J = %d: best width %.2f J, L = "
        + "%.2f, width share %.3f, tail slope %.3f, local %.4f)", run.predictedExponent(), p.j(), p.widthRatio(),
        p.logFactor(), p.widthShare(), p.tailSlope(), p.exponent()));
    lines.add(String.format(Locale.ROOT, "  if width were free (time law)   %.4f", ScalingLaws.localTimeSlope(run.alpha(),
        p.logFactor())));
    lines.add(String.format(Locale.ROOT, "  asymptote -(2a-1)/(a+1)         %.4f", -(2 * run.alpha() - 1)
        / (run.alpha() + 1)));
    lines.add("");
    lines.add(String.format(Locale.ROOT, "%12s %12s %10s %12s", "compute", "risk", "best m", "learned J"));
    double[] c = run.flow().compute();
    double[] r = run.flow().risk();
    int[] best = run.flow().bestWidth();
    double[] lambda = org.qnnoracle.model.PowerLawSpectrum.lambdas(run.r(), run.alpha(),
        org.qnnoracle.model.Normalisation.L2);
    int stride = Math.max(1, c.length / 15);
    for (int i = 0; i < c.length; i += stride) {
      lines.add(String.format(Locale.ROOT, "%12.4g %12.4g %10d %12d", c[i], r[i], best[i],
          ScalingLaws.directionsForRisk(lambda, r[i])));
    }
    return lines;
  }

  private static org.qnnoracle.plot.Figure additiveFigure(FrontierRun run, ComputeFrontier.Curve widest) {
    return LawsFigures.additiveCurves("additive-curves", run.widestAdditive(), run.times(), widest.risk(), widest.m(),
        String.format(Locale.ROOT, "Width m = %d of the frontier run (d = %d, r = %d, alpha = %s): each direction's "
            + "emergent curve 2 lambda_j^2 s_j(t) at its corrected escape time (grey), their sum (the additive "
            + "model) and the exact flow from the same start; sigmoids at staggered times add up to a power law.",
            widest.m(), run.d(), run.r(), Console.fmt(run.alpha())));
  }

  private static CsvTable frontierCsv(FrontierRun run) {
    List<double[]> rows = new ArrayList<>();
    double[] c = run.flow().compute();
    for (int i = 0; i < c.length; i++) {
      rows.add(new double[] {c[i], run.flow().risk()[i], run.flow().bestWidth()[i], run.additive().risk()[i],
          run.additive().bestWidth()[i]});
    }
    return new CsvTable(List.of("compute", "frontier_risk", "best_width", "additive_frontier_risk",
        "additive_best_width"), rows);
  }

  private static CsvTable curvesCsv(FrontierRun run) {
    List<double[]> rows = new ArrayList<>();
    double[] t = run.times();
    for (int k = 0; k < run.flowCurves().size(); k++) {
      ComputeFrontier.Curve f = run.flowCurves().get(k);
      double[] c = f.compute();
      double[] fr = f.risk();
      double[] ar = run.additiveCurves().get(k).risk();
      for (int i = 0; i < c.length; i++) {
        rows.add(new double[] {f.m(), t[i], c[i], fr[i], ar[i]});
      }
    }
    return new CsvTable(List.of("m", "t", "compute", "flow_risk", "additive_risk"), rows);
  }

  // ----------------------------------------------------------------------------------------------------
  // Scenario

  /** Parses, checks, runs {@link ScenarioRun} and prints; the figures, CSV and summary are written together. */
  private Integer callScenario() throws IOException {
    InvalidInputException.require(dList == null && rList == null && beta == null && alpha == null && m == null
        && widths == null && !sgd && cList == null,
        "--scenario runs on its own: drop --d-list, --r-list, --beta, --alpha, --m, --widths, --sgd and --c-list");
    InvalidInputException.require(sgdWidth == null || sgdWidth >= 1, "--sgd-width must be at least 1, got "
        + sgdWidth);
    OptionBounds.requireThreads(threads);
    Scenario sc = ScenarioFile.load(scenario);
    if (compute) {
      InvalidInputException.require(sc.r() >= 34, "--compute with a scenario needs r >= 34 (widths up to r / 2 >= "
          + "16), got r = " + sc.r());
      requireFrontierFits(sc.r(), computeMaxWidth);
    }
    if (sgdWidth != null) {
      try {
        sc = sc.withWidth(sgdWidth);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--sgd-width " + sgdWidth + ": " + e.getMessage());
      }
    }
    ScenarioRun.Options opts = new ScenarioRun.Options(fullWidth, flowWidth,
        OptionBounds.threads(threads));
    ScenarioRun.check(sc, opts);
    OutputDirectory dir = OutputDirectory.check(out);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    err.println(String.format(Locale.ROOT, "laws: scenario %s: d=%d r=%d m=%d alpha=%s sigma0=%s batch=%d "
        + "c=%s (eta=%s), %d output times to t=%s%s", sc.name(), sc.d(), sc.r(), sc.m(), Console.fmt(sc.alpha()),
        Console.fmt(sc.sigma0()), sc.batch(), Console.fmt(sc.c()), Console.fmt(sc.eta()), sc.points(),
        Console.fmt(sc.tMax()), fullWidth ? ", full width m=" + sc.fullWidth() : ""));
    ScenarioRun run = ScenarioRun.run(sc, opts, new ScenarioProgress(err));
    FrontierRun frontier = compute ? runFrontier(err, sc.d(), sc.r(), sc.alpha(), sc.sigma0(), sc.batch(), sc.eta(),
        sc.seed(), FrontierRun.DEFAULT_POINTS) : null;

    Map<String, byte[]> files = new LinkedHashMap<>();
    StringBuilder summary = new StringBuilder();
    print(stdout, summary, run.summary(CONFIDENCE));
    if (frontier != null) {
      addFrontier(stdout, summary, files, frontier);
    }
    files.put("scenario.png", PngRenderer.render(ScenarioFigures.riskVsTime("scenario", run)));
    files.put("scenario-samples.png", PngRenderer.render(ScenarioFigures.riskVsSamples("scenario-samples", run)));
    files.put("scenario-compute.png", PngRenderer.render(ScenarioFigures.riskVsCompute("scenario-compute", run)));
    files.put("scenario.csv", csvBytes(new CsvTable(run.csvHeader(), run.csvRows(),
        ScenarioRun.csvIntegerColumns())));
    if (run.flowWidth() != null) {
      List<double[]> wideRows = new ArrayList<>();
      for (int i = 0; i < run.flowWidth().times().length; i++) {
        wideRows.add(new double[] {run.flowWidth().times()[i], run.flowWidth().risk()[i]});
      }
      files.put("scenario-flow-width.csv", csvBytes(new CsvTable(List.of("t", "flow_risk"), wideRows)));
    }
    files.put("summary.txt", summary.toString().getBytes(StandardCharsets.UTF_8));
    dir.writeAll(files);
    err.println(String.format(Locale.ROOT, "laws: scenario %s done, wrote %d files to %s, %.1f s", sc.name(),
        files.size(), out, run.seconds()));
    return Console.EXIT_OK;
  }

  /** One progress bar per part of a scenario run, on stderr. */
  private static final class ScenarioProgress implements ScenarioRun.Listener {
    private final PrintWriter err;
    private Console.ProgressBar bar;

    ScenarioProgress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void started(String label, String detail, String unit) {
      err.println("laws: scenario: " + label + ": " + detail);
      err.flush();
      bar = new Console.ProgressBar(err, System.nanoTime(), "laws " + label, unit);
    }

    @Override
    public void reached(long done, long total) {
      bar.reached(done, total);
    }

    @Override
    public void finished(String label, double seconds) {
      bar.finish();
      err.println(String.format(Locale.ROOT, "laws: scenario: %s done, %.1f s", label, seconds));
      err.flush();
    }
  }

  // ----------------------------------------------------------------------------------------------------

  private static void print(PrintWriter stdout, StringBuilder summary, List<String> lines) throws IOException {
    for (String line : lines) {
      stdout.println(line);
      summary.append(line).append('\n');
    }
    // a table lost on the way to the terminal stops the run here, before the longer parts that follow
    StandardOutput.check(stdout);
  }

  private static byte[] csvBytes(CsvTable csv) {
    StringWriter w = new StringWriter();
    try {
      csv.writeTo(w);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString().getBytes(StandardCharsets.UTF_8);
  }
}
