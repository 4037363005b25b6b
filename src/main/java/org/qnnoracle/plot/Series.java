package org.qnnoracle.plot;

import static org.qnnoracle.InvalidInputException.require;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named curve of a {@link Figure}: points (x[i], y[i]) and how to draw them.
 *
 * <p>Points are not filtered here: NaN, infinities and, on a logarithmic axis, zero or negative values
 * are legitimate outcomes of a measurement (a risk that reached exactly 0, a run that diverged) and the
 * renderer drops them when it draws, so one bad point never loses a figure. Only a malformed series
 * (no name, arrays of different lengths) is rejected.
 *
 * <p>Colour: series with the same {@code colourGroup} are drawn in the same colour, and each group gets its own
 * (in the order groups first appear). By default a series is its own group (its name); a prediction drawn beside
 * the curve it predicts joins that curve's group ({@link #coloured}), so a pair reads as one colour, solid and
 * dashed, instead of two unrelated colours. The group {@link #NEUTRAL} is grey and takes no palette colour: it is
 * for entries that explain a line style rather than show data ({@link #key}).
 *
 * <p>{@code inLegend}: false for a series the legend should not list, such as the dashed twin of every curve when
 * one {@link #key} entry explains the dashes for all of them.
 *
 * <p>The arrays are copied in and out, so a Series is immutable; equality compares their contents.
 */
public record Series(String name, double[] x, double[] y, Style style, String colourGroup, boolean inLegend) {

  /** The colour group drawn in neutral grey (outside the palette): legend keys for line styles. */
  public static final String NEUTRAL = "";

  /** How the points are drawn; the colour comes from the series' colour group whatever the style. */
  public enum Style {
    /** Solid line through the points, no markers: a dense curve such as a risk trajectory. */
    LINE,
    /** Markers only: measured points, e.g. one per width or sample size. */
    MARKERS,
    /** Solid line with markers: a sparse curve whose sampled points matter. */
    LINE_AND_MARKERS,
    /** Dashed line, no markers: a reference or predicted law (a slope, a fitted power law). */
    DASHED
  }

  public Series {
    require(name != null && !name.isBlank(), "a plot series needs a non-blank name");
    require(x != null && y != null, "plot series '" + name + "' needs x and y values");
    require(x.length == y.length, "plot series '" + name + "' has " + x.length + " x values but "
        + y.length + " y values");
    require(style != null, "plot series '" + name + "' needs a style");
    require(colourGroup != null, "plot series '" + name + "' needs a colour group (its name by default)");
    x = x.clone();
    y = y.clone();
  }

  /** A series in its own colour (the group is its name), listed in the legend. */
  public Series(String name, double[] x, double[] y, Style style) {
    this(name, x, y, style, name == null ? "" : name, true);
  }

  public static Series line(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.LINE);
  }

  public static Series markers(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.MARKERS);
  }

  public static Series lineAndMarkers(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.LINE_AND_MARKERS);
  }

  public static Series dashed(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.DASHED);
  }

  /**
   * A legend entry without data, in neutral grey, explaining a line style: {@code key("dashed: additive model",
   * DASHED)} says once what every dashed curve of the figure is.
   */
  public static Series key(String text, Style style) {
    return new Series(text, new double[0], new double[0], style, NEUTRAL, true);
  }

  /** This series drawn in the colour of {@code group} (e.g. the name of the curve it predicts). */
  public Series coloured(String group) {
    return new Series(name, x, y, style, group, inLegend);
  }

  /** This series left out of the legend. */
  public Series hiddenFromLegend() {
    return new Series(name, x, y, style, colourGroup, false);
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }

  public int size() {
    return x.length;
  }

  /**
   * Whether point i can be drawn: both coordinates finite and, on a logarithmic axis, positive. The one
   * rule the renderer and the tests share.
   */
  public boolean drawable(int i, boolean logX, boolean logY) {
    return drawable(x[i], logX) && drawable(y[i], logY);
  }

  /** How many points survive {@link #drawable}. */
  public int drawableCount(boolean logX, boolean logY) {
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (drawable(i, logX, logY)) {
        n++;
      }
    }
    return n;
  }

  private static boolean drawable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s && name.equals(s.name) && style == s.style && colourGroup.equals(s.colourGroup)
        && inLegend == s.inLegend && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, style, colourGroup, inLegend, Arrays.hashCode(x), Arrays.hashCode(y));
  }

  @Override
  public String toString() {
    return "Series[" + name + ", " + style + ", " + x.length + " points]";
  }
}
