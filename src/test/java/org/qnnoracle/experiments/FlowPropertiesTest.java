package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qnnoracle.flow.FlowGenerators.instances;
import static org.qnnoracle.flow.FlowGenerators.lambdaTau;
import static org.qnnoracle.flow.FlowGenerators.qt;
import static org.qnnoracle.flow.FlowGenerators.timeAt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.flow.ExactPropagator;
import org.qnnoracle.flow.FlowGenerators.InstanceCase;
import org.qnnoracle.flow.FlowGenerators;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.flow.IntegratedFlow;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.RandomInstances;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.ode.Integrator;
import org.qnnoracle.ode.OdeIntegrationException;
import org.quicktheories.core.Gen;

/**
 * Property tests of the invariants of the population flow dM/dtau = A M + M A - 2 M^2 (tau = 4t), each
 * measured by its predicate in {@link FlowChecks} with the bound of the registered claim, read from the
 * registry so that the claim's number is written once.
 *
 * <p>Every property runs on a fixed QuickTheories seed (printed) over a bounded number of random
 * instances of dimension d &lt;= 12, random spectra (alpha in [0.5, 2]) and random times
 * lambda_max tau in [0, 50]. A failure prints the recipe (instance seed, ranks, time) that reproduces it.
 */
class FlowPropertiesTest {
  /** FLOW-LOEWNER: the propagator's certified 1e-10. */
  private static final double ORDER_BOUND = bound("FLOW-LOEWNER");
  /** FLOW-ORDER-INTERVALS: the same certified 1e-10 (its intervals are Loewner orders against 0 and A). */
  private static final double INTERVAL_BOUND = bound("FLOW-ORDER-INTERVALS");
  /** FLOW-PSD-RANK: DP853 at rtol 1e-13 keeps |M| errors below 1e-11. */
  private static final double PSD_RANK_BOUND = bound("FLOW-PSD-RANK");
  /** FLOW-FIXED-POINTS: round-off only. */
  private static final double FIXED_POINT_BOUND = bound("FLOW-FIXED-POINTS");
  /** FLOW-SEMIGROUP: cond(K) eps for the one-shot form, x100 margin. */
  private static final double SEMIGROUP_BOUND = bound("FLOW-SEMIGROUP");
  /** FLOW-DESCENT-RATE: 5-point stencil truncation + round-off. */
  private static final double DESCENT_RATE_BOUND = bound("FLOW-DESCENT-RATE");
  /** FLOW-INVERSE-LINEAR: cond(N) eps with cond(N) ~ 1e3. */
  private static final double INVERSE_BOUND = bound("FLOW-INVERSE-LINEAR");
  /** FLOW-RISK-MONOTONE: 450 eps of 2 |A|_F^2. */
  private static final double MONOTONE_BOUND = bound("FLOW-RISK-MONOTONE");
  /** FLOW-EXACT-LONG: what the W form must achieve where the M form fails. */
  private static final double LONG_TIME_BOUND = bound("FLOW-EXACT-LONG");

  /** The fixed bound of a registered claim: the number its check, its tolerance text and these tests share. */
  private static double bound(String claimId) {
    double b = ClaimRegistry.byId(claimId).orElseThrow().bound();
    if (Double.isNaN(b)) {
      throw new IllegalStateException(claimId + " has no fixed bound");
    }
    return b;
  }

  // ------------------------------------------------------------------------------------ Loewner order

  /** A pair M0 = B B^T (rank lowerRank) &lt;= M0' = M0 + C C^T (rank extraRank) and a time. */
  record LoewnerCase(InstanceCase inst, int lowerRank, int extraRank, double lambdaTau) {
    Instance instance() {
      return inst.instance();
    }

    /** [lower, upper]: scales e^{-3..1} as in FLOW-LOEWNER, drawn from the instance seed's own stream. */
    double[][][] pair() {
      int d = instance().d();
      RandomGenerator rng = Seeds.generator(inst.seed(), "loewner-pair-test");
      double[][] lower = RandomInstances.randomPsd(rng, d, lowerRank, Math.exp(-3 + 4 * rng.nextDouble()));
      double[][] upper = Dense.addScaled(lower, 1.0,
          RandomInstances.randomPsd(rng, d, extraRank, Math.exp(-3 + 4 * rng.nextDouble())));
      return new double[][][] {lower, upper};
    }

    double t() {
      return timeAt(lambdaTau, instance().teacher().lambdaMax());
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s, rank(M0)=%d, rank(C)=%d, lambda_max*tau=%.6g",
          inst, Math.min(lowerRank, instance().d()), Math.min(extraRank, instance().d()), lambdaTau);
    }
  }

  private static Gen<LoewnerCase> loewnerCases(double maxLambdaTau) {
    return instances().zip(integers().between(0, FlowGenerators.MAX_D), integers().between(0, FlowGenerators.MAX_D),
        lambdaTau(0.0, maxLambdaTau), LoewnerCase::new);
  }

  @Test
  void loewnerOrderPreserved() {
    // FLOW-LOEWNER: M0 <= M0' (general PSD, random ranks including 0, also rank(M0') < r) => M(t) <= M'(t).
    AtomicInteger checked = new AtomicInteger();
    AtomicInteger lowRank = new AtomicInteger();
    qt("loewnerOrderPreserved", 400)
        .forAll(loewnerCases(50.0))
        .checkAssert(c -> {
          checked.incrementAndGet();
          if (c.lowerRank() > 0 && c.lowerRank() < c.instance().d()) {
            lowRank.incrementAndGet();
          }
          double[][][] p = c.pair();
          double violation = FlowChecks.loewnerViolation(c.instance().teacher(), p[0], p[1], c.t());
          // ORDER_BOUND: violations below the propagator's certified 1e-10 cannot be resolved (FLOW-LOEWNER).
          assertThat(violation).as("Loewner violation for %s", c).isLessThanOrEqualTo(ORDER_BOUND);
        });
    System.out.println("loewnerOrderPreserved: " + checked.get() + " pairs, " + lowRank.get() + " with 0 < rank(M0) < d");
    // the sample must contain rank-deficient lower matrices, the case the general-rank claim is about
    assertThat(lowRank.get()).isGreaterThanOrEqualTo(checked.get() / 4);
  }

  /**
   * Regression test for a bug found by this class: FlowChecks.evolvePsd used to factor M0 with
   * Spectral.psdFactor(m0, 0.0), keeping the positive round-off eigenvalues (~ eps |M0|) of a rank-deficient
   * M0 as columns of size sqrt(eps |M0|). Along an uncovered teacher direction theta_j such a column grows
   * like e^{2 lambda_j tau}, so the lower and the upper matrix escaped their rank at different times and an
   * ordered pair showed a "violation" of 0.089 on this case (rank(M0) = 4, rank(C) = 1, r = 6). evolvePsd now
   * drops eigenvalues below Spectral.roundOffCutoff(d).
   */
  @Test
  void loewnerRankDeficientPairRegression() {
    // found by a scan of 2000 seeds of this recipe: 12 of them exceeded 1e-10, all with rank(M0') < r
    Instance inst = RandomInstances.draw(1520L, RandomInstances.Family.standard(FlowGenerators.MAX_D));
    RandomGenerator rng = Seeds.generator(1520L, "pair");
    int d = inst.d();
    int k1 = rng.nextInt(d + 1);
    int k2 = rng.nextInt(d + 1);
    double[][] lower = RandomInstances.randomPsd(rng, d, k1, Math.exp(-3 + 4 * rng.nextDouble()));
    double[][] upper = Dense.addScaled(lower, 1.0,
        RandomInstances.randomPsd(rng, d, k2, Math.exp(-3 + 4 * rng.nextDouble())));
    double t = timeAt(50 * rng.nextDouble(), inst.teacher().lambdaMax());
    assertThat(k1 + k2).as("the pair is rank deficient (rank(M0') < r)").isLessThan(inst.r());
    // ORDER_BOUND as in FLOW-LOEWNER
    assertThat(FlowChecks.loewnerViolation(inst.teacher(), lower, upper, t)).isLessThanOrEqualTo(ORDER_BOUND);
  }

  @Test
  void negativeControlUnorderedPairIsDetected() {
    // The same pairs swapped (M0' <= M0 with M0' != M0): the check must report a clear violation. Times are
    // kept to lambda_max tau <= 2, where the flow has not yet contracted the difference C C^T towards A.
    qt("negativeControlUnorderedPairIsDetected", 40)
        .forAll(instances(), integers().between(0, FlowGenerators.MAX_D), integers().between(1, FlowGenerators.MAX_D),
            lambdaTau(0.0, 2.0))
        .checkAssert((inst, k1, k2, lt) -> {
          LoewnerCase c = new LoewnerCase(inst, k1, k2, lt);
          double[][][] p = c.pair();
          double violation = FlowChecks.loewnerViolation(c.instance().teacher(), p[1], p[0], c.t());
          // 1e4 x ORDER_BOUND: a swapped pair must stand far above the level at which order is declared kept
          assertThat(violation).as("swapped pair %s", c).isGreaterThan(1e4 * ORDER_BOUND);
        });
  }

  /**
   * A deliberately wrong flow, integrated with the same machinery as the matrix form
   * (IntegratedFlow.integrateSymmetric, DormandPrince853, rtol 1e-12): {@code cubic} gives
   * dM/dtau = A M + M A - 2 M^3 (M -> M^3 is not operator monotone, so order is not preserved); otherwise
   * dM/dtau = A M + M A + 2 M^2 (the wrong sign of the quadratic term).
   */
  private static double[][] wrongFlow(double[][] a, double[][] m0, double tau, boolean cubic) {
    if (tau == 0.0) {
      return m0;
    }
    UnaryOperator<double[][]> rhs = m -> {
      double[][] am = Linalg.mult(a, m);
      double[][] mm = Linalg.mult(m, m);
      double[][] nonlinear = cubic ? Dense.scale(-2.0, Linalg.mult(mm, m)) : Dense.scale(2.0, mm);
      return Dense.symmetricPart(Dense.addScaled(Dense.addScaled(am, 1.0, Dense.transpose(am)), 1.0, nonlinear));
    };
    return IntegratedFlow.integrateSymmetric(m0, rhs, new double[] {tau}, Integrator.DP853, 1e-12, FlowProgress.NONE)
        .get(0);
  }

  /** Ordered pairs of full-ish rank and O(1) scale on small instances, for the wrong-flow controls. */
  private static List<Object[]> smallOrderedPairs(int count, double logScaleLo, double logScaleHi, double maxLambdaTau) {
    List<Object[]> out = new ArrayList<>();
    for (long seed = 1; seed <= count; seed++) {
      Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(6));
      RandomGenerator rng = Seeds.generator(seed, "wrong-flow-pair");
      int d = inst.d();
      double[][] lower = RandomInstances.randomPsd(rng, d, 1 + rng.nextInt(d),
          Math.exp(logScaleLo + (logScaleHi - logScaleLo) * rng.nextDouble()));
      double[][] upper = Dense.addScaled(lower, 1.0, RandomInstances.randomPsd(rng, d, 1 + rng.nextInt(d),
          Math.exp(logScaleLo + (logScaleHi - logScaleLo) * rng.nextDouble())));
      double tau = maxLambdaTau * rng.nextDouble() / inst.teacher().lambdaMax();
      out.add(new Object[] {inst, lower, upper, tau, seed});
    }
    return out;
  }

  @Test
  void negativeControlWrongFlowBreaksOrder() {
    // A cubic damping term instead of -2 M^2: the same ordered pairs, the same predicate (loewnerGap), and
    // the order is broken, while the real flow keeps it on the very same pairs.
    double worstWrong = 0.0;
    int broken = 0;
    List<Object[]> cases = smallOrderedPairs(6, -1.0, 1.0, 2.0);
    for (Object[] c : cases) {
      Instance inst = (Instance) c[0];
      double[][] lower = (double[][]) c[1];
      double[][] upper = (double[][]) c[2];
      double tau = (Double) c[3];
      double[][] a = inst.teacher().matrixA();
      double wrong = -FlowChecks.loewnerGap(wrongFlow(a, lower, tau, true), wrongFlow(a, upper, tau, true));
      double right = FlowChecks.loewnerViolation(inst.teacher(), lower, upper, tau / FlowTime.TAU_PER_T);
      System.out.printf(Locale.ROOT, "wrong-flow control seed %d d=%d: cubic flow violation %.3g, true flow %.3g%n",
          (Long) c[4], inst.d(), wrong, right);
      // ORDER_BOUND (FLOW-LOEWNER): the true flow keeps these pairs (at lambda_max tau <= 2 round-off in
      // uncovered directions grows at most e^4-fold, so evolvePsd is reliable here even for low ranks)
      assertThat(right).isLessThanOrEqualTo(ORDER_BOUND);
      worstWrong = Math.max(worstWrong, wrong);
      // 1e4 x ORDER_BOUND: a violation that no round-off or integration error (rtol 1e-12) can explain
      if (wrong > 1e4 * ORDER_BOUND) {
        broken++;
      }
    }
    assertThat(worstWrong).as("largest order violation of the cubic flow").isGreaterThan(1e-3);
    assertThat(broken).as("pairs whose order the cubic flow breaks").isGreaterThanOrEqualTo(cases.size() / 2);
  }

  /**
   * Documents why the wrong SIGN of the quadratic term (dM/dtau = A M + M A + 2 M^2) is not a negative
   * control for order: every matrix Riccati flow dM = B M + M B^T - M R M preserves the Loewner order for
   * any symmetric R (the difference Delta = M' - M solves a Riccati equation of the same kind, which keeps
   * Delta PSD), so the wrong sign only shortens the life of the solution (finite-time blow-up). Scales and
   * times here are small enough that no solution blows up.
   */
  @Test
  void wrongSignQuadraticStillPreservesOrder() {
    for (Object[] c : smallOrderedPairs(6, -4.0, -3.0, 0.5)) {
      Instance inst = (Instance) c[0];
      double[][] a = inst.teacher().matrixA();
      double tau = (Double) c[3];
      double[][] ml = wrongFlow(a, (double[][]) c[1], tau, false);
      double[][] mu = wrongFlow(a, (double[][]) c[2], tau, false);
      // 1e-12 relative is the integration tolerance; ORDER_BOUND leaves it a factor 100
      assertThat(-FlowChecks.loewnerGap(ml, mu)).as("seed %d", (Long) c[4]).isLessThanOrEqualTo(ORDER_BOUND);
    }
  }

  // ------------------------------------------------------------------------------------ order intervals

  @Test
  void orderIntervalsInvariant() {
    // FLOW-ORDER-INTERVALS: 0 <= M0 <= A => 0 <= M(t) <= A;  M0 >= A => M(t) >= A.
    qt("orderIntervalsInvariant", 200)
        .forAll(instances(), lambdaTau(0.0, 50.0))
        .checkAssert((c, lt) -> {
          Instance inst = c.instance();
          Teacher teacher = inst.teacher();
          double t = timeAt(lt, teacher.lambdaMax());
          RandomGenerator rng = Seeds.generator(c.seed(), "order-interval-test");
          double[][] a = teacher.matrixA();
          double[][] below = RandomInstances.randomBelowTeacher(rng, teacher);
          double[][] above = Dense.addScaled(a, 1.0,
              RandomInstances.randomPsd(rng, inst.d(), 1 + rng.nextInt(inst.d()), Math.exp(-2 + 3 * rng.nextDouble())));
          double[][] mBelow = FlowChecks.evolvePsd(teacher, below, t);
          // INTERVAL_BOUND (FLOW-ORDER-INTERVALS)
          assertThat(-FlowChecks.loewnerGap(Dense.zeros(inst.d(), inst.d()), mBelow))
              .as("M(t) >= 0 from M0 in [0, A]: %s lambda_max*tau=%s", c, lt).isLessThanOrEqualTo(INTERVAL_BOUND);
          assertThat(-FlowChecks.loewnerGap(mBelow, a))
              .as("M(t) <= A from M0 in [0, A]: %s lambda_max*tau=%s", c, lt).isLessThanOrEqualTo(INTERVAL_BOUND);
          assertThat(-FlowChecks.loewnerGap(a, FlowChecks.evolvePsd(teacher, above, t)))
              .as("M(t) >= A from M0 >= A: %s lambda_max*tau=%s", c, lt).isLessThanOrEqualTo(INTERVAL_BOUND);
        });
  }

  // ------------------------------------------------------------------------------------ PSD and rank

  /** The FLOW-PSD-RANK family: sigma0 in [0.1, 1] keeps the nonzero eigenvalues of M0 well above 1e-7 |M|. */
  private static final RandomInstances.Family PSD_FAMILY =
      new RandomInstances.Family(FlowGenerators.MAX_D, 0.5, 2.0, Math.log(0.1), 0.0);

  @Test
  void psdAndRankPreservedByMatrixForm() {
    // FLOW-PSD-RANK: the M form, which knows nothing of M = W W^T, keeps M PSD of rank min(m, d). For m < r
    // the time is capped at lambda_{m+1} tau <= 3 (FlowAccuracyClaims.matrixFormTimes): beyond it round-off
    // in the directions the student cannot hold grows like e^{2 lambda_{m+1} tau} (next test).
    qt("psdAndRankPreservedByMatrixForm", 120)
        .forAll(instances(PSD_FAMILY), lambdaTau(0.0, 50.0))
        .checkAssert((c, lt) -> {
          Instance inst = c.instance();
          Teacher teacher = inst.teacher();
          double t = timeAt(lt, teacher.lambdaMax());
          if (inst.m() < inst.r()) {
            t = Math.min(t, timeAt(3.0, teacher.lambda()[inst.m()]));
          }
          double[][] m0 = Linalg.multTransB(inst.w0(), inst.w0());
          FlowState s = IntegratedFlow.matrixForm(teacher, m0, new double[] {t}, Integrator.DP853,
              IntegratedFlow.TIGHT_RTOL).get(0);
          // PSD_RANK_BOUND (FLOW-PSD-RANK); a lost rank returns +infinity
          assertThat(FlowChecks.psdRankDefect(s.matrixOrNull(), Math.min(inst.m(), inst.d())))
              .as("PSD/rank defect for %s at t=%s", c, t).isLessThanOrEqualTo(PSD_RANK_BOUND);
        });
  }

  @Test
  void matrixFormIsTransversallyUnstableWhenStudentIsNarrow() {
    // Documents why the M form is trusted only while lambda_{m+1} tau <= 3 when m < r. In exact arithmetic M
    // keeps rank m and converges to the best rank-m part of A; in floating point round-off seeds the
    // directions theta_{m+1}, ... that the student cannot hold, and they grow like e^{2 lambda_{m+1} tau}
    // (e^80 ~ 1e34 at lambda_{m+1} tau = 40, enough to lift 1e-16 to O(1)). The W form cannot leave rank m
    // (its state has m columns), so it stays on the exact solution.
    Instance inst = RandomInstances.withShape(8, 4, 2, 1.0, 0.1, 20_261_128L);
    Teacher teacher = inst.teacher();
    double t = timeAt(40.0, teacher.lambda()[inst.m()]);
    double[] times = {t};
    double normA2 = teacher.frobeniusNormSquared();
    FlowState exact = FlowMethod.EXACT.solve(inst, times, 0.0).get(0);
    FlowState w = FlowMethod.DP853.solve(inst, times, IntegratedFlow.TIGHT_RTOL).get(0);
    // LONG_TIME_BOUND (FLOW-EXACT-LONG): the W form meets the accuracy requirement at this time
    assertThat(exact.observables(teacher).distance(w.observables(teacher), normA2)).isLessThanOrEqualTo(LONG_TIME_BOUND);
    // FlowMethod refuses this run (checkApplicable); the integrator itself is called to show why
    assertThatThrownBy(() -> FlowMethod.DP853_M.solve(inst, times, IntegratedFlow.TIGHT_RTOL))
        .isInstanceOf(org.qnnoracle.InvalidInputException.class).hasMessageContaining("unstable for m < r");
    double mFormError;
    try {
      double[][] m0 = Linalg.multTransB(inst.w0(), inst.w0());
      FlowState m = IntegratedFlow.matrixForm(teacher, m0, times, Integrator.DP853, IntegratedFlow.TIGHT_RTOL).get(0);
      mFormError = exact.observables(teacher).distance(m.observables(teacher), normA2);
      System.out.printf(Locale.ROOT, "M form at lambda_{m+1} tau = 40: observables distance %.3g from exact%n", mFormError);
    } catch (OdeIntegrationException e) {
      System.out.println("M form at lambda_{m+1} tau = 40 failed: " + e.getMessage());
      mFormError = Double.POSITIVE_INFINITY;
    }
    // 1e4 x LONG_TIME_BOUND: not an integration error (rtol 1e-13) but the instability taking over
    assertThat(mFormError).isGreaterThan(1e4 * LONG_TIME_BOUND);
  }

  // ------------------------------------------------------------------------------------ fixed points

  @Test
  void fixedPointsStayFixed() {
    // FLOW-FIXED-POINTS: A_S for a random subset S at lambda_max tau = 1; prefixes S = {1..k} and S = all at 50
    qt("fixedPointsStayFixed", 150)
        .forAll(instances(), integers().between(0, (1 << FlowGenerators.MAX_D) - 1), integers().between(1, FlowGenerators.MAX_D))
        .checkAssert((c, mask, k) -> {
          Teacher teacher = c.instance().teacher();
          int r = teacher.r();
          int[] subset = java.util.stream.IntStream.range(0, r).filter(j -> (mask >> j & 1) == 1).toArray();
          int[] prefix = java.util.stream.IntStream.range(0, Math.min(k, r)).toArray();
          double lmax = teacher.lambdaMax();
          // FIXED_POINT_BOUND (FLOW-FIXED-POINTS): round-off only
          assertThat(FlowChecks.fixedPointDefect(teacher, subset, timeAt(1.0, lmax)))
              .as("%s S=%s", c, java.util.Arrays.toString(subset)).isLessThanOrEqualTo(FIXED_POINT_BOUND);
          assertThat(FlowChecks.fixedPointDefect(teacher, prefix, timeAt(50.0, lmax)))
              .as("%s prefix k=%d", c, prefix.length).isLessThanOrEqualTo(FIXED_POINT_BOUND);
          assertThat(FlowChecks.fixedPointDefect(teacher, teacher.allDirections(), timeAt(50.0, lmax)))
              .as("%s S=all", c).isLessThanOrEqualTo(FIXED_POINT_BOUND);
        });
  }

  // ------------------------------------------------------------------------------------ semigroup

  @Test
  void semigroupLaw() {
    // FLOW-SEMIGROUP: one-shot closed form with s, t each up to lambda_max tau = 1 (sum <= 2), and the stable
    // propagator with s, t each up to lambda_max tau = 40.
    qt("semigroupLaw", 150)
        .forAll(instances(), lambdaTau(0.0, 1.0), lambdaTau(0.0, 1.0), lambdaTau(0.0, 40.0))
        .checkAssert((c, ls, lt, lLong) -> {
          Instance inst = c.instance();
          Teacher teacher = inst.teacher();
          double lmax = teacher.lambdaMax();
          double s = timeAt(ls, lmax);
          double t = timeAt(lt, lmax);
          // SEMIGROUP_BOUND (FLOW-SEMIGROUP)
          assertThat(FlowChecks.semigroupDefectClosedForm(teacher, inst.w0(), s, t))
              .as("closed form %s s=%s t=%s", c, s, t).isLessThanOrEqualTo(SEMIGROUP_BOUND);
          double sLong = timeAt(lLong, lmax);
          double tLong = timeAt(40.0 - lLong, lmax);
          assertThat(FlowChecks.semigroupDefectPropagator(teacher, inst.w0(), sLong, tLong))
              .as("propagator %s s=%s t=%s", c, sLong, tLong).isLessThanOrEqualTo(SEMIGROUP_BOUND);
        });
  }

  // ------------------------------------------------------------------------------------ descent rate

  @Test
  void descentRateMatchesGradientNorm() {
    // FLOW-DESCENT-RATE: dL/dt = -16 |(M - A) W|_F^2 at states of the exact trajectory; descentRateError is
    // null where the finite difference cannot resolve the rate (L stationary or at round-off level), which
    // beyond lambda_max tau ~ 10 is most instances (converged, or parked at a saddle when m < r): times are
    // drawn from [0.5, 10] and at least a quarter of the cases must be resolved.
    AtomicInteger resolved = new AtomicInteger();
    int examples = 200;
    qt("descentRateMatchesGradientNorm", examples)
        .forAll(instances(), lambdaTau(0.5, 10.0))
        .checkAssert((c, lt) -> {
          Instance inst = c.instance();
          Teacher teacher = inst.teacher();
          double[][] w = ExactPropagator.advance(teacher, inst.w0(), timeAt(lt, teacher.lambdaMax()));
          Double err = FlowChecks.descentRateError(teacher, w);
          if (err != null) {
            resolved.incrementAndGet();
            // DESCENT_RATE_BOUND (FLOW-DESCENT-RATE)
            assertThat(err).as("%s lambda_max*tau=%s", c, lt).isLessThanOrEqualTo(DESCENT_RATE_BOUND);
          }
        });
    System.out.println("descent rate resolved in " + resolved.get() + " of " + examples + " cases");
    // a property that skips everything cannot fail: require a real sample (39 of 80 resolve at this seed)
    assertThat(resolved.get()).isGreaterThanOrEqualTo(examples / 4);
  }

  // ------------------------------------------------------------------------------------ inverse linearisation

  @Test
  void inverseSolvesLinearEquation() {
    // FLOW-INVERSE-LINEAR: N = M^{-1} solves dN/dtau = 2I - A N - N A, from full-rank M0 with a 0.05 I floor
    qt("inverseSolvesLinearEquation", 150)
        .forAll(instances(), lambdaTau(0.0, 20.0))
        .checkAssert((c, lt) -> {
          Instance inst = c.instance();
          int d = inst.d();
          RandomGenerator rng = Seeds.generator(c.seed(), "inverse-linear-test");
          double[][] m0 = RandomInstances.randomPsd(rng, d, d + 2, 1.0);
          for (int p = 0; p < d; p++) {
            m0[p][p] += 0.05;
          }
          double t = timeAt(lt, inst.teacher().lambdaMax());
          // INVERSE_BOUND (FLOW-INVERSE-LINEAR)
          assertThat(FlowChecks.inverseLinearDefect(inst.teacher(), m0, t))
              .as("%s lambda_max*tau=%s", c, lt).isLessThanOrEqualTo(INVERSE_BOUND);
        });
  }

  // ------------------------------------------------------------------------------------ risk monotone

  @Test
  void riskNonIncreasingAlongExactTrajectory() {
    // FLOW-RISK-MONOTONE: on a 200-point grid up to a random horizon lambda_max tau in [1, 50]
    qt("riskNonIncreasingAlongExactTrajectory", 150)
        .forAll(instances(), lambdaTau(1.0, 50.0))
        .checkAssert((c, horizon) -> {
          Instance inst = c.instance();
          Teacher teacher = inst.teacher();
          double[] times = FlowTime.uniformGrid(timeAt(horizon, teacher.lambdaMax()), 200);
          double norm = 2.0 * teacher.frobeniusNormSquared();
          double prev = Risk.ofStudent(teacher, inst.w0());
          double maxIncrease = Double.NEGATIVE_INFINITY;
          for (FlowState s : ExactPropagator.trajectory(inst, times)) {
            double r = Risk.ofStudent(teacher, ((FlowState.Student) s).w());
            maxIncrease = Math.max(maxIncrease, (r - prev) / norm);
            prev = r;
          }
          // MONOTONE_BOUND (FLOW-RISK-MONOTONE): 450 eps of 2 |A|_F^2
          assertThat(maxIncrease).as("%s horizon lambda_max*tau=%s", c, horizon).isLessThanOrEqualTo(MONOTONE_BOUND);
        });
  }
}
