package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.sgd.StepSchedule;
import org.qnnoracle.stats.LinearFit;

/** The noise-limited sample law's building blocks (the science is LAWS-SAMPLE-POWER), each against a closed form. */
class SamplePowerTest {

  @Test
  void stateExcessSlopeAtTheFlowsLimitIsTheLearnedPointSlope() {
    // Independent route: the flow from a random start reaches the learned point (R = floor, tr G = sum of the
    // top m lambda) at a rate 8 (lambda_3 - lambda_4) = 0.55 here, so at t = 400 it is there to e^-220; what is
    // left is the reduced propagator's error (relative 1e-10 or so): 1e-8.
    int r = 6;
    int m = 3;
    double[] lambda = ScalingLaws.lambdas(r, 1.0);
    FlowState.Overlaps start = ReducedStart.sample(1000, r, m, 1e-3, 7L);
    SamplePower.FlowCurve flow = SamplePower.FlowCurve.of(lambda, start, 400.0, 50);
    for (double s2 : new double[] {0.0, 0.5}) {
      double viaState = SampleLaw.excessSlope(flow.riskAt(400.0), flow.traceGAt(400.0), 1000, 1, s2);
      double atLimit = SampleLaw.excessSlope(lambda, m, 1000, 1, s2);
      assertThat(viaState / atLimit - 1.0).isCloseTo(0.0, within(1e-8));
    }
  }

  @Test
  void powerScheduleTimeIsTheSumOfItsSteps() {
    // t(k) is the integral of eta over [0, k]; for a decreasing eta the sum over i < k exceeds it by at most
    // eta(0) - eta(k) (Euler-Maclaurin / a monotone Riemann sum) and by at least 0.
    StepSchedule.Power p = new StepSchedule.Power(0.01, 500.0, 0.6);
    double sum = 0.0;
    for (long k = 0; k < 200_000; k++) {
      if (k % 50_000 == 0 && k > 0) {
        double t = p.timeAfterSteps(k);
        assertThat(sum - t).isBetween(0.0, p.eta0() - p.eta(k));
        // The continuum step size at t(k) is the step size of step k exactly (up to round-off).
        assertThat(p.etaAtTime(t) / p.eta(k) - 1.0).isCloseTo(0.0, within(1e-12));
        // The inversion gives k + k0 (the bound keeps the 1 of 1 + k / k0): round-off only.
        assertThat(Math.pow(10.0, p.log10StepsToReach(t)) / (k + p.k0()) - 1.0).isCloseTo(0.0, within(1e-10));
      }
      sum += p.eta(k);
    }
    assertThat(StepSchedule.parse("power:500:0.6", 0.01)).isEqualTo(p);
    assertThatThrownBy(() -> StepSchedule.parse("power:500", 0.01)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("power:K0:RHO");
    assertThatThrownBy(() -> StepSchedule.parse("power:500:1.5", 0.01)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(0, 1)");
  }

  @Test
  void argminLogFindsTheMinimumOfAPowerTradeOff() {
    // a c^-p + b c is least at c* = (p a / b)^(1 / (p + 1)); golden section stops at 1e-6 in log c.
    double a = 3.0;
    double b = 0.2;
    for (double p : new double[] {0.5, 1.0, 2.0}) {
      double c = SampleLaw.argminLog(x -> a * Math.pow(x, -p) + b * x, 1e-4, 1e4);
      assertThat(Math.log(c / Math.pow(p * a / b, 1.0 / (p + 1.0)))).isCloseTo(0.0, within(1e-5));
    }
  }

  @Test
  void formulaEnvelopeOfAPureNoiseLimitedLawHasExponentGammaOverOnePlusGamma() {
    // R0(t) = K t^-gamma, tr G = 1 and s^2 much larger than R0: min over c of K (n c / d)^-gamma + A c has
    // c* and R* proportional to n^(-gamma / (1 + gamma)) and R* = (1 + gamma) / gamma x A c* (A = 2 s^2 (1 + 1/d)).
    // The interpolation is exact on a power law; the R0 term of kappa (R0 / s^2 below 2e-6 here) and the search's
    // 1e-6 in log c leave 1e-5 (c* runs from 1e-5 to 1e-7 here, inside the searched [1e-8, 1e-3]).
    double gamma = 4.0 / 3.0;
    long d = 1000;
    double s2 = 1e5;
    double[] times = FlowRiskCurve.logGrid(1e-6, 1e6, 200);
    double[] risk = new double[times.length];
    double[] traceG = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      risk[i] = 0.3 * Math.pow(times[i], -gamma);
      traceG[i] = 1.0;
    }
    SamplePower.FlowCurve flow = new SamplePower.FlowCurve(times, risk, traceG);
    double[] ns = {1e8, 1e9, 1e10, 1e11};
    double[] best = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      double[] cr = flow.best(ns[i], d, 1, s2, 1e-3, 1.0);
      assertThat(cr[0]).isBetween(1e-8, 1e-3 / 2);
      best[i] = cr[1];
      double a = 2.0 * (1.0 + 1.0 / d) * s2;
      assertThat(cr[1] / ((1.0 + gamma) / gamma * a * cr[0]) - 1.0).isCloseTo(0.0, within(1e-5));
    }
    assertThat(LinearFit.logLog(ns, best).slope()).isCloseTo(-SamplePower.asymptoticRho(1.5), within(1e-5));
    assertThat(SamplePower.asymptoticRho(1.5)).isCloseTo(gamma / (1.0 + gamma), within(1e-15));
  }

  @Test
  void windowStartsAfterTheLastLargeBestCAndStopsAboveFourFloors() {
    double cCrit = 0.16;
    double floor = 0.01;
    double[] ns = {1, 2, 3, 4, 5, 6, 7};
    // A small best c on the plateau (index 0), the ceiling (1, 2), first order from 3 on; the risk reaches
    // 4 floors at index 6.
    double[] c = {0.001, 0.08, 0.05, 0.02, 0.015, 0.01, 0.005};
    double[] risk = {1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.039};
    assertThat(SamplePower.window(ns, c, risk, cCrit, floor)).containsExactly(3, 4, 5);
  }

  @Test
  void settingsRefuseWhatTheLawDoesNotCover() {
    assertThatThrownBy(() -> new SamplePower.Settings(1000, 8, 4, 0.5, 1.0, 1, 1e-3, 1, 1e6, 1e8, 5))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("alpha > 1/2");
    assertThatThrownBy(() -> new SamplePower.Settings(1000, 8, 4, 1.5, 0.0, 1, 1e-3, 1, 1e6, 1e8, 5))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("s^2 > 0");
    assertThatThrownBy(() -> new SamplePower.Settings(1000, 8, 9, 1.5, 1.0, 1, 1e-3, 1, 1e6, 1e8, 5))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("m <= r");
  }
}
