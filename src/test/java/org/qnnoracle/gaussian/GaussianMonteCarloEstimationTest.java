package org.qnnoracle.gaussian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The Monte Carlo estimation itself (the judging is tested in experiments.GaussianMonteCarloTest): the
 * numbers depend on the seed and not on the thread count, the double closed forms it is compared with
 * match the exact rational ones, and the importance proposal keeps the weights' second moment bounded.
 */
class GaussianMonteCarloEstimationTest {
  /** Seed of the default check's instances (as in experiments.GaussianMonteCarloTest). */
  private static final long SEED = 20_260_101L;
  /** The dimension of the default check. */
  private static final int D = 20;

  @Test
  void sameSeedGivesIdenticalNumbersWhateverTheThreadCount() {
    long seed = 77L;
    System.out.println("reproducibility seed " + seed);
    for (GaussianIdentity g : List.of(GaussianIdentity.NOISE_MOMENT, GaussianIdentity.OVERLAP_DRIFT)) {
      IdentityCase<BigFraction> c = GaussianMonteCarlo.studentTeacherCase(g, seed, D, 3, true);
      IdentityCase<BigFraction> again = GaussianMonteCarlo.studentTeacherCase(g, seed, D, 3, true);
      assertThat(again).as("same seed, same instance").isEqualTo(c);
      long n = 3L * GaussianMonteCarlo.CHUNK + 123; // several chunks, the last one partial
      MonteCarloEstimate one = GaussianMonteCarlo.estimate(g, c, n, seed, 1);
      MonteCarloEstimate three = GaussianMonteCarlo.estimate(g, c, n, seed, 3);
      MonteCarloEstimate other = GaussianMonteCarlo.estimate(g, c, n, seed + 1, 1);
      for (String name : one.outputs().keySet()) {
        MonteCarloEstimate.Moments a = one.output(name);
        MonteCarloEstimate.Moments b = three.output(name);
        assertThat(Arrays.deepEquals(a.mean(), b.mean())).as(g + " " + name + " mean").isTrue();
        assertThat(Arrays.deepEquals(a.standardError(), b.standardError())).as(g + " " + name + " SE").isTrue();
        assertThat(Arrays.deepEquals(a.firstHalfStandardError(), b.firstHalfStandardError())).isTrue();
        assertThat(Arrays.deepEquals(a.mean(), other.output(name).mean())).as("another seed").isFalse();
      }
    }
  }


  @Test
  void closedFormsInDoublesMatchTheExactRationals() {
    for (GaussianIdentity g : GaussianIdentity.values()) {
      IdentityCase<BigFraction> c = GaussianMonteCarlo.studentTeacherCase(g, SEED, 6, 2, true);
      Map<String, double[][]> dbl = GaussianMonteCarlo.expectedValues(g, c);
      Map<String, double[][]> exact = GaussianMonteCarlo.exactExpectedValues(g, c);
      assertThat(dbl.keySet()).isEqualTo(exact.keySet());
      for (String name : exact.keySet()) {
        double[][] a = dbl.get(name);
        double[][] e = exact.get(name);
        double scale = 0.0;
        for (double[] row : e) {
          for (double v : row) {
            scale = Math.max(scale, Math.abs(v));
          }
        }
        for (int i = 0; i < e.length; i++) {
          for (int j = 0; j < e[0].length; j++) {
            // A few dozen double operations on O(1) inputs, each rounding by 2^-53 relative to the largest
            // intermediate (~ the largest entry times d): 1e-12 of the largest entry is a 100x margin.
            assertThat(a[i][j]).as(g + " " + name + "[" + i + "," + j + "]")
                .isCloseTo(e[i][j], within(1e-12 * Math.max(1.0, scale)));
          }
        }
      }
    }
  }


  @Test
  void proposalVarianceKeepsTheWeightSecondMomentBounded() {
    for (int kb = 1; kb <= 40; kb++) {
      double v = GaussianMonteCarlo.proposalVariance(kb, 1);
      double secondMoment = Math.pow(v / Math.sqrt(2 * v - 1), kb);
      assertThat(v).isBetween(1.0, GaussianMonteCarlo.MAX_PROPOSAL_VARIANCE);
      // bisection to 2^-100: the bound holds up to the last rounding
      assertThat(secondMoment).isLessThanOrEqualTo(GaussianMonteCarlo.WEIGHT_SECOND_MOMENT * (1 + 1e-12));
      assertThat(GaussianMonteCarlo.proposalVariance(kb, 3)).isEqualTo(GaussianMonteCarlo.proposalVariance(3 * kb,
          1));
    }
    assertThat(GaussianMonteCarlo.proposalVariance(1, 1)).isEqualTo(GaussianMonteCarlo.MAX_PROPOSAL_VARIANCE);
    assertThat(GaussianMonteCarlo.proposalVariance(0, 1)).isEqualTo(1.0);
  }
}
