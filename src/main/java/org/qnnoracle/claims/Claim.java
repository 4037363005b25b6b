package org.qnnoracle.claims;

import java.util.List;

/**
 * A claim is data: a stable ID, a short title, the statement, its source, the tolerance and why it has
 * that size, the test classes that check it, and the check itself. spec/claims.md is generated from
 * these records ({@link ClaimsMarkdown}) and a test keeps the file and the registry identical.
 */
public record Claim(
    String id,
    String title,
    String statement,
    ClaimSource source,
    String tolerance,
    String toleranceReason,
    List<String> tests,
    ClaimCheck check) {

  public Claim {
    if (!id.matches("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")) {
      throw new IllegalArgumentException("claim IDs are upper-case words joined by '-', got " + id);
    }
    tests = List.copyOf(tests);
  }
}
