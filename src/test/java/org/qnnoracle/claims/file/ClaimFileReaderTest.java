package org.qnnoracle.claims.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.Scale;

/** Bad claim files are refused with one line naming the file, the claim and the problem, before anything runs. */
class ClaimFileReaderTest {
  @TempDir
  Path dir;

  /** A valid cheap claim; each test breaks one thing in it. */
  private static final String GOOD = """
      {"id": "MY-CLAIM", "statement": "s", "source": "x", "route": "flow",
       "model": {"d": 1e6, "r": 8, "m": 4}, "grid": {"unit": "t", "log": [1, 100, 10]},
       "assert": "risk <= risk0 + tol", "quantifier": "forall", "tolerance": 1e-12, "toleranceReason": "round-off"}""";

  private Path file(String claim) throws IOException {
    Path f = dir.resolve("c.json");
    Files.writeString(f, "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"claims\": [" + claim + "]}");
    return f;
  }

  private String refusal(String claim) throws IOException {
    Path f = file(claim);
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ClaimFiles.load(f, Scale.DEFAULT));
    assertThat(t).isInstanceOf(InvalidInputException.class);
    assertThat(t.getMessage()).startsWith(f.toString()).doesNotContain("\n");
    return t.getMessage();
  }

  @Test
  void goodFileLoads() throws IOException {
    assertThat(ClaimFiles.load(file(GOOD), Scale.DEFAULT)).hasSize(1);
  }

  @Test
  void unknownMemberNamed() throws IOException {
    assertThat(refusal(GOOD.replace("\"source\"", "\"sourec\": 1, \"source\"")))
        .contains("claim MY-CLAIM").contains("unknown member \"sourec\"");
  }

  @Test
  void unknownObservableNamed() throws IOException {
    assertThat(refusal(GOOD.replace("risk <= risk0", "riks <= risk0"))).contains("'riks'")
        .contains("neither a Symja function nor an observable");
  }

  @Test
  void observableOfAnotherRouteRefused() throws IOException {
    // meanRisk exists on route sgd only.
    assertThat(refusal(GOOD.replace("risk <= risk0", "meanRisk <= risk0"))).contains("'meanrisk'");
  }

  @Test
  void unknownParameterNamed() throws IOException {
    assertThat(refusal(GOOD.replace("\"m\": 4", "\"m\": 4, \"width\": 3"))).contains("unknown parameter model.width");
  }

  @Test
  void parseErrorGivesPosition() throws IOException {
    assertThat(refusal(GOOD.replace("risk <= risk0 + tol", "risk <= (risk0 + tol"))).contains("parse error at character");
  }

  @Test
  void quantifierThatDoesNotFitRefused() throws IOException {
    assertThat(refusal(GOOD.replace("\"forall\"", "\"fit\""))).contains("quantifier fit needs a \\\"fit\\\"".replace("\\", ""));
    assertThat(refusal(GOOD.replace("\"quantifier\": \"forall\"", "\"quantifier\": \"forall\", \"fit\": "
        + "{\"of\": \"risk\", \"window\": \"time-law\"}"))).contains("only used with quantifier fit");
    // slope exists only under quantifier fit.
    assertThat(refusal(GOOD.replace("risk <= risk0", "slope <= risk0"))).contains("'slope'");
  }

  @Test
  void sgdNeedsReplicasAndFalseAlarm() throws IOException {
    String sgd = GOOD.replace("\"flow\"", "\"sgd\"").replace("\"m\": 4", "\"m\": 4, \"c\": 0.05").replace("1e6", "64");
    assertThat(refusal(sgd)).contains("needs \"replicas\"");
    assertThat(refusal(sgd.replace("\"route\"", "\"replicas\": 8, \"route\""))).contains("needs \"falseAlarm\"");
  }

  @Test
  void impossibleSettingRefused() throws IOException {
    assertThat(refusal(GOOD.replace("\"r\": 8", "\"r\": 8, \"alpha\": 1").replace("\"d\": 1e6", "\"d\": 4")))
        .contains("r must be in [1, min(d, 4096)]");
    assertThat(refusal(GOOD.replace("\"m\": 4", "\"m\": 4.5"))).contains("model.m must be an integer");
  }

  @Test
  void tooCostlyRefusedUpFront() throws IOException {
    // 4096 x 4096^2 per sub-step x 200 x 10,000 points: far beyond 1e13 flops.
    assertThat(refusal(GOOD.replace("\"r\": 8, \"m\": 4", "\"r\": 4096, \"m\": 4096")
        .replace("[1, 100, 10]", "[1, 100, 10000]"))).contains("floating-point operations").contains("above the limit");
  }

  @Test
  void builtInIdRefused() throws IOException {
    assertThat(refusal(GOOD.replace("MY-CLAIM", "FLOW-LOEWNER"))).contains("a built-in claim has this id");
  }

  @Test
  void malformedJsonAndWrongFormatRefused() throws IOException {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"claims\": [");
    assertThatThrownBy(() -> ClaimFiles.load(f)).isInstanceOf(InvalidInputException.class).hasMessageContaining("bad.json");
    Files.writeString(f, "{\"format\": \"other\", \"version\": 1, \"claims\": []}");
    assertThatThrownBy(() -> ClaimFiles.load(f)).hasMessageContaining("\"format\" must be");
    assertThatThrownBy(() -> ClaimFiles.load(dir.resolve("missing.json"))).hasMessageContaining("does not exist");
  }
}
