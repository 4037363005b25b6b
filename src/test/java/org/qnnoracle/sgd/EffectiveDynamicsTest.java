package org.qnnoracle.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.ode.Integrator;
import org.qnnoracle.ode.OdeGridSolver;
import org.qnnoracle.gaussian.DoubleMatrices;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.RandomInstances;

/** The effective SGD dynamics (proofs-notes/effective-dynamics.md): its limit, its right-hand side, cost, blow-up. */
class EffectiveDynamicsTest {
  private static final long SEED = 20_261_128L;

  // ---------------------------------------------------------------------------------------------------
  // SGD-EFFECTIVE-LIMIT

  /**
   * At eta = 0 the effective ODE is the population flow: compared with FlowMethod.REDUCED (the exact
   * propagator in overlap coordinates, no integrator, round-off level) on random instances (d in [2, 12],
   * m &lt; r, m = r and m &gt; r, sigma0 in [1e-3, 1]) up to lambda_max tau = 40, through the gauge-invariant
   * observables (FlowObservables.distance: Theta^T M Theta, Theta^T M^2 Theta, tr M, tr M^2 relative, the
   * risk absolutely). Tolerance: DormandPrince853 at rtol 1e-13 keeps each step's local error near rtol; the
   * worst case is m &gt; r, r = 1, where the student's spare columns decay only algebraically (P ~ 1/(8t), a
   * neutral direction), so errors made there are not damped and add up over the run. Measured over 200 such
   * instances: 6.1e-11 at rtol 1e-13 (1.4e-9 at rtol 1e-12; the risk alone 1e-12 and 4e-12). The bound 1e-9
   * keeps a factor of 16 over the rtol-1e-13 figure and is far below any modelling difference (the eta term
   * changes the risk at O(eta d)).
   */
  @Test
  void atEtaZeroTheEffectiveOdeIsThePopulationFlow() {
    double worst = 0.0;
    String worstCase = "";
    int mLess = 0;
    int mMore = 0;
    for (long k = 0; k < 40; k++) {
      Instance inst = RandomInstances.draw(SEED + k, RandomInstances.Family.standard(12));
      double lmax = inst.teacher().lambdaMax();
      double[] times = {lambdaTauTime(1, lmax), lambdaTauTime(5, lmax), lambdaTauTime(15, lmax),
          lambdaTauTime(40, lmax)};
      EffectiveTrajectory eff = EffectiveDynamics.constantEta(inst.teacher().lambda(), inst.d(), 1, 0.0, 0.0)
          .solve(inst, times, 1e-13);
      List<FlowState> exact = FlowMethod.REDUCED.solve(inst, times, 0.0);
      assertThat(eff.diverged()).isFalse();
      for (int i = 0; i < times.length; i++) {
        double e = eff.observables().get(i).distance(exact.get(i).observables(inst.teacher()),
            inst.teacher().frobeniusNormSquared());
        if (e > worst) {
          worst = e;
          worstCase = String.format(Locale.ROOT, "seed %d (d=%d r=%d m=%d) at lambda tau = %.0f",
              SEED + k, inst.d(), inst.r(), inst.m(), 4 * lmax * times[i]);
        }
      }
      mLess += inst.m() < inst.r() ? 1 : 0;
      mMore += inst.m() > inst.r() ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "SGD-EFFECTIVE-LIMIT: eta = 0 vs reduced exact flow, 40 instances (%d with m < r, "
        + "%d with m > r): max observable distance %.2e (%s)%n", mLess, mMore, worst, worstCase);
    assertThat(mLess).isPositive();
    assertThat(mMore).isPositive();
    assertThat(worst).isLessThan(1e-9);
  }

  private static double lambdaTauTime(double lambdaTau, double lmax) {
    return lambdaTau / (FlowTime.TAU_PER_T * lmax);
  }

  // ---------------------------------------------------------------------------------------------------
  // The right-hand side is the step drift over eta (change of variables (Q, G) -> (Q, P))

  /**
   * dQ/dt must equal stepDriftOfOverlap / eta, and dG/dt = dP/dt + (dQ/dt)^T Q + Q^T dQ/dt must equal
   * stepDriftOfGram / eta (GaussianFormulas, SGD-OVERLAP-DRIFT): the change of variables of
   * proofs-notes/effective-dynamics.md section 2, to round-off (relative to the size of the terms).
   */
  @Test
  void rightHandSideIsTheStepDriftDividedByEta() {
    SplittableRandom rng = new SplittableRandom(SEED);
    double worst = 0.0;
    for (int k = 0; k < 200; k++) {
      int r = 1 + rng.nextInt(6);
      int m = 1 + rng.nextInt(7);
      int d = r + rng.nextInt(2_000_000);
      int b = 1 + rng.nextInt(8);
      double s2 = rng.nextBoolean() ? 0.0 : rng.nextDouble() * 2;
      double eta = Math.exp(-2 - 10 * rng.nextDouble());
      double[] lambda = new double[r];
      double[][] lambdaDiag = new double[r][r];
      for (int j = 0; j < r; j++) {
        lambda[j] = rng.nextDouble();
        lambdaDiag[j][j] = lambda[j];
      }
      double[][] q = gaussian(rng, r, m);
      double[][] c = gaussian(rng, m, m);
      double[][] p = Dense.symmetricPart(Linalg.multTransA(c, c));
      double[][] g = Dense.addScaled(p, 1.0, Linalg.multTransA(q, q));
      EffectiveDynamics dyn = EffectiveDynamics.constantEta(lambda, d, b, s2, eta);
      EffectiveDynamics.Derivative f = dyn.rhs(0.0, q, p);
      double[][] dqRef = Dense.scale(1.0 / eta,
          GaussianFormulas.stepDriftOfOverlap(DoubleMatrices.INSTANCE, q, g, lambdaDiag, eta));
      double[][] dgRef = Dense.scale(1.0 / eta,
          GaussianFormulas.stepDriftOfGram(DoubleMatrices.INSTANCE, q, g, lambdaDiag, d, eta, b, s2));
      double[][] qtdq = Linalg.multTransA(q, f.dq());
      double[][] dg = Dense.addScaled(Dense.addScaled(f.dp(), 1.0, qtdq), 1.0, Dense.transpose(qtdq));
      // size of the terms: the population part and the eta-bracket part separately
      double[][] bracket = GaussianFormulas.overlapNoiseBracket(DoubleMatrices.INSTANCE, q, g, lambdaDiag, d, b, s2);
      double gScale = Dense.frobeniusNorm(Linalg.mult(g, g)) + Dense.frobeniusNorm(GaussianFormulas.teacherGram(
          DoubleMatrices.INSTANCE, q, lambdaDiag)) + eta * Dense.frobeniusNorm(bracket);
      double qScale = Dense.frobeniusNorm(Linalg.mult(q, g)) + Dense.frobeniusNorm(Dense.scaleRows(lambda, q));
      double eq = Dense.frobeniusDistance(f.dq(), dqRef) / qScale;
      double eg = Dense.frobeniusDistance(dg, dgRef) / gScale;
      worst = Math.max(worst, Math.max(eq, eg));
      assertThat(Dense.frobeniusDistance(f.dp(), Dense.transpose(f.dp()))).isZero();
    }
    System.out.printf(Locale.ROOT, "rhs vs stepDrift/eta: max relative difference %.2e over 200 random cases%n", worst);
    assertThat(worst).isLessThan(1e-13);
  }

  @Test
  void scheduleEntersThroughItsContinuumStepSize() {
    double[] lambda = {0.8, 0.5, 0.3};
    StepSchedule schedule = new StepSchedule.Inverse(0.1 / 500, 2000);
    EffectiveDynamics withSchedule = EffectiveDynamics.of(lambda, 500, 2, 0.3, schedule);
    SplittableRandom rng = new SplittableRandom(SEED);
    double[][] q = gaussian(rng, 3, 4);
    double[][] c = gaussian(rng, 4, 4);
    double[][] p = Linalg.multTransA(c, c);
    for (double t : new double[] {0.0, 1.0, 7.5}) {
      EffectiveDynamics frozen = EffectiveDynamics.constantEta(lambda, 500, 2, 0.3, schedule.etaAtTime(t));
      assertThat(withSchedule.rhs(t, q, p).dp()).isDeepEqualTo(frozen.rhs(t, q, p).dp());
    }
    // the decaying step size ends nearer the population flow than the constant one
    Instance inst = ModelSpec.of(500, 3, 4, 1.0, 0.1, SEED).instance();
    double[] times = {20.0};
    double decaying = EffectiveDynamics.of(inst.teacher().lambda(), 500, 1, 0.0,
        new StepSchedule.Inverse(0.12 / 500, 500 / 0.12 * 2)).solve(inst, times, 1e-9).lastObservables().risk();
    double constant = EffectiveDynamics.scaledEta(inst.teacher().lambda(), 500, 1, 0.0, 0.12)
        .solve(inst, times, 1e-9).lastObservables().risk();
    double population = FlowMethod.REDUCED.solve(inst, times, 0.0).get(0).observables(inst.teacher()).risk();
    System.out.printf(Locale.ROOT, "risk at t = 20: constant c = 0.12 %.4g, inverse schedule %.4g, population %.4g%n",
        constant, decaying, population);
    assertThat(decaying).isBetween(population, constant);
  }

  // ---------------------------------------------------------------------------------------------------
  // Cost does not depend on d

  /**
   * The same (Q0, P0) integrated at d = 100 and d = 1e6 (eta = c / d, c = 0.1, and eta = 0) takes the same
   * number of steps up to the O(1/d) part of the bracket, and costs the same: the state has r m + m^2
   * components whatever d is.
   */
  @Test
  void costDoesNotDependOnDimension() {
    Instance small = ModelSpec.of(100, 6, 6, 1.0, 0.1, SEED).instance();
    FlowState.Overlaps init = FlowMethod.initialOverlaps(small);
    double[] lambda = small.teacher().lambda();
    double[] times = FlowTime.uniformGrid(20.0, 21);
    long[] steps = new long[4];
    double[] ms = new double[4];
    double[] risk = new double[4];
    int[] dims = {100, 1_000_000};
    for (int rep = 0; rep < 2; rep++) { // first pass warms the JIT; the second is timed
      for (int i = 0; i < 2; i++) {
        for (int e = 0; e < 2; e++) {
          EffectiveDynamics dyn = e == 0
              ? EffectiveDynamics.constantEta(lambda, dims[i], 1, 0.0, 0.0)
              : EffectiveDynamics.scaledEta(lambda, dims[i], 1, 0.0, 0.1);
          long t0 = System.nanoTime();
          EffectiveTrajectory tr = dyn.solve(init, times, 1e-10);
          ms[2 * i + e] = (System.nanoTime() - t0) / 1e6;
          steps[2 * i + e] = tr.steps();
          risk[2 * i + e] = tr.lastObservables().risk();
          assertThat(tr.diverged()).isFalse();
        }
      }
    }
    System.out.printf(Locale.ROOT, "same (Q0, P0), t = 0..20 at rtol 1e-10 (21 outputs): eta = 0: d = 100 %d steps "
        + "%.1f ms, d = 1e6 %d steps %.1f ms; eta = 0.1/d: d = 100 %d steps %.1f ms (risk %.5f), d = 1e6 %d steps "
        + "%.1f ms (risk %.5f)%n", steps[0], ms[0], steps[2], ms[2], steps[1], ms[1], risk[1], steps[3], ms[3], risk[3]);
    assertThat(steps[2]).isEqualTo(steps[0]);
    assertThat((double) steps[3]).isBetween(0.9 * steps[1], 1.1 * steps[1]);

    // From a real d = 1e6 instance: building W0 and the overlaps is O(d m r) once; the ODE is not.
    long t0 = System.nanoTime();
    Instance big = ModelSpec.of(1_000_000, 6, 6, 1.0, 0.1, SEED).instance();
    FlowState.Overlaps bigInit = FlowMethod.initialOverlaps(big);
    double build = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    EffectiveTrajectory bigRun = EffectiveDynamics.scaledEta(lambda, 1_000_000, 1, 0.0, 0.1)
        .solve(bigInit, times, 1e-10);
    double solve = (System.nanoTime() - t0) / 1e6;
    System.out.printf(Locale.ROOT, "d = 1e6 instance: building W0 and (Q0, P0) %.0f ms; effective ODE %d steps %.1f ms, "
        + "risk(20) = %.5f%n", build, bigRun.steps(), solve, bigRun.lastObservables().risk());
    // Its (Q0, P0) differs (|Q0| ~ sigma0 / sqrt(d) is 100 times smaller, so learning starts later and takes a few
    // more steps: 136 against 113 measured), but nothing scales with d.
    assertThat((double) bigRun.steps()).isLessThan(1.5 * steps[1]);
  }

  // ---------------------------------------------------------------------------------------------------
  // Blow-up is a result

  @Test
  void blowUpIsDetectedAndTimed() {
    Instance inst = ModelSpec.of(400, 6, 6, 1.0, 0.1, SEED).instance();
    FlowState.Overlaps init = FlowMethod.initialOverlaps(inst);
    double[] lambda = inst.teacher().lambda();
    double[] times = FlowTime.uniformGrid(10.0, 11);

    EffectiveTrajectory small = EffectiveDynamics.scaledEta(lambda, 400, 1, 0.0, 0.05).solve(init, times, 1e-9);
    assertThat(small.diverged()).isFalse();
    assertThat(small.outcome()).isEqualTo(EffectiveTrajectory.Outcome.COMPLETED);
    assertThat(small.divergenceTime()).isNaN();
    assertThat(small.states()).hasSize(times.length);

    EffectiveTrajectory large = EffectiveDynamics.scaledEta(lambda, 400, 1, 0.0, 0.5).solve(init, times, 1e-9);
    EffectiveTrajectory largeTight = EffectiveDynamics.scaledEta(lambda, 400, 1, 0.0, 0.5).solve(init, times, 1e-12);
    FlowState.Overlaps end = large.endState();
    double trEnd = EffectiveDynamics.traceGram(end.q(), end.p());
    System.out.printf(Locale.ROOT, "c = 0.05: risk(10) = %.4f, %d steps; c = 0.5: diverged at t = %.10f (rtol 1e-9), "
        + "%.10f (rtol 1e-12), tr G there %.6g (threshold %.6g), %d outputs before, %d steps%n",
        small.lastObservables().risk(), small.steps(), large.divergenceTime(), largeTight.divergenceTime(),
        trEnd, large.blowUpThreshold(), large.states().size(), large.steps());
    assertThat(large.diverged()).isTrue();
    assertThat(large.outcome()).isEqualTo(EffectiveTrajectory.Outcome.TRACE_THRESHOLD);
    assertThat(large.divergenceTime()).isBetween(0.0, 10.0);
    assertThat(large.divergenceTime()).isCloseTo(largeTight.divergenceTime(),
        org.assertj.core.data.Offset.offset(1e-6 * largeTight.divergenceTime()));
    // The event is located in time to about 1e-12; tr G grows like (t* - t)^{-1/2} there, with slope of order
    // 1e20, so the interpolated tr G at the event is the threshold only to a few per cent (measured 2-3%), while
    // the time to the singularity from there is about 1e-14.
    assertThat(trEnd).isBetween(0.9 * large.blowUpThreshold(), 1.2 * large.blowUpThreshold());
    // the observables up to the blow-up are all there, at the output times before it
    assertThat(large.states()).hasSize((int) Math.floor(large.divergenceTime()) + 1);
    for (FlowObservables o : large.observables()) {
      assertThat(o.t()).isLessThan(large.divergenceTime());
      assertThat(Double.isFinite(o.risk())).isTrue();
    }
  }

  @Test
  void nonFiniteStateEndsTheGridAtTheLastGoodStep() {
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return 1;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        return new double[] {t < 0.55 ? 1.0 : Double.NaN};
      }
    };
    OdeGridSolver.GridSolution sol = OdeGridSolver.solve(ode, new double[] {0.0}, new double[] {1.0}, 1e-10,
        new double[] {0.25, 0.5, 0.75, 1.0}, Integrator.DP853, List.of(), true, FlowProgress.NONE);
    assertThat(sol.stop()).isEqualTo(OdeGridSolver.Stop.NON_FINITE);
    assertThat(sol.states().length).isEqualTo(2);
    assertThat(sol.stopTime()).isBetween(0.5, 0.55);
    assertThat(sol.stopState()[0]).isCloseTo(sol.stopTime(), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void badInputIsRefused() {
    double[] lambda = {1.0};
    assertThatThrownBy(() -> EffectiveDynamics.constantEta(lambda, 10, 0, 0.0, 0.1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("batch");
    assertThatThrownBy(() -> EffectiveDynamics.constantEta(lambda, 10, 1, -1.0, 0.1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("s^2");
    assertThatThrownBy(() -> EffectiveDynamics.constantEta(lambda, 10, 1, 0.0, -0.1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("eta");
    EffectiveDynamics dyn = EffectiveDynamics.constantEta(lambda, 10, 1, 0.0, 0.1);
    FlowState.Overlaps init = new FlowState.Overlaps(0, new double[][] {{0.1}}, new double[][] {{0.1}});
    assertThatThrownBy(() -> dyn.solve(init, new double[] {1.0}, 0.0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("rtol");
  }

  // ---------------------------------------------------------------------------------------------------
  // The issue's figure

  /**
   * "At r = m = 6, alpha = 1, eta = 0.1/d, d = 400: one SGD run gave risk 0.261 at t = 6 where the effective
   * ODE gave 0.271 and the population flow 0.111; at eta = 0.2/d both SGD and the effective ODE blew up."
   * With the model's default init (ModelSpec.of: l2, Haar basis, W0 ~ N(0, sigma0^2/d)):
   * <ul>
   *   <li>sigma0 = 1 cannot be it: the effective ODE already diverges at c = 0.1 (its critical c from that
   *       init is 0.088, EffectiveStabilityTest);</li>
   *   <li>no sigma0 gives the pair on average over seeds: the seed mean of the population risk is 0.111 near
   *       sigma0 = 0.045, where the effective ODE's mean is about 0.235; pinning the population risk at 0.111
   *       per seed (by tuning sigma0), the effective ODE gave 0.223-0.277 over the 298 of 300 seeds where that
   *       is possible, 0.27 or more for 2;</li>
   *   <li>single seeds do give it: sigma0 = 0.05, seed 528 (population 0.1117, effective 0.2696) and
   *       sigma0 = 0.2, seed 333 (0.1118, 0.2681) were the only hits within (0.0015, 0.004) in 1000 seeds at
   *       each of sigma0 = 0.05, 0.1, 0.2, 0.25, 0.3, 0.5: the figure is a one-run figure in the tail;</li>
   *   <li>c = 0.2 diverges from every init tried, as predicted: c_crit(d = 400) = 0.1567 &lt; 0.2.</li>
   * </ul>
   */
  @Test
  void issueFigureAtDimension400() {
    int d = 400;
    double[] times = {6.0};
    System.out.println("issue figure: r = m = 6, alpha = 1, d = 400, t = 6 (risk R = 2|M - A|_F^2)");
    System.out.println("  sigma0 seeds  population(mean)  effective c=0.1 (mean)  c=0.1 diverged  c=0.2 diverged");
    for (double sigma0 : new double[] {1.0, 0.5, 0.2, 0.1, 0.05, 0.02}) {
      double pop = 0.0;
      double eff = 0.0;
      int div1 = 0;
      int div2 = 0;
      int n = 20;
      for (long seed = 0; seed < n; seed++) {
        Instance inst = ModelSpec.of(d, 6, 6, 1.0, sigma0, seed).instance();
        pop += population(inst, 6.0);
        EffectiveTrajectory e1 = EffectiveDynamics.scaledEta(inst.teacher().lambda(), d, 1, 0.0, 0.1)
            .solve(inst, times, 1e-9);
        EffectiveTrajectory e2 = EffectiveDynamics.scaledEta(inst.teacher().lambda(), d, 1, 0.0, 0.2)
            .solve(inst, times, 1e-9);
        if (e1.diverged()) {
          div1++;
        } else {
          eff += e1.lastObservables().risk();
        }
        div2 += e2.diverged() ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "  %5.2f  %4d  %.4f            %s                 %2d/%d           %2d/%d%n",
          sigma0, n, pop / n, div1 == n ? "  (all diverged)" : String.format(Locale.ROOT, "%.4f", eff / (n - div1)),
          div1, n, div2, n);
      assertThat(div2).as("c = 0.2 diverges at sigma0 = %s", sigma0).isEqualTo(n);
      if (sigma0 == 1.0) {
        assertThat(div1).as("sigma0 = 1 diverges already at c = 0.1").isEqualTo(n);
      } else {
        assertThat(div1).isZero();
      }
    }
    double[][] hits = {{0.05, 528}, {0.2, 333}};
    for (double[] h : hits) {
      Instance inst = ModelSpec.of(d, 6, 6, 1.0, h[0], (long) h[1]).instance();
      double pop = population(inst, 6.0);
      EffectiveTrajectory e1 = EffectiveDynamics.scaledEta(inst.teacher().lambda(), d, 1, 0.0, 0.1)
          .solve(inst, times, 1e-10);
      EffectiveTrajectory e2 = EffectiveDynamics.scaledEta(inst.teacher().lambda(), d, 1, 0.0, 0.2)
          .solve(inst, new double[] {6.0}, 1e-10);
      System.out.printf(Locale.ROOT, "  sigma0 = %.2f seed %d: population %.4f, effective (c = 0.1) %.4f, "
          + "c = 0.2 diverged at t = %.4f (issue: 0.111, 0.271, blew up)%n",
          h[0], (long) h[1], pop, e1.lastObservables().risk(), e2.divergenceTime());
      assertThat(pop).isCloseTo(0.111, org.assertj.core.data.Offset.offset(0.0015));
      assertThat(e1.lastObservables().risk()).isCloseTo(0.271, org.assertj.core.data.Offset.offset(0.004));
      assertThat(e2.diverged()).isTrue();
    }
    double cCrit = EffectiveStability.learnedModeCriticalC(ModelSpec.of(d, 6, 6, 1.0, 1.0, 0).instance()
        .teacher().lambda(), d, 1);
    System.out.printf(Locale.ROOT, "  predicted c_crit(d = 400) = %.4f: 0.1 below, 0.2 above%n", cCrit);
    assertThat(cCrit).isBetween(0.1, 0.2);
  }

  private static double population(Instance inst, double t) {
    return FlowMethod.REDUCED.solve(inst, new double[] {t}, 0.0).get(0).observables(inst.teacher()).risk();
  }

  private static double[][] gaussian(SplittableRandom rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        a[i][j] = Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
      }
    }
    return a;
  }
}
