package org.qnnoracle.claims;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.qnnoracle.plot.Figure;

/**
 * What a claim's check measured: the worst value over its cases, the bound it is held to, whether it
 * passed, a one-line account (cases, seeds, where the worst case was), and the figures that show it
 * (written as plots/&lt;stem&gt;.png beside the report; most claims have none).
 */
public record Measurement(double measured, double bound, boolean passed, String detail, List<Figure> figures) {

  public Measurement {
    Objects.requireNonNull(figures, "figures (use List.of() for none)");
    figures = List.copyOf(figures);
    Set<String> stems = new HashSet<>();
    for (Figure f : figures) {
      // Two figures of one stem would overwrite each other's file in the report.
      if (!stems.add(f.stem())) {
        throw new IllegalArgumentException("two figures with file stem '" + f.stem() + "' in one measurement");
      }
    }
  }

  /** A measurement without figures. */
  public Measurement(double measured, double bound, boolean passed, String detail) {
    this(measured, bound, passed, detail, List.of());
  }

  /** Passes when measured &lt;= bound; NaN never passes. */
  public static Measurement atMost(double measured, double bound, String detail) {
    return new Measurement(measured, bound, measured <= bound, detail);
  }

  public static Measurement failure(String detail) {
    return new Measurement(Double.NaN, Double.NaN, false, detail);
  }

  /** This measurement with {@code newFigures} in place of its figures. */
  public Measurement withFigures(List<Figure> newFigures) {
    return new Measurement(measured, bound, passed, detail, newFigures);
  }
}
