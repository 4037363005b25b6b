package org.qnnoracle.claims.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qnnoracle.JsonFiles;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Scale;

/** The example claim files (test-data/claim-files/example-*.json) hold, as the README says they do. */
class ExampleClaimFilesTest {
  static Stream<Claim> examples() {
    return JsonFiles.list(Path.of("test-data/claim-files")).stream()
        .filter(p -> p.getFileName().toString().startsWith("example-"))
        .flatMap(p -> ClaimFiles.load(p, Scale.SMALL).stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleHolds(Claim claim) {
    ClaimResult r = ClaimRunner.run(claim, Scale.SMALL, BaseSeed.current());
    System.out.println("[claim-file] seed " + BaseSeed.current() + " " + claim.id() + ": " + r.status() + " "
        + r.measurement().detail());
    assertThat(r.passed()).as(r.measurement().detail()).isTrue();
  }
}
