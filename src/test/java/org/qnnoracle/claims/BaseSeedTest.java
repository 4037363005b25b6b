package org.qnnoracle.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;

/** The base seed: -Dqnn.seed, its parsing, and that a run's seed reaches every check through Cases. */
class BaseSeedTest {

  @Test
  void parsesWholeNumbersAndRefusesTheRest() {
    assertThat(BaseSeed.parse("20_261_128", "--seed")).isEqualTo(20_261_128L);
    assertThat(BaseSeed.parse(" 0 ", "--seed")).isZero();
    for (String bad : new String[] {"", "x", "-1", "1.5", "1e3", String.valueOf(1L << 62)}) {
      assertThatThrownBy(() -> BaseSeed.parse(bad, "--seed")).isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("--seed must be a whole number");
    }
  }

  @Test
  void aRunsSeedIsTheOneItsChecksSeeAndIsRestoredAfter() {
    long before = Cases.base();
    long[] seen = new long[1];
    Claim probe = new Claim("TEST-SEED-PROBE", "t", "s", ClaimSource.classical("c"), Claim.EXACT, "0", "why",
        java.util.List.of("BaseSeedTest"), scale -> {
          seen[0] = Cases.seed(400);
          return Measurement.atMost(0, 0, "x");
        }, Claim.DETERMINISTIC);
    ClaimRunner.run(probe, Scale.SMALL, 7L);
    assertThat(seen[0]).isEqualTo(407L);
    assertThat(Cases.base()).isEqualTo(before);
  }

  @Test
  void theJvmSeedIsTheDefaultUnlessTheFlagSetsIt() {
    String flag = System.getProperty(BaseSeed.PROPERTY);
    long expected = flag == null || flag.isBlank() ? BaseSeed.DEFAULT : Long.parseLong(flag.strip());
    System.out.println("base seed of this test run: " + BaseSeed.current());
    assertThat(BaseSeed.current()).isEqualTo(expected);
  }
}
