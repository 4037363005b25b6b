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
 * <p>The arrays are copied in and out, so a Series is immutable; equality compares their contents.
 */
public record Series(String name, double[] x, double[] y, Style style) {

  /** How the points are drawn; each series gets its own colour whatever the style. */
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
    x = x.clone();
    y = y.clone();
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
    return o instanceof Series s && name.equals(s.name) && style == s.style
        && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, style, Arrays.hashCode(x), Arrays.hashCode(y));
  }

  @Override
  public String toString() {
    return "Series[" + name + ", " + style + ", " + x.length + " points]";
  }
}
