package org.qnnoracle.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.gaussian.IdentityCase;
import org.qnnoracle.model.Seeds;

/** The exact check that one SGD step is a Markov chain in M (proofs-notes/gaussian-moments.md, 6.1). */
class SgdStepAlgebraTest {
  /** The seed of WickEngineTest, where this test was, so the same cases are drawn. */
  private static final long SEED = 20_261_128L;

  /**
   * W' = P W with P built from M alone, so W'W'^T = P M P holds as a polynomial identity
   * in the samples and the noise (exact, for every realisation), at d = 1..4, b = 1..3.
   */
  @Test
  void stepIsAMarkovChainInM() {
    RandomGenerator rng = Seeds.generator(SEED, "step-markov");
    for (int d = 1; d <= 4; d++) {
      for (int batch = 1; batch <= 3; batch++) {
        IdentityCase<BigFraction> c = GaussianIdentity.STEP_DRIFT.draw(rng, d, batch, true);
        assertThat(SgdStepAlgebra.isMarkovInM(c)).as("W' = P W, M' = P M P at d=%d b=%d", d, batch).isTrue();
        // control: P built at another step size is not the step
        assertThat(SgdStepAlgebra.isMarkovInM(c, c.etas().get(1))).isFalse();
      }
    }
  }
}
