package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.events.Action;
import org.hipparchus.ode.events.AdaptableInterval;
import org.hipparchus.ode.events.ODEEventDetector;
import org.hipparchus.ode.events.ODEEventHandler;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.analysis.solvers.BracketedUnivariateSolver;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.analysis.UnivariateFunction;
import org.junit.jupiter.api.Test;

/**
 * Pins the escape-time formulas to an independent route: the half-way time of the scalar logistic equation
 * dmu/dt = 8 mu (lambda - mu) (one aligned direction of the flow), found by integrating it with Hipparchus'
 * DormandPrince853 and an event at mu = lambda / 2. A mutation audit found {@link EscapeTimes#leading} unpinned
 * (a factor 2 in it survived every test and claim); these tests fail on any such change.
 */
class EscapeTimesTest {

  /** Half-way time of the logistic equation from mu0, by integration with an event (rtol 1e-12). */
  private static double halfWayTimeByIntegration(double lambda, double mu0) {
    DormandPrince853Integrator ode = new DormandPrince853Integrator(1e-12, 10.0, 1e-14 * mu0, 1e-12);
    double[] hit = {Double.NaN};
    ode.addEventDetector(new ODEEventDetector() {
      @Override
      public AdaptableInterval getMaxCheckInterval() {
        return AdaptableInterval.of(1e-2 / lambda);
      }

      @Override
      public int getMaxIterationCount() {
        return 200;
      }

      @Override
      public BracketedUnivariateSolver<UnivariateFunction> getSolver() {
        return new BracketingNthOrderBrentSolver(1e-15, 1e-15, 1e-300, 5);
      }

      @Override
      public ODEEventHandler getHandler() {
        return (state, detector, increasing) -> {
          hit[0] = state.getTime();
          return Action.STOP;
        };
      }

      @Override
      public double g(ODEStateAndDerivative s) {
        return s.getPrimaryState()[0] - lambda / 2.0;
      }
    });
    ode.integrate(new org.hipparchus.ode.OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return 1;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        return new double[] {8.0 * y[0] * (lambda - y[0])};
      }
    }, new ODEState(0.0, new double[] {mu0}), 1e4 / lambda);
    return hit[0];
  }

  @Test
  void leadingIsLogOfLambdaOverMu0Over8Lambda() {
    // Closed form by hand: log(0.5 / 5e-7) / (8 * 0.5) = log(1e6) / 4.
    assertThat(EscapeTimes.leading(0.5, 5e-7)).isCloseTo(Math.log(1e6) / 4.0, within(1e-15));
    // Scaling: at fixed lambda / mu0 the time is inversely proportional to lambda.
    assertThat(EscapeTimes.leading(2.0, 2e-6) * 4.0).isCloseTo(EscapeTimes.leading(0.5, 5e-7), within(1e-14));
  }

  @Test
  void leadingAndLogisticMatchTheIntegratedHalfWayTime() {
    for (double lambda : new double[] {0.05, 0.3, 1.0, 4.0}) {
      for (double ratio : new double[] {1e-3, 1e-6, 1e-10}) {
        double mu0 = ratio * lambda;
        double t = halfWayTimeByIntegration(lambda, mu0);
        // The logistic form is exact: only the integrator's error (rtol 1e-12 over ~log(1/ratio) e-folds, and
        // the event's 1e-15 location) separates them; 1e-9 relative leaves a factor 100 above measured 1e-11.
        assertThat(EscapeTimes.logistic(lambda, mu0)).as("logistic lambda=%s mu0=%s", lambda, mu0)
            .isCloseTo(t, within(1e-9 * t));
        // The leading form drops the -1 in log(lambda / mu0 - 1): an error log(1 / (1 - ratio)) / (8 lambda),
        // at most 1.01 ratio / (8 lambda) here; a factor 2 anywhere in the formula would be off by about t.
        assertThat(EscapeTimes.leading(lambda, mu0)).as("leading lambda=%s mu0=%s", lambda, mu0)
            .isCloseTo(t, within(1.01 * ratio / (8.0 * lambda) + 1e-9 * t));
      }
    }
  }
}
