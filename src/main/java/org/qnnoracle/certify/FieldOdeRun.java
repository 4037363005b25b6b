package org.qnnoracle.certify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.ode.AbstractFieldIntegrator;
import org.hipparchus.ode.FieldExpandableODE;
import org.hipparchus.ode.FieldODEState;
import org.hipparchus.ode.FieldODEStateAndDerivative;
import org.hipparchus.ode.FieldOrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.AdamsMoultonFieldIntegrator;
import org.qnnoracle.InvalidInputException;

/**
 * A Hipparchus field integrator over Dfp run across an output grid, interval by interval, so that every output is
 * the end of a real integration step (no dense-output interpolation, whose order is below the method's), with the
 * right-hand side evaluations and accepted steps counted.
 *
 * <p>Two families, so that agreement between them is evidence about the integration error and not about one
 * method's blind spot: {@link Method#DP853} (explicit Runge-Kutta of order 8, embedded error estimate) and
 * {@link Method#ADAMS_MOULTON} (implicit multistep of order nSteps + 1 in Nordsieck form, predictor-corrector).
 * Both use the Butcher/Nordsieck coefficients in the field ({@code setUsingFieldCoefficients(true)}): Hipparchus'
 * default is double coefficients, which would cap the accuracy near 1e-16. Adams' starter is our DP853 at the same
 * tolerances for the same reason (its default starter uses double coefficients).
 */
final class FieldOdeRun {
  /** The integrator family. */
  enum Method {
    DP853, ADAMS_MOULTON
  }

  /**
   * The states at the output times and the cost.
   *
   * @param states one flat state per output time
   * @param steps accepted steps (for Adams: after its DP853 start, which is counted in {@code evaluations})
   * @param evaluations right-hand side evaluations, starter included
   * @param settings one line: method, tolerances, precision
   */
  record Result(List<Dfp[]> states, long steps, long evaluations, String settings) {}

  private FieldOdeRun() {}

  /**
   * Integrates {@code ode} from y0 at t = 0 to each of the non-decreasing output times (t = 0 included).
   *
   * @param absTol per component absolute tolerance. Not modified.
   * @param relTol per component relative tolerance. Not modified.
   * @param nSteps Adams' step count (ignored by DP853)
   */
  static Result solve(DfpField field, FieldOrdinaryDifferentialEquation<Dfp> ode, Dfp[] y0, double[] times,
      Method method, double[] absTol, double[] relTol, int nSteps) {
    return solve(field, ode, y0, 0.0, times, method, absTol, relTol, nSteps);
  }

  /** The same from y0 at t0 (every output time &gt;= t0). */
  static Result solve(DfpField field, FieldOrdinaryDifferentialEquation<Dfp> ode, Dfp[] y0, double t0,
      double[] times, Method method, double[] absTol, double[] relTol, int nSteps) {
    InvalidInputException.require(absTol.length == y0.length && relTol.length == y0.length,
        "one absolute and one relative tolerance per component");
    checkTimes(times);
    InvalidInputException.require(times[0] >= t0, "output times start before the initial time");
    long[] evaluations = {0};
    FieldOrdinaryDifferentialEquation<Dfp> counted = new FieldOrdinaryDifferentialEquation<>() {
      @Override
      public int getDimension() {
        return ode.getDimension();
      }

      @Override
      public Dfp[] computeDerivatives(Dfp t, Dfp[] y) {
        evaluations[0]++;
        return ode.computeDerivatives(t, y);
      }
    };
    double[] rel = relTol.clone();
    double rtol = Arrays.stream(relTol).max().orElse(0.0);
    double maxStep = Math.max(times[times.length - 1], 1.0);
    AbstractFieldIntegrator<Dfp> integrator = switch (method) {
      case DP853 -> new FieldDp853(field, maxStep, absTol, rel);
      case ADAMS_MOULTON -> {
        AdamsMoultonFieldIntegrator<Dfp> am =
            new AdamsMoultonFieldIntegrator<>(field, nSteps, 0.0, maxStep, absTol.clone(), rel);
        am.setStarterIntegrator(new FieldDp853(field, maxStep, absTol, rel));
        yield am;
      }
    };
    long[] steps = {0};
    boolean verbose = Boolean.getBoolean("qnn.certify.verbose");
    long start = System.nanoTime();
    integrator.addStepHandler(interpolator -> {
      steps[0]++;
      if (verbose && steps[0] % 1000 == 0) {
        double t1 = interpolator.getCurrentState().getTime().toDouble();
        System.err.printf(Locale.ROOT, "  %s step %d t=%.4f h=%.3e %.1fs%n", method, steps[0], t1,
            t1 - interpolator.getPreviousState().getTime().toDouble(), (System.nanoTime() - start) / 1e9);
      }
    });
    FieldExpandableODE<Dfp> expandable = new FieldExpandableODE<>(counted);
    List<Dfp[]> states = new ArrayList<>();
    Dfp[] y = y0.clone();
    double t = t0;
    for (double target : times) {
      if (target > t) {
        FieldODEStateAndDerivative<Dfp> end =
            integrator.integrate(expandable, new FieldODEState<>(field.newDfp(t), y), field.newDfp(target));
        y = end.getPrimaryState();
        t = target;
      }
      states.add(y.clone());
    }
    String settings = String.format(Locale.ROOT, "%s%s rtol %.0e, %d digits",
        method == Method.DP853 ? "DormandPrince853Field" : "AdamsMoultonField",
        method == Method.DP853 ? "" : "(nSteps " + nSteps + ")", rtol, Mp.digits(field));
    return new Result(states, steps[0], evaluations[0], settings);
  }

  /** Output times: finite, >= 0, non-decreasing, at least one. */
  static void checkTimes(double[] times) {
    InvalidInputException.require(times.length >= 1, "at least one output time is required");
    double prev = 0.0;
    for (double t : times) {
      InvalidInputException.require(Double.isFinite(t) && t >= prev,
          "output times must be finite, >= 0 and non-decreasing, got " + Arrays.toString(times));
      prev = t;
    }
  }
}
