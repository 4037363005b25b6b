package org.qnnoracle.cli;

import org.qnnoracle.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Risk;
import org.qnnoracle.sgd.ReplaySamples;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdStudy;
import org.qnnoracle.sgd.SgdSummary;
import org.qnnoracle.sgd.StepGrid;
import org.qnnoracle.sgd.StepSchedule;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle sgd}: online SGD on one instance, replicas on independent sample streams, written as a
 * CSV of risk and overlaps over SGD time (mean and spread over replicas), optionally beside the effective
 * dynamics and the population flow. Every argument and the output location are checked before the first
 * step, so a mistake costs milliseconds and never leaves a file behind.
 */
@Command(
    name = "sgd",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Run online SGD on one instance and write risk and overlaps over time as CSV.",
    descriptionHeading = "%n",
    description = {
      "Builds the instance of --d --r --m --alpha --norm --basis --sigma0 --seed (as for 'flow'), then runs "
          + "online (one-pass) SGD: each step draws b fresh samples x ~ N(0, I_d) with labels "
          + "y = f*(x) + eps, eps ~ N(0, s^2), and applies W <- W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W, "
          + "e_i = f(x_i; W) - y_i, at O(b d m) cost per step. SGD time is t = sum of the step sizes "
          + "(t = k eta after k steps at constant eta) and n = k b samples are used. Replicas share the "
          + "instance and draw their samples from independent streams of the seed (stream sgd-samples-i); "
          + "the numbers do not depend on --threads.",
      "",
      "Each CSV row is one output time: t, step, samples, replicas_alive, risk_mean, risk_sd, risk_min, "
          + "risk_max, normalised_risk_mean, overlap_1..overlap_r (mean of theta_j^T M theta_j). With "
          + "--effective, also effective_risk, effective_overlap_1..r (the effective ODE in overlap "
          + "coordinates, which carries the eta correction) and flow_risk (the population gradient flow, "
          + "eta -> 0). A replica whose |W|_F^2 explodes or turns non-finite stops: divergence is "
          + "reported (stderr and replicas_alive), not a crash; empty cells mean no value.",
      ""
    },
    optionListHeading = "Options:%n",
    footer = {
      "",
      "Exit codes: 0 success (also when replicas diverged: that is a result); 2 invalid arguments, a run "
          + "too large to finish, a malformed replay file, an unusable output path or standard output; "
          + "3 internal error."
    })
final class SgdCommand implements Callable<Integer> {
  /** eta = c / d by default: the natural high-dimensional scaling (the eta^2 term of the drift grows like eta d). */
  static final double DEFAULT_C = 0.05;

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  StepSize stepSize;

  static final class StepSize {
    @Option(names = "--c", paramLabel = "C", order = 20,
        description = "Step size eta = C / d (default C = " + DEFAULT_C + ", well below the blow-up "
            + "threshold; see the README).")
    Double c;

    @Option(names = "--eta", paramLabel = "ETA", order = 21, description = "Step size eta, directly.")
    Double eta;
  }

  @Option(names = "--schedule", defaultValue = "constant", paramLabel = "constant|inverse:K0|power:K0:RHO",
      order = 22, description = "Step-size schedule: constant, inverse:K0 for eta_k = eta / (1 + k / K0), or "
          + "power:K0:RHO for eta_k = eta (1 + k / K0)^-RHO, 0 < RHO < 1. "
          + "Default: ${DEFAULT-VALUE}.")
  String schedule;

  @Option(names = "--batch", defaultValue = "1", paramLabel = "B", order = 23,
      description = "Minibatch size b (fresh samples per step); b >= 1. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--noise", defaultValue = "0", paramLabel = "S", order = 24,
      description = "Label-noise standard deviation s (eps ~ N(0, s^2)); s >= 0. Default: ${DEFAULT-VALUE}.")
  double noise;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Horizon horizon;

  static final class Horizon {
    @Option(names = "--t-max", paramLabel = "T", order = 25,
        description = "Last output time in SGD time t; t-max > 0 (default 10).")
    Double tMax;

    @Option(names = "--steps", paramLabel = "K", order = 26,
        description = "Number of SGD steps to run; K >= 1 (at most 1e12 samples: K b <= 1e12).")
    Long steps;
  }

  @Option(names = "--points", defaultValue = "51", paramLabel = "N", order = 27,
      description = "Number of output times, equally spaced in t over [0, t-max] (both ends included) and "
          + "rounded to whole steps; times that round to the same step give one row, so a run of K steps writes "
          + "at most K + 1 rows (--steps 5 writes 6 even with the default points). 2 <= points <= "
          + OptionBounds.MAX_POINTS + ". Default: ${DEFAULT-VALUE}.")
  int points;

  @Option(names = "--replicas", defaultValue = "1", paramLabel = "R", order = 28,
      description = "Independent SGD runs from the same instance; 1 <= R <= 10000. Default: ${DEFAULT-VALUE}.")
  int replicas;

  @Option(names = "--threads", paramLabel = "T", order = 29,
      description = "Threads for the replicas. Default: the number of processors.")
  Integer threads;

  @Option(names = "--replay", paramLabel = "FILE", order = 30,
      description = "Read the samples from FILE instead of drawing them (one replica): lines "
          + "x_1,...,x_d,eps; '#' lines are comments; consecutive lines form the minibatches.")
  Path replay;

  @Option(names = "--effective", order = 31,
      description = "Also solve the effective ODE (with the eta correction) and the population flow, "
          + "and add their columns.")
  boolean effective;

  @Option(names = "--rtol", defaultValue = "1e-10", paramLabel = "X", order = 32,
      description = "Relative tolerance of the effective ODE's integrator. Default: ${DEFAULT-VALUE}.")
  double rtol;

  @Option(names = "--out", paramLabel = "FILE.csv", order = 33,
      description = "Write the CSV to this file (replaced atomically; its directory must exist). "
          + "Default: standard output.")
  Path out;

  /** A validated command line. */
  record SgdRun(ModelSpec spec, StepSchedule schedule, long[] steps, double[] times, ReplaySamples replay) {}

  @Override
  public Integer call() throws IOException {
    SgdRun run = validate();
    Path target = out == null ? null : AtomicOutput.checkTarget(out);
    PrintWriter err = spec.commandLine().getErr();
    ModelSpec s = run.spec();
    int nReplicas = run.replay() == null ? replicas : 1;
    err.println(String.format(Locale.ROOT,
        "sgd: d=%d r=%d m=%d alpha=%s sigma0=%s seed=%d, eta=%s (%s), b=%d, s=%s, %d steps, %d replica%s%s",
        s.d(), s.r(), s.m(), Console.fmt(s.alpha()), Console.fmt(s.sigma0()), s.seed(),
        Console.fmt(run.schedule().eta0()), run.schedule().describe(), batch, Console.fmt(noise),
        run.steps()[run.steps().length - 1], nReplicas, nReplicas == 1 ? "" : "s",
        run.replay() == null ? "" : ", samples from " + replay));
    long start = System.nanoTime();
    Instance instance = s.instance();
    SgdRunner.Plan plan = new SgdRunner.Plan(instance, run.schedule(), batch, noise, run.steps(), nReplicas,
        s.seed());
    int nThreads = OptionBounds.threads(threads);
    Console.ProgressBar bar = new Console.ProgressBar(err, start, "sgd", "steps");
    SgdStudy.Result result = SgdStudy.run(plan, nThreads, bar, run.replay(), run.times(),
        effective ? rtol : Double.NaN);
    bar.finish();
    SgdSummary summary = result.summary();
    List<SgdRunner.Replica> results = result.replicas();
    List<FlowObservables> eff = result.effective();
    List<FlowObservables> flow = result.flow();
    CsvTable csv = table(summary, run.times(), instance, batch, eff, flow);
    if (target == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      csv.writeTo(stdout);
      StandardOutput.check(stdout);
    } else {
      AtomicOutput.write(target, csv::writeTo);
    }
    for (SgdRunner.Replica rep : results) {
      if (rep.diverged()) {
        err.println(String.format(Locale.ROOT, "sgd: replica %d diverged after step %d (|W|_F^2 exploded)",
            rep.index(), rep.divergedAt()));
      }
    }
    SgdSummary.Row last = summary.rows().get(summary.rows().size() - 1);
    err.println(String.format(Locale.ROOT, "sgd: %d of %d replicas ran to the end; final mean risk %s at t = %s, "
        + "%.3f s%s", summary.replicas() - summary.diverged(), summary.replicas(),
        Double.isNaN(last.riskMean()) ? "-" : String.format(Locale.ROOT, "%.6g", last.riskMean()),
        Console.fmt(run.times()[run.times().length - 1]), (System.nanoTime() - start) / 1e9,
        target == null ? "" : "; wrote " + out));
    return Console.EXIT_OK;
  }

  /** Every check on the arguments, in one place, before anything is computed or written. */
  SgdRun validate() {
    ModelSpec modelSpec = model.toSpec();
    int d = modelSpec.d();
    InvalidInputException.require(batch >= 1, "--batch must be at least 1, got " + batch);
    InvalidInputException.require(noise >= 0, "--noise must be >= 0, got " + noise);
    OptionBounds.requireReplicas(replicas);
    OptionBounds.requireThreads(threads);
    OptionBounds.requirePoints("--points", points, 2);
    double eta;
    if (stepSize != null && stepSize.eta != null) {
      eta = stepSize.eta;
      InvalidInputException.require(eta > 0, "--eta must be > 0, got " + eta);
    } else {
      double c = stepSize != null && stepSize.c != null ? stepSize.c : DEFAULT_C;
      InvalidInputException.require(c > 0, "--c must be > 0, got " + c);
      eta = c / d;
    }
    StepSchedule sched = StepSchedule.parse(schedule, eta);
    FlowMethod.checkRtol(rtol);
    double maxSteps = OptionBounds.MAX_SGD_SAMPLES / batch;
    long[] grid;
    if (horizon != null && horizon.steps != null) {
      long total = horizon.steps;
      InvalidInputException.require(total >= 1, "--steps must be at least 1, got " + total);
      InvalidInputException.require(total <= maxSteps, "--steps " + total + " of batch " + batch
          + " would draw more than 1e12 samples");
      grid = StepGrid.evenSteps(total, points);
    } else {
      double tMax = horizon != null && horizon.tMax != null ? horizon.tMax : 10.0;
      OptionBounds.requirePositiveHorizon("--t-max", tMax);
      requireReachable(sched, tMax, maxSteps);
      grid = StepGrid.stepsForUniformTimes(sched, tMax, points);
      InvalidInputException.require(grid[grid.length - 1] >= 1, "--t-max " + Console.fmt(tMax)
          + " is less than half a step (eta = " + Console.fmt(eta) + "): the run would take no step");
    }
    long total = grid[grid.length - 1];
    InvalidInputException.require(total <= maxSteps,
        "the run needs " + total + " steps of batch " + batch + ": more than 1e12 samples");
    // More output times than steps round to the same step several times; each step is written once (and
    // equally spaced times over a run of K steps give every step from 0 to K when points >= K + 1): the grids
    // above have no repeats.
    long[] steps = grid;
    double[] times = StepGrid.timesOfSteps(sched, steps);
    int nReplicas = replay == null ? replicas : 1;
    OptionBounds.requireSgdFits("sgd", new OptionBounds.SgdSize(d, modelSpec.r(), modelSpec.m(), batch,
        Math.min(nReplicas, OptionBounds.threads(threads)), nReplicas,
        steps.length, effective, replay == null ? 0.0 : (double) total * batch));
    ReplaySamples samples = null;
    if (replay != null) {
      InvalidInputException.require(replicas == 1, "--replay runs one replica; drop --replicas");
      samples = ReplaySamples.read(replay, d);
      InvalidInputException.require((long) samples.size() >= total * batch, "the replay file " + replay
          + " holds " + samples.size() + " samples; the run needs " + total * batch + " (" + total
          + " steps of batch " + batch + ")");
    }
    return new SgdRun(modelSpec, sched, steps, times, samples);
  }

  /**
   * Refuses, before any step is counted, a horizon the schedule reaches only after more than {@code maxSteps}
   * steps. With eta_k = eta0 / (1 + k / k0) SGD time grows only like eta0 k0 log(k): since the steps decrease,
   * t_k = sum_{i < k} eta_i <= eta0 + eta0 k0 log(1 + (k - 1) / k0), so t-max takes at least
   * k0 (exp((t-max - eta0) / (eta0 k0)) - 1) steps; counting them one by one (stepsForTimes) would not end.
   */
  static void requireReachable(StepSchedule schedule, double tMax, double maxSteps) {
    if (schedule instanceof StepSchedule.Inverse inv) {
      double exponent = Math.max(0.0, tMax - inv.eta0()) / (inv.eta0() * inv.k0());
      double log10Steps = Math.log10(inv.k0()) + Math.log10(-Math.expm1(-exponent)) + exponent / Math.log(10);
      InvalidInputException.require(log10Steps <= Math.log10(maxSteps), String.format(Locale.ROOT,
          "--t-max %s takes at least 10^%.1f steps with --schedule %s (SGD time grows like eta k0 log(k)): "
              + "more than 1e12 samples; lower --t-max, raise K0 or give --steps",
          Console.fmt(tMax), log10Steps, inv.describe()));
    }
    if (schedule instanceof StepSchedule.Power pow) {
      double log10Steps = pow.log10StepsToReach(tMax);
      InvalidInputException.require(log10Steps <= Math.log10(maxSteps), String.format(Locale.ROOT,
          "--t-max %s takes about 10^%.1f steps with --schedule %s (SGD time grows like k^(1 - rho)): "
              + "more than 1e12 samples; lower --t-max, raise K0 or give --steps",
          Console.fmt(tMax), log10Steps, pow.describe()));
    }
  }

  private static CsvTable table(SgdSummary summary, double[] times, Instance instance, int batch,
      List<FlowObservables> eff,
      List<FlowObservables> flow) {
    List<SgdSummary.Row> rows = summary.rows();
    CsvTable.Columns c = new CsvTable.Columns(rows.size())
        // the planned time of the output step (exactly k eta at constant eta), not a running sum
        .add("t", i -> times[i])
        .addCount("step", i -> rows.get(i).step())
        .addCount("samples", i -> (double) rows.get(i).step() * batch)
        .addCount("replicas_alive", i -> rows.get(i).alive())
        .add("risk_mean", i -> rows.get(i).riskMean())
        .add("risk_sd", i -> rows.get(i).riskSd())
        .add("risk_min", i -> rows.get(i).riskMin())
        .add("risk_max", i -> rows.get(i).riskMax())
        .add("normalised_risk_mean", i -> Double.isNaN(rows.get(i).riskMean())
            ? Double.NaN : Risk.normalised(rows.get(i).riskMean(), instance.teacher()));
    for (int j = 0; j < instance.r(); j++) {
      int jj = j;
      c.add("overlap_" + (j + 1), i -> jj < rows.get(i).overlapMean().length ? rows.get(i).overlapMean()[jj]
          : Double.NaN);
    }
    if (eff != null) {
      // the effective ODE's rows end where it blows up; the cells after that stay empty
      c.add("effective_risk", i -> i < eff.size() ? eff.get(i).risk() : Double.NaN);
      for (int j = 0; j < instance.r(); j++) {
        int jj = j;
        c.add("effective_overlap_" + (j + 1), i -> i < eff.size() && jj < eff.get(i).directionOverlaps().length
            ? eff.get(i).directionOverlaps()[jj] : Double.NaN);
      }
      c.add("flow_risk", i -> flow.get(i).risk());
    }
    return c.table();
  }
}
