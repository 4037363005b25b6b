package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.List;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveStability;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdSummary;
import org.qnnoracle.stats.LinearFit;

/**
 * The noise-limited sample law on online SGD itself (proofs-notes/scaling-laws.md, section 10, the SGD route):
 * replicas of SGD with label noise under the law's schedule eta_k = b c0 (1 + k b / n0)^-rho / d
 * ({@link org.qnnoracle.sgd.StepSchedule.Power}; at batch b the same n reaches the same SGD time as batch 1 at
 * c0, since t = n c / (d b)), beside the effective ODE at the same batch and schedule from the same W0. c0 is the
 * sample window's first-order limit c_crit / 8 of batch 1 and n0 the samples at which the formula's best c falls
 * to it (the window's start, {@link SamplePower}).
 *
 * @param samples the output sample counts (whole steps times b)
 * @param mean the replicas' mean risk at each output
 * @param standardError the standard error of that mean
 * @param ode the effective ODE's risk at each output
 * @param flow the population flow's risk at the same SGD times (no noise excess: the control)
 */
public record SamplePowerSgd(int d, int r, int m, double alpha, double s2, int batch, long seed, int replicas,
    double c0, double n0, double rho, long[] samples, double[] mean, double[] standardError, double[] ode,
    double[] flow, double seconds) {

  public SamplePowerSgd {
    samples = samples.clone();
    mean = mean.clone();
    standardError = standardError.clone();
    ode = ode.clone();
    flow = flow.clone();
  }

  /**
   * Runs the replicas to {@code span} times the window's start, with {@code points} log-spaced outputs from the
   * start.
   */
  public static SamplePowerSgd run(int d, int r, int m, double alpha, double s2, int batch, double sigma0, long seed,
      int replicas, int threads, double span, int points) {
    long began = System.nanoTime();
    require(replicas >= 2, "standard errors need 2 or more replicas, got " + replicas);
    Instance instance = ModelSpec.of(d, r, m, alpha, sigma0, seed).instance();
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    FlowState.Overlaps start = FlowMethod.initialOverlaps(instance);
    double cCrit = EffectiveStability.learnedModeCriticalC(lambda, d, 1);
    double c0 = SamplePower.FIRST_ORDER_SHARE * cCrit;
    require(batch * c0 <= 0.5 * EffectiveStability.learnedModeCriticalC(lambda, d, batch),
        "batch " + batch + " puts b c0 above half its learned-mode critical c: no first-order window");
    double n0 = windowStart(lambda, start, d, s2, cCrit);
    double rho = SamplePower.asymptoticRho(alpha);
    org.qnnoracle.sgd.StepSchedule.Power schedule =
        new org.qnnoracle.sgd.StepSchedule.Power(batch * c0 / d, n0 / batch, rho);
    double[] grid = FlowRiskCurve.logGrid(n0, span * n0, points);
    long[] steps = new long[points];
    long[] samples = new long[points];
    double[] times = new double[points];
    for (int i = 0; i < points; i++) {
      steps[i] = Math.max(1L, Math.round(grid[i] / batch));
      samples[i] = steps[i] * batch;
      times[i] = schedule.timeAfterSteps(steps[i]);
    }
    SgdRunner.Plan plan = new SgdRunner.Plan(instance, schedule, batch, Math.sqrt(s2), steps, replicas,
        org.qnnoracle.model.Seeds.derive(seed, "sample-power-sgd-b" + batch));
    List<SgdRunner.Replica> reps = SgdRunner.run(plan, threads, SgdProgress.NONE);
    for (SgdRunner.Replica rep : reps) {
      require(!rep.diverged(), "online SGD diverged under the sample-law schedule (replica " + rep.index() + ")");
    }
    // The replicas' mean and standard deviation per output: the one aggregation of replicas (SgdSummary).
    List<SgdSummary.Row> rows = SgdSummary.of(reps, steps).rows();
    double[] mean = new double[points];
    double[] se = new double[points];
    for (int i = 0; i < points; i++) {
      mean[i] = rows.get(i).riskMean();
      se[i] = rows.get(i).riskSd() / Math.sqrt(rows.get(i).alive());
    }
    EffectiveTrajectory tr = EffectiveDynamics.of(lambda, d, batch, s2, schedule).solve(start, times,
        SamplePower.ODE_RTOL);
    require(!tr.diverged(), "the effective ODE diverged under the sample-law schedule");
    double[] ode = new double[points];
    for (int i = 0; i < points; i++) {
      ode[i] = tr.observables().get(i).risk();
    }
    double[] flow = FlowRiskCurve.risk(lambda, start, times, org.qnnoracle.flow.FlowProgress.NONE);
    return new SamplePowerSgd(d, r, m, alpha, s2, batch, seed, replicas, c0, n0, rho, samples, mean, se, ode, flow,
        (System.nanoTime() - began) / 1e9);
  }

  /**
   * The samples after which the formula's best c (batch 1) stays at or below c_crit / 8 (before the first
   * escape it is small too: on the plateau a larger c buys nothing), on a scan of 40 log-spaced n per
   * decade over [d, 1e5 d] (to 6%: the schedule only needs a start of the right size).
   */
  static double windowStart(double[] lambda, FlowState.Overlaps start, int d, double s2, double cCrit) {
    double cMax = 0.5 * cCrit;
    double limit = SamplePower.FIRST_ORDER_SHARE * cCrit;
    // The best c falls with n; t = n c / d at the first-order limit bounds the flow's horizon.
    double nMax = 1e5 * d;
    SamplePower.FlowCurve flow = SamplePower.FlowCurve.of(lambda, start,
        1.1 * ScalingLaws.timeForSamples(nMax, cMax, d, 1), SamplePower.FLOW_POINTS);
    double[] ns = FlowRiskCurve.logGrid(d, nMax, 5 * 40 + 1);
    int last = -1;
    for (int i = 0; i < ns.length; i++) {
      if (flow.best(ns[i], d, 1, s2, cMax, 1.0)[0] > limit) {
        last = i;
      }
    }
    require(last >= 0 && last < ns.length - 1, "the formula's best c does not cross c_crit / 8 in n = [d, 1e5 d]");
    return ns[last + 1];
  }

  /** The log-log fit of the replicas' mean risk against n. */
  public LinearFit sgdFit() {
    return LinearFit.logLog(java.util.Arrays.stream(samples).asDoubleStream().toArray(), mean);
  }

  /** The log-log fit of the effective ODE's risk against n. */
  public LinearFit odeFit() {
    return LinearFit.logLog(java.util.Arrays.stream(samples).asDoubleStream().toArray(), ode);
  }

  @Override
  public long[] samples() {
    return samples.clone();
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] standardError() {
    return standardError.clone();
  }

  @Override
  public double[] ode() {
    return ode.clone();
  }

  @Override
  public double[] flow() {
    return flow.clone();
  }
}
