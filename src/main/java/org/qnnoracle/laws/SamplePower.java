package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.ReducedExactPropagator;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveStability;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.StepSchedule;
import org.qnnoracle.stats.LinearFit;

/**
 * The sample law of online SGD for a long power-law teacher with label noise (proofs-notes/scaling-laws.md,
 * section 10), by two routes from one random start:
 *
 * <ul>
 *   <li>the formula: the best risk after n samples, min over c of R0(t) + kappa(t) c with t = n c / (d b), R0 and
 *       tr G the population flow's at t and kappa(t) the quasi-static excess slope {@link SampleLaw#excessSlope};
 *   <li>the effective ODE of SGD: its risk after n samples at each c of a grid around the formula's best c, the
 *       minimum refined by a parabola in log c.
 * </ul>
 *
 * and, as the documented schedule of the same law, eta_k = c0 (1 + k / k0)^-rho / d ({@link StepSchedule.Power},
 * rho = gamma / (1 + gamma), gamma = (2 alpha - 1) / alpha) on the effective ODE and through the same formula
 * (R0(t(n)) + kappa(t(n)) c(n)). The exponents are fitted over the sample window {@link #window}.
 *
 * @param flow the population flow behind the formula
 * @param samples the sample counts n (log-spaced)
 * @param formulaC the formula's best c at each n
 * @param formulaRisk the formula's best risk at each n
 * @param odeC the effective ODE's best c at each n (parabola vertex)
 * @param odeRisk the effective ODE's best risk at each n
 * @param odeInterior whether the ODE's best c lies inside its grid at n (not at an end of it)
 * @param scheduleOde the effective ODE's risk at n under the schedule
 * @param scheduleFormula the formula's risk at n under the schedule
 * @param window the indices of the sample window
 */
public record SamplePower(Settings settings, FlowCurve flow, double cCritical, double floor, double rho, double c0, double n0,
    double[] samples, double[] formulaC, double[] formulaRisk, double[] odeC, double[] odeRisk,
    boolean[] odeInterior, double[] scheduleOde, double[] scheduleFormula, int[] window, double seconds) {

  /** The window keeps the n whose best c is at most this share of the learned-mode critical c (first order). */
  public static final double FIRST_ORDER_SHARE = 1.0 / 8.0;
  /** The window keeps the n whose best risk is at least this many times the width floor 2 sum_{j>m} lambda_j^2. */
  public static final double FLOOR_MARGIN = 4.0;
  /** The window must span at least this factor in n (two decades). */
  public static final double MIN_SPAN = 100.0;
  /** Relative tolerance of the effective ODE. */
  public static final double ODE_RTOL = 1e-8;
  /** The ODE's c grid: this many points per factor 2 in c. */
  static final int GRID_PER_OCTAVE = 3;
  /** The ODE's c grid reaches this factor either side of the formula's best c at each n. */
  static final double GRID_REACH = 4.0;
  /** Output times of the flow behind the formula (interpolated in log-log between them). */
  static final int FLOW_POINTS = 400;

  /**
   * One run. Sample counts are log-spaced over [nLo, nHi]; d enters through the reduced start and the (1 + 5/d)
   * factors of the excess.
   */
  public record Settings(long d, int r, int m, double alpha, double s2, int batch, double sigma0, long seed,
      double nLo, double nHi, int points) {
    public Settings {
      require(alpha > 0.5, "the sample law is derived for alpha > 1/2, got " + alpha);
      require(m >= 1 && m <= r && r <= d, "the sample law needs 1 <= m <= r <= d, got m = " + m + ", r = " + r);
      require(s2 > 0.0 && Double.isFinite(s2), "the noise-limited sample law needs label noise s^2 > 0, got " + s2);
      require(batch >= 1, "batch must be >= 1, got " + batch);
      require(nLo > 0 && nHi > nLo && points >= 3, "the sample range needs 0 < nLo < nHi and 3 or more points");
    }
  }

  public SamplePower {
    samples = samples.clone();
    formulaC = formulaC.clone();
    formulaRisk = formulaRisk.clone();
    odeC = odeC.clone();
    odeRisk = odeRisk.clone();
    odeInterior = odeInterior.clone();
    scheduleOde = scheduleOde.clone();
    scheduleFormula = scheduleFormula.clone();
    window = window.clone();
  }

  /** gamma / (1 + gamma), gamma = (2 alpha - 1) / alpha: the asymptotic sample exponent's magnitude. */
  public static double asymptoticRho(double alpha) {
    double gamma = -ScalingLaws.timeExponent(alpha);
    return gamma / (1.0 + gamma);
  }

  /** The flow's risk and tr G on a log grid of times, interpolated in log-log between them. */
  public record FlowCurve(double[] times, double[] risk, double[] traceG) {
    public static FlowCurve of(double[] lambda, FlowState.Overlaps start, double tMax, int points) {
      double[] times = FlowRiskCurve.logGrid(1e-2, tMax, points);
      List<FlowState> states = ReducedExactPropagator.trajectory(lambda, start, times, FlowProgress.NONE);
      double[] risk = new double[times.length];
      double[] traceG = new double[times.length];
      for (int i = 0; i < times.length; i++) {
        FlowState.Overlaps s = (FlowState.Overlaps) states.get(i);
        FlowObservables o = FlowObservables.fromOverlaps(times[i], lambda, s.q(), s.p());
        risk[i] = o.risk();
        traceG[i] = o.traceM();
      }
      return new FlowCurve(times, risk, traceG);
    }

    public double riskAt(double t) {
      return FlowRiskCurve.logLogInterpolate(times, risk, t);
    }

    public double traceGAt(double t) {
      return FlowRiskCurve.logLogInterpolate(times, traceG, t);
    }

    /** The formula's risk at SGD time t with step constant c: R0(t) + kappa(t) c. */
    public double predictedRisk(double t, double c, long d, int batch, double s2) {
      return predictedRisk(t, c, d, batch, s2, 1.0);
    }

    /** The same with kappa multiplied by {@code kappaFactor} (1 for the formula; others are controls). */
    public double predictedRisk(double t, double c, long d, int batch, double s2, double kappaFactor) {
      double r0 = riskAt(t);
      return r0 + kappaFactor * c * SampleLaw.excessSlope(r0, traceGAt(t), d, batch, s2);
    }

    /**
     * The formula's best c after n samples, searched over [cMax 1e-5, cMax], with kappa multiplied by
     * {@code kappaFactor}: {c*, R*}.
     */
    public double[] best(double n, long d, int batch, double s2, double cMax, double kappaFactor) {
      double c = SampleLaw.argminLog(x -> predictedRisk(ScalingLaws.timeForSamples(n, x, d, batch), x, d, batch, s2,
          kappaFactor), cMax * 1e-5, cMax);
      return new double[] {c, predictedRisk(ScalingLaws.timeForSamples(n, c, d, batch), c, d, batch, s2,
          kappaFactor)};
    }
  }

  /** Runs both routes and the schedule. */
  public static SamplePower run(double[] lambda, FlowState.Overlaps start, Settings s) {
    long began = System.nanoTime();
    require(lambda.length == s.r(), "lambda has " + lambda.length + " entries, r = " + s.r());
    int d = Math.toIntExact(s.d());
    int b = s.batch();
    double cCrit = EffectiveStability.learnedModeCriticalC(lambda, d, b);
    double cMax = 0.5 * cCrit;
    double[] ns = FlowRiskCurve.logGrid(s.nLo(), s.nHi(), s.points());
    FlowCurve flow = FlowCurve.of(lambda, start, 1.1 * ScalingLaws.timeForSamples(s.nHi(), cMax, s.d(), b),
        FLOW_POINTS);

    // The formula's best c and risk at each n.
    double[] fc = new double[ns.length];
    double[] fr = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      double[] best = flow.best(ns[i], s.d(), b, s.s2(), cMax, 1.0);
      fc[i] = best[0];
      fr[i] = best[1];
    }

    // The effective ODE on a c grid covering [c*(n) / 4, 4 c*(n)] for every n; each c integrated only to the n
    // whose range holds it.
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0.0;
    for (double c : fc) {
      lo = Math.min(lo, c / GRID_REACH);
      hi = Math.max(hi, Math.min(c * GRID_REACH, cMax));
    }
    int count = (int) Math.ceil(Math.log(hi / lo) / Math.log(2.0) * GRID_PER_OCTAVE) + 1;
    double[] cs = FlowRiskCurve.logGrid(lo, hi, Math.max(count, 3));
    double[][] risk = new double[cs.length][ns.length];
    for (int k = 0; k < cs.length; k++) {
      double c = cs[k];
      List<Integer> which = new ArrayList<>();
      for (int i = 0; i < ns.length; i++) {
        risk[k][i] = Double.NaN;
        if (c >= fc[i] / GRID_REACH * (1 - 1e-12) && c <= fc[i] * GRID_REACH * (1 + 1e-12)) {
          which.add(i);
        }
      }
      if (which.isEmpty()) {
        continue;
      }
      double[] times = new double[which.size()];
      for (int j = 0; j < times.length; j++) {
        times[j] = ScalingLaws.timeForSamples(ns[which.get(j)], c, s.d(), b);
      }
      EffectiveTrajectory tr = EffectiveDynamics.scaledEta(lambda, d, b, s.s2(), c).solve(start, times, ODE_RTOL);
      for (int j = 0; j < times.length && j < tr.observables().size(); j++) {
        risk[k][which.get(j)] = tr.observables().get(j).risk();
      }
    }
    double[] oc = new double[ns.length];
    double[] or = new double[ns.length];
    boolean[] interior = new boolean[ns.length];
    for (int i = 0; i < ns.length; i++) {
      int at = -1;
      for (int k = 0; k < cs.length; k++) {
        if (!Double.isNaN(risk[k][i]) && (at < 0 || risk[k][i] < risk[at][i])) {
          at = k;
        }
      }
      require(at >= 0, "the effective ODE diverged at every c for n = " + ns[i]);
      interior[i] = at > 0 && at < cs.length - 1 && !Double.isNaN(risk[at - 1][i]) && !Double.isNaN(risk[at + 1][i]);
      if (interior[i]) {
        // Parabola through the three values in (log c, log R): its vertex.
        double h = Math.log(cs[1] / cs[0]);
        double ym = Math.log(risk[at - 1][i]);
        double y0 = Math.log(risk[at][i]);
        double yp = Math.log(risk[at + 1][i]);
        double curv = ym - 2 * y0 + yp;
        double shift = curv > 0 ? 0.5 * (ym - yp) / curv : 0.0;
        oc[i] = cs[at] * Math.exp(shift * h);
        or[i] = Math.exp(y0 - 0.125 * (ym - yp) * (ym - yp) / Math.max(curv, 1e-300));
      } else {
        oc[i] = cs[at];
        or[i] = risk[at][i];
      }
    }

    int[] window = window(ns, fc, fr, cCrit, ScalingLaws.tailRisk(lambda, s.m()));
    require(window.length >= 3 && ns[window[window.length - 1]] / ns[window[0]] >= MIN_SPAN * (1 - 1e-9),
        String.format(Locale.ROOT, "the sample window (best c <= c_crit / 8 = %.4g, best risk >= 4 x the width "
            + "floor %.4g) spans %s of n in [%.3g, %.3g]: fewer than two decades; widen the n range, raise s^2 or m",
            cCrit * FIRST_ORDER_SHARE, ScalingLaws.tailRisk(lambda, s.m()), window.length == 0 ? "none"
                : String.format(Locale.ROOT, "%.3g .. %.3g", ns[window[0]], ns[window[window.length - 1]]),
            s.nLo(), s.nHi()));

    // The schedule: c0 the window's first-order limit, k0 the steps to the window's start.
    double rho = asymptoticRho(s.alpha());
    double c0 = cCrit * FIRST_ORDER_SHARE;
    double n0 = ns[window[0]];
    StepSchedule.Power schedule = new StepSchedule.Power(c0 / s.d(), n0 / b, rho);
    double[] st = new double[ns.length];
    double[] sf = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      double steps = ns[i] / b;
      st[i] = schedule.timeAfterSteps(steps);
      sf[i] = flow.predictedRisk(st[i], schedule.eta(Math.round(steps)) * s.d(), s.d(), b, s.s2());
    }
    EffectiveTrajectory str = EffectiveDynamics.of(lambda, d, b, s.s2(), schedule).solve(start, st, ODE_RTOL);
    require(!str.diverged(), "the effective ODE diverged under the schedule (c0 = " + c0 + ")");
    double[] so = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      so[i] = str.observables().get(i).risk();
    }
    return new SamplePower(s, flow, cCrit, ScalingLaws.tailRisk(lambda, s.m()), rho, c0, n0, ns, fc, fr, oc, or,
        interior, so, sf, window, (System.nanoTime() - began) / 1e9);
  }

  /**
   * The sample window, the documented rule (never chosen by eye): the n beyond the last whose formula best c
   * exceeds c_crit / 8 (from there on the excess is first order in c; the learned-mode critical c of
   * EffectiveStability; before the first escape the best c is small too, which is why the window starts after the
   * last exceedance, not at the first n below) and whose formula best risk is at least 4 times the width floor
   * (the student's width does not yet bend the law).
   */
  static int[] window(double[] ns, double[] bestC, double[] bestRisk, double cCrit, double floor) {
    int first = 0;
    for (int i = 0; i < ns.length; i++) {
      if (bestC[i] > FIRST_ORDER_SHARE * cCrit) {
        first = i + 1;
      }
    }
    List<Integer> keep = new ArrayList<>();
    for (int i = first; i < ns.length; i++) {
      if (bestRisk[i] >= FLOOR_MARGIN * floor) {
        keep.add(i);
      }
    }
    return keep.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The formula's best risk at each window n with kappa multiplied by {@code kappaFactor} (a control). */
  public double[] formulaRisk(double kappaFactor) {
    double[] out = formulaRisk.clone();
    for (int i : window) {
      out[i] = flow.best(samples[i], settings.d(), settings.batch(), settings.s2(), 0.5 * cCritical, kappaFactor)[1];
    }
    return out;
  }

  /** The log-log fit of {@code y} against n over the window. */
  public LinearFit fit(double[] y) {
    double[] x = new double[window.length];
    double[] v = new double[window.length];
    for (int k = 0; k < window.length; k++) {
      x[k] = samples[window[k]];
      v[k] = y[window[k]];
    }
    return LinearFit.logLog(x, v);
  }

  /** The largest |a / b - 1| over the window. */
  public double worstRatio(double[] a, double[] b) {
    double worst = 0.0;
    for (int i : window) {
      worst = Math.max(worst, Math.abs(a[i] / b[i] - 1.0));
    }
    return worst;
  }

  @Override
  public double[] samples() {
    return samples.clone();
  }

  @Override
  public double[] formulaC() {
    return formulaC.clone();
  }

  @Override
  public double[] formulaRisk() {
    return formulaRisk.clone();
  }

  @Override
  public double[] odeC() {
    return odeC.clone();
  }

  @Override
  public double[] odeRisk() {
    return odeRisk.clone();
  }

  @Override
  public boolean[] odeInterior() {
    return odeInterior.clone();
  }

  @Override
  public double[] scheduleOde() {
    return scheduleOde.clone();
  }

  @Override
  public double[] scheduleFormula() {
    return scheduleFormula.clone();
  }

  @Override
  public int[] window() {
    return window.clone();
  }
}
