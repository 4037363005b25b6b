package org.qnnoracle.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.laws.ReducedStart;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.Risk;

/** The one-shot overlap closed form against the sub-stepped reduced exact propagator (the reference). */
class OverlapClosedFormTest {
  /** lambda_max tau at the output times: before, during and long after the escapes. */
  private static final double[] LAMBDA_TAU = {0.0, 0.1, 1, 3, 10, 30, 100, 300, 1000};

  /**
   * Relative part: the reference composes about lambda_max tau &lt;= 1e3 sub-steps, each adding round-off of
   * order eps = 1.1e-16 relative, so it carries up to ~1e-13; measured worst 2e-13 (R not tiny). 1e-12 leaves
   * a factor 5.
   */
  private static final double RELATIVE = 1e-12;

  /**
   * Absolute part, from the one subtraction both routes make: Theta^T M Theta - Lambda has an entrywise error
   * of about kappa eps |Lambda| (kappa: the growth of round-off through cond(S), cond(K)), so with
   * delta = kappa eps |Lambda|_F the computed |X + delta|^2 differs from |X|^2 by at most
   * 2 |X| delta + delta^2, i.e. |dR| &lt;= 4 sqrt(R / 2) delta + 2 delta^2 (R = 2 |X|^2 + ...). kappa = 1e3
   * (generous; the measured floor is 6e-32 ~ 2 (eps |Lambda|)^2, and 6e-9 relative at R = 6e-23).
   */
  private static final double DELTA = 1e3 * 2.2e-16;

  private static double tolerance(double risk, double[] lambda) {
    double normLambda = 0.0;
    for (double l : lambda) {
      normLambda += l * l;
    }
    double delta = DELTA * Math.sqrt(normLambda);
    return RELATIVE * risk + 4.0 * Math.sqrt(risk / 2.0) * delta + 2.0 * delta * delta;
  }

  @ParameterizedTest(name = "d={0} r={1} m={2} alpha={3} sigma0={4}")
  @CsvSource({
      "1000, 40, 40, 1, 1e-3", "1000, 40, 40, 0, 1", "1e9, 40, 40, 1, 1", "1e9, 40, 40, 0, 1e-3",
      "1000, 30, 50, 1, 1e-3", "1000, 30, 50, 0, 1", "1e9, 30, 50, 1, 1", "1e9, 30, 50, 0, 1e-3",
      // d - r < m: P0 has rank d - r < m (as at the paper's scale), so only part of its eigenbasis carries P
      "60, 40, 40, 1, 1e-3", "70, 30, 50, 1, 1", "50, 30, 50, 0, 1e-3"})
  void agreesWithTheReducedExactPropagator(double d, int r, int m, double alpha, double sigma0) {
    double[] lambda = PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
    FlowState.Overlaps start = ReducedStart.sample((long) d, r, m, sigma0, 7L);
    double[] times = new double[LAMBDA_TAU.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = LAMBDA_TAU[i] / (FlowTime.TAU_PER_T * lambda[0]);
    }
    List<FlowState> reference = ReducedExactPropagator.trajectory(lambda, start, times);
    List<OverlapClosedForm.Point> points = OverlapClosedForm.evaluate(lambda, start, times, 2, FlowProgress.NONE);
    for (int i = 0; i < times.length; i++) {
      FlowState.Overlaps ref = (FlowState.Overlaps) reference.get(i);
      double expected = Risk.fromOverlaps(ref.q(), ref.p(), lambda);
      OverlapClosedForm.Point p = points.get(i);
      assertThat(p.t()).isEqualTo(times[i]);
      assertThat(p.risk()).as("risk at lambda_max tau = %s", LAMBDA_TAU[i])
          .isCloseTo(expected, Offset.offset(tolerance(expected, lambda)));
      double[] overlaps = Risk.directionOverlaps(ref.q());
      for (int j = 0; j < r; j++) {
        // same origin as the risk tolerance: relative RELATIVE, absolute kappa eps lambda_max
        assertThat(p.directionOverlaps()[j]).as("overlap %d at lambda_max tau = %s", j, LAMBDA_TAU[i])
            .isCloseTo(overlaps[j], Offset.offset(RELATIVE * overlaps[j] + DELTA * lambda[0]));
      }
    }
  }

  @Test
  void theRiskArrayMatchesThePointsAndDoesNotDependOnTheThreadCount() {
    double[] lambda = PowerLawSpectrum.lambdas(20, 1.0, Normalisation.L2);
    FlowState.Overlaps start = ReducedStart.sample(500, 20, 25, 1e-2, 3L);
    double[] times = {5.0, 0.0, 1.0, 50.0};
    double[] one = OverlapClosedForm.risk(lambda, start, times, 1, FlowProgress.NONE);
    double[] three = OverlapClosedForm.risk(lambda, start, times, 3, FlowProgress.NONE);
    // each time is computed by the same single-threaded arithmetic whatever the pool: bit-identical
    assertThat(three).containsExactly(one);
    assertThat(one[1]).isEqualTo(Risk.fromOverlaps(start.q(), start.p(), lambda),
        Offset.offset(1e-14));
  }

  @Test
  void refusesAStudentNarrowerThanTheTeacher() {
    double[] lambda = PowerLawSpectrum.lambdas(10, 1.0, Normalisation.L2);
    FlowState.Overlaps start = ReducedStart.sample(100, 10, 6, 1e-3, 1L);
    assertThatThrownBy(() -> OverlapClosedForm.risk(lambda, start, new double[] {1.0}, 1, FlowProgress.NONE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("needs m >= r")
        .hasMessageContaining("m = 6 < r = 10");
  }

  @Test
  void refusesTimesBeforeTheStartAndNoThreads() {
    double[] lambda = PowerLawSpectrum.lambdas(4, 1.0, Normalisation.L2);
    FlowState.Overlaps start = ReducedStart.sample(100, 4, 4, 1e-3, 1L);
    assertThatThrownBy(() -> OverlapClosedForm.risk(lambda, start, new double[] {-1.0}, 1, FlowProgress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("output times");
    assertThatThrownBy(() -> OverlapClosedForm.risk(lambda, start, new double[] {1.0}, 0, FlowProgress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("threads");
  }
}
