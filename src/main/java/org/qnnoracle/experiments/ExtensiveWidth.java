package org.qnnoracle.experiments;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.StepGrid;
import org.qnnoracle.sgd.StepSchedule;
import org.qnnoracle.stats.LinearFit;
import org.qnnoracle.stats.Parallel;

/**
 * Online SGD at extensive width and batch b = d against its effective ODE and the population flow: the
 * sweep derived in proofs-notes/extensive-width.md (the claim that asserts on it lives in claims/). For each d the
 * teacher has rank r = round(ratio d), the student width m = r, alpha as given, and SGD runs with b = d
 * samples per step and the constant step eta = c b / d = c (so SGD time t = k eta = k c) from the model's
 * random start W0 ~ N(0, sigma0^2 / d) (Haar teacher). The replicas at one d share the instance and draw
 * independent sample streams ({@link SgdRunner}); the effective ODE ({@link EffectiveDynamics} with
 * eta = c, batch d) and the exact population flow ({@link FlowMethod#REDUCED}) start from the same
 * (Q0, P0). Besides, the iterated exact mean step (the "mean map", {@link #meanMap}) is computed as a
 * diagnostic: it is what SGD's conditional mean does step by step, without the continuum limit.
 *
 * <p>Every replica, reference and d is one task of a pool whose results are stored by index, so the numbers
 * do not depend on the thread count.
 */
public final class ExtensiveWidth {
  private ExtensiveWidth() {}

  /**
   * The sweep: width ratio r / d (r = m = round(ratio d)), alpha, step constant c (eta = c at b = d), init
   * scale sigma0, dimensions, replicas per d, output grid of {@code intervals} equal steps over [0, tMax]
   * (SGD time), the ODE's rtol, the base seed and the thread count; {@code meanMap} adds the mean-map
   * diagnostic.
   */
  public record Setup(double ratio, double alpha, double c, double sigma0, int[] dims, int replicas, double tMax,
      int intervals, double rtol, long seed, int threads, boolean meanMap) {
    public Setup {
      require(ratio > 0.0 && ratio <= 1.0, "width ratio must lie in (0, 1], got " + ratio);
      require(c > 0.0 && Double.isFinite(c), "c must be > 0, got " + c);
      require(dims.length >= 1, "at least one dimension");
      require(replicas >= 2, "at least two replicas (standard errors), got " + replicas);
      require(intervals >= 1 && tMax > 0.0, "grid needs intervals >= 1 and tMax > 0");
      dims = dims.clone();
    }

    @Override
    public int[] dims() {
      return dims.clone();
    }

    /** r = m = round(ratio d). */
    public int width(int d) {
      return (int) Math.round(ratio * d);
    }

    /** Model seed (Haar teacher, W0) at dimension d. */
    public long modelSeed(int d) {
      return Seeds.derive(seed, "extensive-model-d" + d);
    }

    /** Sample seed at dimension d (replica i draws from its stream "sgd-samples-i"). */
    public long sampleSeed(int d) {
      return Seeds.derive(seed, "extensive-samples-d" + d);
    }

    public ModelSpec spec(int d) {
      return ModelSpec.of(d, width(d), width(d), alpha, sigma0, modelSeed(d));
    }

    /** Output steps and their times t = k eta (exactly), eta = c. */
    public StepGrid grid() {
      return StepGrid.even(c, tMax, intervals);
    }
  }

  /**
   * One d: the grid times, R(0), the effective ODE's, the flow's and (if asked) the mean map's risk on the
   * grid, each replica's SGD risk (NaN after a divergence), and what each part cost.
   */
  public record AtD(int d, int r, double risk0, double[] times, double[] odeRisk, boolean odeDiverged,
      double[] flowRisk, double[] mapRisk, double[][] sgdRisk, int diverged, double odeSeconds, double flowSeconds,
      double mapSeconds, double sgdSeconds) {

    /** Per replica: sup over the grid of |R_SGD - R_ref| / R(0) (+infinity for a diverged replica). */
    public double[] gaps(double[] reference) {
      double[] g = new double[sgdRisk.length];
      for (int i = 0; i < g.length; i++) {
        g[i] = EffectiveAgreement.supGap(sgdRisk[i], reference) / risk0;
      }
      return g;
    }

    public double[] gapsToOde() {
      return gaps(odeRisk);
    }

    public double[] gapsToFlow() {
      return gaps(flowRisk);
    }

    /** Per replica: the position of its curve on the line from the ODE (0) to the flow (1), {@link #position}. */
    public double[] positions() {
      double[] p = new double[sgdRisk.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = position(sgdRisk[i], odeRisk, flowRisk);
      }
      return p;
    }

    /** The replica mean of the SGD risk at each grid time. */
    public double[] meanRisk() {
      double[] mu = new double[times.length];
      for (double[] row : sgdRisk) {
        for (int k = 0; k < mu.length; k++) {
          mu[k] += row[k] / sgdRisk.length;
        }
      }
      return mu;
    }
  }

  /**
   * Where a curve y lies between two references a (position 0) and b (position 1): the least-squares
   * coefficient phi of y - a = phi (b - a) over the grid, phi = sum (y - a)(b - a) / sum (b - a)^2. phi = 0
   * is a, 1 is b; phi &lt; 0 lies beyond a, away from b. NaN if any series has a NaN (a diverged run); otherwise
   * requires a != b somewhere.
   */
  public static double position(double[] y, double[] a, double[] b) {
    require(y.length == a.length && a.length == b.length, "position of series of different lengths");
    double num = 0.0;
    double den = 0.0;
    for (int k = 0; k < y.length; k++) {
      double s = b[k] - a[k];
      num += (y[k] - a[k]) * s;
      den += s * s;
    }
    if (Double.isNaN(den)) {
      return Double.NaN;
    }
    require(den > 0.0, "the two references coincide on the grid");
    return num / den;
  }

  /** sup over the grid of |a - b| / scale (+infinity where either has a NaN). */
  public static double supRelative(double[] a, double[] b, double scale) {
    return EffectiveAgreement.supGap(a, b) / scale;
  }

  /**
   * The iterated exact conditional mean of one SGD step (SGD-OVERLAP-DRIFT), step after step from (Q0, P0):
   * Q' = Q + eta dQ/dt, G' = G + eta dG/dt with (dQ/dt, dG/dt) the effective ODE's right-hand side at the
   * state (dG/dt = dP/dt + (dQ/dt)^T Q + Q^T dQ/dt), P' = G' - Q'^T Q'. It is the explicit Euler scheme of
   * the effective ODE with SGD's own step, i.e. what SGD's mean does when fluctuations are neglected; the
   * risk at the requested steps (NaN once a state is non-finite).
   */
  public static double[] meanMap(EffectiveDynamics dyn, FlowState.Overlaps init, double eta, long[] steps) {
    double[] lambda = dyn.lambda();
    double[][] q = Dense.copy(init.q());
    double[][] g = Dense.addScaled(init.p(), 1.0, Linalg.multTransA(q, q));
    double[] out = new double[steps.length];
    Arrays.fill(out, Double.NaN);
    long k = 0;
    for (int i = 0; i < steps.length; i++) {
      while (k < steps[i]) {
        double[][][] next = meanStep(dyn, k * eta, q, g, eta);
        q = next[0];
        g = next[1];
        k++;
      }
      double[][] p = Dense.symmetricPart(Dense.subtract(g, Linalg.multTransA(q, q)));
      if (!(Dense.allFinite(q) && Dense.allFinite(p))) {
        break;
      }
      out[i] = FlowObservables.fromOverlaps(k * eta, lambda, q, p).risk();
    }
    return out;
  }

  /**
   * One step of the mean map from (Q, G) at SGD time t: {Q + eta dQ/dt, G + eta dG/dt}, i.e. (Q, G) plus the
   * exact conditional mean of one SGD step, E[Q' - Q] and E[G' - G] of SGD-OVERLAP-DRIFT.
   */
  static double[][][] meanStep(EffectiveDynamics dyn, double t, double[][] q, double[][] g, double eta) {
    double[][] p = Dense.symmetricPart(Dense.subtract(g, Linalg.multTransA(q, q)));
    EffectiveDynamics.Derivative f = dyn.rhs(t, q, p);
    double[][] dqTq = Linalg.multTransA(f.dq(), q);
    double[][] dg = Dense.addScaled(Dense.addScaled(f.dp(), 1.0, dqTq), 1.0, Dense.transpose(dqTq));
    return new double[][][] {Dense.addScaled(q, eta, f.dq()), Dense.symmetricPart(Dense.addScaled(g, eta, dg))};
  }

  /** What one task of the pool returns: a reference curve (with its cost) or one replica's risks. */
  private record Piece(double[] risk, boolean diverged, double seconds) {}

  /** Runs the sweep: for every d the replicas, the ODE, the flow and (if asked) the mean map, in one pool. */
  public static List<AtD> run(Setup s) {
    int[] dims = s.dims();
    StepGrid grid = s.grid();
    List<Instance> instances = new ArrayList<>();
    for (int d : dims) {
      instances.add(s.spec(d).instance());
    }
    int refs = s.meanMap() ? 3 : 2;
    List<Callable<Piece>> work = new ArrayList<>();
    // The references first (the ODE is the longest single task), largest d first, then the replicas.
    for (int k = dims.length - 1; k >= 0; k--) {
      Instance inst = instances.get(k);
      int d = dims[k];
      work.add(() -> {
        long t0 = System.nanoTime();
        EffectiveTrajectory tr = EffectiveDynamics.constantEta(inst.teacher().lambda(), d, d, 0.0, s.c())
            .solve(inst, grid.times(), s.rtol());
        double[] risk = new double[grid.size()];
        Arrays.fill(risk, Double.NaN);
        for (int i = 0; i < tr.observables().size(); i++) {
          risk[i] = tr.observables().get(i).risk();
        }
        return new Piece(risk, tr.diverged(), (System.nanoTime() - t0) * 1e-9);
      });
      work.add(() -> {
        long t0 = System.nanoTime();
        List<FlowState> fl = FlowMethod.REDUCED.solve(inst, grid.times(), 0.0);
        double[] risk = fl.stream().mapToDouble(st -> st.observables(inst.teacher()).risk()).toArray();
        return new Piece(risk, false, (System.nanoTime() - t0) * 1e-9);
      });
      if (s.meanMap()) {
        work.add(() -> {
          long t0 = System.nanoTime();
          double[] risk = meanMap(EffectiveDynamics.constantEta(inst.teacher().lambda(), d, d, 0.0, s.c()),
              FlowMethod.initialOverlaps(inst), s.c(), grid.steps());
          return new Piece(risk, false, (System.nanoTime() - t0) * 1e-9);
        });
      }
    }
    for (int k = dims.length - 1; k >= 0; k--) {
      Instance inst = instances.get(k);
      int d = dims[k];
      for (int i = 0; i < s.replicas(); i++) {
        final int index = i;
        work.add(() -> {
          long t0 = System.nanoTime();
          double[] risk = replicaRisk(inst, s.c(), grid.steps(), replicaSeed(s.sampleSeed(d), index));
          return new Piece(risk, Double.isNaN(risk[risk.length - 1]), (System.nanoTime() - t0) * 1e-9);
        });
      }
    }
    List<Piece> done = Parallel.runAll(work, s.threads(), "extensive-width");
    List<AtD> out = new ArrayList<>();
    int refBase = 0;
    int repBase = dims.length * refs;
    for (int k = dims.length - 1; k >= 0; k--) {
      int d = dims[k];
      Piece ode = done.get(refBase);
      Piece flow = done.get(refBase + 1);
      Piece map = s.meanMap() ? done.get(refBase + 2) : null;
      refBase += refs;
      double[][] sgd = new double[s.replicas()][];
      int diverged = 0;
      double secs = 0.0;
      for (int i = 0; i < s.replicas(); i++) {
        Piece p = done.get(repBase + i);
        sgd[i] = p.risk();
        diverged += p.diverged() ? 1 : 0;
        secs += p.seconds();
      }
      repBase += s.replicas();
      out.add(0, new AtD(d, s.width(d), flow.risk()[0], grid.times(), ode.risk(), ode.diverged(), flow.risk(),
          map == null ? null : map.risk(), sgd, diverged, ode.seconds(), flow.seconds(),
          map == null ? Double.NaN : map.seconds(), secs));
    }
    return out;
  }

  // ----------------------------------------------------------------------------------------------------
  // The verdict

  /**
   * The verdict on a sweep, for a candidate description of SGD ({@code cand}: per d, each replica's sup gap to
   * it, and each replica's position on the line from it (0) to the alternative (1)) against an alternative
   * ({@code alt}, gaps likewise). (a) The log-log slope of the candidate gap against d, pooled over replicas,
   * and its two-sided interval at {@code confidence}: "shrinks" when the interval lies below 0. (b) At the
   * largest d the paired difference alt - cand over replicas in standard errors: "closer" when z &gt;= zMin.
   * (c) At the largest d the mean position and its two-sided interval at {@code confidence} (Student t over
   * replicas): "nearer" when the interval lies inside (-1/2, 1/2), i.e. the replicas' curves lie nearer the
   * candidate than the alternative along the line joining them. z and the positions at every d are reported.
   */
  public record Verdict(LinearFit fit, double[] interval, double[] meanGap, double[] seGap, double[] meanAlt,
      double[] z, double[] meanPosition, double[] sePosition, double[] positionInterval, boolean shrinks,
      boolean closer, boolean nearer, String detail) {
    public boolean passed() {
      return shrinks && closer && nearer;
    }
  }

  /**
   * The verdict on a sweep's results with the effective ODE as the candidate and the population flow as the
   * alternative (the judgement the claim makes). Not modified.
   */
  public static Verdict judgeOdeAgainstFlow(List<AtD> res, double confidence, double zMargin) {
    int nd = res.size();
    int[] dims = new int[nd];
    double[][] eff = new double[nd][];
    double[][] flow = new double[nd][];
    double[][] pos = new double[nd][];
    for (int k = 0; k < nd; k++) {
      AtD a = res.get(k);
      dims[k] = a.d();
      eff[k] = a.gapsToOde();
      flow[k] = a.gapsToFlow();
      pos[k] = a.positions();
    }
    return judge(dims, eff, flow, pos, confidence, zMargin);
  }

  public static Verdict judge(int[] dims, double[][] cand, double[][] alt, double[][] positions, double confidence,
      double zMin) {
    require(dims.length >= 2 && cand.length == dims.length && alt.length == dims.length
        && positions.length == dims.length, "one row of gaps and positions per d, at least two d");
    int nd = dims.length;
    double[] mg = new double[nd];
    double[] se = new double[nd];
    double[] ma = new double[nd];
    double[] z = new double[nd];
    double[] mp = new double[nd];
    double[] sp = new double[nd];
    boolean finite = true;
    for (int k = 0; k < nd; k++) {
      int n = cand[k].length;
      mg[k] = EffectiveAgreement.mean(cand[k]);
      se[k] = EffectiveAgreement.sd(cand[k]) / Math.sqrt(n);
      ma[k] = EffectiveAgreement.mean(alt[k]);
      double[] diff = new double[n];
      for (int i = 0; i < n; i++) {
        diff[i] = alt[k][i] - cand[k][i];
      }
      z[k] = EffectiveAgreement.mean(diff) / (EffectiveAgreement.sd(diff) / Math.sqrt(n));
      mp[k] = EffectiveAgreement.mean(positions[k]);
      sp[k] = EffectiveAgreement.sd(positions[k]) / Math.sqrt(positions[k].length);
      finite &= Double.isFinite(mg[k]) && Double.isFinite(ma[k]) && Double.isFinite(mp[k]);
    }
    double[] none = {Double.NaN, Double.NaN};
    if (!finite) {
      return new Verdict(null, none, mg, se, ma, z, mp, sp, none, false, false, false,
          "a replica diverged or a reference blew up (infinite gap or NaN position): gaps " + Arrays.toString(mg));
    }
    LinearFit f = EffectiveAgreement.logLogFit(dims, cand);
    double[] ci = f.interval(confidence);
    int last = nd - 1;
    int n = positions[last].length;
    double t = new org.hipparchus.distribution.continuous.TDistribution(n - 1)
        .inverseCumulativeProbability(0.5 + 0.5 * confidence);
    double[] pci = {mp[last] - t * sp[last], mp[last] + t * sp[last]};
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < nd; k++) {
      sb.append(String.format(Locale.ROOT, "%sd=%d: gap %.4f +- %.4f vs alternative %.4f (z %.1f), position %+.3f +- %.3f",
          k == 0 ? "" : "; ", dims[k], mg[k], se[k], ma[k], z[k], mp[k], sp[k]));
    }
    boolean shrinks = ci[1] < 0.0;
    boolean closer = z[last] >= zMin;
    boolean nearer = pci[0] > -0.5 && pci[1] < 0.5;
    String detail = String.format(Locale.ROOT,
        "%s; log-log slope %.3f, %.1f%% CI [%.3f, %.3f] (%d points)%s; at d=%d: z %.1f (need >= %.1f)%s, position "
            + "%+.3f, %.1f%% CI [%+.3f, %+.3f] (need inside (-0.5, 0.5))%s",
        sb, f.slope(), 100 * confidence, ci[0], ci[1], f.n(), shrinks ? "" : " NOT BELOW 0", dims[last], z[last], zMin,
        closer ? "" : " NOT CLOSER", mp[last], 100 * confidence, pci[0], pci[1], nearer ? "" : " NOT NEARER");
    return new Verdict(f, ci, mg, se, ma, z, mp, sp, pci, shrinks, closer, nearer, detail);
  }

  /** The sample seed of replica i: the stream "sgd-samples-i" of the d's sample seed, as in {@link SgdRunner}. */
  public static long replicaSeed(long sampleSeed, int i) {
    return Seeds.derive(sampleSeed, "sgd-samples-" + i);
  }

  /**
   * One replica of online SGD with b = d and eta = c from the instance's W0 on fresh Gaussian samples (no label
   * noise) from {@code seed}: its risk at each requested step, NaN from a divergence on.
   */
  public static double[] replicaRisk(Instance inst, double c, long[] steps, long seed) {
    OnlineSgd sgd = new OnlineSgd(inst.teacher(), inst.w0(), new StepSchedule.Constant(c), inst.d(),
        new GaussianSamples(Seeds.generator(seed), 0.0));
    double[] risk = new double[steps.length];
    Arrays.fill(risk, Double.NaN);
    for (int k = 0; k < steps.length; k++) {
      sgd.runTo(steps[k]);
      if (sgd.diverged()) {
        break;
      }
      risk[k] = sgd.snapshot().risk();
    }
    return risk;
  }
}
