package org.qnnoracle.claims.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IExpr;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.file.FileClaim.Route;
import org.qnnoracle.claims.file.FileClaim.Setting;
import org.qnnoracle.flow.ExactPropagator;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.flow.ReducedExactPropagator;
import org.qnnoracle.laws.FlowRiskCurve;
import org.qnnoracle.laws.ReducedStart;
import org.qnnoracle.laws.ScalingLaws;
import org.qnnoracle.laws.TimeLaw;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.linalg.Spectral;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.TeacherBasis;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdSummary;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The observables catalogue of spec/claim-file.md: for one setting (and one drawn instance) it calls the project's
 * one implementation of each quantity (the exact and reduced propagators, the effective ODE, the SGD runner and its
 * summary) and lays the numbers out per grid point under the names assertions use. Nothing here is re-derived.
 */
final class Observables {
  /** The names every route provides, per setting. */
  /** The model's numbers: what grid expressions may use (they are evaluated before anything runs). */
  static final List<String> MODEL_NUMBERS = List.of("d", "r", "m", "alpha", "sigma0", "s2", "b", "c", "eta", "lambda");

  static final List<String> SCALARS =
      List.of("d", "r", "m", "alpha", "sigma0", "s2", "b", "c", "eta", "lambda", "tail", "norma2", "risk0", "tol");

  private Observables() {}

  /** The names a claim's route, method and quantifier provide (lower case). */
  static List<String> provided(FileClaim.Route route, boolean exact, FileClaim.Quantifier quantifier) {
    List<String> names = new ArrayList<>(SCALARS);
    if (route == Route.SGD) {
      names.add("z");
    }
    if (route == Route.FLOW) {
      names.addAll(List.of("escape", "limit"));
    }
    if (quantifier == FileClaim.Quantifier.FIT) {
      names.addAll(List.of("slope", "slopese"));
      if (route == Route.FLOW && !exact) {
        names.add("slopeadd");
      }
      return names;
    }
    names.addAll(List.of("t", "risk", "nrisk", "drisk"));
    switch (route) {
      case FLOW -> {
        names.addAll(List.of("overlap", "trm"));
        if (!exact) {
          names.add("riskadd");
        }
        if (exact) {
          names.addAll(List.of("dista", "excess"));
        }
      }
      case EFFECTIVE_ODE -> names.addAll(List.of("n", "overlap", "trm", "flowdistance"));
      case SGD -> names.addAll(List.of("n", "meanrisk", "serisk", "oderisk", "flowrisk"));
    }
    return names;
  }

  /**
   * One computed curve: where it was computed (for the report), the setting's scalars, the grid in its unit and in
   * t, the risk, and each grid point's values.
   */
  record Curve(String where, Map<String, IExpr> scalars, double[] x, double[] t, double[] risk, double[] riskAdd,
      double[] lambda, int m, List<Map<String, IExpr>> points) {}

  /**
   * Computes the claim's curve at {@code setting} (instance {@code index} when the claim draws instances), with the
   * run's base seed {@code base}.
   */
  static Curve compute(FileClaim c, Setting setting, int index, int replicas, long base, int threads,
      int drawMaxD) {
    if (c.draw() != null) {
      long seed = base + c.draw().seedOffset() + index;
      int maxD = c.draw().maxD() > 0 ? c.draw().maxD() : drawMaxD;
      Instance inst = c.draw().family().equals("perp") ? RandomInstances.drawWithPerp(seed, maxD)
          : RandomInstances.draw(seed, RandomInstances.Family.standard(maxD));
      ModelSpec s = inst.spec();
      double cc = setting.model().getOrDefault("c", 0.0);
      Map<String, IExpr> sc = scalars(c, s.d(), s.r(), s.m(), s.alpha(), s.sigma0(), inst.teacher().lambda(), 0.0, 1,
          cc);
      if (c.route() == Route.EFFECTIVE_ODE) {
        return effectiveOde(c, inst.d(), FlowMethod.initialOverlaps(inst), inst.teacher().lambda(), 0.0, 1, cc, sc,
            describe(s));
      }
      return exactFlow(c, inst, sc);
    }
    long seed = base + (long) setting.get("seed");
    long d = (long) setting.get("d");
    int r = (int) setting.get("r");
    int m = (int) setting.get("m");
    double alpha = setting.get("alpha");
    double sigma0 = setting.get("sigma0");
    double s2 = setting.get("s2");
    int b = (int) setting.get("batch");
    double cc = setting.get("c");
    InvalidInputException.require(r <= d, c.id() + ": r = " + r + " exceeds d = " + d);
    if (c.route() == Route.FLOW && c.exact()) {
      Instance inst = instance(c, (int) d, r, m, alpha, sigma0, seed);
      return exactFlow(c, inst, scalars(c, d, r, m, alpha, sigma0, inst.teacher().lambda(), s2, b, cc));
    }
    double[] lambda = PowerLawSpectrum.lambdas(r, alpha, c.normalisation());
    Map<String, IExpr> sc = scalars(c, d, r, m, alpha, sigma0, lambda, s2, b, cc);
    return switch (c.route()) {
      case FLOW -> reducedFlow(c, d, r, m, sigma0, seed, lambda, sc);
      case EFFECTIVE_ODE -> effectiveOde(c, d, ReducedStart.sample(d, r, m, sigma0, seed), lambda, s2, b, cc, sc,
          where(d, r, m, sc, seed));
      case SGD -> sgd(c, instance(c, (int) d, r, m, alpha, sigma0, seed), lambda, s2, b, cc, replicas, threads, sc);
    };
  }

  /** The model's instance (Haar teacher, W0 from the seed) with the claim's normalisation. */
  private static Instance instance(FileClaim c, int d, int r, int m, double alpha, double sigma0, long seed) {
    return new ModelSpec(d, r, m, alpha, c.normalisation(), sigma0, TeacherBasis.HAAR, seed).instance();
  }

  /**
   * The flow's escape times t_j (first time theta_j^T M theta_j &gt;= lambda_j / 2, j &lt;= min(m, r)), found on the
   * claim's grid and refined by bisection (FlowRiskCurve.escapeTimes); Infinity for a direction that has not
   * escaped by the grid's end. Computed only when the assertion uses them.
   */
  private static void putEscapes(FileClaim c, Map<String, IExpr> sc, double[] lambda, FlowState.Overlaps start,
      double[] t, int m) {
    sc.put("limit", sc.get("tail"));
    if (!c.assertion().symbols().contains("escape")) {
      return;
    }
    double[] e = FlowRiskCurve.escapeTimes(lambda, start, t, Math.min(m, lambda.length));
    IExpr[] list = new IExpr[e.length];
    for (int j = 0; j < e.length; j++) {
      list[j] = Double.isInfinite(e[j]) ? F.CInfinity : F.num(e[j]);
    }
    sc.put("escape", F.List(list));
  }

  static Map<String, IExpr> scalars(FileClaim c, long d, int r, int m, double alpha, double sigma0,
      double[] lambda, double s2, int b, double cc) {
    Map<String, IExpr> v = new LinkedHashMap<>();
    v.put("d", F.num((double) d));
    v.put("r", F.num(r));
    v.put("m", F.num(m));
    v.put("alpha", F.num(alpha));
    v.put("sigma0", F.num(sigma0));
    v.put("s2", F.num(s2));
    v.put("b", F.num(b));
    v.put("c", F.num(cc));
    v.put("eta", F.num(cc / d));
    v.put("lambda", F.List(lambda));
    v.put("tail", F.num(ScalingLaws.tailRisk(lambda, Math.min(m, lambda.length))));
    double a2 = 0.0;
    for (int j = lambda.length - 1; j >= 0; j--) {
      a2 += lambda[j] * lambda[j];
    }
    v.put("norma2", F.num(a2));
    v.put("tol", F.num(c.tolerance()));
    return v;
  }

  /** The grid in t (from the grid's unit) and in its own unit. */
  private static double[][] grid(FileClaim c, Map<String, IExpr> sc, double[] lambda) {
    double[] x = Grids.points(c.grid(), sc, c.id());
    double[] t = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      t[i] = Grids.toTime(c.grid().unit(), x[i], lambda, sc.get("c").evalf(), sc.get("d").evalf(),
          sc.get("b").evalf());
    }
    if (c.grid().uniform() != null) {
      // uniform [hi, count]: FlowTime's grid in t, so that the times are the built-in claims' to the last bit.
      t = FlowTime.uniformGrid(t[t.length - 1], t.length);
    }
    return new double[][] {x, t};
  }

  private static Curve exactFlow(FileClaim c, Instance inst, Map<String, IExpr> sc) {
    Teacher teacher = inst.teacher();
    double[] lambda = teacher.lambda();
    double[][] g = grid(c, sc, lambda);
    double[] t = g[1];
    List<FlowState> traj = ExactPropagator.trajectory(inst, t);
    putEscapes(c, sc, lambda, FlowMethod.initialOverlaps(inst), t, inst.m());
    double norm2 = teacher.frobeniusNormSquared();
    sc.put("norma2", F.num(norm2));
    double[][][] w = new double[t.length][][];
    double[] risk = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      w[i] = ((FlowState.Student) traj.get(i)).w();
      risk[i] = Risk.ofStudent(teacher, w[i]);
    }
    List<Map<String, IExpr>> points = points(sc, t, risk, Risk.ofStudent(teacher, inst.w0()), (i, p) -> {
      FlowObservables o = FlowObservables.fromStudent(t[i], teacher, w[i]);
      p.put("overlap", F.List(o.directionOverlaps()));
      p.put("trm", F.num(o.traceM()));
      p.put("dista", F.num(Dense.frobeniusDistance(Linalg.multTransB(w[i], w[i]), teacher.matrixA())
          / Math.sqrt(norm2)));
      double[][] perp = teacher.perpendicularPart(w[i]);
      p.put("excess", F.num(perp.length == 0 || Dense.cols(perp) == 0 ? 0.0
          : Spectral.maxEigenvalue(Linalg.multTransA(perp, perp))));
    });
    return new Curve(describe(inst.spec()), sc, g[0], t, risk, null, lambda, inst.m(), points);
  }

  private static Curve reducedFlow(FileClaim c, long d, int r, int m, double sigma0, long seed, double[] lambda,
      Map<String, IExpr> sc) {
    double[][] g = c.grid().escapes() > 0
        ? twice(TimeLaw.grid(lambda, m, sigma0, d, c.grid().escapes()))
        : grid(c, sc, lambda);
    double[] t = g[1];
    FlowState.Overlaps start = ReducedStart.sample(d, r, m, sigma0, seed);
    List<FlowObservables> obs = reducedObservables(lambda, start, t);
    putEscapes(c, sc, lambda, start, t, m);
    // The additive model only when the assertion asks for it (riskAdd, or slopeAdd under a fit).
    Set<String> used = c.assertion().symbols();
    double[] additive = used.contains("riskadd") || used.contains("slopeadd")
        ? TimeLaw.additive(lambda, start).risk(t) : null;
    double[] risk = obs.stream().mapToDouble(FlowObservables::risk).toArray();
    List<Map<String, IExpr>> points = points(sc, t, risk, Risk.fromOverlaps(start.q(), start.p(), lambda), (i, p) -> {
      p.put("overlap", F.List(obs.get(i).directionOverlaps()));
      p.put("trm", F.num(obs.get(i).traceM()));
      if (additive != null) {
        p.put("riskadd", F.num(additive[i]));
      }
    });
    return new Curve(where(d, r, m, sc, seed), sc, g[0], t, risk, additive, lambda, m, points);
  }


  private static double[][] twice(double[] t) {
    return new double[][] {t, t};
  }


  private static Curve effectiveOde(FileClaim c, long d, FlowState.Overlaps start, double[] lambda, double s2,
      int b, double cc, Map<String, IExpr> sc, String where) {
    double[][] g = grid(c, sc, lambda);
    double[] t = g[1];
    EffectiveTrajectory tr = EffectiveDynamics.scaledEta(lambda, Math.toIntExact(d), b, s2, cc)
        .solve(start, t, c.rtol());
    InvalidInputException.require(!tr.diverged(), c.id() + ": the effective ODE diverged at t = "
        + Numbers.format(tr.divergenceTime()) + " (" + where + "): c is above its stability limit");
    // The population flow from the same start, for flowDistance: the exact reduced propagator.
    List<FlowObservables> flow = reducedObservables(lambda, start, t);
    double norm2 = sc.get("norma2").evalf();
    double[] risk = tr.observables().stream().mapToDouble(FlowObservables::risk).toArray();
    List<Map<String, IExpr>> points = points(sc, t, risk, Risk.fromOverlaps(start.q(), start.p(), lambda), (i, p) -> {
      FlowObservables o = tr.observables().get(i);
      p.put("n", F.num(cc > 0.0 ? ScalingLaws.samplesForTime(t[i], cc, d, b) : 0.0));
      p.put("overlap", F.List(o.directionOverlaps()));
      p.put("trm", F.num(o.traceM()));
      p.put("flowdistance", F.num(o.distance(flow.get(i), norm2)));
    });
    return new Curve(where, sc, g[0], t, risk, null, lambda, Dense.cols(start.q()), points);
  }

  private static Curve sgd(FileClaim c, Instance inst, double[] lambda, double s2, int b, double cc, int replicas,
      int threads, Map<String, IExpr> sc) {
    int d = inst.d();
    double eta = cc / d;
    double[][] g = grid(c, sc, lambda);
    double[] wanted = g[1];
    long[] steps = new long[wanted.length];
    double[] t = new double[wanted.length];
    for (int i = 0; i < wanted.length; i++) {
      // Whole steps: the grid time rounded to the nearest step, at least one.
      steps[i] = Math.max(1L, Math.round(wanted[i] / eta));
      t[i] = steps[i] * eta;
    }
    SgdRunner.Plan plan = new SgdRunner.Plan(inst, new StepSchedule.Constant(eta), b, Math.sqrt(s2), steps, replicas,
        Seeds.derive(inst.spec().seed(), "claim-file-sgd"));
    List<SgdRunner.Replica> reps = SgdRunner.run(plan, threads, SgdProgress.NONE);
    for (SgdRunner.Replica rep : reps) {
      InvalidInputException.require(!rep.diverged(), c.id() + ": SGD replica " + rep.index() + " diverged ("
          + describe(inst.spec()) + ", c = " + Numbers.format(cc) + ")");
    }
    List<SgdSummary.Row> rows = SgdSummary.of(reps, steps).rows();
    FlowState.Overlaps start = FlowMethod.initialOverlaps(inst);
    EffectiveTrajectory tr = EffectiveDynamics.scaledEta(lambda, d, b, s2, cc).solve(start, t, c.rtol());
    InvalidInputException.require(!tr.diverged(), c.id() + ": the effective ODE diverged (" + describe(inst.spec())
        + ")");
    double[] flow = FlowRiskCurve.risk(lambda, start, t, FlowProgress.NONE);
    double[] risk = rows.stream().mapToDouble(SgdSummary.Row::riskMean).toArray();
    List<Map<String, IExpr>> points = points(sc, t, risk, Risk.fromOverlaps(start.q(), start.p(), lambda), (i, p) -> {
      SgdSummary.Row row = rows.get(i);
      p.put("n", F.num((double) steps[i] * b));
      p.put("meanrisk", F.num(row.riskMean()));
      p.put("serisk", F.num(row.riskSd() / Math.sqrt(row.alive())));
      p.put("oderisk", F.num(tr.observables().get(i).risk()));
      p.put("flowrisk", F.num(flow[i]));
    });
    return new Curve(describe(inst.spec()) + " replicas=" + replicas, sc, g[0], t, risk, null, lambda, inst.m(), points);
  }

  /** The exact reduced flow's observables at each time, from {@code start}. */
  private static List<FlowObservables> reducedObservables(double[] lambda, FlowState.Overlaps start, double[] t) {
    List<FlowState> states = ReducedExactPropagator.trajectory(lambda, start, t, FlowProgress.NONE);
    List<FlowObservables> out = new ArrayList<>(t.length);
    for (int i = 0; i < t.length; i++) {
      FlowState.Overlaps s = (FlowState.Overlaps) states.get(i);
      out.add(FlowObservables.fromOverlaps(t[i], lambda, s.q(), s.p()));
    }
    return out;
  }

  /**
   * Each grid point's values: the setting's scalars with R(0) = {@code r0}, then t, risk, nrisk and dRisk (the
   * increment from the previous point, from R(0) at the first), then what {@code extra} adds for point i.
   */
  private static List<Map<String, IExpr>> points(Map<String, IExpr> sc, double[] t, double[] risk, double r0,
      BiConsumer<Integer, Map<String, IExpr>> extra) {
    sc.put("risk0", F.num(r0));
    List<Map<String, IExpr>> out = new ArrayList<>(t.length);
    double prev = r0;
    for (int i = 0; i < t.length; i++) {
      Map<String, IExpr> p = point(sc, t[i], risk[i], r0, risk[i] - prev);
      extra.accept(i, p);
      out.add(p);
      prev = risk[i];
    }
    return out;
  }

  private static Map<String, IExpr> point(Map<String, IExpr> sc, double t, double risk, double r0, double dRisk) {
    Map<String, IExpr> p = new LinkedHashMap<>(sc);
    p.put("t", F.num(t));
    p.put("risk", F.num(risk));
    p.put("nrisk", F.num(risk / r0));
    p.put("drisk", F.num(dRisk));
    return p;
  }

  private static String where(long d, int r, int m, Map<String, IExpr> sc, long seed) {
    return "d=" + Numbers.format(d) + " r=" + r + " m=" + m + " alpha=" + Numbers.format(sc.get("alpha").evalf())
        + " sigma0=" + Numbers.format(sc.get("sigma0").evalf()) + " seed=" + seed;
  }

  private static String describe(ModelSpec s) {
    return "d=" + s.d() + " r=" + s.r() + " m=" + s.m() + " alpha=" + Numbers.format(s.alpha()) + " sigma0="
        + Numbers.format(s.sigma0()) + " seed=" + s.seed();
  }
}
