package org.qnnoracle.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 {@link LogAxis} whose ticks stay readable at every span. JFreeChart's own ticks sit at equal
 * steps of the exponent: over several decades that is right (10^-3, 10^-2, ..., with 2x..9x minor ticks),
 * but over less than two decades it gives one or two labels, or, with fractional steps, values such as
 * 3.98 and 4.17. Below {@value #POWER_TICKS_MIN_DECADES} decades this axis labels round numbers instead:
 * 1, 2 and 5 times powers of ten when that gives at least three ticks (0.2, 0.5, 1, 2), otherwise evenly
 * spaced round values (0.30, 0.35, 0.40 ...), written plainly.
 */
final class ReadableLogAxis extends LogAxis {
  private static final long serialVersionUID = 1L;

  /** From this span on, ticks at whole powers of ten, labelled 10^k. */
  static final double POWER_TICKS_MIN_DECADES = 2.0;
  private static final int MIN_TICKS = 3;
  private static final int MAX_LINEAR_TICKS = 8;
  private static final double[] ONE_TWO_FIVE = {1, 2, 5};
  private static final double[] LINEAR_STEPS = {1, 2, 2.5, 5};

  private final PngRenderer.ShortNumberFormat plain = new PngRenderer.ShortNumberFormat();

  ReadableLogAxis(String label) {
    super(label);
    setBase(10);
    setBaseSymbol("10");
    // Coordinates far below the default floor of 1e-100 are legitimate (a risk converging to 0).
    setSmallestValue(Double.MIN_NORMAL);
    setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // whole exponents only: 10^k labels
    setMinorTickMarksVisible(true);
    setMinorTickCount(9); // 2x, 3x ... 9x each power: the familiar log-paper ruling
  }

  @Override
  @SuppressWarnings("unchecked")
  protected List<ValueTick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    List<ValueTick> ticks = roundTicks(edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
    return ticks != null ? ticks : super.refreshTicksHorizontal(g2, dataArea, edge);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected List<ValueTick> refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    List<ValueTick> ticks = roundTicks(edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT);
    return ticks != null ? ticks : super.refreshTicksVertical(g2, dataArea, edge);
  }

  /** Round-number ticks for a span under two decades; null to keep the power-of-ten ticks. */
  private List<ValueTick> roundTicks(TextAnchor anchor) {
    double lo = getRange().getLowerBound();
    double hi = getRange().getUpperBound();
    if (!(lo > 0 && hi > lo) || Math.log10(hi / lo) >= POWER_TICKS_MIN_DECADES) {
      return null;
    }
    List<Double> values = oneTwoFive(lo, hi);
    if (values.size() < MIN_TICKS) {
      values = linear(lo, hi);
    }
    List<ValueTick> ticks = new ArrayList<>(values.size());
    for (double v : values) {
      ticks.add(new NumberTick(TickType.MAJOR, v, plain.format(v), anchor, anchor, 0.0));
    }
    return ticks;
  }

  /** 1, 2, 5 times powers of ten inside [lo, hi]. */
  static List<Double> oneTwoFive(double lo, double hi) {
    List<Double> out = new ArrayList<>();
    for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
      for (double m : ONE_TWO_FIVE) {
        double v = m * Math.pow(10, k);
        if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** Multiples of {@link #roundStep} inside [lo, hi]. */
  static List<Double> linear(double lo, double hi) {
    double step = roundStep(hi - lo, MAX_LINEAR_TICKS);
    // i * step computed as (i * m) / 10^-k: one correctly rounded division, so 0.3 and not 0.30000000000000004.
    int k = (int) Math.floor(Math.log10(step) + 1e-9) - 1;
    double m = Math.round(step / Math.pow(10, k));
    List<Double> out = new ArrayList<>();
    for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi * (1 + 1e-12); i++) {
      out.add(k < 0 ? i * m / Math.pow(10, -k) : i * m * Math.pow(10, k));
    }
    return out;
  }

  /**
   * The smallest step of 1, 2, 2.5 or 5 times a power of ten that cuts {@code span} into fewer than
   * {@code maxIntervals} intervals.
   */
  static double roundStep(double span, int maxIntervals) {
    for (int k = (int) Math.floor(Math.log10(span / maxIntervals)) - 1; ; k++) {
      for (double m : LINEAR_STEPS) {
        double s = k < 0 ? m / Math.pow(10, -k) : m * Math.pow(10, k);
        if (span / s < maxIntervals) {
          return s;
        }
      }
    }
  }
}
