package org.qnnoracle.sgd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one step <-> time conversion, against sums written out here. */
class StepGridTest {

  @Test
  void constantStepTimesAreExactlyStepTimesEta() {
    StepSchedule s = new StepSchedule.Constant(0.03);
    long[] steps = StepGrid.stepsForTimes(s, new double[] {0.0, 0.014, 0.016, 1.0, 30.0});
    // round(t / eta): 0.014 / 0.03 = 0.47 -> 0, 0.016 / 0.03 = 0.53 -> 1, 1 / 0.03 = 33.3 -> 33
    assertThat(steps).containsExactly(0, 0, 1, 33, 1000);
    double[] t = StepGrid.timesOfSteps(s, steps);
    for (int i = 0; i < steps.length; i++) {
      // exact: a product, not a running sum, so no round-off accumulates
      assertThat(t[i]).isEqualTo(steps[i] * 0.03);
    }
  }

  @Test
  void decayingStepReachesEachTimeAtTheNearestStep() {
    StepSchedule s = new StepSchedule.Inverse(0.2, 50.0);
    double[] wanted = {0.0, 0.5, 3.0, 7.5};
    long[] steps = StepGrid.stepsForTimes(s, wanted);
    double[] t = StepGrid.timesOfSteps(s, steps);
    for (int i = 0; i < wanted.length; i++) {
      long k = steps[i];
      double sum = 0.0;
      for (long j = 0; j < k; j++) {
        sum += s.eta(j);
      }
      // the same running sum in the same order: equal to the last bit
      assertThat(t[i]).isEqualTo(sum);
      // k is the first step whose time is within half a step of the wanted time
      assertThat(sum + 0.5 * s.eta(k)).isGreaterThanOrEqualTo(wanted[i]);
      if (k > 0) {
        assertThat(sum - s.eta(k - 1) + 0.5 * s.eta(k - 1)).isLessThan(wanted[i]);
      }
    }
  }

  @Test
  void evenGridSpansTheRunWithTimesOnSteps() {
    StepGrid g = StepGrid.even(0.07, 10.0, 8);
    assertThat(g.size()).isEqualTo(9);
    assertThat(g.steps()[0]).isZero();
    assertThat(g.steps()[8]).isEqualTo(Math.round(10.0 / 0.07));
    // each output time lies within half a step of the even time it stands for; 1e-15 allows the round-off of
    // step * eta and of 10 k / 8 near t = 10 (half an ulp of 10, 8.9e-16, each)
    for (int k = 0; k <= 8; k++) {
      assertThat(Math.abs(g.times()[k] - 10.0 * k / 8)).isLessThanOrEqualTo(0.5 * 0.07 + 1e-15);
    }
  }
}
