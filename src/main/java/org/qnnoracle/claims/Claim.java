package org.qnnoracle.claims;

import java.util.List;

/**
 * A claim is data: a stable ID, a short title, the statement, its source, the tolerance and why it has
 * that size, the test classes that check it, the check itself, and its false-alarm rate: the probability,
 * over the base seed, that the check fails although the code and the statement are right (0 for checks
 * whose bound is a derived worst case; the Monte Carlo and replica checks state theirs, derived in the
 * tolerance reason and measured by {@code verify --calibrate}). spec/claims.md is generated from
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
    ClaimCheck check,
    double falseAlarmRate) {

  /** The false-alarm rate of a check with a derived worst-case bound and no randomness in its verdict. */
  public static final double DETERMINISTIC = 0.0;

  public Claim {
    if (!(falseAlarmRate >= 0.0 && falseAlarmRate < 1.0)) {
      throw new IllegalArgumentException(id + ": false-alarm rate must be in [0, 1), got " + falseAlarmRate);
    }
    if (!id.matches("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")) {
      throw new IllegalArgumentException("claim IDs are upper-case words joined by '-', got " + id);
    }
    tests = List.copyOf(tests);
  }
}
