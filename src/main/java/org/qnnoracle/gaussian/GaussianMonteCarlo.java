package org.qnnoracle.gaussian;

import static org.qnnoracle.gaussian.IndependentKernels.centredQuadratic;
import static org.qnnoracle.gaussian.IndependentKernels.column;
import static org.qnnoracle.gaussian.IndependentKernels.dot;
import static org.qnnoracle.gaussian.IndependentKernels.gaussians;
import static org.qnnoracle.gaussian.IndependentKernels.orthonormalBasis;
import static org.qnnoracle.gaussian.IndependentKernels.symmetricTimes;
import static org.qnnoracle.gaussian.IndependentKernels.transposeTimes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.gaussian.IndependentKernels.StepSampler;
import org.qnnoracle.gaussian.IndependentKernels.TeacherFunction;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Hermite;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.stats.Parallel;
import org.qnnoracle.stats.RunningMoments;

/**
 * The Monte Carlo route to the Gaussian identities: an independent, double-precision check at a dimension
 * (d = 20 by default) far beyond what the exact engines reach. Each integrand of {@link GaussianIdentity}
 * is evaluated straight from its definition at sampled points (label noise eps = s g, b fresh samples per
 * SGD step), with O(d^2) work per draw and no code shared with the polynomial engine or the closed forms:
 * Q M Q is (x^T M x) x x^T - x (Mx)^T - (Mx) x^T + M, grad_W f is 2 (x z^T - W) with z = W^T x, the student
 * is f = |z|^2 - |W|_F^2, the step is W' = W - (2 eta / b) sum_i e_i (x_i z_i^T - W), and E[M' - M] is
 * sampled as W'W'^T - W W^T itself. Which pieces are written here on purpose instead of reusing
 * {@code sgd}, {@code model} or {@code linalg}, and why, is listed in one place: {@link IndependentKernels}.
 * This class estimates; judging an estimate against a closed form (the z test below) is the Monte Carlo
 * check of {@code org.qnnoracle.experiments}.
 *
 * <p><b>Estimated standard errors.</b> Every output entry keeps its running mean and sample variance
 * (RunningMoments's update, merged across chunks with Chan's formula), so the standard error of each entry is
 * estimated from the sample, never guessed. The check compares with a closed form by a z test per entry
 * with a union (Bonferroni) bound over the K entries: z* = Phi^{-1}(1 - alpha / (2K)), alpha the
 * family-wise false-alarm rate of one identity check (default 1e-6).
 *
 * <p><b>Sampling.</b> {@link Sampling#PLAIN} draws x ~ N(0, I_d) (z ~ N(0, 1) for HERMITE). The default,
 * {@link Sampling#IMPORTANCE}, draws x from N(0, I + (v - 1) P), P the orthogonal projector onto the span S
 * of the instance's inputs (of dimension k: the columns of B and M, of W and A, ...; for HERMITE, the one
 * variable), and weights each draw by the exact likelihood ratio v^{k/2} exp(-(1 - 1/v) |P x|^2 / 2), so
 * the weighted mean is unbiased for the N(0, I_d) expectation (the product of the b weights for a batch).
 * The integrands are polynomials of degree up to 8 (12 for He_6 He_6) whose large values come from x in S;
 * under the wider proposal every weighted integrand is bounded along S, which tames the tails of the
 * estimate and lifts the per-draw signal-to-noise of the negative controls 2 to 4 fold (T(B, M), 16 BMB
 * against 14: 0.0017 plain, 0.0067 at v = 3). v is the largest value (at most
 * {@link #MAX_PROPOSAL_VARIANCE}) at which the weight alone keeps E[w^2] = (v / sqrt(2v - 1))^{kb} within
 * {@link #WEIGHT_SECOND_MOMENT}, so that it cannot blow up the variance of the light parts (k b large gives
 * v near 1, i.e. plain sampling).
 *
 * <p><b>Why the normal approximation is acceptable, and where it stops being so.</b> Each entry's mean is an
 * average of n i.i.d. draws with all moments finite, so the CLT applies and the studentized mean
 * (mean - E) / SE tends to N(0, 1). Its leading correction (Edgeworth) is about
 * gamma (2 z^2 + 1) phi(z) / (6 sqrt(n)) in the tail at z, gamma the skewness of one draw, towards the side
 * where a sample that missed the rare large draws sits (mean and SE both too small). Under plain sampling
 * that is not a small correction here: a degree-8 integrand concentrated in a few directions has gamma of
 * order 100 (23!! / 15!!^{3/2} for x_1^8), and He_6 He_6 (degree 12, kurtosis ~10^7) is hopeless. Measured
 * over 60 seeds at a tenth of the default n, plain sampling: HERMITE failed 6 of 60 checks (min z -12.2,
 * 19 entries beyond |z| = 4 for 0.1 expected, half-sample SE ratios up to 44), STEP_DRIFT had 9 entries
 * beyond |z| = 4 for 1.6 expected (half-sample ratios up to 12.5). With the importance proposal, the same
 * experiment failed none of the 660 checks and every identity's z looked normal: sd 0.96 to 1.02, entries
 * beyond |z| = 3 at 4 / 35 / 31 / 28 / 87 / 82 for 4.5 / 34 / 34 / 34 / 68 / 68 expected (HERMITE, LINEAR,
 * NOISE, LABELLED, STEP b = 1, 3), beyond |z| = 4 at most 1 where 0.8 to 1.6 are expected. At the default n
 * (ten times more) the Edgeworth error at z* of 5 to 6 is then a factor of a few at most on the nominal
 * alpha, and Bonferroni over correlated entries is conservative on top: the real false-alarm rate of one
 * identity check is below ~1e-5. The limits: nothing here proves a tail bound for a finite n; a run whose
 * SEs are dominated by a handful of draws is visible in the half-sample standard errors
 * (the half-sample standard errors of {@link MonteCarloEstimate.Moments}; the check reports the largest
 * ratio between them, 1 for a perfectly stable spread), which the tests bound.
 *
 * <p><b>Determinism.</b> The n draws are split into a fixed, even number C of chunks (it depends on n only;
 * chunks 0 .. C/2 - 1 form the first half-sample, the rest the second); chunk c draws from its own
 * generator, seeded by {@code Seeds.derive(seed, "gaussian-mc/<identity>/chunk-c")}, and the chunk
 * accumulators are merged in chunk order, so the numbers depend on the instance, the seed, n and the
 * sampling, never on the thread count.
 */
public final class GaussianMonteCarlo {
  /** Draws per chunk (the unit of parallel work and of seeding); the last chunk of a run may be smaller. */
  public static final int CHUNK = 1 << 15;

  /**
   * Largest variance of the importance proposal along S. 3 is where the measured gains level off (T(B, M):
   * per-draw signal-to-noise of the 2 BMB control 0.0017 plain, 0.0045 at v = 1.5, 0.0060 at 2, 0.0066 at 3;
   * HERMITE: normal-looking z at v = 2, 3 and 4 alike) while the weighted integrands stay bounded.
   */
  public static final double MAX_PROPOSAL_VARIANCE = 3.0;

  /**
   * Bound on E[w^2] of the importance weight of one evaluation (b draws): the factor by which the weights
   * alone may inflate the variance of a bounded integrand.
   */
  public static final double WEIGHT_SECOND_MOMENT = 3.0;

  /** How the Gaussian points are drawn. */
  public enum Sampling {
    /** x ~ N(0, I_d) (z ~ N(0, 1) for HERMITE), weight 1. */
    PLAIN,
    /** x ~ N(0, I + (v - 1) P_S) with likelihood-ratio weights; see the class comment. */
    IMPORTANCE
  }

  private GaussianMonteCarlo() {}

  // ------------------------------------------------------------------------------------------------------
  // Instances

  /**
   * The instance the default check uses (d = 20 there), with exact rational entries. Everything is placed
   * in general position by a rational orthogonal frame F = H(v1) H(v2) (two Householder reflections
   * I - 2 v v^T / v^T v with random rational v: exactly orthogonal, not aligned with the axes).
   * <ul>
   *   <li>Student W (d x m, m in 1..3): random rational entries / ceil(4 sqrt d), columns of norm about 1/2;
   *       teacher A = Theta Lambda Theta^T with Theta the first r columns of F (r in 1..4) and lambda in
   *       {1/2, 1, 3/2, 2}: a student smaller than its teacher, as early in training. RISK takes M = W W^T
   *       and A, LINEAR_MOMENT B = M - A, GRADIENT and STEP_DRIFT W and A, OVERLAP_DRIFT W, Theta,
   *       Lambda.</li>
   *   <li>NOISE_MOMENT (an identity for any symmetric B, M): B = F B0 F^T and M = F M0 F^T with B0, M0
   *       random rational symmetric 4 x 4 blocks (rank 4, M indefinite). LABELLED_NOISE_MOMENT: the pair
   *       SGD meets, B = M - A and M = W W^T (positive semi-definite, so that tr(M) I is not small).</li>
   *   <li>HE2_PAIR: u, v random rational vectors of norm about 1.</li>
   *   <li>Label noise s = 1/2 (s != 1, so s and s^2 differ), except s = 2 for LABELLED_NOISE_MOMENT, where
   *       the noise term s^2 (M + tr(M) I) is the point of the identity and must stand out of the
   *       fluctuations of (x^T B x - tr B - eps)^2 Q M Q; s = 0 without noise.</li>
   *   <li>Step sizes of the drifts: eta = 2/d and 1/d (1/10 and 1/20 at d = 20). The drift is exactly
   *       quadratic in eta, so any eta tests it; these make the eta^2 term (whose diagonal grows like
   *       d tr(B^2) tr(M)) many standard errors away from zero, so that a drift without it is rejected
   *       (z ~ 100 at the default n).</li>
   * </ul>
   *
   * <p>Why not the dense random draw of {@link GaussianIdentity#draw} at d = 20: its B and M are full-rank
   * with O(1) entries, so (x^T B x - tr B)^2 Q M Q fluctuates like d^3 entrywise while a term such as
   * 16 BMB is of order d (measured per-draw signal-to-noise of the 2 BMB difference ~0.001, so n ~ 10^8
   * to resolve it); the check passes there (the tests run it) but has little power. With the rank-4 pair
   * and importance sampling that signal-to-noise is 0.005 to 0.009 over seeds, so n of a few 10^6 resolves
   * it; for the drifts, a student smaller than the teacher makes the d-dependent term (2d + 10) tr(B^2) G
   * dominate the eta^2 bracket of the G drift, which is what a wrong d-coefficient changes.
   */
  public static IdentityCase<BigFraction> studentTeacherCase(GaussianIdentity g, RandomGenerator rng, int d,
      int batch, boolean withNoise) {
    if (d < 1 || batch < 1) {
      throw new IllegalArgumentException("need d >= 1 and batch >= 1, got d=" + d + " batch=" + batch);
    }
    RingMatrices<BigFraction> q = Rationals.MATRICES;
    RingMatrix<BigFraction> frame = q.multiply(householder(rng, d), householder(rng, d));
    int m = 1 + rng.nextInt(Math.min(d, 3));
    int r = 1 + rng.nextInt(Math.min(d, 4));
    BigFraction scale = new BigFraction(1, (long) Math.ceil(4.0 * Math.sqrt(d)));
    RingMatrix<BigFraction> w = Rationals.randomMatrix(rng, d, m).map(x -> x.multiply(scale));
    RingMatrix<BigFraction> theta = RingMatrix.build(d, r, frame::get);
    BigFraction[] lambda = new BigFraction[r];
    for (int j = 0; j < r; j++) {
      lambda[j] = new BigFraction(1 + rng.nextInt(4), 2);
    }
    RingMatrix<BigFraction> lam = Rationals.diagonal(lambda);
    RingMatrix<BigFraction> teacher = q.multiply(theta, q.multiply(lam, q.transpose(theta)));
    RingMatrix<BigFraction> student = q.multiply(w, q.transpose(w));
    BigFraction noise = withNoise && usesLabelNoise(g) ? new BigFraction(1, 2) : BigFraction.ZERO;

    Map<String, RingMatrix<BigFraction>> in = new LinkedHashMap<>();
    switch (g) {
      case HERMITE -> { }
      case HE2_PAIR -> {
        BigFraction half = scale.multiply(2);
        in.put("u", Rationals.randomMatrix(rng, d, 1).map(x -> x.multiply(half)));
        in.put("v", Rationals.randomMatrix(rng, d, 1).map(x -> x.multiply(half)));
      }
      case RISK -> {
        in.put("M", student);
        in.put("A", teacher);
      }
      case LINEAR_MOMENT -> in.put("B", q.subtract(student, teacher));
      case GRADIENT, STEP_DRIFT -> {
        in.put("W", w);
        in.put("A", teacher);
      }
      case NOISE_MOMENT -> {
        int k = Math.min(d, 4);
        in.put("B", rotatedBlock(q, frame, Rationals.randomSymmetric(rng, k)));
        in.put("M", rotatedBlock(q, frame, Rationals.randomSymmetric(rng, k)));
      }
      case LABELLED_NOISE_MOMENT -> {
        in.put("B", q.subtract(student, teacher));
        in.put("M", student);
        noise = withNoise ? new BigFraction(2) : BigFraction.ZERO;
      }
      case OVERLAP_DRIFT -> {
        in.put("W", w);
        in.put("Theta", theta);
        in.put("Lambda", lam);
      }
    }
    List<BigFraction> etas = (g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT)
        ? List.of(new BigFraction(2, d), new BigFraction(1, d))
        : List.of();
    int b = etas.isEmpty() ? 1 : batch;
    return new IdentityCase<>(d, b, in, etas, noise);
  }

  /** Whether the integrand of g has label noise (GRADIENT, LABELLED_NOISE_MOMENT and the drifts). */
  public static boolean usesLabelNoise(GaussianIdentity g) {
    return switch (g) {
      case GRADIENT, LABELLED_NOISE_MOMENT, STEP_DRIFT, OVERLAP_DRIFT -> true;
      case HERMITE, HE2_PAIR, RISK, LINEAR_MOMENT, NOISE_MOMENT -> false;
    };
  }

  /** The instance drawn from {@code Seeds.generator(seed, "gaussian-mc/instance/<identity>")}. */
  public static IdentityCase<BigFraction> studentTeacherCase(GaussianIdentity g, long seed, int d, int batch,
      boolean withNoise) {
    return studentTeacherCase(g, Seeds.generator(seed, "gaussian-mc/instance/" + g.cliName()), d, batch,
        withNoise);
  }

  /** F [S 0; 0 0] F^T: the k x k block S placed in general position in dimension d. */
  private static RingMatrix<BigFraction> rotatedBlock(RingMatrices<BigFraction> q, RingMatrix<BigFraction> frame,
      RingMatrix<BigFraction> block) {
    int d = frame.rows();
    int k = block.rows();
    RingMatrix<BigFraction> cols = RingMatrix.build(d, k, frame::get);
    return q.multiply(cols, q.multiply(block, q.transpose(cols)));
  }

  /** I - 2 v v^T / v^T v for a random non-zero rational v: exactly orthogonal and rational. */
  private static RingMatrix<BigFraction> householder(RandomGenerator rng, int d) {
    RingMatrix<BigFraction> v;
    BigFraction norm2;
    do {
      v = Rationals.randomMatrix(rng, d, 1);
      norm2 = Rationals.MATRICES.frobeniusInner(v, v);
    } while (norm2.signum() == 0);
    BigFraction f = new BigFraction(2).divide(norm2);
    RingMatrix<BigFraction> vv = v;
    return RingMatrix.build(d, d, (i, j) -> (i.equals(j) ? BigFraction.ONE : BigFraction.ZERO)
        .subtract(f.multiply(vv.get(i, 0)).multiply(vv.get(j, 0))));
  }

  /**
   * The closed forms of {@link GaussianIdentity#closedForms} evaluated in doubles (the instance's rationals
   * rounded once): relative round-off ~1e-15, far below any standard error here, and fast where exact
   * rationals with the frame's denominators take seconds.
   */
  public static Map<String, double[][]> expectedValues(GaussianIdentity g, IdentityCase<BigFraction> c) {
    Map<String, double[][]> out = new LinkedHashMap<>();
    g.closedForms(DoubleMatrices.BOXED, c.map(BigFraction::doubleValue)).forEach((k, v) -> {
      double[][] a = new double[v.rows()][v.cols()];
      for (int i = 0; i < v.rows(); i++) {
        for (int j = 0; j < v.cols(); j++) {
          a[i][j] = v.get(i, j);
        }
      }
      out.put(k, a);
    });
    return out;
  }

  /** The exact closed forms of {@link GaussianIdentity#exactClosedForms}, rounded to doubles at the end. */
  public static Map<String, double[][]> exactExpectedValues(GaussianIdentity g, IdentityCase<BigFraction> c) {
    Map<String, double[][]> out = new LinkedHashMap<>();
    g.exactClosedForms(c).forEach((k, v) -> out.put(k, Rationals.toDouble(v)));
    return out;
  }

  // ------------------------------------------------------------------------------------------------------
  // Estimation

  /** {@link #estimate(GaussianIdentity, IdentityCase, long, long, int, Sampling)} with importance sampling. */
  public static MonteCarloEstimate estimate(GaussianIdentity g, IdentityCase<BigFraction> c, long n, long seed,
      int threads) {
    return estimate(g, c, n, seed, threads, Sampling.IMPORTANCE);
  }

  /**
   * Estimates every output of identity g on the instance c from n draws (n SGD steps of c.batch() samples
   * for the drifts), in doubles. The numbers depend on (g, c, n, seed, sampling) only, not on
   * {@code threads}.
   */
  public static MonteCarloEstimate estimate(GaussianIdentity g, IdentityCase<BigFraction> c, long n, long seed,
      int threads, Sampling sampling) {
    if (n < 4) {
      throw new IllegalArgumentException("need at least 4 draws (two per half-sample), got " + n);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("need at least one thread, got " + threads);
    }
    Plan plan = plan(g, c, sampling);
    // an even number of chunks, so that the two half-samples differ in size by at most one draw and their
    // standard errors are directly comparable
    long wanted = Math.max(2, (n + CHUNK - 1) / CHUNK);
    int chunks = Math.toIntExact(wanted + (wanted & 1));
    List<Callable<RunningMoments>> work = new ArrayList<>(chunks);
    for (int k = 0; k < chunks; k++) {
      long size = n / chunks + (k < n % chunks ? 1 : 0);
      long chunkSeed = Seeds.derive(seed, "gaussian-mc/" + g.cliName() + "/chunk-" + k);
      work.add(() -> runChunk(plan, size, Seeds.generator(chunkSeed)));
    }
    List<RunningMoments> parts = Parallel.runAll(work, threads, "gaussian-mc");
    RunningMoments first = parts.get(0);
    for (int k = 1; k < chunks / 2; k++) {
      first = RunningMoments.merge(first, parts.get(k));
    }
    RunningMoments second = parts.get(chunks / 2);
    for (int k = chunks / 2 + 1; k < chunks; k++) {
      second = RunningMoments.merge(second, parts.get(k));
    }
    RunningMoments all = RunningMoments.merge(first, second);

    Map<String, MonteCarloEstimate.Moments> outputs = new LinkedHashMap<>();
    for (Output o : plan.outputs()) {
      outputs.put(o.name(), new MonteCarloEstimate.Moments(o.symmetric(),
          o.unpack(all.mean()), o.unpack(all.standardErrors()),
          o.unpack(first.standardErrors()), o.unpack(second.standardErrors())));
    }
    double noise = usesLabelNoise(g) ? c.noise().doubleValue() : 0.0;
    return new MonteCarloEstimate(g, c.d(), c.batch(), noise, n, seed, sampling,
        plan.proposal().dimension(), plan.proposal().variance(), outputs);
  }

  private static RunningMoments runChunk(Plan plan, long size, RandomGenerator rng) {
    Sampler s = plan.sampler().get();
    RunningMoments w = new RunningMoments(plan.entries());
    double[] v = new double[plan.entries()];
    for (long i = 0; i < size; i++) {
      s.sample(rng, v);
      w.add(v);
    }
    return w;
  }

  // ------------------------------------------------------------------------------------------------------
  // Importance proposal

  /**
   * The proposal variance v along a k-dimensional span for evaluations of b draws: the largest
   * v <= {@link #MAX_PROPOSAL_VARIANCE} with (v / sqrt(2 v - 1))^{k b} <= {@link #WEIGHT_SECOND_MOMENT}.
   */
  public static double proposalVariance(int dimension, int draws) {
    int kb = dimension * draws;
    if (kb == 0) {
      return 1.0;
    }
    double budget = Math.log(WEIGHT_SECOND_MOMENT) / kb;
    if (logWeightSecondMoment(MAX_PROPOSAL_VARIANCE) <= budget) {
      return MAX_PROPOSAL_VARIANCE;
    }
    double lo = 1.0;
    double hi = MAX_PROPOSAL_VARIANCE;
    for (int it = 0; it < 100; it++) {
      double mid = 0.5 * (lo + hi);
      if (logWeightSecondMoment(mid) <= budget) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** log E[w^2] per dimension for proposal variance v: log v - log(2v - 1) / 2 (increasing for v >= 1). */
  private static double logWeightSecondMoment(double v) {
    return Math.log(v) - 0.5 * Math.log(2.0 * v - 1.0);
  }

  /**
   * x ~ N(0, I + (v - 1) U U^T) for an orthonormal basis U (d x k) of the span S, with its likelihood-ratio
   * weight phi(x) / q(x) = v^{k/2} exp(-(v - 1) |y|^2 / 2), y = U^T g the standard coordinates along S.
   */
  record Proposal(double[][] basis, int dimension, double variance) {
    static Proposal plain() {
      return new Proposal(null, 0, 1.0);
    }

    /** Draws into x (length d), using y (length k) as scratch; returns the weight. */
    double draw(RandomGenerator rng, double[] x, double[] y) {
      gaussians(rng, x);
      if (dimension == 0 || variance == 1.0) {
        return 1.0;
      }
      transposeTimes(basis, x, y);
      double stretch = Math.sqrt(variance) - 1.0;
      for (int p = 0; p < x.length; p++) {
        double[] up = basis[p];
        double acc = 0.0;
        for (int t = 0; t < dimension; t++) {
          acc += up[t] * y[t];
        }
        x[p] += stretch * acc;
      }
      return Math.exp(0.5 * dimension * Math.log(variance) - 0.5 * (variance - 1.0) * dot(y, y));
    }
  }

  /** The proposal for an integrand whose heavy directions span the columns of {@code span}. */
  private static Proposal proposal(Sampling sampling, int draws, double[][]... span) {
    if (sampling == Sampling.PLAIN) {
      return Proposal.plain();
    }
    double[][] basis = orthonormalBasis(span);
    int k = basis.length == 0 ? 0 : basis[0].length;
    return k == 0 ? Proposal.plain() : new Proposal(basis, k, proposalVariance(k, draws));
  }

  // ------------------------------------------------------------------------------------------------------
  // Samplers: one weighted draw of every output entry, packed (upper triangles for symmetric outputs)

  interface Sampler {
    void sample(RandomGenerator rng, double[] out);
  }

  private record Output(String name, int rows, int cols, boolean symmetric, int offset) {
    int size() {
      return symmetric ? rows * (rows + 1) / 2 : rows * cols;
    }

    double[][] unpack(double[] packed) {
      double[][] a = new double[rows][cols];
      int k = offset;
      for (int i = 0; i < rows; i++) {
        for (int j = symmetric ? i : 0; j < cols; j++) {
          a[i][j] = packed[k];
          if (symmetric) {
            a[j][i] = packed[k];
          }
          k++;
        }
      }
      return a;
    }
  }

  private record Plan(List<Output> outputs, int entries, Proposal proposal, Supplier<Sampler> sampler) {}

  private static final class PlanBuilder {
    final List<Output> outputs = new ArrayList<>();
    int entries;

    PlanBuilder add(String name, int rows, int cols, boolean symmetric) {
      Output o = new Output(name, rows, cols, symmetric, entries);
      outputs.add(o);
      entries += o.size();
      return this;
    }

    Plan build(Proposal proposal, Supplier<Sampler> sampler) {
      return new Plan(List.copyOf(outputs), entries, proposal, sampler);
    }
  }

  /**
   * The outputs, proposal and sampler of identity g on the instance c: one step per integrand, each
   * evaluating the integrand straight from its definition (see {@link IndependentKernels}).
   */
  private static Plan plan(GaussianIdentity g, IdentityCase<BigFraction> c, Sampling sampling) {
    double s = usesLabelNoise(g) ? c.noise().doubleValue() : 0.0;
    return switch (g) {
      case HERMITE -> hermitePlan(sampling);
      case HE2_PAIR -> he2PairPlan(c, sampling);
      case RISK -> riskPlan(c, sampling);
      case LINEAR_MOMENT -> linearMomentPlan(c, sampling);
      case GRADIENT -> gradientPlan(c, s, sampling);
      case NOISE_MOMENT, LABELLED_NOISE_MOMENT -> noiseMomentPlan(g, c, s, sampling);
      case STEP_DRIFT, OVERLAP_DRIFT -> driftPlan(g, c, s, sampling);
    };
  }

  /** E[He_j He_k] for 0 &lt;= j, k &lt;= HERMITE_MAX, in the one variable z (upper triangle). */
  private static Plan hermitePlan(Sampling sampling) {
    PlanBuilder p = new PlanBuilder();
    int k = GaussianIdentity.HERMITE_MAX + 1;
    Proposal prop = proposal(sampling, 1, new double[][] {{1.0}});
    return p.add("E[He_j He_k]", k, k, true).build(prop, () -> {
      double[] z = new double[1];
      double[] y = new double[1];
      double[] h = new double[k];
      return (rng, out) -> {
        double weight = prop.draw(rng, z, y);
        for (int j = 0; j < k; j++) {
          h[j] = Hermite.he(j, z[0]);
        }
        int idx = 0;
        for (int i = 0; i < k; i++) {
          for (int j = i; j < k; j++) {
            out[idx++] = weight * h[i] * h[j];
          }
        }
      };
    });
  }

  /** He2(&lt;u, x&gt;) He2(&lt;v, x&gt;). */
  private static Plan he2PairPlan(IdentityCase<BigFraction> c, Sampling sampling) {
    int d = c.d();
    PlanBuilder p = new PlanBuilder();
    double[][] um = Rationals.toDouble(c.input("u"));
    double[][] vm = Rationals.toDouble(c.input("v"));
    double[] u = column(um);
    double[] v = column(vm);
    Proposal prop = proposal(sampling, 1, um, vm);
    return p.add("E[He2 He2]", 1, 1, false).build(prop, () -> {
      double[] x = new double[d];
      double[] y = new double[prop.dimension()];
      return (rng, out) -> {
        double weight = prop.draw(rng, x, y);
        out[0] = weight * Hermite.he2(dot(u, x)) * Hermite.he2(dot(v, x));
      };
    });
  }

  /** (f - f*)^2 with f = x^T M x - tr M, f* = x^T A x - tr A. */
  private static Plan riskPlan(IdentityCase<BigFraction> c, Sampling sampling) {
    int d = c.d();
    PlanBuilder p = new PlanBuilder();
    double[][] m = Rationals.toDouble(c.input("M"));
    double[][] a = Rationals.toDouble(c.input("A"));
    double trM = Dense.trace(m);
    double trA = Dense.trace(a);
    Proposal prop = proposal(sampling, 1, m, a);
    return p.add("E[(f - f*)^2]", 1, 1, false).build(prop, () -> {
      double[] x = new double[d];
      double[] y = new double[prop.dimension()];
      double[] sx = new double[d];
      return (rng, out) -> {
        double weight = prop.draw(rng, x, y);
        double e = centredQuadratic(m, trM, x, sx) - centredQuadratic(a, trA, x, sx);
        out[0] = weight * e * e;
      };
    });
  }

  /** (x^T B x - tr B) Q(x), Q(x) = x x^T - I (upper triangle). */
  private static Plan linearMomentPlan(IdentityCase<BigFraction> c, Sampling sampling) {
    int d = c.d();
    PlanBuilder p = new PlanBuilder();
    double[][] b = Rationals.toDouble(c.input("B"));
    double trB = Dense.trace(b);
    Proposal prop = proposal(sampling, 1, b);
    return p.add("E[(x^T B x - tr B) Q(x)]", d, d, true).build(prop, () -> {
      double[] x = new double[d];
      double[] y = new double[prop.dimension()];
      double[] sx = new double[d];
      return (rng, out) -> {
        double weight = prop.draw(rng, x, y);
        double q = weight * centredQuadratic(b, trB, x, sx);
        int idx = 0;
        for (int i = 0; i < d; i++) {
          double qxi = q * x[i];
          out[idx++] = qxi * x[i] - q;
          for (int j = i + 1; j < d; j++) {
            out[idx++] = qxi * x[j];
          }
        }
      };
    });
  }

  /** (f - y) grad_W f with y = f* + s g; {@code s} is the label-noise standard deviation. */
  private static Plan gradientPlan(IdentityCase<BigFraction> c, double s, Sampling sampling) {
    int d = c.d();
    PlanBuilder p = new PlanBuilder();
    double[][] w = Rationals.toDouble(c.input("W"));
    double[][] a = Rationals.toDouble(c.input("A"));
    TeacherFunction teacher = TeacherFunction.ofMatrix(a);
    int cols = Dense.cols(w);
    double w2 = Dense.frobeniusInner(w, w);
    Proposal prop = proposal(sampling, 1, w, a);
    return p.add("E[(f - y) grad_W f]", d, cols, false).build(prop, () -> {
      double[] x = new double[d];
      double[] y = new double[prop.dimension()];
      double[] scratch = new double[d];
      double[] z = new double[cols];
      return (rng, out) -> {
        double weight = prop.draw(rng, x, y);
        double eps = s * rng.nextGaussian();
        transposeTimes(w, x, z);
        double e = dot(z, z) - w2 - teacher.value(x, scratch) - eps;
        // (f - y) grad_W f with grad_W f = 2 Q(x) W = 2 (x z^T - W)
        double twoE = 2.0 * weight * e;
        int idx = 0;
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < cols; j++) {
            out[idx++] = twoE * (x[i] * z[j] - w[i][j]);
          }
        }
      };
    });
  }

  /** (x^T B x - tr B - eps)^2 Q M Q (upper triangle); eps = s g for LABELLED_NOISE_MOMENT, 0 otherwise. */
  private static Plan noiseMomentPlan(GaussianIdentity g, IdentityCase<BigFraction> c, double s, Sampling sampling) {
    int d = c.d();
    PlanBuilder p = new PlanBuilder();
    boolean labelled = g == GaussianIdentity.LABELLED_NOISE_MOMENT;
    double[][] b = Rationals.toDouble(c.input("B"));
    double[][] m = Rationals.toDouble(c.input("M"));
    double trB = Dense.trace(b);
    Proposal prop = proposal(sampling, 1, b, m);
    return p.add(labelled ? "T'(B, M)" : "T(B, M)", d, d, true).build(prop, () -> {
      double[] x = new double[d];
      double[] y = new double[prop.dimension()];
      double[] bx = new double[d];
      double[] mx = new double[d];
      return (rng, out) -> {
        double weight = prop.draw(rng, x, y);
        double eps = labelled ? s * rng.nextGaussian() : 0.0;
        double q = centredQuadratic(b, trB, x, bx) - eps;
        double q2 = weight * q * q;
        symmetricTimes(m, x, mx);
        double t = dot(x, mx);
        // (x^T B x - tr B - eps)^2 Q M Q, Q M Q = (x^T M x) x x^T - x (Mx)^T - (Mx) x^T + M
        int idx = 0;
        for (int i = 0; i < d; i++) {
          double txi = t * x[i];
          double xi = x[i];
          double mxi = mx[i];
          double[] mi = m[i];
          for (int j = i; j < d; j++) {
            out[idx++] = q2 * (txi * x[j] - xi * mx[j] - mxi * x[j] + mi[j]);
          }
        }
      };
    });
  }

  /**
   * The changes one online-SGD step makes ({@link IndependentKernels.StepSampler}): M' - M for STEP_DRIFT,
   * Q' - Q and G' - G for OVERLAP_DRIFT, at each step size of c.
   */
  private static Plan driftPlan(GaussianIdentity g, IdentityCase<BigFraction> c, double s, Sampling sampling) {
    int d = c.d();
    PlanBuilder p = new PlanBuilder();
    boolean overlap = g == GaussianIdentity.OVERLAP_DRIFT;
    double[][] w = Rationals.toDouble(c.input("W"));
    int cols = Dense.cols(w);
    double[][] theta = overlap ? Rationals.toDouble(c.input("Theta")) : null;
    double[][] a = overlap ? null : Rationals.toDouble(c.input("A"));
    TeacherFunction teacher = overlap
        ? TeacherFunction.ofNetwork(theta, Rationals.toDouble(c.input("Lambda")))
        : TeacherFunction.ofMatrix(a);
    int batch = c.batch();
    Proposal prop = proposal(sampling, batch, w, overlap ? theta : a);
    int etaCount = c.etas().size();
    double[] etas = new double[etaCount];
    for (int k = 0; k < etaCount; k++) {
      etas[k] = c.etas().get(k).doubleValue();
      if (overlap) {
        p.add("E[Q' - Q] at eta_" + (k + 1), Dense.cols(theta), cols, false);
        p.add("E[G' - G] at eta_" + (k + 1), cols, cols, true);
      } else {
        p.add("E[M' - M] at eta_" + (k + 1), d, d, true);
      }
    }
    return p.build(prop, () -> new StepSampler(w, teacher, theta, etas, batch, s, prop));
  }
}
