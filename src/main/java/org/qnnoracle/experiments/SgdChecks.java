package org.qnnoracle.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.gaussian.DoubleMatrices;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Spectral;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Orthonormal;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.RecordingSamples;
import org.qnnoracle.sgd.SampleSource;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.SgdSnapshot;
import org.qnnoracle.sgd.StepGrid;
import org.qnnoracle.sgd.StepSchedule;
import org.qnnoracle.stats.LinearFit;
import org.qnnoracle.stats.Parallel;
import org.qnnoracle.stats.RunningMoments;

/**
 * The measurements behind the simulator claims SGD-ONE-STEP, SGD-UNBIASED-DRIFT, SGD-SMALL-STEP and
 * SGD-REPRODUCIBLE (proofs-notes/sgd-simulation.md), shared by the registered checks
 * (claims.SgdClaims) and the property tests, so a claim and its tests measure the same thing.
 */
public final class SgdChecks {
  /** Unit round-off u = 2^-53 of IEEE double precision (half the spacing of doubles at 1). */
  public static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2.0;

  private SgdChecks() {}

  // ------------------------------------------------------------------------------------------------------
  // SGD-ONE-STEP

  /** The samples of one step: inputs x_i (b rows of length d) and label noise eps_i. */
  public record Batch(double[][] xs, double[] eps) {
    public int size() {
      return eps.length;
    }

    /** The samples a recording source holds (all of them). */
    public static Batch of(RecordingSamples rec) {
      double[][] xs = new double[rec.size()][];
      double[] eps = new double[rec.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = rec.x(i);
        eps[i] = rec.eps(i);
      }
      return new Batch(xs, eps);
    }
  }

  /**
   * A one-step case: shape, batch, step, label noise, initial scale and seed (teacher, W0 and the samples
   * all derive from the seed). The registered check draws these from fixed seeds
   * ({@link #random(RandomGenerator, int, long)}), the property test from QuickTheories.
   */
  public record OneStepCase(int d, int r, int m, int batch, double eta, double noise, double sigma0, long seed) {
    public Instance instance() {
      return ModelSpec.of(d, r, m, 1.0, sigma0, seed).instance();
    }

    public OneStep run() {
      Instance inst = instance();
      return oneStep(inst.teacher(), inst.w0(), eta, batch, noise, Seeds.derive(seed, "sgd-one-step"));
    }

    /** d in [2, maxD], r in [1, d], m in [1, d + 2], b in [1, 4], eta log-uniform in [1e-4, 1e-1], s in [0, 2]
     * (0 with probability 1/3), sigma0 log-uniform in [0.1, 1.5]. */
    public static OneStepCase random(RandomGenerator rng, int maxD, long seed) {
      int d = 2 + rng.nextInt(maxD - 1);
      int r = 1 + rng.nextInt(d);
      int m = 1 + rng.nextInt(d + 2);
      int b = 1 + rng.nextInt(4);
      double eta = Math.exp(Math.log(1e-4) + (Math.log(1e-1) - Math.log(1e-4)) * rng.nextDouble());
      double s = rng.nextInt(3) == 0 ? 0.0 : 2.0 * rng.nextDouble();
      double sigma0 = Math.exp(Math.log(0.1) + (Math.log(1.5) - Math.log(0.1)) * rng.nextDouble());
      return new OneStepCase(d, r, m, b, eta, s, sigma0, seed);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "OneStepCase(d=%d, r=%d, m=%d, b=%d, eta=%.4g, s=%.4g, sigma0=%.4g, seed=%dL)",
          d, r, m, batch, eta, noise, sigma0, seed);
    }
  }

  /**
   * The simulator's step against the explicit congruence (see {@link #oneStep}). {@code terms} is the
   * round-off count N = (d + 3)(m + r + b), {@code scale} S_W = |W|_F (1 + c sum_i (|e_i| + E_i)(|x_i|^2 + 1))
   * (proofs-notes/sgd-simulation.md, SGD-ONE-STEP).
   */
  public record OneStep(int d, int m, int r, int batch, double errorW, double scale, int terms, double errorM,
      double minEigenvalue, double maxEigenvalue, int rankBefore, int rankAfter) {

    /** |W'_sim - P W|_F / (N u S_W); the tolerance is 2. */
    public double wRatio() {
      return errorW / (terms * UNIT_ROUNDOFF * scale);
    }

    /** |W'W'^T - P M P|_F / (N u S_W^2); the tolerance is 6. */
    public double mRatio() {
      return errorM / (terms * UNIT_ROUNDOFF * scale * scale);
    }

    /** max(0, -lambda_min(M')) / (100 d eps lambda_max(M')); the tolerance is 1. */
    public double psdRatio() {
      return Math.max(0.0, -minEigenvalue) / (Spectral.roundOffCutoff(d) * maxEigenvalue);
    }

    /** The rank M should have: min(m, d) (W0 is Gaussian, so of full rank almost surely). */
    public int expectedRank() {
      return Math.min(m, d);
    }
  }

  /** Tolerance of {@link OneStep#wRatio()}: both routes are within N u S_W of the exact W'. */
  public static final double ONE_STEP_W_BOUND = 2.0;
  /** Tolerance of {@link OneStep#mRatio()}: 2 |dW'| (|W'| + |PW|) plus three products' round-off. */
  public static final double ONE_STEP_M_BOUND = 6.0;

  /**
   * One step of {@link OnlineSgd} on b recorded Gaussian samples from W, and the same step formed
   * explicitly: P = I - (2 eta / b) sum_i e_i (x_i x_i^T - I) as a d x d matrix, with
   * e_i = x_i^T (M - A) x_i - tr(M - A) - eps_i from the matrices M = W W^T and A (not from the simulator's
   * z_i = W^T x_i), W' = P W and M' = P M P.
   */
  public static OneStep oneStep(Teacher teacher, double[][] w, double eta, int batch, double noise, long seed) {
    RecordingSamples rec = new RecordingSamples(new GaussianSamples(Seeds.generator(seed), noise));
    OnlineSgd sgd = new OnlineSgd(teacher, w, new StepSchedule.Constant(eta), batch, rec);
    sgd.step();
    double[][] w1 = sgd.weights();
    Batch samples = Batch.of(rec);
    double[][] p = explicitP(teacher, w, samples, eta);
    double[][] w1Explicit = Linalg.mult(p, w);
    double[][] m = Linalg.multTransB(w, w);
    double[][] m1Explicit = Linalg.mult(Linalg.mult(p, m), p);
    double[][] m1 = Linalg.multTransB(w1, w1);
    double[] ev = Spectral.eigenvaluesAscending(m1);
    int d = teacher.d();
    int cols = Dense.cols(w);
    return new OneStep(d, cols, teacher.r(), batch, Dense.frobeniusDistance(w1, w1Explicit),
        scale(teacher, w, samples, eta), terms(d, cols, teacher.r(), batch),
        Dense.frobeniusDistance(m1, m1Explicit), ev[0], ev[ev.length - 1], Spectral.numericalRank(m),
        Spectral.numericalRank(m1));
  }

  /** e_i = x_i^T B x_i - tr B - eps_i with B = W W^T - A formed as a d x d matrix. */
  public static double[] residuals(Teacher teacher, double[][] w, Batch s) {
    double[][] b = Dense.subtract(Linalg.multTransB(w, w), teacher.matrixA());
    double trB = Dense.trace(b);
    double[] e = new double[s.size()];
    for (int i = 0; i < e.length; i++) {
      double[] x = s.xs()[i];
      double quad = 0.0;
      for (int p = 0; p < x.length; p++) {
        double bx = 0.0;
        for (int q = 0; q < x.length; q++) {
          bx += b[p][q] * x[q];
        }
        quad += x[p] * bx;
      }
      e[i] = quad - trB - s.eps()[i];
    }
    return e;
  }

  /** P = I - (2 eta / b) sum_i e_i (x_i x_i^T - I), d x d, e_i from {@link #residuals}. */
  public static double[][] explicitP(Teacher teacher, double[][] w, Batch s, double eta) {
    return congruence(s, residuals(teacher, w, s), 2.0 * eta / s.size());
  }

  /** I - c sum_i e_i (x_i x_i^T - I). */
  public static double[][] congruence(Batch s, double[] e, double c) {
    int d = s.xs()[0].length;
    double[][] p = Dense.identity(d);
    for (int i = 0; i < e.length; i++) {
      double[] x = s.xs()[i];
      double ce = c * e[i];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          p[a][b] -= ce * x[a] * x[b];
        }
        p[a][a] += ce;
      }
    }
    return p;
  }

  /**
   * S_W = |W|_F (1 + c sum_i (|e_i| + E_i)(|x_i|^2 + 1)), c = 2 eta / b, with
   * E_i = |x_i|^2 (|W|_F^2 + sum_j |lambda_j|) + tr G + sum_j |lambda_j| + |eps_i|, which bounds the sum of
   * the magnitudes of the terms that make up e_i on either route: the size of the terms whose rounding
   * can reach W'.
   */
  public static double scale(Teacher teacher, double[][] w, Batch s, double eta) {
    double normW = Dense.frobeniusNorm(w);
    double traceG = normW * normW;
    double sumLambda = 0.0;
    for (double l : teacher.lambda()) {
      sumLambda += Math.abs(l);
    }
    double[] e = residuals(teacher, w, s);
    double c = 2.0 * eta / s.size();
    double acc = 0.0;
    for (int i = 0; i < e.length; i++) {
      double x2 = 0.0;
      for (double v : s.xs()[i]) {
        x2 += v * v;
      }
      double terms = x2 * (traceG + sumLambda) + traceG + sumLambda + Math.abs(s.eps()[i]);
      acc += (Math.abs(e[i]) + terms) * (x2 + 1.0);
    }
    return normW * (1.0 + c * acc);
  }

  /** N = (d + 3)(m + r + b): bounds the length of every accumulated sum on either route (see the note). */
  public static int terms(int d, int m, int r, int batch) {
    return (d + 3) * (m + r + batch);
  }

  // ------------------------------------------------------------------------------------------------------
  // SGD-UNBIASED-DRIFT

  /** One SGD step from W on samples drawn from {@code source}; returns W'. Must not modify w. */
  @FunctionalInterface
  public interface StepFunction {
    double[][] apply(double[][] w, SampleSource source);
  }

  /** The simulator's step: a fresh {@link OnlineSgd} on W, one {@link OnlineSgd#step()}, its weights. */
  public static StepFunction simulatorStep(Teacher teacher, double eta, int batch) {
    StepSchedule schedule = new StepSchedule.Constant(eta);
    return (w, source) -> {
      OnlineSgd sgd = new OnlineSgd(teacher, w, schedule, batch, source);
      sgd.step();
      return sgd.weights();
    };
  }

  /** Draws per chunk of the drift estimate (the unit of seeding and of parallel work). */
  public static final int DRIFT_CHUNK = 1 << 14;

  /**
   * Entrywise means and estimated standard errors of Q' - Q (r x m) and G' - G (m x m, upper triangle
   * estimated and mirrored) over n independent single steps from the same W.
   */
  public record DriftEstimate(long n, long seed, double[][] meanDq, double[][] seDq, double[][] meanDg,
      double[][] seDg) {
  }

  /**
   * n independent steps of {@code step} from the same W, each on fresh samples: the n draws are split
   * into a fixed number of chunks (it depends on n only), chunk k drawing from
   * {@code Seeds.derive(seed, "sgd-drift/chunk-k")}; each chunk keeps RunningMoments running means and variances,
   * merged in chunk order (Chan's formula), so the result does not depend on {@code threads}.
   */
  public static DriftEstimate estimateDrift(Teacher teacher, double[][] w, StepFunction step, double noise,
      long n, long seed, int threads) {
    if (n < 4) {
      throw new IllegalArgumentException("need at least 4 steps, got " + n);
    }
    int r = teacher.r();
    int m = Dense.cols(w);
    int entries = r * m + m * (m + 1) / 2;
    double[][] theta = teacher.theta();
    double[][] wCopy = Dense.copy(w);
    int chunks = (int) Math.max(2, (n + DRIFT_CHUNK - 1) / DRIFT_CHUNK);
    List<Callable<RunningMoments>> work = new ArrayList<>();
    for (int k = 0; k < chunks; k++) {
      long size = n / chunks + (k < n % chunks ? 1 : 0);
      long chunkSeed = Seeds.derive(seed, "sgd-drift/chunk-" + k);
      work.add(() -> {
        SampleSource source = new GaussianSamples(Seeds.generator(chunkSeed), noise);
        RunningMoments acc = new RunningMoments(entries);
        double[] v = new double[entries];
        for (long i = 0; i < size; i++) {
          double[][] w1 = step.apply(wCopy, source);
          overlapIncrements(theta, wCopy, w1, v);
          acc.add(v);
        }
        return acc;
      });
    }
    RunningMoments all = null;
    for (RunningMoments part : Parallel.runAll(work, threads, "sgd-checks")) {
      all = all == null ? part : RunningMoments.merge(all, part);
    }
    double[] se = all.standardErrors();
    double[] allMean = all.mean();
    double[][] meanDq = new double[r][m];
    double[][] seDq = new double[r][m];
    double[][] meanDg = new double[m][m];
    double[][] seDg = new double[m][m];
    int idx = 0;
    for (int a = 0; a < r; a++) {
      for (int j = 0; j < m; j++) {
        meanDq[a][j] = allMean[idx];
        seDq[a][j] = se[idx++];
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        meanDg[i][j] = meanDg[j][i] = allMean[idx];
        seDg[i][j] = seDg[j][i] = se[idx++];
      }
    }
    return new DriftEstimate(n, seed, meanDq, seDq, meanDg, seDg);
  }

  /**
   * Writes Theta^T (W' - W) (r x m, row-major) then the upper triangle of
   * W'^T W' - W^T W = D^T W + W^T D + D^T D with D = W' - W (no cancellation between G' and G).
   */
  static void overlapIncrements(double[][] theta, double[][] w, double[][] w1, double[] out) {
    int d = w.length;
    int m = Dense.cols(w);
    int r = Dense.cols(theta);
    java.util.Arrays.fill(out, 0.0);
    int gOffset = r * m;
    double[] dRow = new double[m];
    for (int p = 0; p < d; p++) {
      double[] wp = w[p];
      double[] w1p = w1[p];
      for (int j = 0; j < m; j++) {
        dRow[j] = w1p[j] - wp[j];
      }
      double[] tp = theta[p];
      for (int a = 0; a < r; a++) {
        double t = tp[a];
        int o = a * m;
        for (int j = 0; j < m; j++) {
          out[o + j] += t * dRow[j];
        }
      }
      int k = gOffset;
      for (int i = 0; i < m; i++) {
        for (int j = i; j < m; j++) {
          out[k++] += dRow[i] * wp[j] + wp[i] * dRow[j] + dRow[i] * dRow[j];
        }
      }
    }
  }

  /** The closed-form mean increments E[Q' - Q] and E[G' - G] of one step (spec/model.md). */
  public record DriftExpectation(double[][] dq, double[][] dg) {
  }

  /**
   * E[Q' - Q] = -4 eta (Q G - Lambda Q) ({@link GaussianFormulas#stepDriftOfOverlap}) and E[G' - G]
   * ({@link GaussianFormulas#stepDriftOfGram}) at W; with {@code secondOrder} false, the G drift without
   * its eta^2 term, -8 eta (G^2 - Q^T Lambda Q) (a negative control).
   */
  public static DriftExpectation expectedDrift(Teacher teacher, double[][] w, double eta, int batch, double noise,
      boolean secondOrder) {
    DoubleMatrices alg = DoubleMatrices.INSTANCE;
    double[][] q = teacher.overlaps(w);
    double[][] g = Linalg.multTransA(w, w);
    double[][] lambda = new double[teacher.r()][teacher.r()];
    for (int j = 0; j < teacher.r(); j++) {
      lambda[j][j] = teacher.lambda()[j];
    }
    double[][] dq = GaussianFormulas.stepDriftOfOverlap(alg, q, g, lambda, eta);
    double[][] dg = secondOrder
        ? GaussianFormulas.stepDriftOfGram(alg, q, g, lambda, teacher.d(), eta, batch, noise * noise)
        : Dense.scale(-8.0 * eta, Dense.subtract(Linalg.mult(g, g), GaussianFormulas.teacherGram(alg, q, lambda)));
    return new DriftExpectation(dq, dg);
  }

  /** Entrywise z = (mean - expected) / SE over the r m entries of Q and the m (m + 1) / 2 of G. */
  public record DriftComparison(int entries, double maxAbsZ, String worst) {
  }

  public static DriftComparison compare(DriftEstimate est, DriftExpectation expected) {
    int entries = 0;
    double max = -1.0;
    String worst = "none";
    double[][][] means = {est.meanDq(), est.meanDg()};
    double[][][] ses = {est.seDq(), est.seDg()};
    double[][][] exps = {expected.dq(), expected.dg()};
    String[] names = {"Q' - Q", "G' - G"};
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < means[k].length; i++) {
        for (int j = k == 1 ? i : 0; j < means[k][i].length; j++) {
          entries++;
          double z = (means[k][i][j] - exps[k][i][j]) / ses[k][i][j];
          double abs = Double.isNaN(z) ? Double.POSITIVE_INFINITY : Math.abs(z);
          if (abs > max) {
            max = abs;
            worst = String.format(Locale.ROOT, "%s[%d][%d]: mean %.5g, expected %.5g, SE %.3g", names[k], i, j,
                means[k][i][j], exps[k][i][j], ses[k][i][j]);
          }
        }
      }
    }
    return new DriftComparison(entries, max, worst);
  }

  // ------------------------------------------------------------------------------------------------------
  // SGD-SMALL-STEP

  /**
   * A warm start with no escape phase: r = m, W0 = c Theta H + (I - Theta Theta^T) N with H a Haar
   * orthogonal r x r matrix (so Theta^T M0 Theta = c^2 I: every teacher direction overlapped at O(1)) and
   * N with i.i.d. N(0, sPerp^2 / d) entries (a small student part outside the teacher span). Teacher:
   * l2-normalised power law with exponent alpha, Haar basis, from the seed.
   */
  public static Instance warmStart(int d, int r, double alpha, double c, double sPerp, long seed) {
    // sigma0 of the spec is unused: W0 is built here
    Teacher teacher = Teacher.of(ModelSpec.of(d, r, r, alpha, 1.0, seed));
    RandomGenerator rng = Seeds.generator(seed, "sgd-warm-start");
    double[][] h = Orthonormal.haar(rng, r, r);
    double[][] noise = Seeds.gaussianMatrix(rng, d, r, sPerp / Math.sqrt(d));
    double[][] w0 = Dense.addScaled(teacher.perpendicularPart(noise), c, Linalg.mult(teacher.theta(), h));
    return Instance.of(teacher, w0);
  }

  /**
   * SGD runs at several constant step sizes against the population flow: for step size k, replica j,
   * output i, {@code sgdRisk[k][j][i]} is the risk of the replica at the first step whose SGD time reaches
   * times[i], taken at SGD time {@code sgdTimes[k][i]}; {@code flowRisk[k][i]} is the exact flow's risk at
   * that same time.
   */
  public record SmallStepRun(Instance instance, double[] times, double[] etas, int replicas, long seed,
      double[][] sgdTimes, double[][][] sgdRisk, double[][] flowRisk, int diverged) {
  }

  /**
   * Runs {@code replicas} replicas at each eta (seed of step size k: {@code Seeds.derive(seed, "small-step/eta-k")})
   * on b = 1 clean samples, and the exact flow (reduced propagator) at the SGD times.
   */
  public static SmallStepRun smallStep(Instance inst, double tMax, int points, double[] etas, int replicas,
      long seed, int threads) {
    double[] times = FlowTime.uniformGrid(tMax, points);
    double[][] sgdTimes = new double[etas.length][];
    double[][][] sgdRisk = new double[etas.length][replicas][points];
    double[][] flowRisk = new double[etas.length][];
    int diverged = 0;
    for (int k = 0; k < etas.length; k++) {
      StepSchedule schedule = new StepSchedule.Constant(etas[k]);
      long[] steps = StepGrid.stepsForTimes(schedule, times);
      SgdRunner.Plan plan = new SgdRunner.Plan(inst, schedule, 1, 0.0, steps, replicas,
          Seeds.derive(seed, "small-step/eta-" + k));
      List<SgdRunner.Replica> reps = SgdRunner.run(plan, threads, SgdProgress.NONE);
      sgdTimes[k] = new double[points];
      for (int i = 0; i < points; i++) {
        sgdTimes[k][i] = steps[i] * etas[k];
      }
      for (int j = 0; j < replicas; j++) {
        SgdRunner.Replica rep = reps.get(j);
        if (rep.diverged()) {
          diverged++;
          java.util.Arrays.fill(sgdRisk[k][j], Double.NaN);
          continue;
        }
        for (int i = 0; i < points; i++) {
          sgdRisk[k][j][i] = rep.snapshots().get(i).risk();
        }
      }
      flowRisk[k] = flowRisks(inst, sgdTimes[k], 1.0);
    }
    return new SmallStepRun(inst, times, etas.clone(), replicas, seed, sgdTimes, sgdRisk, flowRisk, diverged);
  }

  /** The exact flow's risk at {@code clock} times the given times (clock 1: the flow itself). */
  public static double[] flowRisks(Instance inst, double[] times, double clock) {
    double[] scaled = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      scaled[i] = clock * times[i];
    }
    List<FlowState> states = FlowMethod.REDUCED.solve(inst, scaled, 1e-12);
    double[] out = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      FlowObservables o = states.get(i).observables(inst.teacher());
      out[i] = o.risk();
    }
    return out;
  }

  /**
   * Per step size, the mean over replicas of sup_i |R_SGD(t_i) - R_ref(t_i)| / (2 |A|_F^2) (normalised
   * risks); {@code reference} gives, for step size k, the reference risks at the SGD times
   * {@code run.sgdTimes()[k]} (for the flow itself, {@code run.flowRisk()[k]}).
   */
  public static double[] meanSupGaps(SmallStepRun run, IntFunction<double[]> reference) {
    double norm = 2.0 * run.instance().teacher().frobeniusNormSquared();
    double[] gaps = new double[run.etas().length];
    for (int k = 0; k < gaps.length; k++) {
      double[] ref = reference.apply(k);
      double sum = 0.0;
      for (double[] curve : run.sgdRisk()[k]) {
        double sup = 0.0;
        for (int i = 0; i < curve.length; i++) {
          double gap = Math.abs(curve[i] - ref[i]) / norm;
          sup = Double.isNaN(gap) ? Double.NaN : Math.max(sup, gap);
        }
        sum += sup;
      }
      gaps[k] = sum / run.replicas();
    }
    return gaps;
  }

  /** The gaps to the flow itself. */
  public static double[] meanSupGaps(SmallStepRun run) {
    return meanSupGaps(run, k -> run.flowRisk()[k]);
  }

  /**
   * Ordinary least squares of log y on log x: slope, its standard error from the residuals
   * (sqrt(RSS / (n - 2) / Sxx)), and the two-sided {@code level} confidence interval slope +- t_{n-2} SE.
   */
  public record PowerFit(double slope, double slopeSe, double intercept, int dof, double ciLow, double ciHigh,
      double level) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "slope %.3f (SE %.3f, %.0f%% CI [%.3f, %.3f], %d dof)", slope, slopeSe,
          100 * level, ciLow, ciHigh, dof);
    }
  }

  public static PowerFit fitPowerLaw(double[] x, double[] y, double level) {
    if (x.length < 3 || y.length != x.length) {
      throw new IllegalArgumentException("need at least 3 points with matching lengths");
    }
    LinearFit f = LinearFit.logLog(x, y);
    double[] ci = f.interval(level);
    return new PowerFit(f.slope(), f.standardError(), f.intercept(), f.n() - 2, ci[0], ci[1], level);
  }

  // ------------------------------------------------------------------------------------------------------
  // SGD-REPRODUCIBLE

  /**
   * How many recorded values differ in their bits between two sets of replicas (step, samples, t, risk,
   * Theta^T M Theta, Theta^T M^2 Theta, tr M, tr M^2 of every snapshot, and the divergence step); a
   * missing snapshot or replica counts as one difference.
   */
  public static long differingValues(List<SgdRunner.Replica> a, List<SgdRunner.Replica> b) {
    long diff = Math.abs(a.size() - b.size());
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      SgdRunner.Replica x = a.get(i);
      SgdRunner.Replica y = b.get(i);
      diff += x.divergedAt() == y.divergedAt() ? 0 : 1;
      diff += Math.abs(x.snapshots().size() - y.snapshots().size());
      for (int k = 0; k < Math.min(x.snapshots().size(), y.snapshots().size()); k++) {
        SgdSnapshot s = x.snapshots().get(k);
        SgdSnapshot u = y.snapshots().get(k);
        diff += s.step() == u.step() ? 0 : 1;
        diff += s.samples() == u.samples() ? 0 : 1;
        FlowObservables o = s.observables();
        FlowObservables p = u.observables();
        diff += differ(o.t(), p.t()) + differ(o.risk(), p.risk()) + differ(o.traceM(), p.traceM())
            + differ(o.traceM2(), p.traceM2()) + differingValues(o.thetaMTheta(), p.thetaMTheta())
            + differingValues(o.thetaM2Theta(), p.thetaM2Theta());
      }
    }
    return diff;
  }

  /** Entries whose bits differ (a shape mismatch counts every entry of the larger matrix). */
  public static long differingValues(double[][] a, double[][] b) {
    if (a.length != b.length || Dense.cols(a) != Dense.cols(b)) {
      return Math.max((long) a.length * Dense.cols(a), (long) b.length * Dense.cols(b));
    }
    long diff = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        diff += differ(a[i][j], b[i][j]);
      }
    }
    return diff;
  }

  private static int differ(double x, double y) {
    return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y) ? 0 : 1;
  }

  // ------------------------------------------------------------------------------------------------------

}
