package org.qnnoracle.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BonferroniTest {
  @Test
  void thresholdIsTheTwoSidedBonferroniNormalQuantile() {
    // Reference values by bisection on erfc(z / sqrt 2) / 2 = alpha / (2K) (independent of Hipparchus):
    // K = 1: 4.8916385; K = 210: 5.8552858; K = 420: 5.9694222; alpha = 0.05, K = 1: 1.9599640.
    // Hipparchus inverts through erfInv(2p - 1), which near p = 1e-9 keeps ~7 significant digits of the
    // tail: 1e-5 is ample and far below anything that matters for a threshold.
    assertThat(Bonferroni.threshold(1, 1e-6)).isCloseTo(4.8916385, within(1e-5));
    assertThat(Bonferroni.threshold(210, 1e-6)).isCloseTo(5.8552858, within(1e-5));
    assertThat(Bonferroni.threshold(420, 1e-6)).isCloseTo(5.9694222, within(1e-5));
    assertThat(Bonferroni.threshold(1, 0.05)).isCloseTo(1.9599640, within(1e-5));
  }
}
