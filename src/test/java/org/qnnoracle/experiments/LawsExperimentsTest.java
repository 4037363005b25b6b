package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;

/** The fitting and reading helpers of the laws experiments, against closed forms. */
class LawsExperimentsTest {
  /** Round-off allowance for a 3 x 3 normal-equation solve and a few logarithms on numbers of order 1. */
  private static final double ROUND_OFF = 1e-10;

  @Test
  void planeFitRecoversAnExactPlaneWithZeroErrors() {
    double[] x1 = {0, 1, 2, 3, 0, 1};
    double[] x2 = {0, 0, 1, 1, 2, 3};
    double[] y = new double[x1.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = 0.5 - 1.5 * x1[i] + 2.0 * x2[i];
    }
    LawsExperiments.PlaneFit f = LawsExperiments.planeFit(x1, x2, y);
    assertThat(f.coefficients()[0]).isCloseTo(0.5, within(ROUND_OFF));
    assertThat(f.coefficients()[1]).isCloseTo(-1.5, within(ROUND_OFF));
    assertThat(f.coefficients()[2]).isCloseTo(2.0, within(ROUND_OFF));
    assertThat(f.standardErrors()[1]).isLessThan(ROUND_OFF);
    assertThatThrownBy(() -> LawsExperiments.planeFit(new double[3], new double[3], new double[3]))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void halfTimeIsExactForAPowerLawBetweenGridTimes() {
    // R = t^-1 is linear in (log t, log R), so the log-linear reading between the grid times is exact: R(t) =
    // R(1) / 2 at t = 2. No crossing gives NaN.
    double[] t = {1.0, 1.5, 3.0, 6.0};
    double[] r = {1.0, 1.0 / 1.5, 1.0 / 3.0, 1.0 / 6.0};
    assertThat(LawsExperiments.halfTime(t, r, 1.0)).isCloseTo(2.0, within(ROUND_OFF));
    assertThat(LawsExperiments.halfTime(t, r, 0.1)).isNaN();
  }
}
