package org.qnnoracle.plot;

import static org.qnnoracle.InvalidInputException.require;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a {@link Figure} as a PNG with JFreeChart: white background, base-10 logarithmic axes where the
 * figure asks for them, one colour per colour group (a colour-blind-safe palette; by default every series is its
 * own group), the legend under the plot.
 *
 * <p>Points that cannot be drawn (non-finite, or not positive on a logarithmic axis) are dropped, see
 * {@link Series#drawable}; a figure left with no points renders as an empty frame saying "no data", so a
 * failed measurement still produces its picture rather than an exception that would lose the report.
 *
 * <p>Rendering needs no display: the class sets {@code java.awt.headless=true} before it touches any
 * AWT class (unless the property was given explicitly), which is what a server or CI machine without X
 * requires. Output is deterministic for a given figure and size (no time stamps in the PNG).
 */
public final class PngRenderer {
  static {
    // Must happen before the first AWT class initialises its graphics environment; a static initializer
    // of the only class that draws runs early enough. An explicit -Djava.awt.headless=... is respected.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  public static final int DEFAULT_WIDTH = 900;
  public static final int DEFAULT_HEIGHT = 600;
  /** Larger images only cost memory (4 bytes a pixel before compression) and say nothing more. */
  private static final int MAX_SIDE = 8000;
  private static final int MIN_SIDE = 100;

  /** Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale print. */
  private static final Color[] PALETTE = {
    new Color(0x0072B2), // blue
    new Color(0xD55E00), // vermillion
    new Color(0x009E73), // bluish green
    new Color(0xCC79A7), // reddish purple
    new Color(0xE69F00), // orange
    new Color(0x56B4E9), // sky blue
    new Color(0x000000), // black
    new Color(0x999999), // grey
  };

  /** Legend keys that explain a line style (Series.NEUTRAL): grey, a colour no data series gets first. */
  private static final Color NEUTRAL = new Color(0x555555);

  private static final float LINE_WIDTH = 2.2f;
  private static final Stroke SOLID = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final Stroke DASHED = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
      10f, new float[] {9f, 6f}, 0f);
  private static final Shape[] SHAPES = shapes(4.5);

  private static final String FONT = Font.SANS_SERIF;
  private static final Font TITLE_FONT = new Font(FONT, Font.BOLD, 20);
  private static final Font LABEL_FONT = new Font(FONT, Font.PLAIN, 16);
  private static final Font TICK_FONT = new Font(FONT, Font.PLAIN, 14);
  private static final Font LEGEND_FONT = new Font(FONT, Font.PLAIN, 14);
  private static final Color GRID = new Color(0xDDDDDD);
  /** Most major ticks on a linear axis. */
  private static final int LINEAR_TICKS = 8;

  private PngRenderer() {}

  /** {@link #render(Figure, int, int)} at {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT} pixels. */
  public static byte[] render(Figure figure) {
    return render(figure, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** The figure as PNG bytes, {@code width} x {@code height} pixels. */
  public static byte[] render(Figure figure, int width, int height) {
    require(figure != null, "no figure to render");
    require(width >= MIN_SIDE && width <= MAX_SIDE && height >= MIN_SIDE && height <= MAX_SIDE,
        "figure '" + figure.stem() + "': image size must be " + MIN_SIDE + " to " + MAX_SIDE
            + " pixels a side, got " + width + " x " + height);
    JFreeChart chart = chart(figure);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
    } catch (IOException e) {
      // An in-memory stream does not fail; reaching this is a bug in the encoder.
      throw new UncheckedIOException("cannot encode figure '" + figure.stem() + "' as PNG", e);
    }
    return out.toByteArray();
  }

  /** The configured chart; package-private so tests can check axes and series without decoding pixels. */
  static JFreeChart chart(Figure f) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : f.series()) {
      // Not sorted, duplicates allowed: a curve is drawn through its points in the order given.
      XYSeries xy = new XYSeries(s.name(), false, true);
      double[] x = s.x();
      double[] y = s.y();
      for (int i = 0; i < x.length; i++) {
        if (s.drawable(i, f.logX(), f.logY())) {
          xy.add(x[i], y[i], false);
        }
      }
      data.addSeries(xy);
    }

    boolean empty = f.drawableCount() == 0;
    ValueAxis xAxis = axis(f.xLabel(), f.logX(), empty, range(f, true));
    ValueAxis yAxis = axis(f.yLabel(), f.logY(), empty, range(f, false));

    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setDrawSeriesLineAsPath(true); // one path per series: dashes run on across points
    renderer.setLegendLine(new Line2D.Double(-18, 0, 18, 0)); // long enough to show a dash pattern
    List<Series> series = f.series();
    List<Paint> colours = colours(series);
    for (int i = 0; i < series.size(); i++) {
      Series.Style style = series.get(i).style();
      Paint colour = colours.get(i);
      boolean lines = style != Series.Style.MARKERS;
      boolean shapes = style == Series.Style.MARKERS || style == Series.Style.LINE_AND_MARKERS;
      renderer.setSeriesPaint(i, colour);
      renderer.setSeriesLinesVisible(i, lines);
      renderer.setSeriesShapesVisible(i, shapes);
      renderer.setSeriesShapesFilled(i, true);
      renderer.setSeriesShape(i, SHAPES[i % SHAPES.length]);
      renderer.setSeriesStroke(i, style == Series.Style.DASHED ? DASHED : SOLID);
      renderer.setSeriesVisibleInLegend(i, series.get(i).inLegend());
    }

    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // later series (references) on top
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.GRAY);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    plot.setNoDataMessage("no data");
    plot.setNoDataMessageFont(new Font(FONT, Font.ITALIC, 22));
    plot.setNoDataMessagePaint(Color.GRAY);

    JFreeChart chart = new JFreeChart(f.title(), TITLE_FONT, plot, !series.isEmpty());
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 8, 16));
    TextTitle title = chart.getTitle();
    title.setPaint(Color.BLACK);
    title.setPadding(new RectangleInsets(4, 4, 10, 4));
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setItemFont(LEGEND_FONT);
      legend.setBackgroundPaint(Color.WHITE);
      legend.setFrame(BlockBorder.NONE);
      legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
    }
    return chart;
  }

  /**
   * The colour of each series: one palette colour per colour group, in the order the groups first appear (so a
   * figure without groups gets the palette in series order, as before groups existed); the neutral group grey.
   */
  static List<Paint> colours(List<Series> series) {
    Map<String, Paint> byGroup = new HashMap<>();
    List<Paint> out = new ArrayList<>();
    for (Series s : series) {
      String g = s.colourGroup();
      Paint p = g.equals(Series.NEUTRAL) ? NEUTRAL : byGroup.get(g);
      if (p == null) {
        p = PALETTE[byGroup.size() % PALETTE.length];
        byGroup.put(g, p);
      }
      out.add(p);
    }
    return out;
  }

  /** Smallest and largest drawable coordinate on one axis, or null when there is none. */
  private static double[] range(Figure f, boolean xAxis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : f.series()) {
      double[] v = xAxis ? s.x() : s.y();
      for (int i = 0; i < v.length; i++) {
        if (s.drawable(i, f.logX(), f.logY())) {
          lo = Math.min(lo, v[i]);
          hi = Math.max(hi, v[i]);
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : null;
  }

  private static ValueAxis axis(String label, boolean log, boolean empty, double[] range) {
    ValueAxis axis;
    if (log) {
      ReadableLogAxis a = new ReadableLogAxis(label);
      double decades = range == null ? 0 : Math.log10(range[1] / range[0]);
      if (empty) {
        a.setRange(1, 10);
      } else if (decades < 0.05) {
        // One value (a single point, a flat curve): centre it in a decade rather than a zero-width range.
        double mid = Math.sqrt(range[0] * range[1]);
        a.setRange(mid / Math.sqrt(10), mid * Math.sqrt(10));
      }
      axis = a;
    } else {
      NumberAxis a = new NumberAxis(label);
      a.setAutoRangeIncludesZero(false);
      a.setNumberFormatOverride(new ShortNumberFormat());
      if (empty) {
        a.setRange(0, 1);
      } else if (range[1] > range[0]) {
        // JFreeChart picks the finest step whose labels do not overlap (twenty-odd on a vertical axis);
        // a round step giving about eight ticks reads better. The auto range margins add at most one.
        a.setTickUnit(new NumberTickUnit(ReadableLogAxis.roundStep(range[1] - range[0], LINEAR_TICKS),
            new ShortNumberFormat()));
      }
      axis = a;
    }
    axis.setLabelFont(LABEL_FONT);
    axis.setTickLabelFont(TICK_FONT);
    axis.setLabelPaint(Color.BLACK);
    axis.setTickLabelPaint(Color.BLACK);
    return axis;
  }

  /** Circle, square, triangle up, diamond, triangle down: filled, about 2r pixels across. */
  private static Shape[] shapes(double r) {
    Path2D up = new Path2D.Double();
    up.moveTo(0, -r * 1.15);
    up.lineTo(r * 1.1, r * 0.85);
    up.lineTo(-r * 1.1, r * 0.85);
    up.closePath();
    Path2D diamond = new Path2D.Double();
    diamond.moveTo(0, -r * 1.3);
    diamond.lineTo(r * 1.3, 0);
    diamond.lineTo(0, r * 1.3);
    diamond.lineTo(-r * 1.3, 0);
    diamond.closePath();
    Path2D down = new Path2D.Double();
    down.moveTo(0, r * 1.15);
    down.lineTo(r * 1.1, -r * 0.85);
    down.lineTo(-r * 1.1, -r * 0.85);
    down.closePath();
    return new Shape[] {
      new Ellipse2D.Double(-r, -r, 2 * r, 2 * r),
      new Rectangle2D.Double(-r * 0.9, -r * 0.9, 1.8 * r, 1.8 * r),
      up, diamond, down
    };
  }

  /**
   * Tick labels with at most three significant digits and no trailing zeros (0.5, 12, 1.26, 2.5e-07),
   * switching to exponent notation outside [1e-3, 1e5) so labels stay short at any scale.
   */
  static final class ShortNumberFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
      return to.append(format3(v));
    }

    @Override
    public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
      return to.append(format3(v));
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("tick labels are only formatted");
    }

    static String format3(double v) {
      if (v == 0 || !Double.isFinite(v)) {
        return v == 0 ? "0" : Double.toString(v);
      }
      double a = Math.abs(v);
      if (a >= 1e-3 && a < 1e5) {
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros()
            .toPlainString();
        return s;
      }
      String[] parts = String.format(Locale.ROOT, "%.2e", v).split("e");
      String mantissa = parts[0].contains(".") ? parts[0].replaceAll("\\.?0+$", "") : parts[0];
      int exponent = Integer.parseInt(parts[1]);
      return mantissa + "e" + exponent;
    }
  }
}
