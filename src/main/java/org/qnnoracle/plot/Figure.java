package org.qnnoracle.plot;

import static org.qnnoracle.InvalidInputException.require;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one chart shows, as plain data: no JFreeChart type appears here, so the science that fills a
 * figure and the tests that check it need no charting classes, and {@link PngRenderer} is the one place
 * that knows the library.
 *
 * @param stem the file name without extension ({@code plots/<stem>.png} in a report): lower-case
 *     letters, digits and hyphens, starting with a letter or digit, so it is safe on every file system,
 *     in a URL and on a command line
 * @param title shown above the chart and as the image's alt text in report.md
 * @param xLabel the horizontal axis label (with units where there are any)
 * @param yLabel the vertical axis label
 * @param logX logarithmic horizontal axis (base 10)
 * @param logY logarithmic vertical axis (base 10)
 * @param series the curves, drawn and listed in the legend in this order; may be empty
 * @param caption a sentence or two shown under the image in report.md; empty for none (null reads as empty)
 */
public record Figure(String stem, String title, String xLabel, String yLabel, boolean logX, boolean logY,
    List<Series> series, String caption) {

  private static final Pattern STEM = Pattern.compile("[a-z0-9][a-z0-9-]*");
  /** Keeps "plots/<stem>.png" well inside every file system's name limit (255 bytes). */
  private static final int MAX_STEM = 100;

  public Figure {
    require(stem != null && STEM.matcher(stem).matches() && stem.length() <= MAX_STEM,
        "figure file stem must be 1 to " + MAX_STEM + " characters of a-z, 0-9 and '-', not starting with"
            + " '-', got " + (stem == null ? "null" : "'" + stem + "'"));
    require(title != null && !title.isBlank(), "figure '" + stem + "' needs a non-blank title");
    require(xLabel != null && yLabel != null, "figure '" + stem + "' needs both axis labels");
    require(series != null, "figure '" + stem + "' needs a list of series (may be empty)");
    series = List.copyOf(series);
    // The legend and JFreeChart's dataset are keyed by name: two series with one name would merge.
    Set<String> names = new HashSet<>();
    for (Series s : series) {
      require(names.add(s.name()), "figure '" + stem + "' has two series named '" + s.name() + "'");
    }
    caption = caption == null ? "" : caption;
  }

  /** A figure without caption. */
  public Figure(String stem, String title, String xLabel, String yLabel, boolean logX, boolean logY,
      List<Series> series) {
    this(stem, title, xLabel, yLabel, logX, logY, series, "");
  }

  /** Both axes logarithmic: the usual picture of a power law (a straight line of slope = exponent). */
  public static Figure logLog(String stem, String title, String xLabel, String yLabel, List<Series> series,
      String caption) {
    return new Figure(stem, title, xLabel, yLabel, true, true, series, caption);
  }

  public Figure withCaption(String newCaption) {
    return new Figure(stem, title, xLabel, yLabel, logX, logY, series, newCaption);
  }

  /** The PNG's file name: {@code <stem>.png}. */
  public String fileName() {
    return stem + ".png";
  }

  /** Points that will actually be drawn, over all series (0: the renderer writes a "no data" chart). */
  public int drawableCount() {
    return series.stream().mapToInt(s -> s.drawableCount(logX, logY)).sum();
  }
}
