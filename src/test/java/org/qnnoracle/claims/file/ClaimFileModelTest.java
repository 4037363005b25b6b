package org.qnnoracle.claims.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Scale;

/** The model members a claim file may give in several ways (beta for r, eta for c, the normalisation) reach the run. */
class ClaimFileModelTest {
  @TempDir
  Path dir;

  private Path file(String model, String assertion, String grid) throws IOException {
    Path f = dir.resolve("c.json");
    Files.writeString(f, "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"claims\": [{\"id\": \"MY-CLAIM\", "
        + "\"statement\": \"s\", \"source\": \"x\", \"route\": \"flow\", \"model\": {" + model + "}, \"grid\": "
        + grid + ", \"assert\": \"" + assertion + "\", \"quantifier\": \"end\", \"tolerance\": 0, "
        + "\"toleranceReason\": \"exact\"}]}");
    return f;
  }

  private ClaimResult run(Path f) {
    List<Claim> claims = ClaimFiles.load(f, Scale.SMALL);
    return ClaimRunner.run(claims.get(0), Scale.SMALL, BaseSeed.current());
  }

  @Test
  void betaGivesRAsRoundedPowerOfD() throws IOException {
    Path f = file("\"d\": 1e9, \"beta\": 0.2, \"m\": 4", "r == 63", "{\"points\": [1]}");
    // 1e9^0.2 = 63.0957...: r = 63, which the assertion (exact equality) checks through the run itself.
    assertThat(run(f).passed()).isTrue();
    assertThat(ClaimFiles.explain(f, Scale.SMALL)).contains("r=63");
  }

  @Test
  void rAndBetaTogetherRefused() throws IOException {
    Path f = file("\"d\": 1e9, \"r\": 8, \"beta\": 0.2, \"m\": 4", "r == 63", "{\"points\": [1]}");
    assertThatThrownBy(() -> ClaimFiles.load(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("give r or beta, not both");
  }

  @Test
  void normalisationReachesTheSpectrum() throws IOException {
    // l1: sum_j lambda_j = 1; l2 (the default): sum_j lambda_j^2 = 1, so the l1 sum is then well above 1.
    String l1 = "\"d\": 100, \"r\": 8, \"m\": 4, \"normalisation\": \"l1\"";
    assertThat(run(file(l1, "abs(Total(lambda) - 1) <= 10^-12", "{\"points\": [1]}")).passed()).isTrue();
    assertThat(run(file("\"d\": 100, \"r\": 8, \"m\": 4", "abs(Total(lambda) - 1) <= 10^-12", "{\"points\": [1]}"))
        .passed()).isFalse();
    assertThat(run(file("\"d\": 100, \"r\": 8, \"m\": 4", "abs(Total(lambda^2) - 1) <= 10^-12", "{\"points\": [1]}"))
        .passed()).isTrue();
  }

  @Test
  void etaGivesC() throws IOException {
    Path f = dir.resolve("e.json");
    Files.writeString(f, "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"claims\": [{\"id\": \"MY-ETA\", "
        + "\"statement\": \"s\", \"source\": \"x\", \"route\": \"effective-ode\", \"model\": {\"d\": 64, \"r\": 4, "
        + "\"m\": 4, \"eta\": 0.00078125}, \"grid\": {\"points\": [1]}, \"assert\": \"c == 0.05\", \"quantifier\": "
        + "\"end\", \"tolerance\": 0, \"toleranceReason\": \"exact: 0.05 / 64 is exact in binary\"}]}");
    assertThat(run(f).passed()).isTrue();
  }

  @Test
  void anEscapeNotReachedIsInfinityAndFailsAComparison() throws IOException {
    // By t = 1 nothing has escaped from sigma0 = 1e-3 at d = 1e6 (leading escape time about 2.5): escape[[1]] is
    // Infinity, so "escape[[1]] < 100" is False, not undecided; the measured value says Infinity.
    ClaimResult r = run(file("\"d\": 1e6, \"r\": 8, \"m\": 4", "escape[[1]] < 100", "{\"log\": [0.01, 1, 20]}"));
    assertThat(r.passed()).isFalse();
    assertThat(r.measurement().detail()).contains("1 of 1 points false").doesNotContain("not a truth value");
    assertThat(run(file("\"d\": 1e6, \"r\": 8, \"m\": 4", "escape[[1]] < 100", "{\"log\": [0.01, 50, 20]}"))
        .passed()).isTrue();
  }
}
