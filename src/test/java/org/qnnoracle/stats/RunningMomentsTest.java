package org.qnnoracle.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.qnnoracle.model.Seeds;

class RunningMomentsTest {
  @Test
  void matchesTheTwoPassFormulaAndMergesExactlyEnough() {
    RandomGenerator rng = Seeds.generator(20_261_128L, "running-moments");
    int n = 1000;
    double[][] v = new double[n][2];
    for (int i = 0; i < n; i++) {
      // a large offset: the naive sum of squares would lose about 16 digits here
      v[i][0] = 1e8 + rng.nextGaussian();
      v[i][1] = 3.0 * rng.nextGaussian();
    }
    RunningMoments all = new RunningMoments(2);
    RunningMoments first = new RunningMoments(2);
    RunningMoments second = new RunningMoments(2);
    for (int i = 0; i < n; i++) {
      all.add(v[i]);
      (i < 337 ? first : second).add(v[i]);
    }
    for (int k = 0; k < 2; k++) {
      double mean = 0;
      for (double[] row : v) {
        mean += row[k];
      }
      mean /= n;
      double ss = 0;
      for (double[] row : v) {
        ss += (row[k] - mean) * (row[k] - mean);
      }
      double se = Math.sqrt(ss / (n - 1) / n);
      // relative 1e-12: Welford's update is backward stable, errors of a few ulps per step over 1e3 steps
      assertThat(all.mean()[k]).isCloseTo(mean, within(1e-12 * Math.abs(mean) + 1e-15));
      assertThat(all.standardErrors()[k]).isCloseTo(se, within(1e-9 * se));
      RunningMoments merged = RunningMoments.merge(first, second);
      assertThat(merged.count()).isEqualTo(n);
      assertThat(merged.mean()[k]).isCloseTo(mean, within(1e-12 * Math.abs(mean) + 1e-15));
      assertThat(merged.standardErrors()[k]).isCloseTo(se, within(1e-9 * se));
    }
  }

  @Test
  void parallelResultsComeBackInSubmissionOrder() {
    List<Callable<Integer>> work = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      final int k = i;
      work.add(() -> {
        Thread.sleep(20 - k);
        return k;
      });
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(i);
    }
    assertThat(Parallel.runAll(work, 4, "test")).isEqualTo(expected);
    assertThat(Parallel.runAll(work, 1, "test")).isEqualTo(expected);
  }
}
