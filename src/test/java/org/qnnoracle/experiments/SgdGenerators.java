package org.qnnoracle.experiments;

import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators for the simulator property tests. Every generated value is a small printable
 * recipe ({@link SgdChecks.OneStepCase}: shape, batch, step, noise, scale, seed) from which the test builds
 * the instance and draws the samples, so a failing recipe reproduces anywhere, and the registered claim
 * SGD-ONE-STEP draws the same kind of recipe from its own seeds.
 */
final class SgdGenerators {
  /** The fixed QuickTheories seed for CI (see PropertyTesting). */
  static final long QT_SEED = org.qnnoracle.PropertyTesting.QT_SEED;
  /** Largest dimension of the one-step cases: d x d matrices P, M and their eigenproblems stay cheap. */
  static final int MAX_D = 12;

  private SgdGenerators() {}

  /** The project's QuickTheory (PropertyTesting.qt): fixed printed seed, no shrinking. */
  static QuickTheory qt(String property, int examples) {
    return org.qnnoracle.PropertyTesting.qt(property, examples);
  }

  /**
   * d in [2, maxD], r in [1, d], m in [1, d + 2] (so m < d, m = d and m > d all occur), b in [1, 4], eta
   * log-uniform in [1e-4, 0.1], s = 0 (a third of the cases) or uniform in [0, 2], sigma0 log-uniform in
   * [0.1, 1.5], seed in [1, 2^40]: the ranges of {@link SgdChecks.OneStepCase#random}.
   */
  static Gen<SgdChecks.OneStepCase> oneStepCases(int maxD) {
    Gen<Integer> dims = integers().between(2, maxD);
    Gen<Integer> batches = integers().between(1, 4);
    Gen<Double> logEta = doubles().between(Math.log(1e-4), Math.log(0.1));
    Gen<Integer> noiseKind = integers().between(0, 2);
    Gen<Double> noise = doubles().between(0.0, 2.0);
    Gen<Double> logSigma0 = doubles().between(Math.log(0.1), Math.log(1.5));
    Gen<Long> seeds = longs().between(1L, 1L << 40);
    return in -> {
      int d = dims.generate(in);
      int r = integers().between(1, d).generate(in);
      int m = integers().between(1, d + 2).generate(in);
      int b = batches.generate(in);
      double eta = Math.exp(logEta.generate(in));
      double s = noiseKind.generate(in) == 0 ? 0.0 : noise.generate(in);
      double sigma0 = Math.exp(logSigma0.generate(in));
      return new SgdChecks.OneStepCase(d, r, m, b, eta, s, sigma0, seeds.generate(in));
    };
  }
}
