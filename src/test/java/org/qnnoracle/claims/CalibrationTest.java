package org.qnnoracle.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calibration tally: failure counts, the binomial tail against the stated rate, and the JSON round trip. */
class CalibrationTest {

  private static Claim claim(String id, double rate) {
    return new Claim(id, "t", "s", ClaimSource.classical("c"), 1.0, "1", "why", List.of("CalibrationTest"),
        s -> Measurement.atMost(0, 1, "x"), rate);
  }

  private static Calibration.SeedRun run(long seed, boolean a, boolean b) {
    return new Calibration.SeedRun(seed, Map.of("TEST-DET", a, "TEST-RANDOM", b));
  }

  @Test
  void tailIsTheBinomialUpperTail() {
    // P(K >= 1 | 40, 1e-4) = 1 - (1 - 1e-4)^40, by hand.
    Calibration.Row one = new Calibration.Row("X-Y", 1e-4, 40, List.of(7L));
    assertThat(one.tail()).isCloseTo(1.0 - Math.pow(1.0 - 1e-4, 40), within(1e-12));
    assertThat(one.consistent()).isTrue();
    // Two failures in 40 at 1e-4: P = C(40, 2) 1e-8 (1 - ...) ~ 7.8e-6, inconsistent at the 1e-3 level.
    Calibration.Row two = new Calibration.Row("X-Y", 1e-4, 40, List.of(7L, 9L));
    assertThat(two.tail()).isCloseTo(780e-8, within(1e-7));
    assertThat(two.consistent()).isFalse();
    assertThat(new Calibration.Row("X-Y", 1e-4, 40, List.of()).tail()).isEqualTo(1.0);
  }

  @Test
  void aDeterministicClaimIsConsistentOnlyWithNoFailure() {
    assertThat(new Calibration.Row("X-Y", 0.0, 40, List.of()).consistent()).isTrue();
    assertThat(new Calibration.Row("X-Y", 0.0, 40, List.of(3L)).consistent()).isFalse();
  }

  @Test
  void tallyCountsFailuresAndMissingVerdictsPerClaim() {
    List<Claim> claims = List.of(claim("TEST-DET", 0.0), claim("TEST-RANDOM", 1e-4));
    List<Calibration.SeedRun> runs = List.of(run(1, true, true), run(2, true, false),
        new Calibration.SeedRun(3, Map.of()));  // seed 3's process died: both claims count as failed there
    Calibration cal = Calibration.tally(claims, Scale.SMALL, runs, "v", "la");
    assertThat(cal.byId().get("TEST-DET").failedSeeds()).containsExactly(3L);
    assertThat(cal.byId().get("TEST-RANDOM").failedSeeds()).containsExactly(2L, 3L);
    assertThat(cal.allConsistent()).isFalse();
    assertThat(cal.seedLabel()).isEqualTo("1..3");
    assertThat(cal.toMarkdown()).contains("| TEST-DET | 1 of 3 (seeds [3]) | 0 (deterministic) |");
  }

  @Test
  void jsonRoundTripKeepsEveryRow() throws Exception {
    List<Claim> claims = List.of(claim("TEST-DET", 0.0), claim("TEST-RANDOM", 1e-4));
    Calibration cal = Calibration.tally(claims, Scale.DEFAULT, List.of(run(5, true, true), run(7, true, false)),
        "v", "la");
    Calibration back = Calibration.fromJson(cal.toJson());
    assertThat(back).isEqualTo(cal);
    assertThat(back.seedLabel()).isEqualTo("[5, 7]");
  }
}
