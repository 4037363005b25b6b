package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.PngRenderer;
import org.qnnoracle.plot.Series;

/** Each builder gives a figure with the expected series that renders as a PNG. */
class LawsFiguresTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
  private static List<TimeLaw> runs;

  @BeforeAll
  static void sweep() {
    runs = List.of(TimeLaw.run(10_000, 24, 24, 1.0, 1e-3, 1, 60, FlowProgress.NONE),
        TimeLaw.run(1_000_000, 24, 24, 1.0, 1e-3, 1, 60, FlowProgress.NONE));
  }

  private static List<String> names(Figure f) {
    return f.series().stream().map(Series::name).toList();
  }

  private static void assertRenders(Figure f) {
    byte[] png = PngRenderer.render(f);
    assertThat(Arrays.copyOf(png, 4)).isEqualTo(PNG);
    assertThat(f.drawableCount()).isPositive();
    assertThat(f.logX()).isTrue();
    assertThat(f.logY()).isTrue();
  }

  @Test
  void riskVsTimeHasOneLineAndOneAdditivePerRunAndTheAsymptote() {
    Figure f = LawsFigures.riskVsTime("risk-vs-time", runs);
    assertThat(names(f)).containsExactly("d = 1e4 (r = 24, m = 24)", "d = 1e6 (r = 24, m = 24)",
        "d = 1e4 (r = 24, m = 24) additive", "d = 1e6 (r = 24, m = 24) additive", "dashed: additive model",
        "slope -1.00 (asymptote)");
    assertThat(f.series().get(0).style()).isEqualTo(Series.Style.LINE);
    assertThat(f.series().get(2).style()).isEqualTo(Series.Style.DASHED);
    Series ref = f.series().get(5);
    double[] x = ref.x();
    double[] y = ref.y();
    assertThat(Math.log(y[2] / y[0]) / Math.log(x[2] / x[0])).isCloseTo(-1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(f.caption()).contains("d = 1e4").contains("d = 1e6").contains("-1.000");
    assertRenders(f);
  }

  @Test
  void collapseHasOneLinePerRunAndTheTailSumMarkers() {
    Figure f = LawsFigures.collapse("collapse", runs);
    assertThat(names(f)).containsExactly("d = 1e4 (r = 24, m = 24)", "d = 1e6 (r = 24, m = 24)",
        "2 sum_{j>J} lambda_j^2");
    Series tail = f.series().get(2);
    assertThat(tail.style()).isEqualTo(Series.Style.MARKERS);
    double[] lambda = PowerLawSpectrum.lambdas(24, 1.0, Normalisation.L2);
    assertThat(tail.y()[0]).isEqualTo(ScalingLaws.tailRisk(lambda, 1));
    assertThat(f.series().get(0).size()).isPositive().isLessThanOrEqualTo(60);
    assertRenders(f);
  }

  @Test
  void widthFloorHasMeasuredTailAndReference() {
    double[] lambda = PowerLawSpectrum.lambdas(40, 1.0, Normalisation.L2);
    int[] widths = {4, 8, 16};
    double[] floors = {ScalingLaws.tailRisk(lambda, 4), ScalingLaws.tailRisk(lambda, 8),
        ScalingLaws.tailRisk(lambda, 16)};
    Figure f = LawsFigures.widthFloor("width-floor", lambda, 1.0, widths, floors);
    assertThat(names(f)).containsExactly("flow at long time", "2 sum_{j>m} lambda_j^2", "m^-1.00 (reference)");
    assertThat(f.series().get(1).size()).isEqualTo(39);
    // the reference passes through the measured floor at the middle width, m = 8
    Series ref = f.series().get(2);
    double slope = Math.log(ref.y()[1] / ref.y()[0]) / Math.log(ref.x()[1] / ref.x()[0]);
    assertThat(ref.y()[0] * Math.pow(8.0, slope)).isCloseTo(floors[1], org.assertj.core.data.Offset.offset(1e-12));
    assertRenders(f);
  }

  @Test
  void riskVsSamplesHasCurvesEnvelopeAndFloor() {
    double[] n = {1e3, 1e4, 1e5};
    List<LawsFigures.SampleCurve> curves = List.of(
        new LawsFigures.SampleCurve("SGD c = 0.1", n, new double[] {1.0, 0.5, 0.3}, Series.Style.MARKERS),
        new LawsFigures.SampleCurve("effective ODE c = 0.1", n, new double[] {1.0, 0.45, 0.28}, Series.Style.LINE));
    Figure f = LawsFigures.riskVsSamples("risk-vs-samples", "Risk vs samples", curves, n,
        new double[] {0.9, 0.4, 0.2}, 0.1);
    assertThat(names(f)).hasSize(4).startsWith("SGD c = 0.1", "effective ODE c = 0.1",
        "best c per n (predicted envelope)");
    assertThat(names(f).get(3)).startsWith("floor");
    assertThat(f.series().get(3).y()).containsExactly(0.1, 0.1);
    assertRenders(f);
    Figure noFloor = LawsFigures.riskVsSamples("risk-vs-samples", "Risk vs samples", curves, n,
        new double[] {0.9, 0.4, 0.2}, 0.0);
    assertThat(noFloor.series()).hasSize(3);
  }

  @Test
  void formatsDimensions() {
    assertThat(LawsFigures.formatD(1_000_000)).isEqualTo("1e6");
    assertThat(LawsFigures.formatD(3200)).isEqualTo("3200");
    assertThat(LawsFigures.formatD(2_500_000)).isEqualTo("2.5e6");
    assertThat(LawsFigures.formatD(100)).isEqualTo("100");
  }

  /**
   * The additive prediction lies on its curve, so drawn in a colour of its own it covered the solid curve and the
   * legend's colours matched nothing visible. Each d is one colour: the prediction dashed in its curve's colour,
   * left out of the legend, where one grey entry says what dashes mean.
   */
  @Test
  void riskVsTimeDrawsEachPredictionInTheColourOfItsCurve() {
    Figure f = LawsFigures.riskVsTime("risk-vs-time", runs);
    List<Series> s = f.series();
    for (int i = 0; i < runs.size(); i++) {
      Series curve = s.get(i);
      Series prediction = s.get(runs.size() + i);
      assertThat(prediction.name()).isEqualTo(curve.name() + " additive");
      assertThat(prediction.style()).isEqualTo(Series.Style.DASHED);
      assertThat(prediction.colourGroup()).as(prediction.name()).isEqualTo(curve.colourGroup());
      assertThat(prediction.inLegend()).isFalse();
      assertThat(curve.inLegend()).isTrue();
    }
    assertThat(s.get(0).colourGroup()).isNotEqualTo(s.get(1).colourGroup());
    Series key = s.get(2 * runs.size());
    assertThat(key.name()).isEqualTo("dashed: additive model");
    assertThat(key.style()).isEqualTo(Series.Style.DASHED);
    assertThat(key.colourGroup()).isEqualTo(Series.NEUTRAL);
    assertThat(key.size()).isZero();
    assertRenders(f);
  }
}
