package org.qnnoracle.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.ReducedExactPropagator;
import org.qnnoracle.gaussian.DoubleMatrices;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The float32 tolerance of each quantity of a case, from the case's measured sensitivity to float32 round-off.
 *
 * <p>A route of the case is run {@value #DRAWS} times in double precision with every input, and the state after
 * every step, multiplied by (1 + u v), v uniform in [-1, 1] and u = 2^-24 the float32 unit round-off: the flow
 * and the effective ODE advance in sub-steps of at most {@value #STEP_RATE} / (8 lambda_max) (the step a
 * fixed-step float32 integrator takes), SGD replay perturbs the samples, which every step reads. The deviation
 * from the unperturbed run, element by element, is the case's sensitivity; the tolerance is {@value #SAFETY}
 * times its largest value (relative for elements above {@value #SMALL} of the quantity's largest, absolute below,
 * and never under {@value #SAFETY} u times that largest value).
 *
 * <p>Why {@value #SAFETY}: the draws round each stored number once per step, while an implementation rounds every
 * operation: a product or sum over n terms accumulates up to about sqrt(n) u in practice (n &lt;= 20 here, so
 * sqrt(n) &lt;= 4.5), and a candidate's integrator may take several times more steps than the draws (random-walk
 * growth sqrt(k)); 4.5 x 3.5 is about 16. The two float32 implementations of the examples (NumPy, PyTorch) are
 * checked against these tolerances in {@code mvn test}, which reports their margins.
 */
final class Float32Sensitivity {
  /** float32 unit round-off. */
  static final double UNIT_ROUNDOFF = 0x1p-24;
  /** Perturbed runs per case. */
  static final int DRAWS = 16;
  /** Tolerance over the largest deviation: see the class comment. */
  static final double SAFETY = 16.0;
  /** Elements below this fraction of the quantity's largest are held to the absolute part. */
  static final double SMALL = 1e-3;
  /** The sub-step of the perturbed flow and effective runs: 8 lambda_max h &lt;= this. */
  static final double STEP_RATE = 0.5;

  private Float32Sensitivity() {}

  /** Multiplies each number by (1 + u v), v uniform in [-1, 1]; {@link #NONE} leaves everything as it is. */
  static final class Rounding {
    static final Rounding NONE = new Rounding(null);
    private final RandomGenerator rng;

    private Rounding(RandomGenerator rng) {
      this.rng = rng;
    }

    static Rounding draw(long seed, int k) {
      return new Rounding(Seeds.generator(seed, "float32-sensitivity-" + k));
    }

    double apply(double x) {
      return rng == null ? x : x * (1.0 + UNIT_ROUNDOFF * (2.0 * rng.nextDouble() - 1.0));
    }

    double[] apply(double[] x) {
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = apply(x[i]);
      }
      return y;
    }

    double[][] apply(double[][] x) {
      double[][] y = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        y[i] = apply(x[i]);
      }
      return y;
    }

    /** Perturbs a symmetric matrix and keeps it symmetric. */
    double[][] applySymmetric(double[][] x) {
      double[][] y = new double[x.length][x.length];
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j <= i; j++) {
          y[i][j] = apply(x[i][j]);
          y[j][i] = y[i][j];
        }
      }
      return y;
    }

    FlowState.Overlaps apply(FlowState.Overlaps s) {
      return rng == null ? s : new FlowState.Overlaps(s.t(), apply(s.q()), applySymmetric(s.p()));
    }
  }

  /** A case's computation under a {@link Rounding}: quantity name to values, row-major. */
  @FunctionalInterface
  interface Route {
    Map<String, double[]> run(Rounding rounding);
  }

  /**
   * The float32 tolerance of every quantity the route computes.
   *
   * @param route the case's computation. Not modified.
   * @param seed seeds the draws
   */
  static Map<String, CaseFile.ReasonedTolerance> derive(Route route, long seed) {
    Map<String, double[]> centre = route.run(Rounding.NONE);
    Map<String, double[]> dev = new LinkedHashMap<>();
    centre.forEach((k, v) -> dev.put(k, new double[v.length]));
    for (int k = 0; k < DRAWS; k++) {
      Map<String, double[]> run = route.run(Rounding.draw(seed, k));
      for (Map.Entry<String, double[]> e : centre.entrySet()) {
        double[] c = e.getValue();
        double[] x = run.get(e.getKey());
        double[] d = dev.get(e.getKey());
        for (int i = 0; i < c.length; i++) {
          d[i] = Math.max(d[i], Math.abs(x[i] - c[i]));
        }
      }
    }
    Map<String, CaseFile.ReasonedTolerance> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : centre.entrySet()) {
      out.put(e.getKey(), tolerance(e.getValue(), dev.get(e.getKey())));
    }
    return out;
  }

  private static CaseFile.ReasonedTolerance tolerance(double[] centre, double[] dev) {
    double scale = 0.0;
    for (double c : centre) {
      scale = Math.max(scale, Math.abs(c));
    }
    double rel = 0.0;
    double abs = 0.0;
    for (int i = 0; i < centre.length; i++) {
      if (Math.abs(centre[i]) >= SMALL * scale && centre[i] != 0.0) {
        rel = Math.max(rel, dev[i] / Math.abs(centre[i]));
      } else {
        abs = Math.max(abs, dev[i]);
      }
    }
    double absolute = roundUp(SAFETY * Math.max(abs, UNIT_ROUNDOFF * scale));
    double relative = roundUp(SAFETY * Math.max(rel, UNIT_ROUNDOFF));
    String reason = String.format(Locale.ROOT, "float32: %.0f x the largest deviation over %d double-precision "
        + "runs with every input and every step's state perturbed by a relative u = 2^-24 (relative %.2e on "
        + "elements above %.0e of the largest, absolute %.2e below; floors u and u x the largest); %.0f covers "
        + "per-operation rounding (about sqrt(n) u over n <= 20 terms) and an integrator taking up to ten times "
        + "more steps (reference.Float32Sensitivity)", SAFETY, DRAWS, rel, SMALL, abs, SAFETY);
    return new CaseFile.ReasonedTolerance(new CaseFile.Tolerance(absolute, relative), reason);
  }

  /** Two significant digits, rounded up: a tolerance printed short is never below the derived one. */
  static double roundUp(double x) {
    return new BigDecimal(x).round(new MathContext(2, RoundingMode.CEILING)).doubleValue();
  }

  // ----------------------------------------------------------------------------------------------------
  // The routes of each kind

  /** The flow from (theta, lambda, W0) in overlap coordinates, perturbed at every sub-step. */
  static Route flow(Teacher teacher, double[][] w0, double[] times) {
    return rounding -> {
      Teacher t = new Teacher(rounding.apply(teacher.theta()), rounding.apply(teacher.lambda()));
      Teacher.Projection qp = t.project(rounding.apply(w0));
      FlowState.Overlaps s = new FlowState.Overlaps(0.0, qp.q(), qp.p());
      double rate = 8.0 * max(t.lambda());
      Trajectory out = new Trajectory(times.length, t.r());
      double now = 0.0;
      for (int k = 0; k < times.length; k++) {
        double dt = times[k] - now;
        int n = (int) Math.ceil(rate * dt / STEP_RATE);
        for (int i = 0; i < n; i++) {
          s = rounding.apply(ReducedExactPropagator.advance(t.lambda(), s, dt / n));
        }
        now = times[k];
        out.put(k, FlowObservables.fromOverlaps(now, t.lambda(), s.q(), s.p()));
      }
      return out.all();
    };
  }

  /** The effective ODE from the overlaps of (theta, W0), perturbed at every sub-step. */
  static Route effective(Teacher teacher, double[][] w0, double[] times, int d, int batch, double s2,
      double eta, double rtol) {
    return rounding -> {
      Teacher t = new Teacher(rounding.apply(teacher.theta()), rounding.apply(teacher.lambda()));
      Teacher.Projection qp = t.project(rounding.apply(w0));
      FlowState.Overlaps s = new FlowState.Overlaps(0.0, qp.q(), qp.p());
      EffectiveDynamics dyn = EffectiveDynamics.constantEta(t.lambda(), d, batch, s2, rounding.apply(eta));
      double rate = 8.0 * max(t.lambda());
      double[] risk = new double[times.length];
      double now = 0.0;
      for (int k = 0; k < times.length; k++) {
        double dt = times[k] - now;
        int n = (int) Math.ceil(rate * dt / STEP_RATE);
        for (int i = 0; i < n; i++) {
          EffectiveTrajectory traj = dyn.solve(new FlowState.Overlaps(0.0, s.q(), s.p()), new double[] {0.0, dt / n},
              rtol);
          s = rounding.apply(traj.endState());
        }
        now = times[k];
        risk[k] = FlowObservables.fromOverlaps(now, t.lambda(), s.q(), s.p()).risk();
      }
      return Map.of("risk", risk);
    };
  }

  /** SGD replayed on the samples; perturbing the samples perturbs every step. */
  static Route sgdReplay(Teacher teacher, double[][] w0, double eta, int batch, long[] outputSteps,
      double[][] samples) {
    return rounding -> {
      Teacher t = new Teacher(rounding.apply(teacher.theta()), rounding.apply(teacher.lambda()));
      OnlineSgd sgd = new OnlineSgd(t, rounding.apply(w0), new StepSchedule.Constant(rounding.apply(eta)), batch,
          ReferenceCases.replay(rounding.apply(samples)));
      Trajectory out = new Trajectory(outputSteps.length, t.r());
      for (int k = 0; k < outputSteps.length; k++) {
        sgd.runTo(outputSteps[k]);
        out.put(k, sgd.snapshot().observables());
      }
      return out.all();
    };
  }

  /** The identity closed forms in double precision from perturbed M and A. */
  static Route identity(double[][] m, double[][] a, double eta, int batch, double s2) {
    DoubleMatrices alg = DoubleMatrices.INSTANCE;
    return rounding -> {
      double[][] mm = rounding.applySymmetric(m);
      double[][] aa = rounding.applySymmetric(a);
      double[][] b = new double[mm.length][mm.length];
      for (int i = 0; i < b.length; i++) {
        for (int j = 0; j < b.length; j++) {
          b[i][j] = mm[i][j] - aa[i][j];
        }
      }
      Map<String, double[]> out = new LinkedHashMap<>();
      out.put("noiseMoment", flatten(GaussianFormulas.labelledNoiseMoment(alg, b, mm, s2)));
      out.put("stepDrift", flatten(GaussianFormulas.stepDriftOfM(alg, mm, aa, rounding.apply(eta), batch, s2)));
      out.put("risk", new double[] {GaussianFormulas.riskMoment(alg, mm, aa)});
      return out;
    };
  }

  /** risk, overlaps (row-major T x r), traceM of a trajectory. */
  private static final class Trajectory {
    final double[] risk;
    final double[] overlaps;
    final double[] trace;
    final int r;

    Trajectory(int points, int r) {
      this.r = r;
      risk = new double[points];
      overlaps = new double[points * r];
      trace = new double[points];
    }

    void put(int k, FlowObservables o) {
      risk[k] = o.risk();
      trace[k] = o.traceM();
      System.arraycopy(o.directionOverlaps(), 0, overlaps, k * r, r);
    }

    Map<String, double[]> all() {
      Map<String, double[]> m = new LinkedHashMap<>();
      m.put("risk", risk);
      m.put("overlaps", overlaps);
      m.put("traceM", trace);
      return m;
    }
  }

  private static double max(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static double[] flatten(double[][] x) {
    int n = x.length;
    double[] out = new double[n * x[0].length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x[i], 0, out, i * x[0].length, x[i].length);
    }
    return out;
  }

  /**
   * The route of a case read from its file (kinds identity, flow, effective, sgd-replay), from its inputs as
   * stored.
   */
  static Route routeOf(CaseFile c) {
    JsonNode in = c.json().get("inputs");
    switch (c.kind()) {
      case "identity" -> {
        return identity(rationalMatrix(in.get("M")), rationalMatrix(in.get("A")),
            rational(in.get("eta")), in.get("batch").intValue(), rational(in.get("s2")));
      }
      case "flow" -> {
        return flow(teacher(in), matrix(in.get("w0")), vector(in.get("times")));
      }
      case "effective" -> {
        return effective(teacher(in), matrix(in.get("w0")), vector(in.get("times")), in.get("d").intValue(),
            in.get("batch").intValue(), in.get("s2").doubleValue(), in.get("eta").doubleValue(), EFFECTIVE_RTOL);
      }
      case "sgd-replay" -> {
        long[] steps = new long[in.get("outputSteps").size()];
        for (int i = 0; i < steps.length; i++) {
          steps[i] = in.get("outputSteps").get(i).longValue();
        }
        return sgdReplay(teacher(in), matrix(in.get("w0")), in.get("eta").doubleValue(), in.get("batch").intValue(),
            steps, matrix(in.get("samples")));
      }
      default -> throw new IllegalArgumentException("no float32 tolerance for kind " + c.kind());
    }
  }

  /** Integrator tolerance of the effective route: far below u, so its own error does not count as spread. */
  static final double EFFECTIVE_RTOL = 1e-12;

  private static Teacher teacher(JsonNode in) {
    return new Teacher(matrix(in.get("theta")), vector(in.get("lambda")));
  }

  private static double[] vector(JsonNode a) {
    return JsonInput.doubles(a);
  }

  private static double[][] matrix(JsonNode a) {
    return JsonInput.doubleRows(a);
  }

  private static double rational(JsonNode s) {
    return JsonInput.toDouble(JsonInput.rational(s.asText()));
  }

  private static double[][] rationalMatrix(JsonNode a) {
    double[][] x = new double[a.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[a.get(i).size()];
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = rational(a.get(i).get(j));
      }
    }
    return x;
  }
}
