package org.qnnoracle.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;

class PngRendererTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  /** The palette's first colour, given to the first series. */
  private static final int FIRST_COLOUR = 0x0072B2;

  /** y = 3 x^-1/2 at 40 log-spaced points over four decades. */
  private static Figure powerLaw() {
    double[] x = new double[40];
    double[] y = new double[40];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.pow(10, 4.0 * i / (x.length - 1));
      y[i] = 3 * Math.pow(x[i], -0.5);
    }
    return Figure.logLog("power-law", "y = 3 x^-1/2", "x", "y", List.of(Series.line("3 x^-1/2", x, y)), "");
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img).as("decodable PNG").isNotNull();
    return img;
  }

  private static long pixelsOf(BufferedImage img, int rgb) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void writesAPngOfTheRequestedSize() throws IOException {
    byte[] png = PngRenderer.render(powerLaw(), 640, 420);
    assertThat(Arrays.copyOf(png, 8)).containsExactly(PNG_SIGNATURE);
    BufferedImage img = decode(png);
    assertThat(img.getWidth()).isEqualTo(640);
    assertThat(img.getHeight()).isEqualTo(420);
    BufferedImage byDefault = decode(PngRenderer.render(powerLaw()));
    assertThat(byDefault.getWidth()).isEqualTo(PngRenderer.DEFAULT_WIDTH);
    assertThat(byDefault.getHeight()).isEqualTo(PngRenderer.DEFAULT_HEIGHT);
    assertThat(GraphicsEnvironment.isHeadless()).isTrue();
  }

  @Test
  void logLogPowerLawIsDrawnAsAStraightLine() throws IOException {
    Figure f = powerLaw();
    BufferedImage img = decode(PngRenderer.render(f));
    // The background is white and the curve is drawn in the first palette colour.
    assertThat(img.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(pixelsOf(img, FIRST_COLOUR)).as("pixels of the curve").isGreaterThan(500);

    // On log-log axes y = 3 x^-1/2 maps to a straight line: the screen positions of all points are
    // collinear. Checked through the chart's own coordinate transform on the area the PNG used.
    JFreeChart chart = PngRenderer.chart(f);
    XYPlot plot = chart.getXYPlot();
    assertThat(plot.getDomainAxis()).isInstanceOf(ReadableLogAxis.class);
    assertThat(plot.getRangeAxis()).isInstanceOf(ReadableLogAxis.class);
    var area = new java.awt.geom.Rectangle2D.Double(0, 0, 800, 500);
    double[] x = f.series().get(0).x();
    double[] y = f.series().get(0).y();
    double x0 = plot.getDomainAxis().valueToJava2D(x[0], area, RectangleEdge.BOTTOM);
    double y0 = plot.getRangeAxis().valueToJava2D(y[0], area, RectangleEdge.LEFT);
    double xn = plot.getDomainAxis().valueToJava2D(x[39], area, RectangleEdge.BOTTOM);
    double yn = plot.getRangeAxis().valueToJava2D(y[39], area, RectangleEdge.LEFT);
    for (int i = 1; i < 39; i++) {
      double xi = plot.getDomainAxis().valueToJava2D(x[i], area, RectangleEdge.BOTTOM);
      double yi = plot.getRangeAxis().valueToJava2D(y[i], area, RectangleEdge.LEFT);
      assertThat(yi).as("point %d", i).isCloseTo(y0 + (yn - y0) * (xi - x0) / (xn - x0),
          org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void wideLogAxisHasPowerOfTenTicksNarrowOneRoundNumbers() {
    JFreeChart chart = PngRenderer.chart(powerLaw());
    chart.createBufferedImage(900, 600); // lays the chart out, which fixes the axis ranges
    XYPlot plot = chart.getXYPlot();
    var area = new java.awt.geom.Rectangle2D.Double(0, 0, 800, 500);
    var g2 = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
    List<?> wide = plot.getDomainAxis().refreshTicks(g2, new org.jfree.chart.axis.AxisState(), area,
        RectangleEdge.BOTTOM);
    List<Double> wideValues = majorValues(wide);
    assertThat(wideValues).contains(1.0, 10.0, 100.0, 1000.0, 10000.0);

    Figure narrow = Figure.logLog("narrow", "t", "x", "y", List.of(Series.markers("m",
        new double[] {4, 5, 6, 7, 8}, new double[] {0.5, 0.42, 0.36, 0.33, 0.3})), "");
    JFreeChart nc = PngRenderer.chart(narrow);
    nc.createBufferedImage(900, 600);
    List<?> ticks = nc.getXYPlot().getRangeAxis().refreshTicks(g2, new org.jfree.chart.axis.AxisState(), area,
        RectangleEdge.LEFT);
    assertThat(ticks).extracting(t -> ((ValueTick) t).getText()).contains("0.3", "0.35", "0.4", "0.45", "0.5");
    g2.dispose();
  }

  private static List<Double> majorValues(List<?> ticks) {
    return ticks.stream().map(t -> (ValueTick) t)
        .filter(t -> t.getTickType() == org.jfree.chart.axis.TickType.MAJOR)
        .map(t -> t.getValue()).toList();
  }

  @Test
  void roundTickHelpers() {
    assertThat(ReadableLogAxis.oneTwoFive(3, 60)).containsExactly(5.0, 10.0, 20.0, 50.0);
    assertThat(ReadableLogAxis.oneTwoFive(0.15, 0.6)).containsExactly(0.2, 0.5);
    assertThat(ReadableLogAxis.linear(0.3, 0.5)).containsExactly(0.3, 0.35, 0.4, 0.45, 0.5);
    assertThat(ReadableLogAxis.linear(1.2, 2.5)).containsExactly(1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4);
    assertThat(ReadableLogAxis.linear(1e-7, 3e-7)).containsExactly(1e-7, 1.5e-7, 2e-7, 2.5e-7, 3e-7);
    assertThat(ReadableLogAxis.roundStep(7, 8)).isEqualTo(1.0);
    assertThat(ReadableLogAxis.roundStep(2e-7, 8)).isEqualTo(5e-8);
    assertThat(PngRenderer.ShortNumberFormat.format3(0.30000000000000004)).isEqualTo("0.3");
    assertThat(PngRenderer.ShortNumberFormat.format3(1234.5)).isEqualTo("1230");
    assertThat(PngRenderer.ShortNumberFormat.format3(2.5e-7)).isEqualTo("2.5e-7");
    assertThat(PngRenderer.ShortNumberFormat.format3(-3e12)).isEqualTo("-3e12");
    assertThat(PngRenderer.ShortNumberFormat.format3(0)).isEqualTo("0");
  }

  @Test
  void nonPositivePointsOnLogAxesAreDroppedNotRejected() throws IOException {
    Series s = Series.lineAndMarkers("mixed", new double[] {-1, 0, 1, 10, 100, Double.NaN, 1000},
        new double[] {1, 1, 0, 1e-3, -5, 2, 1e-4});
    Figure f = Figure.logLog("mixed", "t", "x", "y", List.of(s), "");
    byte[] png = PngRenderer.render(f);
    assertThat(decode(png).getWidth()).isEqualTo(PngRenderer.DEFAULT_WIDTH);
    XYDataset data = PngRenderer.chart(f).getXYPlot().getDataset();
    assertThat(data.getItemCount(0)).isEqualTo(2); // (10, 1e-3) and (1000, 1e-4)
    assertThat(data.getXValue(0, 0)).isEqualTo(10.0);
    assertThat(data.getXValue(0, 1)).isEqualTo(1000.0);
    // On linear axes the same series keeps every finite point.
    Figure linear = new Figure("mixed-lin", "t", "x", "y", false, false, List.of(s));
    assertThat(PngRenderer.chart(linear).getXYPlot().getDataset().getItemCount(0)).isEqualTo(6);
  }

  @Test
  void figureWithoutDrawablePointsRendersAnEmptyPlot() throws IOException {
    Figure noSeries = Figure.logLog("none", "nothing", "x", "y", List.of(), "");
    Figure allDropped = Figure.logLog("dropped", "nothing drawable", "x", "y",
        List.of(Series.line("zeros", new double[] {0, -1}, new double[] {1, 2})), "");
    Figure linear = new Figure("lin", "nothing", "x", "y", false, false,
        List.of(Series.markers("nan", new double[] {Double.NaN}, new double[] {1})));
    for (Figure f : List.of(noSeries, allDropped, linear)) {
      BufferedImage img = decode(PngRenderer.render(f, 400, 300));
      assertThat(img.getWidth()).as(f.stem()).isEqualTo(400);
      assertThat(PngRenderer.chart(f).getXYPlot().getNoDataMessage()).isEqualTo("no data");
      assertThat(pixelsOf(img, FIRST_COLOUR)).as("no curve pixels in " + f.stem()).isLessThan(200);
    }
    // A single point (zero-width range) also renders.
    Figure single = Figure.logLog("single", "one point", "x", "y",
        List.of(Series.markers("p", new double[] {5}, new double[] {0.2})), "");
    assertThat(decode(PngRenderer.render(single)).getHeight()).isEqualTo(PngRenderer.DEFAULT_HEIGHT);
  }

  @Test
  void stylesMapToStrokesShapesAndDistinctColours() {
    double[] x = {1, 10, 100};
    double[] y = {1, 0.1, 0.01};
    Figure f = Figure.logLog("styles", "styles", "x", "y", List.of(Series.line("line", x, y),
        Series.markers("markers", x, y), Series.lineAndMarkers("both", x, y), Series.dashed("dashed", x, y)), "");
    JFreeChart chart = PngRenderer.chart(f);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    assertThat(List.of(r.getSeriesLinesVisible(0), r.getSeriesShapesVisible(0))).containsExactly(true, false);
    assertThat(List.of(r.getSeriesLinesVisible(1), r.getSeriesShapesVisible(1))).containsExactly(false, true);
    assertThat(List.of(r.getSeriesLinesVisible(2), r.getSeriesShapesVisible(2))).containsExactly(true, true);
    assertThat(List.of(r.getSeriesLinesVisible(3), r.getSeriesShapesVisible(3))).containsExactly(true, false);
    assertThat(((BasicStroke) r.getSeriesStroke(3)).getDashArray()).isNotNull();
    assertThat(((BasicStroke) r.getSeriesStroke(0)).getDashArray()).isNull();
    assertThat(List.of(r.getSeriesPaint(0), r.getSeriesPaint(1), r.getSeriesPaint(2), r.getSeriesPaint(3)))
        .doesNotHaveDuplicates().doesNotContain(Color.WHITE);
    assertThat(chart.getLegend().getPosition()).isEqualTo(RectangleEdge.BOTTOM);
    assertThat(chart.getBackgroundPaint()).isEqualTo(Color.WHITE);
  }

  /**
   * What the renderer is given for the laws command's risk-vs-time figure (and verify's laws-time): the dashed
   * additive prediction of each d in the same paint as that d's solid curve, distinct paints across d, and a legend
   * of one entry per d, one for the dashes and one for the reference slope.
   */
  @Test
  void riskVsTimeGivesEachDOneColourAndOneLegendEntry() {
    List<org.qnnoracle.laws.TimeLaw> runs = List.of(
        org.qnnoracle.laws.TimeLaw.run(10_000, 24, 24, 1.0, 1e-3, 1, 40, org.qnnoracle.flow.FlowProgress.NONE),
        org.qnnoracle.laws.TimeLaw.run(1_000_000, 24, 24, 1.0, 1e-3, 1, 40, org.qnnoracle.flow.FlowProgress.NONE));
    JFreeChart chart = PngRenderer.chart(org.qnnoracle.laws.LawsFigures.riskVsTime("risk-vs-time", runs));
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    // series 0, 1: the flow per d (solid); 2, 3: the additive prediction per d (dashed)
    assertThat(r.getSeriesPaint(2)).isEqualTo(r.getSeriesPaint(0));
    assertThat(r.getSeriesPaint(3)).isEqualTo(r.getSeriesPaint(1));
    assertThat(r.getSeriesPaint(0)).isNotEqualTo(r.getSeriesPaint(1));
    assertThat(((BasicStroke) r.getSeriesStroke(2)).getDashArray()).isNotNull();
    assertThat(((BasicStroke) r.getSeriesStroke(0)).getDashArray()).isNull();
    LegendItemCollection legend = chart.getXYPlot().getLegendItems();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < legend.getItemCount(); i++) {
      labels.add(legend.get(i).getLabel());
    }
    assertThat(labels).containsExactly("d = 1e4 (r = 24, m = 24)", "d = 1e6 (r = 24, m = 24)",
        "dashed: additive model", "slope -1.00 (asymptote)");
    // the key is neither d's colour
    assertThat(legend.get(2).getLinePaint()).isNotIn(r.getSeriesPaint(0), r.getSeriesPaint(1));
  }

  @Test
  void seriesOfOneColourGroupShareAPaintAndGroupsTakeThePaletteInOrder() {
    double[] x = {1, 10};
    double[] y = {1, 0.1};
    List<Series> series = List.of(Series.line("a", x, y), Series.line("b", x, y),
        Series.dashed("a fit", x, y).coloured("a"), Series.key("dashed: fits", Series.Style.DASHED),
        Series.markers("c", x, y));
    List<java.awt.Paint> paints = PngRenderer.colours(series);
    assertThat(paints.get(2)).isEqualTo(paints.get(0));
    assertThat(List.of(paints.get(0), paints.get(1), paints.get(3), paints.get(4))).doesNotHaveDuplicates();
    // without groups the palette runs in series order, as before: "c" takes the third colour, the key none
    assertThat(paints.get(4)).isEqualTo(PngRenderer.colours(List.of(Series.line("p", x, y), Series.line("q", x, y),
        Series.line("r", x, y))).get(2));
  }

  @Test
  void renderingIsDeterministic() {
    assertThat(PngRenderer.render(powerLaw(), 300, 200)).isEqualTo(PngRenderer.render(powerLaw(), 300, 200));
  }

  @Test
  void unreasonableSizesAreRejected() {
    assertThatThrownBy(() -> PngRenderer.render(powerLaw(), 10, 600))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("10 x 600");
    assertThatThrownBy(() -> PngRenderer.render(powerLaw(), 900, 100_000))
        .isInstanceOf(InvalidInputException.class);
  }
}
