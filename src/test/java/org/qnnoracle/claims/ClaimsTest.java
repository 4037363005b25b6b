package org.qnnoracle.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.qnnoracle.TestScale;

/**
 * Runs every registered claim at the test scale (default under plain {@code mvn test}, large under
 * {@code -Pheavy}): the same checks {@code verify} runs, so a claim is written once. Each check's detail
 * names its seeds and worst case, and is printed so CI logs show them.
 */
class ClaimsTest {

  @TestFactory
  Stream<DynamicTest> everyRegisteredClaimHolds() {
    Scale scale = TestScale.current();
    return ClaimRegistry.all().stream().map(claim -> DynamicTest.dynamicTest(claim.id(), () -> {
      ClaimResult result = ClaimRunner.run(claim, scale);
      Measurement m = result.measurement();
      System.out.printf(java.util.Locale.ROOT, "%s [%s] %s measured=%.3g bound=%.3g (%d ms): %s%n",
          claim.id(), scale.label(), result.status(), m.measured(), m.bound(), result.millis(), m.detail());
      assertThat(m.passed())
          .as("%s: measured %s > bound %s; %s", claim.id(), m.measured(), m.bound(), m.detail())
          .isTrue();
    }));
  }
}
