package org.qnnoracle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.RandomInstances;

/** The runs a method refuses (FlowMethod.checkApplicable), each with the reason that makes it unsafe. */
class FlowMethodTest {
  private static final Instance NARROW = RandomInstances.withShape(8, 4, 2, 1.0, 0.1, 20_261_128L);

  private static double timeAt(double lambdaTau, double lambda) {
    return lambdaTau / (FlowTime.TAU_PER_T * lambda);
  }

  @Test
  void matrixFormForNarrowStudentIsRefusedPastItsStableHorizonOnly() {
    double lambdaNext = NARROW.teacher().lambda()[NARROW.m()];
    double inside = timeAt(0.99 * FlowMethod.MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU, lambdaNext);
    double outside = timeAt(1.01 * FlowMethod.MATRIX_FORM_MAX_UNSTABLE_LAMBDA_TAU, lambdaNext);
    assertThat(FlowMethod.DP853_M.solve(NARROW, new double[] {0.0, inside}, IntegratedFlow.TIGHT_RTOL)).hasSize(2);
    assertThatThrownBy(() -> FlowMethod.GBS_M.solve(NARROW, new double[] {outside}, IntegratedFlow.TIGHT_RTOL))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("unstable for m < r");
    // m >= r has no such horizon
    Instance wide = RandomInstances.withShape(8, 4, 5, 1.0, 0.1, 20_261_128L);
    assertThat(FlowMethod.DP853_M.solve(wide, new double[] {timeAt(50, wide.teacher().lambdaMax())},
        IntegratedFlow.TIGHT_RTOL)).hasSize(1);
  }

  @Test
  void closedFormIsRefusedWhereItLosesAccuracy() {
    double lmax = NARROW.teacher().lambdaMax();
    assertThat(FlowMethod.CLOSED_FORM.solve(NARROW, new double[] {timeAt(10, lmax)}, 0.0)).hasSize(1);
    assertThatThrownBy(() -> FlowMethod.CLOSED_FORM.solve(NARROW, new double[] {timeAt(16, lmax)}, 0.0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("closed-form");
  }

  @Test
  void exactRoutesRefuseHorizonsTheyCannotFinish() {
    double tooLong = timeAt(2 * FlowMethod.EXACT_MAX_LAMBDA_TAU, NARROW.teacher().lambdaMax());
    for (FlowMethod method : new FlowMethod[] {FlowMethod.EXACT, FlowMethod.REDUCED}) {
      assertThatThrownBy(() -> method.solve(NARROW, new double[] {tooLong}, 0.0))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("sub-steps");
    }
  }

  @Test
  void integratorTolerancesAreChecked() {
    for (double bad : new double[] {0.0, 1e-30, 1.0, Double.NaN, -1e-8}) {
      assertThatThrownBy(() -> FlowMethod.DP853.solve(NARROW, new double[] {1.0}, bad))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("rtol");
    }
    // the exact routes do not use rtol
    assertThat(FlowMethod.EXACT.solve(NARROW, new double[] {1.0}, 0.0)).hasSize(1);
  }

  @Test
  void instancesTooLargeToHoldAreRefused() {
    assertThatThrownBy(() -> ModelSpec.of(100_000_000, 1, 1, 1.0, 1.0, 1L))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("matrix entries");
  }
}
