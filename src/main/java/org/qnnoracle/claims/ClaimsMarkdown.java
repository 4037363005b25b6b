package org.qnnoracle.claims;

import java.util.List;

/**
 * Renders the generated part of spec/claims.md from the registry, so the registry is the one place a
 * claim is written. ClaimsRegistryTest fails when the file and the registry differ, and regenerates the
 * block when run with -Dqnn.regenerate=true.
 */
public final class ClaimsMarkdown {
  public static final String BEGIN = "<!-- BEGIN GENERATED FROM ClaimRegistry: do not edit by hand -->";
  public static final String END = "<!-- END GENERATED -->";

  public static final String CALIBRATION_BEGIN =
      "<!-- BEGIN GENERATED FROM spec/calibration/*.json (verify --calibrate): do not edit by hand -->";
  public static final String CALIBRATION_END = "<!-- END GENERATED CALIBRATION -->";

  private ClaimsMarkdown() {}

  /**
   * The calibration block of spec/claims.md: one table per committed calibration run (spec/calibration/
   * &lt;scale&gt;.json, written by {@code verify --calibrate A..B --scale S --report DIR} as DIR/calibration.json).
   */
  public static String renderCalibrations(List<Calibration> calibrations) {
    StringBuilder sb = new StringBuilder();
    sb.append(CALIBRATION_BEGIN).append("\n");
    for (Calibration c : calibrations) {
      sb.append("\n### Calibration at scale ").append(c.scale().label()).append("\n\n");
      sb.append(c.toMarkdown());
    }
    sb.append("\n").append(CALIBRATION_END).append("\n");
    return sb.toString();
  }

  public static String render(List<Claim> claims) {
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append("\n\n");
    sb.append("| ID | claim | source | tolerance |\n|---|---|---|---|\n");
    for (Claim c : claims) {
      sb.append("| [").append(c.id()).append("](#").append(c.id().toLowerCase(java.util.Locale.ROOT))
          .append(") | ").append(escape(c.title())).append(" | ").append(escape(c.source().label()))
          .append(" | ").append(escape(c.tolerance())).append(" |\n");
    }
    for (Claim c : claims) {
      sb.append("\n### ").append(c.id()).append("\n\n");
      sb.append("**").append(inline(c.title())).append("**\n\n");
      sb.append("- Statement: ").append(inline(c.statement())).append("\n");
      sb.append("- Source: ").append(inline(c.source().label())).append("\n");
      sb.append("- Tolerance: ").append(inline(c.tolerance())).append("\n");
      sb.append("- Why this size: ").append(inline(c.toleranceReason())).append("\n");
      sb.append("- Checked by: `verify` (registered check) and the tests ")
          .append(String.join(", ", c.tests().stream().map(t -> "`" + t + "`").toList())).append("\n");
    }
    sb.append("\n").append(END).append("\n");
    return sb.toString();
  }

  /** Table cells: inline escaping plus the column separator. */
  private static String escape(String s) {
    return inline(s).replace("|", "\\|");
  }

  /** The plain-text math of claims (f*, lambda_j, |A|_F) must not turn into Markdown emphasis. */
  private static String inline(String s) {
    return s.replace("*", "\\*").replace("_", "\\_");
  }
}
