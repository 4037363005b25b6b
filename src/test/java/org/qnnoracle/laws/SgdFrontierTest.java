package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.sgd.SgdRiskCurve;

/** SgdFrontier's bookkeeping on a small run (the science is LAWS-COMPUTE-FRONTIER (d)). */
class SgdFrontierTest {
  private static SgdFrontier small(long seed) {
    return SgdFrontier.run(48, 32, FrontierRun.widths(16), 1.0, 1e-3, 0.02, seed, 40, SgdFrontier.Listener.NONE);
  }

  @Test
  void computeIsStepsTimesFlopsAndTheEnvelopeIsBelowEveryCurve() {
    SgdFrontier f = small(3L);
    long[] steps = f.steps();
    assertThat(f.widths()).containsExactly(2, 3, 4, 6, 8, 11, 16);
    for (int k = 0; k < f.widths().length; k++) {
      int m = f.widths()[k];
      double[] c = f.sgdCurves().get(k).compute();
      assertThat(c).hasSize(steps.length);
      for (int i = 0; i < steps.length; i++) {
        assertThat(c[i]).isEqualTo(steps[i] * SgdRiskCurve.flopsPerStep(48, m, 32, 48));
        assertThat(f.times()[i]).isEqualTo(steps[i] * 0.02);
      }
      for (ComputeFrontier.Envelope e : new ComputeFrontier.Envelope[] {f.sgd(), f.effective(), f.flow()}) {
        double[] grid = e.compute();
        for (int i = 0; i < grid.length; i++) {
          ComputeFrontier.Curve curve = e == f.sgd() ? f.sgdCurves().get(k)
              : e == f.effective() ? f.effectiveCurves().get(k) : f.flowCurves().get(k);
          assertThat(e.risk()[i]).isLessThanOrEqualTo(curve.riskAt(grid[i]));
        }
      }
    }
    // the same seed gives the same numbers (every random thing takes a seed)
    SgdFrontier again = small(3L);
    assertThat(again.sgd().risk()).containsExactly(f.sgd().risk());
    assertThat(again.sgdFit().slope()).isEqualTo(f.sgdFit().slope());
  }

  @Test
  void refusesAWidthGridWithoutAWindow() {
    assertThatThrownBy(() -> SgdFrontier.run(48, 32, new int[] {2, 4, 8}, 1.0, 1e-3, 0.02, 1L, 40,
        SgdFrontier.Listener.NONE)).isInstanceOf(InvalidInputException.class).hasMessageContaining("[16, r]");
  }
}
