package org.qnnoracle.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;

/** Series and Figure: validation, immutability, and the drawable-point rule the renderer uses. */
class PlotDataTest {
  private static final Series ONE = Series.line("one", new double[] {1, 2}, new double[] {3, 4});

  @Test
  void validStemsAreAccepted() {
    for (String stem : List.of("a", "risk-vs-time", "floor-vs-width-alpha-1-5", "0", "x".repeat(100))) {
      assertThat(new Figure(stem, "t", "x", "y", true, true, List.of(ONE)).stem()).isEqualTo(stem);
    }
  }

  @Test
  void unsafeStemsAreRejectedWithOneLine() {
    for (String stem : List.of("", "Risk", "a_b", "a.b", "a b", "-a", "../x", "plots/x", "x.png", "é",
        "x".repeat(101))) {
      assertThatThrownBy(() -> new Figure(stem, "t", "x", "y", false, false, List.of()))
          .as(stem).isInstanceOf(InvalidInputException.class).hasMessageContaining("stem")
          .hasMessageNotContaining("\n");
    }
    assertThatThrownBy(() -> new Figure(null, "t", "x", "y", false, false, List.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("null");
  }

  @Test
  void figureNeedsTitleLabelsAndDistinctSeriesNames() {
    assertThatThrownBy(() -> new Figure("f", " ", "x", "y", false, false, List.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("title");
    assertThatThrownBy(() -> new Figure("f", "t", null, "y", false, false, List.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("axis label");
    assertThatThrownBy(() -> new Figure("f", "t", "x", "y", false, false, List.of(ONE, ONE)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("two series named 'one'");
  }

  @Test
  void captionIsOptional() {
    assertThat(new Figure("f", "t", "x", "y", false, false, List.of()).caption()).isEmpty();
    assertThat(new Figure("f", "t", "x", "y", false, false, List.of(), null).caption()).isEmpty();
    assertThat(Figure.logLog("f", "t", "x", "y", List.of(), "c").withCaption("d").caption()).isEqualTo("d");
    assertThat(Figure.logLog("f", "t", "x", "y", List.of(), "c").fileName()).isEqualTo("f.png");
  }

  @Test
  void seriesRejectsMismatchedLengthsAndMissingParts() {
    assertThatThrownBy(() -> Series.line("s", new double[] {1, 2, 3}, new double[] {1, 2}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("3 x values but 2 y values");
    assertThatThrownBy(() -> Series.line("", new double[0], new double[0]))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> Series.markers("s", null, new double[0]))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Series("s", new double[0], new double[0], null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("style");
  }

  @Test
  void seriesCopiesItsArraysAndComparesByContent() {
    double[] x = {1, 2};
    double[] y = {3, 4};
    Series s = Series.dashed("s", x, y);
    x[0] = 99;
    s.y()[1] = 99;
    assertThat(s.x()).containsExactly(1, 2);
    assertThat(s.y()).containsExactly(3, 4);
    assertThat(s).isEqualTo(Series.dashed("s", new double[] {1, 2}, new double[] {3, 4}))
        .hasSameHashCodeAs(Series.dashed("s", new double[] {1, 2}, new double[] {3, 4}))
        .isNotEqualTo(Series.line("s", new double[] {1, 2}, new double[] {3, 4}));
  }

  @Test
  void badPointsAreKeptButNotDrawable() {
    Series s = Series.markers("s", new double[] {-1, 0, 1, 10, Double.NaN, 5},
        new double[] {1, 1, 0, 1e-3, 1, Double.POSITIVE_INFINITY});
    assertThat(s.size()).isEqualTo(6);
    assertThat(s.drawableCount(false, false)).isEqualTo(4); // only the NaN and the infinity go
    assertThat(s.drawableCount(true, false)).isEqualTo(2); // x = -1 and x = 0 go too
    assertThat(s.drawableCount(false, true)).isEqualTo(3); // y = 0 goes
    assertThat(s.drawableCount(true, true)).isEqualTo(1); // only (10, 1e-3)
    assertThat(s.drawable(3, true, true)).isTrue();
    Figure f = Figure.logLog("f", "t", "x", "y", List.of(s, ONE), "");
    assertThat(f.drawableCount()).isEqualTo(3);
  }
}
