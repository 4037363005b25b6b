package org.qnnoracle.claims;

import java.math.BigDecimal;
import java.util.List;

/**
 * A claim is data: a stable ID, a short title, the statement, its source, the bound its check holds the
 * measured value to, the tolerance (written from that bound) and why it has that size, the test classes that
 * check it, the check itself, and its false-alarm rate: the probability, over the base seed, that the check
 * fails although the code and the statement are right (0 for checks whose bound is a derived worst case; the
 * Monte Carlo and replica checks state theirs, derived in the tolerance reason and measured by
 * {@code verify --calibrate}). spec/claims.md is generated from these records ({@link ClaimsMarkdown}) and a
 * test keeps the file and the registry identical.
 *
 * <p>The bound is written once: the tolerance text formats it with {@link #formatBound}, the check returns it
 * as its {@link Measurement#bound()} ({@link ClaimRunner} fails a check that returns another), and tests read
 * it through {@link ClaimRegistry#byId}. A check whose threshold is computed per run (a Bonferroni z*, a
 * confidence interval's end) has {@link #COMPUTED_PER_RUN} and states the rule in its tolerance text.
 */
public record Claim(
    String id,
    String title,
    String statement,
    ClaimSource source,
    double bound,
    String tolerance,
    String toleranceReason,
    List<String> tests,
    ClaimCheck check,
    double falseAlarmRate) {

  /** The false-alarm rate of a check with a derived worst-case bound and no randomness in its verdict. */
  public static final double DETERMINISTIC = 0.0;

  /**
   * The bound of an exact check (exact arithmetic, counts of differing bits or entries): nothing may differ.
   * Its tolerance text writes it as "0" or says "exact".
   */
  public static final double EXACT = 0.0;

  /**
   * The bound of a claim whose threshold each run computes (from its sample count, entries, replicas); the
   * tolerance text gives the rule. NaN, so that it never equals a measured bound by accident.
   */
  public static final double COMPUTED_PER_RUN = Double.NaN;

  public Claim {
    if (!(falseAlarmRate >= 0.0 && falseAlarmRate < 1.0)) {
      throw new IllegalArgumentException(id + ": false-alarm rate must be in [0, 1), got " + falseAlarmRate);
    }
    if (!id.matches("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")) {
      throw new IllegalArgumentException("claim IDs are upper-case words joined by '-', got " + id);
    }
    if (Double.isInfinite(bound)) {
      throw new IllegalArgumentException(id + ": a fixed bound is finite, got " + bound);
    }
    tests = List.copyOf(tests);
  }

  /** Whether the bound is a fixed number (false for {@link #COMPUTED_PER_RUN}). */
  public boolean hasFixedBound() {
    return !Double.isNaN(bound);
  }

  /**
   * A bound as the tolerance texts write it: plain decimals from 0.01 up ("0.05", "0.225", "1.5", "5"),
   * the shortest mantissa and a power of ten below ("1e-3", "1e-13", "2.5e-7"), and "0".
   */
  public static String formatBound(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("a bound is finite, got " + x);
    }
    if (x == 0.0) {
      return "0";
    }
    BigDecimal v = BigDecimal.valueOf(x).stripTrailingZeros();
    if (Math.abs(x) >= 0.01) {
      return v.toPlainString();
    }
    int exponent = v.precision() - v.scale() - 1;
    return v.movePointLeft(exponent).toPlainString() + "e" + exponent;
  }
}
