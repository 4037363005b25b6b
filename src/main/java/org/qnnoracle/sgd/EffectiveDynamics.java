package org.qnnoracle.sgd;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BracketedUnivariateSolver;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.events.Action;
import org.hipparchus.ode.events.AdaptableInterval;
import org.hipparchus.ode.events.ODEEventDetector;
import org.hipparchus.ode.events.ODEEventHandler;
import org.qnnoracle.flow.FlowEquations;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.ode.Integrator;
import org.qnnoracle.ode.OdeGridSolver;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;

/**
 * The effective (mean) dynamics of online SGD in overlap coordinates (proofs-notes/effective-dynamics.md,
 * sections 1 to 6). With SGD time t = k eta, the conditional mean of one step
 * divided by eta (proofs-notes/gaussian-moments.md section 7, {@link GaussianFormulas#stepDriftOfOverlap},
 * {@link GaussianFormulas#stepDriftOfGram}) is the ODE
 *
 * <pre>
 *   dQ/dt = 4 (Lambda Q - Q G),
 *   dG/dt = 8 (Q^T Lambda Q - G^2) + 4 eta(t) bracket(Q, G; d, b, s^2),
 * </pre>
 *
 * with the bracket {@link GaussianFormulas#overlapNoiseBracket}. It is integrated in (Q, P), P = G - Q^T Q,
 * because the risk from (Q, G) cancels (resolved only to about 10 rtol absolutely) while
 * {@link FlowObservables#fromOverlaps} from (Q, P) does not; the change of variables gives
 *
 * <pre>
 *   dP/dt = dG/dt - (dQ/dt)^T Q - Q^T dQ/dt = -4 (G P + P G) + 4 eta(t) bracket(Q, G),
 * </pre>
 *
 * symmetrised. At eta = 0 this is the population flow in overlap coordinates (spec/model.md).
 *
 * <p>The state has r m + m^2 components whatever d is; d enters only through the bracket's coefficients
 * (2d + 10, 8d + 32, d + 1) and the initial condition, so a run at d = 1e6 costs what it costs at d = 100.
 *
 * <p>Blow-up is a result, not an error: the integration stops (Hipparchus event detector) when
 * tr G = tr P + |Q|_F^2 reaches {@link #blowUpThreshold}, or at the last accepted step when the state turns
 * non-finite, and the trajectory reports {@code diverged} and the time.
 */
public final class EffectiveDynamics {
  /**
   * Blow-up threshold factor: a run has diverged once tr G exceeds BLOW_UP_FACTOR * max(tr G0, m lambda_max, 1).
   * The population flow keeps tr G &lt;= max(tr G0, m lambda_max): d tr G/dt = 8 (tr(Q^T Lambda Q) - tr G^2)
   * &lt;= 8 tr G (lambda_max - tr G / m) (proofs-notes/effective-dynamics.md, section 5); bounded orbits of the
   * effective ODE exceed that only by their noise floor, so 1e6 times it is far above every bounded orbit met
   * here. Above it the cubic terms of the bracket, 4 eta ((2d + 10) tr(G^2) G + (8d + 32) G^3) / b, beat
   * -8 G^2 by a factor of about 1e6 eta d / b, growth is like g' ~ g^3 and the time left to the singularity
   * (~ 1 / g^2) is below 1e-12 of the O(1) times of the dynamics.
   */
  public static final double BLOW_UP_FACTOR = 1e6;

  private final double[] lambda;
  private final int d;
  private final int batch;
  private final double s2;
  private final DoubleUnaryOperator eta;
  private final String etaDescription;
  private final boolean etaZero;

  private EffectiveDynamics(double[] lambda, int d, int batch, double s2, DoubleUnaryOperator eta,
      String etaDescription, boolean etaZero) {
    require(lambda.length >= 1, "at least one teacher coefficient is required");
    for (double l : lambda) {
      require(Double.isFinite(l), "teacher coefficients must be finite, got " + l);
    }
    require(d >= lambda.length, "d must be at least r = " + lambda.length + ", got " + d);
    require(batch >= 1, "batch size must be at least 1, got " + batch);
    require(Double.isFinite(s2) && s2 >= 0.0, "label-noise variance s^2 must be finite and >= 0, got " + s2);
    this.lambda = lambda.clone();
    this.d = d;
    this.batch = batch;
    this.s2 = s2;
    this.eta = eta;
    this.etaDescription = etaDescription;
    this.etaZero = etaZero;
  }

  /** The effective dynamics of SGD with the given step-size schedule (its continuum step size eta(t)). */
  public static EffectiveDynamics of(double[] lambda, int d, int batch, double labelNoiseVariance,
      StepSchedule schedule) {
    return new EffectiveDynamics(lambda, d, batch, labelNoiseVariance, schedule::etaAtTime,
        String.format(Locale.ROOT, "%s eta0=%s", schedule.describe(), schedule.eta0()), false);
  }

  /** Constant step size eta &gt;= 0; eta = 0 is the population flow (proofs-notes/effective-dynamics.md section 4). */
  public static EffectiveDynamics constantEta(double[] lambda, int d, int batch, double labelNoiseVariance,
      double eta) {
    require(Double.isFinite(eta) && eta >= 0.0, "step size eta must be finite and >= 0, got " + eta);
    return new EffectiveDynamics(lambda, d, batch, labelNoiseVariance, t -> eta,
        String.format(Locale.ROOT, "constant eta=%s", eta), eta == 0.0);
  }

  /** Constant step size eta = c / d, the natural scaling (gaussian-moments.md section 7.3). */
  public static EffectiveDynamics scaledEta(double[] lambda, int d, int batch, double labelNoiseVariance,
      double c) {
    require(Double.isFinite(c) && c >= 0.0, "step-size constant c must be finite and >= 0, got " + c);
    return constantEta(lambda, d, batch, labelNoiseVariance, c / d);
  }

  public double[] lambda() {
    return lambda.clone();
  }

  public int d() {
    return d;
  }

  public int batch() {
    return batch;
  }

  public double labelNoiseVariance() {
    return s2;
  }

  /** The continuum step size at SGD time t. */
  public double eta(double t) {
    return etaZero ? 0.0 : eta.applyAsDouble(t);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "EffectiveDynamics(r=%d, d=%d, b=%d, s2=%s, %s)",
        lambda.length, d, batch, s2, etaDescription);
  }

  /** The time derivatives of the overlap coordinates: dQ/dt (r x m) and dP/dt (m x m, symmetric). */
  public record Derivative(double[][] dq, double[][] dp) {}

  /**
   * The right-hand side at SGD time t in the (Q, P) coordinates: dQ/dt = 4 (Lambda Q - Q G) and
   * dP/dt = -4 (G P + P G) + 4 eta(t) bracket(Q, G), G = P + Q^T Q (proofs-notes/effective-dynamics.md,
   * section 2). Allocates its scratch; the integration reuses one ({@link #solve}).
   */
  public Derivative rhs(double t, double[][] q, double[][] p) {
    int r = lambda.length;
    int m = Dense.cols(q);
    int nq = r * m;
    double[] y = new double[nq + m * m];
    Dense.flattenInto(p, y, Dense.flattenInto(q, y, 0));
    double[] dy = new double[y.length];
    new Rhs(r, m).evaluate(t, y, dy);
    return new Derivative(Dense.unflatten(dy, 0, r, m), Dense.unflatten(dy, nq, m, m));
  }

  /**
   * The right-hand side on the flat state y = (Q row-major, P row-major), with its scratch allocated once: per
   * evaluation O(r m^2 + m^3) flops on {@link Linalg} and nothing allocated. Lambda is diagonal and is never
   * formed: the bracket is {@link GaussianFormulas#overlapNoiseBracketDiagonal}, the same formula as
   * {@link GaussianFormulas#overlapNoiseBracket}.
   */
  private final class Rhs {
    final int r;
    final int m;
    final double[] q;
    final double[] p;
    final double[] g;
    final double[] qg;
    final double[] gp;
    final double[] bracket;
    final GaussianFormulas.DiagonalScratch scratch;

    Rhs(int r, int m) {
      this.r = r;
      this.m = m;
      q = new double[r * m];
      p = new double[m * m];
      g = new double[m * m];
      qg = new double[r * m];
      gp = new double[m * m];
      bracket = new double[m * m];
      scratch = new GaussianFormulas.DiagonalScratch(r, m);
    }

    void evaluate(double t, double[] y, double[] dy) {
      int nq = r * m;
      int mm = m * m;
      System.arraycopy(y, 0, q, 0, nq);
      System.arraycopy(y, nq, p, 0, mm);
      // G = P + Q^T Q from P's lower triangle: exactly symmetric, as the bracket's G^2 = G G^T needs
      System.arraycopy(p, 0, g, 0, mm);
      Linalg.syrkTransA(m, r, 1.0, q, 1.0, g);
      // dQ/dt into the first r m entries of dy
      FlowEquations.overlapRhsInto(lambda, m, q, g, qg, dy);
      // dP/dt = -4 (G P + (G P)^T) + 4 eta bracket, symmetrised
      Linalg.gemm(false, false, m, m, m, 1.0, g, p, 0.0, gp);
      double e = eta(t);
      if (e != 0.0) {
        GaussianFormulas.overlapNoiseBracketDiagonal(lambda, q, g, d, batch, s2, scratch, bracket);
      }
      double scale = 4.0 * e;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          double a = -4.0 * (gp[i * m + j] + gp[j * m + i]);
          double b = -4.0 * (gp[j * m + i] + gp[i * m + j]);
          if (e != 0.0) {
            a += scale * bracket[i * m + j];
            b += scale * bracket[j * m + i];
          }
          double sym = 0.5 * (a + b);
          dy[nq + i * m + j] = sym;
          dy[nq + j * m + i] = sym;
        }
      }
    }
  }

  /** tr G = tr P + |Q|_F^2. */
  public static double traceGram(double[][] q, double[][] p) {
    return Dense.trace(p) + Dense.frobeniusInner(q, q);
  }

  /** The divergence threshold on tr G for a run from {@code init}: BLOW_UP_FACTOR * max(tr G0, m lambda_max, 1). */
  public double blowUpThreshold(FlowState.Overlaps init) {
    double lambdaMax = 0.0;
    for (double l : lambda) {
      lambdaMax = Math.max(lambdaMax, Math.abs(l));
    }
    int m = Dense.cols(init.q());
    return BLOW_UP_FACTOR * Math.max(Math.max(traceGram(init.q(), init.p()), m * lambdaMax), 1.0);
  }

  /** Solves from an instance's W0: Q0 = Theta^T W0, P0 = W_perp^T W_perp. The instance must match lambda and d. */
  public EffectiveTrajectory solve(Instance instance, double[] times, double rtol) {
    require(instance.d() == d, "instance has d = " + instance.d() + " but the dynamics has d = " + d);
    require(java.util.Arrays.equals(instance.teacher().lambda(), lambda),
        "instance teacher coefficients differ from the dynamics' lambda");
    return solve(FlowMethod.initialOverlaps(instance), times, rtol, FlowProgress.NONE);
  }

  public EffectiveTrajectory solve(FlowState.Overlaps init, double[] times, double rtol) {
    return solve(init, times, rtol, FlowProgress.NONE);
  }

  /**
   * Integrates with Hipparchus DormandPrince853 from (Q0, P0) = init (its t is ignored: SGD time starts at
   * 0) to the output times (SGD time), interval by interval so every output is a real step end, with
   * per-component absolute tolerance rtol times the initial RMS size of the component's block (Q, P; P
   * falls back to the size of G0, Q to sqrt of it, then 1) and relative tolerance rtol. Stops at blow-up.
   */
  public EffectiveTrajectory solve(FlowState.Overlaps init, double[] times, double rtol, FlowProgress progress) {
    OdeGridSolver.checkGrid(times);
    FlowMethod.checkRtol(rtol);
    int r = lambda.length;
    int m = Dense.cols(init.q());
    require(Dense.rows(init.q()) == r, "Q0 has " + Dense.rows(init.q()) + " rows but r = " + r);
    require(Dense.rows(init.p()) == m && Dense.cols(init.p()) == m, "P0 must be m x m with m = " + m);
    require(Dense.allFinite(init.q()) && Dense.allFinite(init.p()), "(Q0, P0) has a non-finite entry");
    int nq = r * m;
    int n = nq + m * m;
    Rhs f = new Rhs(r, m);
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return n;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        double[] dy = new double[n];
        f.evaluate(t, y, dy);
        return dy;
      }
    };
    double[] y0 = new double[n];
    Dense.flattenInto(init.p(), y0, Dense.flattenInto(init.q(), y0, 0));
    double[][] g0 = Dense.addScaled(init.p(), 1.0, Linalg.multTransA(init.q(), init.q()));
    double gScale = Math.sqrt(Dense.frobeniusInner(g0, g0) / (m * m));
    double[] scale = new double[n];
    OdeGridSolver.fillBlockScale(scale, y0, nq, n, gScale > 0.0 ? gScale : 1.0);
    OdeGridSolver.fillBlockScale(scale, y0, 0, nq, gScale > 0.0 ? Math.sqrt(gScale) : 1.0);

    double threshold = blowUpThreshold(init);
    double tEnd = times[times.length - 1];
    ODEEventDetector blowUp = new TraceThreshold(threshold, r, m, Math.max(tEnd, 1.0));
    OdeGridSolver.GridSolution sol = OdeGridSolver.solve(
        ode, y0, scale, rtol, times, Integrator.DP853, List.of(blowUp), true, progress);

    List<FlowState.Overlaps> states = new ArrayList<>(sol.states().length);
    List<FlowObservables> observables = new ArrayList<>(sol.states().length);
    for (int i = 0; i < sol.states().length; i++) {
      FlowState.Overlaps s = overlapsOf(times[i], sol.states()[i], r, m, nq);
      states.add(s);
      observables.add(FlowObservables.fromOverlaps(times[i], lambda, s.q(), s.p()));
    }
    FlowState.Overlaps last = overlapsOf(sol.stopTime(), sol.stopState(), r, m, nq);
    EffectiveTrajectory.Outcome outcome = switch (sol.stop()) {
      case COMPLETED -> EffectiveTrajectory.Outcome.COMPLETED;
      case EVENT -> EffectiveTrajectory.Outcome.TRACE_THRESHOLD;
      case NON_FINITE -> EffectiveTrajectory.Outcome.NON_FINITE;
    };
    return new EffectiveTrajectory(states, observables, outcome, sol.stopTime(), last, threshold,
        sol.steps(), sol.evaluations());
  }

  private static FlowState.Overlaps overlapsOf(double t, double[] y, int r, int m, int nq) {
    double[][] q = Dense.unflatten(y, 0, r, m);
    double[][] p = Dense.symmetricPart(Dense.unflatten(y, nq, m, m));
    return new FlowState.Overlaps(t, q, p);
  }

  /** g = threshold - tr G: crosses zero downwards when tr G reaches the threshold; stops the run. */
  private static final class TraceThreshold implements ODEEventDetector {
    private final double threshold;
    private final int r;
    private final int m;
    private final double maxCheck;
    private final BracketedUnivariateSolver<UnivariateFunction> solver;

    TraceThreshold(double threshold, int r, int m, double timeScale) {
      this.threshold = threshold;
      this.r = r;
      this.m = m;
      this.maxCheck = timeScale;
      // The event time to about 1e-13 of the run's time scale: far finer than any reported figure.
      this.solver = new BracketingNthOrderBrentSolver(1e-14, 1e-13 * timeScale, 5);
    }

    @Override
    public AdaptableInterval getMaxCheckInterval() {
      return AdaptableInterval.of(maxCheck);
    }

    @Override
    public int getMaxIterationCount() {
      return 200;
    }

    @Override
    public BracketedUnivariateSolver<UnivariateFunction> getSolver() {
      return solver;
    }

    @Override
    public ODEEventHandler getHandler() {
      return (state, detector, increasing) -> Action.STOP;
    }

    @Override
    public double g(ODEStateAndDerivative state) {
      double[] y = state.getPrimaryState();
      int nq = r * m;
      double tr = 0.0;
      for (int i = 0; i < nq; i++) {
        tr += y[i] * y[i];
      }
      for (int i = 0; i < m; i++) {
        tr += y[nq + i * m + i];
      }
      return threshold - tr;
    }
  }
}
