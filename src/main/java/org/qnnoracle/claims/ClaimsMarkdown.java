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

  private ClaimsMarkdown() {}

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
      sb.append("**").append(c.title()).append("**\n\n");
      sb.append("- Statement: ").append(c.statement()).append("\n");
      sb.append("- Source: ").append(c.source().label()).append("\n");
      sb.append("- Tolerance: ").append(c.tolerance()).append("\n");
      sb.append("- Why this size: ").append(c.toleranceReason()).append("\n");
      sb.append("- Checked by: `verify` (registered check) and the tests ")
          .append(String.join(", ", c.tests().stream().map(t -> "`" + t + "`").toList())).append("\n");
    }
    sb.append("\n").append(END).append("\n");
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
