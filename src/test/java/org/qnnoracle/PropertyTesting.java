package org.qnnoracle;

import org.quicktheories.QuickTheory;

/** The one way the property tests build their QuickTheory: fixed seed in CI, printed, no shrinking. */
public final class PropertyTesting {
  /**
   * The QuickTheories seed: the claims' base seed (BaseSeed.DEFAULT in CI, -Dqnn.seed=S to try another), so
   * one flag moves every seeded draw of the suite.
   */
  public static final long QT_SEED = org.qnnoracle.claims.BaseSeed.current();

  private PropertyTesting() {}

  /**
   * A QuickTheory with the fixed seed, a bounded number of examples, and no shrinking: the generated values
   * are opaque seeds, so "smaller" seeds are not simpler instances and shrinking would only spend time; the
   * first falsifying recipe is what QuickTheories reports. Prints the seed so a CI log names it.
   */
  public static QuickTheory qt(String property, int examples) {
    System.out.println("QuickTheories seed " + QT_SEED + " for " + property + " (" + examples + " examples)");
    return QuickTheory.qt()
        .withFixedSeed(QT_SEED)
        .withExamples(examples)
        .withShrinkCycles(0)
        .withGenerateAttempts(1000);
  }
}
