package org.qnnoracle.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.Version;
import org.qnnoracle.certify.Certificate;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.linalg.LinalgBackend;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.gaussian.Rationals;
import org.qnnoracle.gaussian.RingMatrix;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.SampleSource;
import org.qnnoracle.sgd.SgdSnapshot;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The golden reference cases of test-data/cases (format: spec/reference-format.md). Every case is built
 * deterministically from its fixed seed; {@code qnn-oracle reference generate} writes them and
 * ReferenceDataTest fails when the committed files differ from what this class produces.
 *
 * <p>Each case says why it exists ({@code why}) and each expected quantity why its tolerance has its size
 * ({@code reason}); the figures quoted there are measured by ReferenceDataTest#casesAgreeWithAnIndependentRoute.
 */
public final class ReferenceCases {
  public static final String FORMAT = "qnn-oracle-reference";
  public static final int FORMAT_VERSION = CaseFile.FORMAT_VERSION;
  public static final String TOOL = "qnn-oracle";

  /** The catalogue in file order: id, kind, how to build it. */
  public record Entry(String id, String kind, Supplier<ObjectNode> build) {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final String FLOW_REASON = "the values are certified to 17 digits (certification); our "
      + "double-precision exact propagator (sub-stepped closed form) is within 1.5e-12 relative of them on every "
      + "element above 1e-12 of its quantity's largest (1e-13 on risks, 1e-15 on most elements), and DormandPrince853 at rtol 1e-13 within 4e-12 (measured); a candidate integrating with a standard "
      + "RK4 at a small step or using the eigen-decomposed closed form should reach about 1e-9; a time-scale "
      + "slip (t against tau = 4 t, a factor 2 in the gradient), even one of 10%, exceeds the tolerance by a "
      + "factor of more than 1e6 (measured)";
  private static final String SGD_REASON = "the values are certified to 17 digits (certification); our "
      + "double-precision replay is within 3e-15 relative of them (elements above 1e-12 of the largest), and the same steps evaluated in another "
      + "order (explicit d x d M' = P M P) differ by round-off that grows over the run to at most 5e-12 "
      + "relative (measured), and "
      + "1e-9 leaves room for any summation order; a step size off by 1% already exceeds the tolerance by a "
      + "factor of more than 1e7 (measured), a wrong factor 2, 1/b or centring by far more";
  private static final String IDENTITY_REASON = "exact rationals; a floating-point evaluation of the closed "
      + "form rounds to about 1e-15 relative per entry, and 1e-12 of the largest entry absorbs cancellation "
      + "in entries much smaller than it";
  private static final String EFFECTIVE_REASON = "the values are certified to 17 digits (certification); "
      + "our double-precision solution, DormandPrince853 at rtol 1e-12 on the overlap ODE, is within 2e-12 "
      + "relative of them, and the same ODE at rtol 1e-9 within 7e-10 (measured); a candidate "
      + "integrating the effective ODE with any decent adaptive integrator at rtol 1e-8 (or RK4 at a small "
      + "step) lands within 1e-6 relative, while dropping the eta^2 term changes the risk by more than 1e-3 "
      + "relative at these times";

  private ReferenceCases() {}

  /** The difficulty grades of the catalogue, with what makes each case hard or easy. */
  static final CaseFile.Difficulty IDENTITY_LOWER = new CaseFile.Difficulty("lower", "exact rationals of closed "
      + "forms at d <= 3: no conditioning issue; a float32 code loses only the round-off of sums of a few terms");
  static final CaseFile.Difficulty FLOW_M_EQ_R = new CaseFile.Difficulty("average", "three plateaus to "
      + "lambda_max tau = 200: escape times depend on the logarithm of the initial overlaps, and the risk falls "
      + "to 4e-58 (certified), while double-precision code stops near 3e-31, where M - A is the round-off of M: "
      + "those late risks are judged by the absolute tolerance");
  static final CaseFile.Difficulty FLOW_M_LT_R = new CaseFile.Difficulty("higher", "m < r: the directions beyond "
      + "m decay to overlaps near 4e-33, far below the scale of M, so their relative digits are lost in any "
      + "floating-point code; they are judged by the absolute tolerance");
  static final CaseFile.Difficulty FLOW_M_GT_R = new CaseFile.Difficulty("average", "m > r: the surplus part of "
      + "M decays only algebraically (like 1/(8 t)), so the late values carry the slow excess; no exponential "
      + "cancellation");
  static final CaseFile.Difficulty FLOW_LONG = new CaseFile.Difficulty("higher", "sigma0 = 1e-3 and lambda_max "
      + "tau = 1000: long plateaus from a small start, e^{8 lambda tau} reaches e^8000 in the closed form "
      + "(overflow in double; the certification evaluates it in up to 704 digits), thousands of integrator steps, "
      + "and a final risk of 2.5e-434 (certified; below the double range, where double-precision code stops at "
      + "its round-off floor near 5e-32)");
  static final CaseFile.Difficulty REPLAY_B1 = new CaseFile.Difficulty("lower", "300 steps of SGD on fixed "
      + "samples at eta = 0.05 / d: a contracting recursion, round-off grows by at most a few digits");
  static final CaseFile.Difficulty REPLAY_B4 = new CaseFile.Difficulty("lower", "200 minibatch steps with label "
      + "noise on fixed samples: as sgd-replay-b1, with the noise entering linearly");
  static final CaseFile.Difficulty EFFECTIVE = new CaseFile.Difficulty("average", "the effective ODE to t = 6: "
      + "the eta^2 noise term sets a floor the risk settles on; smooth and well-conditioned");
  static final CaseFile.Difficulty STATISTICAL = new CaseFile.Difficulty("average", "Monte Carlo: a candidate "
      + "is judged by a z test at false-alarm probability 1e-3, whatever its precision");

  public static List<Entry> catalogue() {
    return List.of(
        new Entry("identity-d2-b1", "identity", () -> identity("identity-d2-b1", 2, 1, 1, false, 20261201L)),
        new Entry("identity-d3-b2-noise", "identity",
            () -> identity("identity-d3-b2-noise", 3, 2, 2, true, 20261202L)),
        new Entry("flow-m-eq-r", "flow", () -> flow("flow-m-eq-r", 6, 3, 3, 0.5, 200.0, 20261203L,
            "population flow, m = r, to lambda_max tau = 200",
            "m = r: the student can hold every teacher direction, the risk decays to 0 through one plateau "
                + "per direction; the basic correctness check of a flow integrator", FLOW_M_EQ_R)),
        new Entry("flow-m-lt-r", "flow", () -> flow("flow-m-lt-r", 6, 4, 2, 0.5, 200.0, 20261204L,
            "population flow, m < r, to lambda_max tau = 200",
            "m < r: the student cannot hold every direction; the limit is the top-m solution with risk "
                + "2 sum_{j > m} lambda_j^2, and the directions beyond m stay at overlap 0", FLOW_M_LT_R)),
        new Entry("flow-m-gt-r", "flow", () -> flow("flow-m-gt-r", 6, 2, 4, 0.5, 200.0, 20261205L,
            "population flow, m > r, to lambda_max tau = 200",
            "m > r: overparametrised; the surplus columns of W must shrink to 0 (perpendicular part decays), "
                + "which an implementation that forgets the -tr M centring gets wrong", FLOW_M_GT_R)),
        new Entry("flow-long-time", "flow", () -> flow("flow-long-time", 5, 2, 2, 1e-3, 1000.0, 20261206L,
            "population flow from a small start, to lambda_max tau = 1000",
            "long times from sigma0 = 1e-3: e^{2 lambda tau} reaches e^2000, so the one-shot closed form overflows "
                + "in double (qnn-oracle's double route refuses it beyond lambda_max tau = 15); checks that a candidate stays accurate "
                + "through long plateaus and after convergence", FLOW_LONG)),
        new Entry("sgd-replay-b1", "sgd-replay", () -> sgdReplay("sgd-replay-b1", 5, 2, 3, 300, 1, 0.0,
            new long[] {0, 1, 10, 50, 150, 300}, 20261207L,
            "online SGD replayed on given samples, batch 1, no noise, 300 steps",
            "the step W' = W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W on fixed data: any difference is a bug "
                + "in the step itself (sign, factor 2, centring, label), not sampling", REPLAY_B1)),
        new Entry("sgd-replay-b4-noise", "sgd-replay", () -> sgdReplay("sgd-replay-b4-noise", 6, 3, 2, 200, 4,
            0.3, new long[] {0, 1, 10, 50, 100, 200}, 20261208L,
            "online SGD replayed on given samples, batch 4, label noise s = 0.3, 200 steps",
            "minibatches and label noise: checks the 1/b averaging, the batch grouping of consecutive samples "
                + "and that eps enters the label y = f*(x) + eps with the given sign", REPLAY_B4)),
        new Entry("effective-b1", "effective", () -> effective("effective-b1", 20261209L)),
        new Entry("statistical-b1", "statistical", () -> statistical("statistical-b1", 20261210L)));
  }

  /** What {@link #generate} reports while it runs. */
  public interface Progress {
    /** A case of a certified kind is certified ({@code done} of {@code total} such cases so far). */
    void certified(String id, Certificate certificate, int done, int total);
  }

  /**
   * Every case as written by {@code reference generate}, in catalogue order: built by the double-precision routes on
   * the pure-Java backend (golden data must not depend on the machine's BLAS kernel: AVX2 and AVX-512 round
   * differently, the Java kernels give the same bits everywhere), then the cases of a certified kind certified in
   * multi-precision arithmetic ({@link CaseCertification}), up to {@code threads} at a time. Minutes: the flow cases
   * integrate to lambda tau = 1000 at a relative 1e-29.
   *
   * @param threads the certifications run at once (each certification is itself sequential, except the effective
   *     case's two integrators)
   */
  public static Map<String, ObjectNode> generate(int threads, Progress progress) {
    Map<String, ObjectNode> built = new java.util.LinkedHashMap<>();
    Linalg.withBackend(LinalgBackend.Kind.JAVA, () -> {
      for (Entry e : catalogue()) {
        built.put(e.id(), e.build().get());
      }
      return null;
    });
    List<String> certified = built.keySet().stream()
        .filter(id -> CaseCertification.certifies(built.get(id).get("kind").asText())).toList();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CompletionService<Map.Entry<String, Certificate>> done =
          new java.util.concurrent.ExecutorCompletionService<>(pool);
      for (String id : certified) {
        done.submit(() -> Map.entry(id, CaseCertification.certify(built.get(id))));
      }
      for (int k = 1; k <= certified.size(); k++) {
        Map.Entry<String, Certificate> c = done.take().get();
        built.put(c.getKey(), CaseCertification.publish(built.get(c.getKey()), c.getValue()));
        progress.certified(c.getKey(), c.getValue(), k, certified.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while certifying the golden cases", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return built;
  }

  /** Builds every case, in catalogue order. */
  public static List<ObjectNode> all() {
    List<ObjectNode> out = new ArrayList<>();
    for (Entry e : catalogue()) {
      out.add(e.build().get());
    }
    return out;
  }

  // ----------------------------------------------------------------------------------------------------
  // identity

  static ObjectNode identity(String id, int d, int rankM, int batch, boolean noise, long seed) {
    RandomGenerator rng = Seeds.generator(seed, "reference-identity");
    RingMatrix<BigFraction> w = Rationals.randomMatrix(rng, d, rankM);
    RingMatrix<BigFraction> m = Rationals.MATRICES.multiply(w, Rationals.MATRICES.transpose(w));
    RingMatrix<BigFraction> a = Rationals.randomSymmetric(rng, d);
    BigFraction eta = new BigFraction(1, 10);
    BigFraction s2 = noise ? new BigFraction(1, 4) : BigFraction.ZERO;
    RingMatrix<BigFraction> b = Rationals.MATRICES.subtract(m, a);
    RingMatrix<BigFraction> t = GaussianFormulas.labelledNoiseMoment(Rationals.MATRICES, b, m, s2);
    RingMatrix<BigFraction> drift = GaussianFormulas.stepDriftOfM(Rationals.MATRICES, m, a, eta, batch, s2);
    BigFraction risk = GaussianFormulas.riskMoment(Rationals.MATRICES, m, a);

    String title = "exact Gaussian moments at d = " + d + ", batch " + batch
        + (noise ? ", label noise s^2 = 1/4" : ", no label noise");
    String why = "the closed forms every SGD analysis rests on (T'(B, M), the one-step drift, the risk), "
        + "exact in rationals so a candidate's own formula or Monte Carlo code can be checked to round-off"
        + (noise ? "; batch 2 and noise exercise the (1 - 1/b) 4 BMB and s^2 (M + tr(M) I) terms"
            : "; batch 1, where the (1 - 1/b) term vanishes");
    ObjectNode c = header(id, "identity", title, why, seed, IDENTITY_LOWER);
    ObjectNode in = c.putObject("inputs");
    in.put("d", d);
    in.put("batch", batch);
    in.put("eta", rational(eta));
    in.put("s2", rational(s2));
    in.set("M", rationalMatrix(m));
    in.set("A", rationalMatrix(a));
    ObjectNode ex = c.putObject("expected");
    ex.set("noiseMoment", exactQuantity(rationalMatrix(t), List.of(d, d), maxAbs(t)));
    ex.set("stepDrift", exactQuantity(rationalMatrix(drift), List.of(d, d), maxAbs(drift)));
    ex.set("risk", exactQuantity(F.textNode(rational(risk)), List.of(), risk.abs().doubleValue()));
    putFloat32(ex, Float32Sensitivity.identity(doubles(m), doubles(a), eta.doubleValue(), batch, s2.doubleValue()),
        seed);
    return finish(c);
  }

  private static ObjectNode exactQuantity(JsonNode values, List<Integer> shape, double maxAbs) {
    ObjectNode q = F.objectNode();
    q.set("shape", intArray(shape));
    q.put("exact", true);
    q.set("values", values);
    q.set("tolerance", tolerance(1e-12 * maxAbs, 1e-12));
    q.put("reason", IDENTITY_REASON);
    return q;
  }

  /** "p/q" or "p", reduced, q &gt; 0. */
  public static String rational(BigFraction f) {
    BigInteger p = f.getNumerator();
    BigInteger q = f.getDenominator();
    if (q.signum() < 0) {
      p = p.negate();
      q = q.negate();
    }
    BigInteger g = p.gcd(q);
    if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
      p = p.divide(g);
      q = q.divide(g);
    }
    return q.equals(BigInteger.ONE) ? p.toString() : p + "/" + q;
  }

  private static ArrayNode rationalMatrix(RingMatrix<BigFraction> a) {
    ArrayNode rows = F.arrayNode();
    for (int i = 0; i < a.rows(); i++) {
      ArrayNode row = rows.addArray();
      for (int j = 0; j < a.cols(); j++) {
        row.add(rational(a.get(i, j)));
      }
    }
    return rows;
  }

  private static double maxAbs(RingMatrix<BigFraction> a) {
    double max = 0.0;
    for (BigFraction f : a.entries()) {
      max = Math.max(max, Math.abs(f.doubleValue()));
    }
    return max;
  }

  // ----------------------------------------------------------------------------------------------------
  // flow

  /** Output times of a flow case: lambda_max tau on a fixed grid up to {@code lambdaTauMax}, as gradient-flow t. */
  static double[] flowTimes(double lambdaMax, double lambdaTauMax) {
    double[] grid = lambdaTauMax > 200.0
        ? new double[] {0, 1, 3, 6, 10, 20, 50, 100, 200, 400, 700, 1000}
        : new double[] {0, 0.5, 1, 2, 3, 5, 8, 12, 20, 50, 100, 200};
    double[] t = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      t[i] = grid[i] * lambdaTauMax / grid[grid.length - 1] / (4.0 * lambdaMax);
    }
    return t;
  }

  /** d, r, m, lambda and Theta: the teacher and the width, in the order every case writes them. */
  static void putTeacher(ObjectNode in, Teacher teacher, int m) {
    in.put("d", teacher.d());
    in.put("r", teacher.r());
    in.put("m", m);
    in.set("lambda", vector(teacher.lambda()));
    in.set("theta", matrix(teacher.theta()));
  }

  /** The teacher, the width and the explicit start W0 of a deterministic case. */
  static void putInstance(ObjectNode in, Instance inst) {
    putTeacher(in, inst.teacher(), inst.m());
    in.set("w0", matrix(inst.w0()));
  }

  static ObjectNode flow(String id, int d, int r, int m, double sigma0, double lambdaTauMax, long seed,
      String title, String why, CaseFile.Difficulty difficulty) {
    Instance inst = ModelSpec.of(d, r, m, 1.0, sigma0, seed).instance();
    Teacher teacher = inst.teacher();
    double[] times = flowTimes(teacher.lambdaMax(), lambdaTauMax);
    List<FlowState> states = FlowMethod.EXACT.solve(inst, times, 1e-12);
    ObjectNode c = header(id, "flow", title, why + " (model: alpha = 1, l2 normalisation, Haar teacher, "
        + "W0 ~ N(0, sigma0^2 / d) with sigma0 = " + sigma0 + ")", seed, difficulty);
    ObjectNode in = c.putObject("inputs");
    putInstance(in, inst);
    in.set("times", vector(times));
    List<FlowObservables> obs = new ArrayList<>();
    for (FlowState s : states) {
      obs.add(s.observables(teacher));
    }
    ObjectNode ex = c.putObject("expected");
    putTrajectory(ex, obs, 1e-10, 1e-7, FLOW_REASON, true);
    putFloat32(ex, Float32Sensitivity.flow(teacher, inst.w0(), times), seed);
    return finish(c);
  }

  private static void putTrajectory(ObjectNode ex, List<FlowObservables> obs, double abs, double rel,
      String reason, boolean all) {
    int k = obs.size();
    double[] risk = new double[k];
    double[] trace = new double[k];
    double[][] overlaps = new double[k][];
    for (int i = 0; i < k; i++) {
      risk[i] = obs.get(i).risk();
      trace[i] = obs.get(i).traceM();
      overlaps[i] = obs.get(i).directionOverlaps();
    }
    ex.set("risk", quantity(List.of(k), vector(risk), abs, rel, reason));
    if (all) {
      ex.set("overlaps", quantity(List.of(k, overlaps[0].length), matrix(overlaps), abs, rel, reason));
      ex.set("traceM", quantity(List.of(k), vector(trace), abs, rel, reason));
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // sgd-replay

  /** A sample source over rows x_1..x_d, eps (the case's {@code samples}). */
  public static SampleSource replay(double[][] rows) {
    return new SampleSource() {
      private int next;

      @Override
      public double next(double[] x) {
        double[] row = rows[next++];
        System.arraycopy(row, 0, x, 0, x.length);
        return row[x.length];
      }
    };
  }

  static ObjectNode sgdReplay(String id, int d, int r, int m, int steps, int batch, double noise,
      long[] outputSteps, long seed, String title, String why, CaseFile.Difficulty difficulty) {
    double sigma0 = 0.5;
    Instance inst = ModelSpec.of(d, r, m, 1.0, sigma0, seed).instance();
    Teacher teacher = inst.teacher();
    double eta = 0.05 / d;
    GaussianSamples gauss = new GaussianSamples(Seeds.generator(seed, "reference-samples"), noise);
    double[][] samples = new double[steps * batch][d + 1];
    double[] x = new double[d];
    for (double[] row : samples) {
      row[d] = gauss.next(x);
      System.arraycopy(x, 0, row, 0, d);
    }
    OnlineSgd sgd = new OnlineSgd(teacher, inst.w0(), new StepSchedule.Constant(eta), batch, replay(samples));
    List<FlowObservables> obs = new ArrayList<>();
    for (long k : outputSteps) {
      sgd.runTo(k);
      SgdSnapshot s = sgd.snapshot();
      obs.add(s.observables());
    }
    ObjectNode c = header(id, "sgd-replay", title, why + " (model: alpha = 1, l2 normalisation, Haar "
        + "teacher, W0 ~ N(0, sigma0^2 / d) with sigma0 = " + sigma0 + ", eta = 0.05 / d)", seed, difficulty);
    ObjectNode in = c.putObject("inputs");
    putInstance(in, inst);
    in.put("eta", eta);
    in.put("batch", batch);
    in.put("noise", noise);
    in.set("outputSteps", longArray(outputSteps));
    in.set("samples", matrix(samples));
    ObjectNode ex = c.putObject("expected");
    putTrajectory(ex, obs, 1e-12, 1e-9, SGD_REASON, true);
    putFloat32(ex, Float32Sensitivity.sgdReplay(teacher, inst.w0(), eta, batch, outputSteps, samples), seed);
    return finish(c);
  }

  // ----------------------------------------------------------------------------------------------------
  // effective

  static final double[] EFFECTIVE_TIMES = {0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6};

  static ObjectNode effective(String id, long seed) {
    int d = 20;
    int r = 3;
    int m = 3;
    double sigma0 = 0.5;
    Instance inst = ModelSpec.of(d, r, m, 1.0, sigma0, seed).instance();
    Teacher teacher = inst.teacher();
    double eta = 0.1 / d;
    int batch = 1;
    double s2 = 0.0;
    EffectiveTrajectory traj = EffectiveDynamics.constantEta(teacher.lambda(), d, batch, s2, eta)
        .solve(inst, EFFECTIVE_TIMES, 1e-12);
    if (traj.diverged()) {
      throw new IllegalStateException(id + ": the effective dynamics diverged");
    }
    ObjectNode c = header(id, "effective", "effective (mean) ODE of online SGD, d = 20, batch 1, eta = 0.1 / d",
        "the deterministic mean dynamics of online SGD including the eta^2 noise term "
            + "(spec/model.md, proofs-notes/effective-dynamics.md); the settled risk is the SGD noise floor, "
            + "which the population flow (eta -> 0) misses (model: alpha = 1, l2 normalisation, Haar teacher, "
            + "W0 ~ N(0, sigma0^2 / d) with sigma0 = " + sigma0 + ")", seed, EFFECTIVE);
    ObjectNode in = c.putObject("inputs");
    putInstance(in, inst);
    in.set("times", vector(EFFECTIVE_TIMES));
    in.put("eta", eta);
    in.put("batch", batch);
    in.put("s2", s2);
    ObjectNode ex = c.putObject("expected");
    putTrajectory(ex, traj.observables(), 1e-10, 1e-6, EFFECTIVE_REASON, false);
    putFloat32(ex, Float32Sensitivity.effective(teacher, inst.w0(), EFFECTIVE_TIMES, d, batch, s2, eta,
        Float32Sensitivity.EFFECTIVE_RTOL), seed);
    return finish(c);
  }

  // ----------------------------------------------------------------------------------------------------
  // statistical

  public static final int STATISTICAL_REPLICAS = 256;
  static final long[] STATISTICAL_STEPS = {0, 200, 500, 1000};

  /** Per-replica risks (replicas x K) of online SGD with a fresh W0 and fresh samples per replica. */
  public static double[][] statisticalRisks(Teacher teacher, int m, double sigma0, double eta, int batch,
      double noise, long[] outputSteps, int replicas, long seed) {
    int d = teacher.d();
    double[][] risks = new double[replicas][outputSteps.length];
    for (int i = 0; i < replicas; i++) {
      double[][] w0 = Seeds.gaussianMatrix(Seeds.generator(seed, "reference-w0-" + i), d, m, sigma0 / Math.sqrt(d));
      OnlineSgd sgd = new OnlineSgd(teacher, w0, new StepSchedule.Constant(eta), batch,
          new GaussianSamples(Seeds.generator(seed, "sgd-samples-" + i), noise));
      for (int k = 0; k < outputSteps.length; k++) {
        sgd.runTo(outputSteps[k]);
        if (sgd.diverged()) {
          throw new IllegalStateException("replica " + i + " diverged at step " + sgd.divergedAt());
        }
        risks[i][k] = sgd.snapshot().risk();
      }
    }
    return risks;
  }

  /** Column means and standard errors (sample sd / sqrt(n)) of replicas x K values. */
  public static double[][] meanAndStandardError(double[][] values) {
    int n = values.length;
    int k = values[0].length;
    double[] mean = new double[k];
    double[] se = new double[k];
    for (int j = 0; j < k; j++) {
      double s = 0.0;
      for (double[] row : values) {
        s += row[j];
      }
      mean[j] = s / n;
      double ss = 0.0;
      for (double[] row : values) {
        ss += (row[j] - mean[j]) * (row[j] - mean[j]);
      }
      se[j] = Math.sqrt(ss / (n - 1) / n);
    }
    return new double[][] {mean, se};
  }

  static ObjectNode statistical(String id, long seed) {
    int d = 20;
    int r = 2;
    int m = 2;
    double sigma0 = 0.5;
    double eta = 0.05 / d;
    int batch = 1;
    double noise = 0.0;
    Teacher teacher = Teacher.of(ModelSpec.of(d, r, m, 1.0, sigma0, seed));
    double[][] risks = statisticalRisks(teacher, m, sigma0, eta, batch, noise, STATISTICAL_STEPS,
        STATISTICAL_REPLICAS, seed);
    double[][] ms = meanAndStandardError(risks);
    ObjectNode c = header(id, "statistical", "online SGD from random starts: mean risk over replicas, d = 20, batch 1",
        "checks a candidate's whole stochastic pipeline (its own W0 ~ N(0, sigma0^2 / d), its own samples, "
            + "its SGD) in distribution: the mean risk over replicas must agree with ours within the combined "
            + "standard errors (model: alpha = 1, l2 normalisation, Haar teacher, eta = 0.05 / d). sigma0 = 0.5 "
            + "and outputs up to step 1000 because at sigma0 = 1 about 1 replica in 2000 diverges, and beyond "
            + "step 1000 the risk is in its exponential tail where one replica carries over 10% of the mean, "
            + "so the normal approximation behind the z-test fails (measured)", seed, STATISTICAL);
    ObjectNode in = c.putObject("inputs");
    putTeacher(in, teacher, m);
    in.put("sigma0", sigma0);
    in.put("eta", eta);
    in.put("batch", batch);
    in.put("noise", noise);
    in.set("outputSteps", longArray(STATISTICAL_STEPS));
    in.put("replicas", STATISTICAL_REPLICAS);
    ObjectNode q = c.putObject("expected").putObject("meanRisk");
    q.set("shape", intArray(List.of(STATISTICAL_STEPS.length)));
    q.set("values", vector(ms[0]));
    q.set("standardError", vector(ms[1]));
    q.put("replicas", STATISTICAL_REPLICAS);
    q.put("falseAlarm", 1e-3);
    q.put("reason", "256 replicas, each with its own W0 and samples; a correct candidate fails with "
        + "probability about 1e-3 (two-sided Bonferroni over the output steps; no replica carries more than "
        + "2.5% of a mean, so the means are close to normal), while a wrong step or initial scale moves the "
        + "mean risk by many standard errors");
    return finish(c);
  }

  // ----------------------------------------------------------------------------------------------------
  // JSON helpers

  private static ObjectNode header(String id, String kind, String title, String why, long seed,
      CaseFile.Difficulty difficulty) {
    ObjectNode c = F.objectNode();
    c.put("format", FORMAT);
    c.put("formatVersion", FORMAT_VERSION);
    c.put("id", id);
    c.put("kind", kind);
    c.put("title", title);
    c.put("why", why);
    ObjectNode g = c.putObject("generator");
    g.put("tool", TOOL);
    g.put("version", Version.CURRENT);
    g.put("seed", seed);
    ObjectNode d = c.putObject("difficulty");
    d.put("grade", difficulty.grade());
    d.put("reason", difficulty.reason());
    return c;
  }

  /**
   * Adds each quantity's float32 tolerance ({@link Float32Sensitivity}).
   *
   * @param expected the case's expected quantities. Modified.
   */
  private static void putFloat32(ObjectNode expected, Float32Sensitivity.Route route, long seed) {
    Map<String, CaseFile.ReasonedTolerance> tol = Float32Sensitivity.derive(route, seed);
    Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> q = it.next();
      CaseFile.ReasonedTolerance t = tol.get(q.getKey());
      ObjectNode f = ((ObjectNode) q.getValue()).putObject("float32");
      f.set("tolerance", tolerance(t.tolerance().absolute(), t.tolerance().relative()));
      f.put("reason", t.reason());
    }
  }

  private static double[][] doubles(RingMatrix<BigFraction> a) {
    double[][] x = new double[a.rows()][a.cols()];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = JsonInput.toDouble(a.get(i, j));
      }
    }
    return x;
  }

  private static ObjectNode finish(ObjectNode c) {
    c.put(CanonicalJson.CHECKSUM_FIELD, CanonicalJson.checksum(c));
    return c;
  }

  private static ObjectNode quantity(List<Integer> shape, JsonNode values, double abs, double rel, String reason) {
    ObjectNode q = F.objectNode();
    q.set("shape", intArray(shape));
    q.set("values", values);
    q.set("tolerance", tolerance(abs, rel));
    q.put("reason", reason);
    return q;
  }

  private static ObjectNode tolerance(double abs, double rel) {
    ObjectNode t = F.objectNode();
    t.put("absolute", abs);
    t.put("relative", rel);
    return t;
  }

  private static ArrayNode intArray(List<Integer> xs) {
    ArrayNode a = F.arrayNode();
    xs.forEach(a::add);
    return a;
  }

  private static ArrayNode longArray(long[] xs) {
    ArrayNode a = F.arrayNode();
    for (long x : xs) {
      a.add(x);
    }
    return a;
  }

  private static ArrayNode vector(double[] xs) {
    ArrayNode a = F.arrayNode();
    for (double x : xs) {
      a.add(x);
    }
    return a;
  }

  private static ArrayNode matrix(double[][] xs) {
    ArrayNode a = F.arrayNode();
    for (double[] row : xs) {
      a.add(vector(row));
    }
    return a;
  }

  // ----------------------------------------------------------------------------------------------------
  // text

  /**
   * The file text of a case: two-space indentation, one object member per line, arrays of numbers or strings
   * on one line, arrays of arrays one row per line, "\n" line ends and a final newline; scalars as Jackson
   * writes them (doubles in the shortest round-trip form). Independent of the platform's line separator.
   */
  public static String render(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b, 0);
    return b.append('\n').toString();
  }

  private static void write(JsonNode node, StringBuilder b, int indent) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        pad(b, indent + 1);
        b.append(F.textNode(e.getKey()).toString()).append(": ");
        write(e.getValue(), b, indent + 1);
        b.append(it.hasNext() ? ",\n" : "\n");
      }
      pad(b, indent);
      b.append('}');
    } else if (node.isArray()) {
      boolean flat = true;
      for (JsonNode x : node) {
        flat &= x.isValueNode();
      }
      if (flat) {
        b.append('[');
        for (int i = 0; i < node.size(); i++) {
          b.append(i > 0 ? ", " : "").append(node.get(i).toString());
        }
        b.append(']');
        return;
      }
      b.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        pad(b, indent + 1);
        write(node.get(i), b, indent + 1);
        b.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      pad(b, indent);
      b.append(']');
    } else {
      b.append(node.toString());
    }
  }

  private static void pad(StringBuilder b, int indent) {
    b.append("  ".repeat(indent));
  }
}
