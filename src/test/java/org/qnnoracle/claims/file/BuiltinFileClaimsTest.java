package org.qnnoracle.claims.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Scale;

/**
 * Four built-in claims re-expressed as claim files (test-data/claim-files/builtin-*.json) give the Java claims'
 * verdicts and measured values: scales small and default in every run, large under -Pheavy (the heavy tag).
 */
class BuiltinFileClaimsTest {
  static Stream<Arguments> pairs() {
    return Stream.of(Scale.SMALL, Scale.DEFAULT).flatMap(s -> Stream.of(
        Arguments.of("builtin-risk-monotone.json", "FLOW-RISK-MONOTONE", s),
        Arguments.of("builtin-excess-bound.json", "FLOW-EXCESS-BOUND", s),
        Arguments.of("builtin-time-exponent.json", "LAWS-TIME-EXPONENT", s),
        Arguments.of("builtin-effective-limit.json", "SGD-EFFECTIVE-LIMIT", s)));
  }

  @ParameterizedTest(name = "{0} = {1} at {2}")
  @MethodSource("pairs")
  void fileClaimMeasuresWhatTheBuiltInMeasures(String file, String builtinId, Scale scale) {
    assertSame(file, builtinId, scale);
  }

  @Tag("heavy")
  @ParameterizedTest(name = "{0} = {1} at large")
  @CsvSource({
      "builtin-risk-monotone.json, FLOW-RISK-MONOTONE",
      "builtin-excess-bound.json, FLOW-EXCESS-BOUND",
      "builtin-time-exponent.json, LAWS-TIME-EXPONENT",
      "builtin-effective-limit.json, SGD-EFFECTIVE-LIMIT"})
  void fileClaimMeasuresWhatTheBuiltInMeasuresAtScaleLarge(String file, String builtinId) {
    assertSame(file, builtinId, Scale.LARGE);
  }

  static void assertSame(String file, String builtinId, Scale scale) {
    long seed = BaseSeed.current();
    List<Claim> fromFile = ClaimFiles.load(Path.of("test-data/claim-files", file), scale);
    ClaimResult f = ClaimRunner.run(fromFile.get(0), scale, seed);
    ClaimResult j = ClaimRunner.run(ClaimRegistry.byId(builtinId).orElseThrow(), scale, seed);
    System.out.println("[claim-file] seed " + seed + " " + scale.label() + " " + builtinId + ": java "
        + j.measurement().measured() + " " + j.status() + ", file " + f.measurement().measured() + " " + f.status()
        + " | " + f.measurement().detail());
    assertThat(f.passed()).as(f.measurement().detail()).isEqualTo(j.passed());
    // The same quantities from the same entry points; the one difference is Symja's arithmetic in the assertion
    // (a / b evaluated as a * b^-1, a few ulp), so the measured values agree to 1e-12 relative.
    assertThat(f.measurement().measured()).isCloseTo(j.measurement().measured(),
        within(1e-12 * Math.abs(j.measurement().measured()) + 1e-300));
    assertThat(f.measurement().bound()).isEqualTo(j.measurement().bound());
  }
}
