package org.qnnoracle.laws;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdSummary;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The sample law of online SGD measured at one (d, r, m), batch 1, no label noise: the predicted best risk after
 * n samples, min over c of R_flow(n c / d) + kappa c ({@link SampleLaw}), beside online SGD at eta = c / d for a
 * few c (replicas averaged) and the effective ODE at the same c.
 *
 * @param samples the output sample counts n (log-spaced, distinct)
 * @param cStar the predicted best c at each n
 * @param predicted the predicted best risk at each n
 * @param cs the c of the SGD runs
 * @param sgdMean [c][n]: the mean SGD risk over the replicas (NaN where none is left)
 * @param odeRisk [c][n]: the effective ODE's risk (NaN past a divergence)
 */
public record SampleLawRun(int d, int r, int m, double alpha, double kappa, double cMax, double floor,
    long[] samples, double[] cStar, double[] predicted, double[] cs, double[][] sgdMean, double[][] odeRisk) {

  /** Output sample counts (log-spaced, distinct; fewer when the range is narrow). */
  public static final int POINTS = 30;
  /** Relative tolerance of the effective ODE: risks to about 1e-6 relative. */
  public static final double ODE_RTOL = 1e-7;
  /** Smallest c of the best-c search. */
  public static final double C_MIN = 1e-4;
  /** Output times of the flow's risk curve behind the prediction (interpolated in log-log between them). */
  static final int FLOW_POINTS = 400;

  /**
   * One sample-law run: the instance of ModelSpec.of(d, r, m, alpha, sigma0, seed), SGD replicas over
   * {@code threads} threads, and the c of the SGD runs ({@code cList}, or null for three values spanning the
   * predicted best c where an escape is possible).
   */
  public record Settings(int d, int r, int m, double alpha, double sigma0, long seed, int replicas, int threads,
      double[] cList) {}

  /**
   * The range of c searched, [{@link #C_MIN}, cMax], and the sample budgets: from nLo, half the first escape at
   * c = cMax, up to nHi, the budget at which c = cMax / 20 still reaches the late time (the best c has fallen
   * well below cMax there). cMax is a stability search of seconds, so a caller computes it once.
   */
  public record Budgets(double cMax, double nLo, double nHi) {}

  /** What a run reports while it runs (on the command line: stderr lines and a progress bar). */
  public interface Listener {
    Listener NONE = new Listener() {};

    /** The SGD replicas at c start, to {@code steps} steps; the returned progress receives their steps. */
    default SgdProgress sgdStarted(double c, long steps) {
      return SgdProgress.NONE;
    }

    /** The SGD replicas at c have finished. */
    default void sgdFinished(double c) {}

    /**
     * Some of the SGD replicas at c diverged ({@code diverged} of {@code replicas}), or the effective ODE did
     * (then {@code odeDivergenceTime} is its divergence time, else NaN).
     */
    default void diverged(double c, int diverged, int replicas, boolean odeDiverged, double odeDivergenceTime) {}
  }

  public SampleLawRun {
    samples = samples.clone();
    cStar = cStar.clone();
    predicted = predicted.clone();
    cs = cs.clone();
  }

  /** The budgets of {@link Budgets} for the spectrum of (r, alpha) at width m, dimension d, start scale sigma0. */
  public static Budgets budgets(int d, int r, int m, double alpha, double sigma0) {
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    double cMax = SampleLaw.searchCeiling(lambda, m, d, 1, 0.0);
    double mu0 = EscapeTimes.meanInitialOverlap(m, sigma0, d);
    double t1 = EscapeTimes.leading(lambda[0], mu0);
    int last = Math.min(m, r) - 1;
    double gap = m < r ? lambda[last] - lambda[last + 1] : lambda[last];
    double tLate = Math.max(t1, EscapeTimes.leading(lambda[last], mu0)) + 20.0 / (8.0 * gap);
    return new Budgets(cMax, ScalingLaws.samplesForTime(0.5 * t1, cMax, d, 1),
        20.0 * ScalingLaws.samplesForTime(tLate, cMax, d, 1));
  }

  /** Runs the prediction, then SGD and the effective ODE at each c, with the budgets of {@link #budgets}. */
  public static SampleLawRun run(Settings s, Budgets budgets, Listener listener) {
    int d = s.d();
    int r = s.r();
    int mm = s.m();
    double a = s.alpha();
    double[] lambda = ScalingLaws.lambdas(r, a);
    Instance instance = ModelSpec.of(d, r, mm, a, s.sigma0(), s.seed()).instance();
    FlowState.Overlaps start = FlowMethod.initialOverlaps(instance);
    double kappa = SampleLaw.excessSlope(lambda, mm, d, 1, 0.0);
    double cMax = budgets.cMax();
    double floor = mm < r ? ScalingLaws.tailRisk(lambda, mm) : 0.0;
    double nLo = budgets.nLo();
    double nHi = budgets.nHi();
    // R0 on a fine log grid over every time the search can ask for
    DoubleUnaryOperator r0 = FlowRiskCurve.interpolant(lambda, start, C_MIN * nLo / d, 1.01 * nHi * cMax / d,
        FLOW_POINTS);

    long[] ns = logSpacedCounts(nLo, nHi, POINTS);
    double[] n = Arrays.stream(ns).asDoubleStream().toArray();
    double[] cStar = new double[ns.length];
    double[] predicted = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      cStar[i] = SampleLaw.bestC(r0, kappa, n[i], d, 1, C_MIN, cMax);
      predicted[i] = SampleLaw.predictedRisk(r0, kappa, n[i], cStar[i], d, 1);
    }
    double[] cs;
    if (s.cList() != null) {
      cs = s.cList().clone();
    } else {
      // Only budgets at which an escape is possible say anything about c: before it every c leaves R0 = R(0)
      // and the kappa c term alone pushes c* to the bottom of the range.
      double r00 = r0.applyAsDouble(0.0);
      double lo = Double.POSITIVE_INFINITY;
      double hi = 0.0;
      for (int i = 0; i < ns.length; i++) {
        if (predicted[i] < 0.9 * r00) {
          lo = Math.min(lo, cStar[i]);
          hi = Math.max(hi, cStar[i]);
        }
      }
      if (hi == 0.0) {
        lo = cMax / 20;
        hi = cMax;
      }
      cs = new double[] {round2(hi), round2(Math.sqrt(lo * hi)), round2(lo)};
      cs = Arrays.stream(cs).distinct().toArray();
    }
    double[][] sgdMean = new double[cs.length][];
    double[][] odeRisk = new double[cs.length][];
    for (int k = 0; k < cs.length; k++) {
      double c = cs[k];
      SgdProgress progress = listener.sgdStarted(c, ns[ns.length - 1]);
      SgdRunner.Plan plan = new SgdRunner.Plan(instance, new StepSchedule.Constant(c / d), 1, 0.0, ns, s.replicas(),
          s.seed());
      List<SgdRunner.Replica> reps = SgdRunner.run(plan, s.threads(), progress);
      listener.sgdFinished(c);
      SgdSummary sum = SgdSummary.of(reps, ns);
      sgdMean[k] = new double[ns.length];
      for (int i = 0; i < ns.length; i++) {
        sgdMean[k][i] = sum.rows().get(i).riskMean();
      }
      double[] times = new double[ns.length];
      for (int i = 0; i < ns.length; i++) {
        times[i] = ScalingLaws.timeForSamples(n[i], c, d, 1);
      }
      EffectiveTrajectory traj = EffectiveDynamics.scaledEta(lambda, d, 1, 0.0, c).solve(start, times, ODE_RTOL);
      odeRisk[k] = new double[ns.length];
      Arrays.fill(odeRisk[k], Double.NaN);
      for (int i = 0; i < traj.observables().size(); i++) {
        odeRisk[k][i] = traj.observables().get(i).risk();
      }
      if (sum.diverged() > 0 || traj.diverged()) {
        listener.diverged(c, sum.diverged(), s.replicas(), traj.diverged(),
            traj.diverged() ? traj.divergenceTime() : Double.NaN);
      }
    }
    return new SampleLawRun(d, r, mm, a, kappa, cMax, floor, ns, cStar, predicted, cs, sgdMean, odeRisk);
  }

  /** The sample counts as doubles (for plots and tables). */
  public double[] sampleCounts() {
    return Arrays.stream(samples).asDoubleStream().toArray();
  }

  /** x to two significant digits: the default c of the SGD runs are round numbers. */
  static double round2(double x) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.2g", x));
  }

  /** About {@code count} distinct whole numbers from lo to hi, geometrically spaced. */
  static long[] logSpacedCounts(double lo, double hi, int count) {
    TreeSet<Long> set = new TreeSet<>();
    double a = Math.max(1.0, lo);
    double b = Math.max(a * 1.01, hi);
    for (int i = 0; i < count; i++) {
      set.add(Math.max(1L, Math.round(a * Math.pow(b / a, i / (count - 1.0)))));
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }
}
