package org.qnnoracle.claims;

import java.util.Locale;
import org.qnnoracle.InvalidInputException;

/**
 * How hard a claim's check works: how many random instances, how large. DEFAULT is what {@code verify}
 * and the default {@code mvn test} run (seconds); SMALL is a quick look; LARGE is behind {@code -Pheavy}
 * and {@code verify --scale large} (minutes). What else a scale changes (sample counts, dimensions, replicas)
 * each family of claims declares once, in its {@link ScaleTable}; checks read values, not the scale's name.
 */
public enum Scale {
  SMALL(4, 8),
  DEFAULT(12, 12),
  LARGE(40, 24);

  private final int instances;
  private final int maxD;

  Scale(int instances, int maxD) {
    this.instances = instances;
    this.maxD = maxD;
  }

  /** Number of random instances a property claim draws. */
  public int instances() {
    return instances;
  }

  /** Largest dimension of the random instances. */
  public int maxD() {
    return maxD;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scale parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("scale must be one of small, default, large; got '" + s + "'");
    }
  }
}
