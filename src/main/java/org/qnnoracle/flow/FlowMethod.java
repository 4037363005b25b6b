package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.ode.Integrator;
import org.qnnoracle.ode.OdeGridSolver;

/** Every route to the population flow, by the name the command line uses. */
public enum FlowMethod {
  EXACT("exact", "stable exact propagator in d-space (sub-stepped closed form)", Form.EXACT, null),
  DP853("dp853", "Hipparchus DormandPrince853 on the student form W (d*m states)", Form.STUDENT, Integrator.DP853),
  GBS("gbs", "Hipparchus GraggBulirschStoer on the student form W (d*m states)", Form.STUDENT, Integrator.GBS),
  DP853_M("dp853-m", "Hipparchus DormandPrince853 on the matrix Riccati form M (d^2 states)", Form.MATRIX,
      Integrator.DP853),
  GBS_M("gbs-m", "Hipparchus GraggBulirschStoer on the matrix Riccati form M (d^2 states)", Form.MATRIX,
      Integrator.GBS),
  REDUCED("reduced", "exact propagator in overlap coordinates (Q, P), cost independent of d", Form.REDUCED_EXACT,
      null),
  REDUCED_DP853("reduced-dp853", "Hipparchus DormandPrince853 on the reduced dynamics (Q, G)", Form.REDUCED,
      Integrator.DP853),
  REDUCED_GBS("reduced-gbs", "Hipparchus GraggBulirschStoer on the reduced dynamics (Q, G)", Form.REDUCED,
      Integrator.GBS),
  CLOSED_FORM("closed-form", "closed form in one shot (inaccurate once e^{2 lambda tau} is large)", Form.CLOSED,
      null);

  /**
   * What a route solves and how: each method is only a pair (form, integrator), as a Hipparchus integrator is
   * only its coefficient table; the solving lives once per form.
   */
  private enum Form {
    EXACT {
      @Override
      List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol, FlowProgress progress) {
        return ExactPropagator.trajectory(inst, times, progress);
      }
    },
    STUDENT {
      @Override
      List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol, FlowProgress progress) {
        return IntegratedFlow.studentForm(inst, times, integ, rtol, progress);
      }
    },
    MATRIX {
      @Override
      List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol, FlowProgress progress) {
        double[][] m0 = Linalg.multTransB(inst.w0(), inst.w0());
        return IntegratedFlow.matrixForm(inst.teacher(), m0, times, integ, rtol, progress);
      }
    },
    REDUCED_EXACT {
      @Override
      List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol, FlowProgress progress) {
        return ReducedExactPropagator.trajectory(inst.teacher().lambda(), initialOverlaps(inst), times, progress);
      }
    },
    REDUCED {
      @Override
      List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol, FlowProgress progress) {
        // (Q, G), not (Q, P): the integrated reduced dynamics carry the Gram matrix G = W^T W
        double[][] q0 = inst.teacher().overlaps(inst.w0());
        double[][] g0 = Linalg.multTransA(inst.w0(), inst.w0());
        return IntegratedFlow.overlapForm(inst.teacher().lambda(), q0, g0, times, integ, rtol, progress);
      }
    },
    CLOSED {
      @Override
      List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol, FlowProgress progress) {
        List<FlowState> out = new ArrayList<>();
        for (double t : times) {
          out.add(new FlowState.Matrix(t, ClosedFormRiccati.matrixAt(inst.teacher(), inst.w0(), t)));
          progress.reached(out.size(), times.length, t);
        }
        return out;
      }
    };

    abstract List<FlowState> solve(Instance inst, double[] times, Integrator integ, double rtol,
        FlowProgress progress);
  }

  /** The matrix forms integrate d^2 states; beyond this d they are refused rather than left to run for hours. */
  public static final int MAX_MATRIX_FORM_D = 300;

  /**
   * For m &lt; r the matrix form is trusted only while lambda_{m+1} tau &lt;= 3: the rank-m manifold is
   * transversally unstable, round-off (about rtol |M|) in the directions the student cannot hold grows like
   * e^{2 lambda_{m+1} tau}, and e^6 x 1e-13 keeps it below 1e-10 (proofs-notes/exact-flow.md). Measured:
   * DormandPrince853 on M hit NaN at lambda_max tau = 81 (d = 12, r = 6, m = 3).
   */
  public static final double MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU = 3.0;

  /** The one-shot closed form: measured relative error 9e-12 at lambda_max tau = 15, 7e-8 at 20, 0.24 at 30. */
  public static final double CLOSED_FORM_MAX_LAMBDA_TAU = 15.0;

  /** The exact propagators take about lambda_max tau sub-steps; beyond this the run is refused, not left to hang. */
  public static final double EXACT_MAX_LAMBDA_TAU = 1e7;

  /**
   * Integrator tolerances: below about the unit round-off no step can meet the tolerance and the integrators
   * (minimum step 0) shrink their steps without end: rtol 1e-30 did not return within minutes.
   */
  public static final double MIN_RTOL = 1e-16;

  private final String cliName;
  private final String description;
  private final Form form;
  /** The Hipparchus integrator of an integrating route; null for the exact and closed-form routes. */
  private final Integrator integrator;

  FlowMethod(String cliName, String description, Form form, Integrator integrator) {
    this.cliName = cliName;
    this.description = description;
    this.form = form;
    this.integrator = integrator;
  }

  public String cliName() {
    return cliName;
  }

  public String description() {
    return description;
  }

  public static FlowMethod parse(String s) {
    String key = s.trim().toLowerCase(Locale.ROOT);
    for (FlowMethod m : values()) {
      if (m.cliName.equals(key)) {
        return m;
      }
    }
    throw new InvalidInputException("method must be one of " + names() + "; got '" + s + "'");
  }

  public static String names() {
    return Arrays.stream(values()).map(FlowMethod::cliName).collect(Collectors.joining(", "));
  }

  /** The initial overlap state (Q0, P0) of an instance. */
  public static FlowState.Overlaps initialOverlaps(Instance instance) {
    Teacher.Projection qp = instance.teacher().project(instance.w0());
    return new FlowState.Overlaps(0.0, qp.q(), qp.p());
  }

  /**
   * The exact reduced flow ({@link #REDUCED}) of {@code instance} from its initial overlaps {@code init}, which
   * the caller already has ({@link #initialOverlaps}): the same checks and numbers as {@code REDUCED.solve},
   * without projecting W0 again. {@code times}: not modified.
   */
  public static List<FlowState> reducedFrom(Instance instance, FlowState.Overlaps init, double[] times) {
    OdeGridSolver.checkGrid(times);
    InvalidInputException.require(init.q().length == instance.r() && Dense.cols(init.q()) == instance.m(),
        "initial overlaps of shape " + init.q().length + " x " + Dense.cols(init.q()) + " do not fit the instance");
    double[] lambda = instance.teacher().lambda();
    REDUCED.checkApplicable(instance.d(), instance.m(), lambda, times[times.length - 1], 0.0);
    return ReducedExactPropagator.trajectory(lambda, init, times, FlowProgress.NONE);
  }

  /** The one rule for integrator tolerances: finite, MIN_RTOL &lt;= rtol &lt; 1. */
  public static void checkRtol(double rtol) {
    InvalidInputException.require(Double.isFinite(rtol) && rtol >= MIN_RTOL && rtol < 1.0,
        "rtol must satisfy " + MIN_RTOL + " <= rtol < 1, got " + rtol);
  }

  /** True for the routes that integrate with a Hipparchus integrator (and so use rtol). */
  public boolean integrates() {
    return integrator != null;
  }

  /**
   * Refuses, with one clear message, a run this method cannot do accurately or in reasonable time: the
   * matrix forms beyond {@link #MAX_MATRIX_FORM_D} or, for m &lt; r, beyond their stable horizon; the closed
   * form beyond {@link #CLOSED_FORM_MAX_LAMBDA_TAU}; the exact propagators beyond {@link #EXACT_MAX_LAMBDA_TAU};
   * integrator tolerances outside [MIN_RTOL, 1).
   *
   * @param lambda the teacher coefficients, in decreasing order
   */
  public void checkApplicable(int d, int m, double[] lambda, double tMax, double rtol) {
    double lambdaTau = lambda[0] * FlowTime.tau(tMax);
    if (integrates()) {
      checkRtol(rtol);
    }
    switch (form) {
      case MATRIX -> {
        InvalidInputException.require(d <= MAX_MATRIX_FORM_D,
            "method " + cliName + " integrates d^2 states; use it for d <= " + MAX_MATRIX_FORM_D + " (got d = " + d + ")");
        if (m < lambda.length) {
          double unstable = lambda[m] * FlowTime.tau(tMax);
          InvalidInputException.require(unstable <= MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU, String.format(Locale.ROOT,
              "method %s is unstable for m < r: round-off in the directions the student cannot hold grows like "
                  + "e^{2 lambda_{m+1} tau}, and lambda_{m+1} tau reaches %.3g > %.0f at t = %.6g; use t <= %.6g, or "
                  + "the methods exact, dp853 or reduced",
              cliName, unstable, MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU, tMax,
              MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU / (FlowTime.TAU_PER_T * lambda[m])));
        }
      }
      case CLOSED -> InvalidInputException.require(lambdaTau <= CLOSED_FORM_MAX_LAMBDA_TAU, String.format(
          Locale.ROOT, "method closed-form loses accuracy beyond lambda_max tau = %.0f (t = %.6g); got t = %.6g; use exact",
          CLOSED_FORM_MAX_LAMBDA_TAU, CLOSED_FORM_MAX_LAMBDA_TAU / (FlowTime.TAU_PER_T * lambda[0]), tMax));
      case EXACT, REDUCED_EXACT -> InvalidInputException.require(lambdaTau <= EXACT_MAX_LAMBDA_TAU, String.format(
          Locale.ROOT, "t = %.6g needs about %.3g exact sub-steps (lambda_max tau); the limit is %.0g",
          tMax, lambdaTau, EXACT_MAX_LAMBDA_TAU));
      default -> { }
    }
  }

  /** Solves the population flow from the instance's W0 at the given gradient-flow times. */
  public List<FlowState> solve(Instance instance, double[] times, double rtol) {
    return solve(instance, times, rtol, FlowProgress.NONE);
  }

  /** As {@link #solve(Instance, double[], double)}, telling {@code progress} after each output time. */
  public List<FlowState> solve(Instance instance, double[] times, double rtol, FlowProgress progress) {
    OdeGridSolver.checkGrid(times);
    Teacher teacher = instance.teacher();
    checkApplicable(instance.d(), instance.m(), teacher.lambda(), times[times.length - 1], rtol);
    return form.solve(instance, times, integrator, rtol, progress);
  }
}
