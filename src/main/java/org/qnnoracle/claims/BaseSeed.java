package org.qnnoracle.claims;

import java.util.Locale;
import org.qnnoracle.InvalidInputException;

/**
 * The base seed of every randomised claim: case i of a check draws from {@code base + i}, so one number names
 * all the random instances, sample streams and replicas of a run. {@code verify --seed S} and
 * {@code mvn test -Dqnn.seed=S} choose it; without either it is {@value #DEFAULT}, the seed the stated
 * figures in spec/claims.md and proofs-notes were measured at.
 */
public final class BaseSeed {
  /** The default base seed (the project's founding date, 2026-11-28). */
  public static final long DEFAULT = 20_261_128L;
  /** System property (and {@code mvn test} flag) that overrides the default. */
  public static final String PROPERTY = "qnn.seed";

  private BaseSeed() {}

  /** The base seed of this JVM: {@code -Dqnn.seed} when set and not blank, else {@link #DEFAULT}. */
  public static long current() {
    String s = System.getProperty(PROPERTY);
    return s == null || s.isBlank() ? DEFAULT : parse(s, "-D" + PROPERTY);
  }

  /**
   * Parses a seed: a decimal integer in [0, 2^62) (the claims add case offsets up to 10^4 and must not wrap
   * around), with '_' allowed as a digit separator.
   *
   * @param option the option or property name for the error line
   * @throws InvalidInputException naming {@code option} when {@code text} is not such an integer
   */
  public static long parse(String text, String option) {
    String t = text.strip().replace("_", "");
    try {
      long v = Long.parseLong(t);
      if (v >= 0 && v < (1L << 62)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the one error line
    }
    throw new InvalidInputException(String.format(Locale.ROOT,
        "%s must be a whole number in 0..%d; got '%s'", option, (1L << 62) - 1, text));
  }
}
