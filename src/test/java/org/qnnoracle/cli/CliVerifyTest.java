package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.Version;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimCheck;
import org.qnnoracle.claims.ClaimSource;
import org.qnnoracle.claims.Measurement;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.PngRenderer;
import org.qnnoracle.plot.Series;

/**
 * {@code verify}: the real registry for one quick claim (never MODEL-HE2-NORM, whose Symja start-up takes
 * seconds), fabricated claims for the failure paths.
 */
class CliVerifyTest {
  /** Strict: fails on the non-JSON tokens NaN and Infinity. */
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void realClaimPassesAndReportsAreWritten() throws IOException {
    Path report = tmp.resolve("report");
    CliRun run = CliRun.of("verify", "--scale", "small", "--only", "MODEL-RISK", "--report", report.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("[1/1] MODEL-RISK-MC ...");
    assertThat(run.outLines().get(0)).isEqualTo("base seed " + org.qnnoracle.claims.BaseSeed.current() + ", scale small");
    assertThat(run.outLines().get(1)).containsSubsequence("ID", "claim", "measured", "bound", "status", "time");
    assertThat(run.out()).contains("MODEL-RISK-MC").contains("PASS").contains("1 of 1 claims passed");

    JsonNode root = JSON.readTree(report.resolve("claims.json").toFile());
    assertThat(root.get("tool").asText()).isEqualTo("qnn-oracle");
    assertThat(root.get("version").asText()).isEqualTo(Version.CURRENT);
    assertThat(root.get("scale").asText()).isEqualTo("small");
    assertThat(Duration.between(Instant.parse(root.get("generated").asText()), Instant.now()))
        .isBetween(Duration.ofSeconds(-1), Duration.ofMinutes(5));
    assertThat(root.get("passed").asBoolean()).isTrue();
    JsonNode claims = root.get("claims");
    assertThat(claims).hasSize(1);
    JsonNode c = claims.get(0);
    assertThat(c.get("id").asText()).isEqualTo("MODEL-RISK-MC");
    assertThat(c.get("status").asText()).isEqualTo("PASS");
    assertThat(c.get("measured").isNumber()).isTrue();
    assertThat(c.get("bound").asDouble()).isEqualTo(5.0);
    assertThat(c.get("source").asText()).startsWith("classical (");
    assertThat(c.get("tests").isArray()).isTrue();
    assertThat(c.get("millis").isIntegralNumber()).isTrue();
    for (String field : List.of("title", "statement", "tolerance", "toleranceReason", "detail")) {
      assertThat(c.get(field).asText()).as(field).isNotBlank();
    }

    String md = Files.readString(report.resolve("report.md"));
    assertThat(md).contains("Scale: small").contains("1 of 1 claims passed").contains("| MODEL-RISK-MC |")
        .doesNotContain("Failed claims");
    assertThat(CliRun.listing(report)).containsExactly("claims.json", "report.md");
  }

  @Test
  void figuresOfClaimsAreWrittenAtomicallyUnderPlotsAndLinked() throws IOException {
    Figure fig = Figure.logLog("fabricated-risk", "Fabricated risk curve", "time", "risk",
        List.of(Series.line("risk", new double[] {1, 10, 100}, new double[] {1, 0.1, 0.01})), "A caption.");
    Claim drawn = claim("TEST-DRAWN", s -> Measurement.atMost(0.5, 1.0, "drawn").withFigures(List.of(fig)));
    Path report = tmp.resolve("report");
    CliRun run = CliRun.of(verifying(List.of(drawn, passing("TEST-PLAIN"))), "verify", "--report", report.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("1 figure(s) in");
    assertThat(CliRun.listing(report)).containsExactly("claims.json", "plots", "plots/fabricated-risk.png",
        "report.md");
    BufferedImage img = ImageIO.read(report.resolve("plots/fabricated-risk.png").toFile());
    assertThat(img.getWidth()).isEqualTo(PngRenderer.DEFAULT_WIDTH);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.resolve("plots/fabricated-risk.png"))))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readString(report.resolve("report.md")))
        .contains("![Fabricated risk curve](plots/fabricated-risk.png)\n\nA caption.");
    JsonNode claims = JSON.readTree(report.resolve("claims.json").toFile()).get("claims");
    assertThat(claims.get(0).get("figures").get(0).asText()).isEqualTo("plots/fabricated-risk.png");
    assertThat(claims.get(1).get("figures")).isEmpty();

    // A second run replaces the picture in place.
    assertThat(CliRun.of(verifying(List.of(drawn)), "verify", "--report", report.toString()).exit()).isZero();
    assertThat(CliRun.listing(report)).containsExactly("claims.json", "plots", "plots/fabricated-risk.png",
        "report.md");
  }

  @Test
  void plotsPathThatIsAFileIsAnErrorBeforeRunning() throws IOException {
    Files.writeString(tmp.resolve("plots"), "x");
    boolean[] ran = {false};
    Claim watched = claim("TEST-WATCHED", s -> {
      ran[0] = true;
      return Measurement.atMost(0, 1, "ran");
    });
    CliRun run = CliRun.of(verifying(List.of(watched)), "verify", "--report", tmp.toString());
    run.assertUsageError("verify");
    assertThat(run.err()).contains("plots").contains("not a directory");
    assertThat(ran[0]).as("claims ran although the figures could not be written").isFalse();
  }

  @Test
  void prefixMatchingNothingIsAnError() {
    Path report = tmp.resolve("report");
    CliRun run = CliRun.of("verify", "--only", "NOPE", "--report", report.toString());
    run.assertUsageError("verify");
    assertThat(run.err()).contains("NOPE");
    assertThat(report).doesNotExist();
  }

  @Test
  void unknownScaleIsAnError() {
    Path report = tmp.resolve("report");
    CliRun.of("verify", "--scale", "huge", "--report", report.toString()).assertUsageError("verify");
    assertThat(report).doesNotExist();
  }

  @Test
  void reportPathThatIsAFileIsAnError() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    CliRun.of(verifying(List.of(passing("TEST-PASS"))), "verify", "--report", file.toString())
        .assertUsageError("verify");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void reportFileThatIsADirectoryIsAnErrorBeforeRunning() throws IOException {
    Files.createDirectories(tmp.resolve("claims.json"));
    boolean[] ran = {false};
    Claim watched = claim("TEST-WATCHED", s -> {
      ran[0] = true;
      return Measurement.atMost(0, 1, "ran");
    });
    CliRun.of(verifying(List.of(watched)), "verify", "--report", tmp.toString()).assertUsageError("verify");
    assertThat(ran[0]).as("claims ran although the report could not be written").isFalse();
  }

  @Test
  void failingClaimGivesExitOneAndIsReported() throws IOException {
    Claim failing = claim("TEST-FAIL", s -> Measurement.atMost(1, 0, "fabricated: measured 1 > bound 0"));
    Claim nan = claim("TEST-NAN", s -> Measurement.failure("fabricated: nothing measured"));
    Claim throwing = claim("TEST-THROWS", s -> {
      throw new IllegalStateException("fabricated crash");
    });
    CliRun run = CliRun.of(verifying(List.of(passing("TEST-PASS"), failing, nan, throwing)),
        "verify", "--scale", "small", "--report", tmp.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(Console.EXIT_CLAIM_FAILED);
    assertThat(run.out()).contains("1 of 4 claims passed").contains("TEST-FAIL, TEST-NAN, TEST-THROWS");
    assertThat(run.err()).doesNotContain("Exception:").doesNotContain("at org.");

    JsonNode root = JSON.readTree(tmp.resolve("claims.json").toFile());
    assertThat(root.get("passed").asBoolean()).isFalse();
    JsonNode claims = root.get("claims");
    assertThat(claims.get(0).get("status").asText()).isEqualTo("PASS");
    assertThat(claims.get(1).get("status").asText()).isEqualTo("FAIL");
    assertThat(claims.get(1).get("measured").asDouble()).isEqualTo(1.0);
    assertThat(claims.get(2).get("measured").isNull()).as("NaN is written as null").isTrue();
    assertThat(claims.get(2).get("bound").isNull()).isTrue();
    assertThat(claims.get(3).get("detail").asText()).contains("fabricated crash");

    String md = Files.readString(tmp.resolve("report.md"));
    assertThat(md).contains("1 of 4 claims passed").contains("## Failed claims")
        .contains("fabricated: measured 1 > bound 0").contains("fabricated: nothing measured");
  }

  @Test
  void allFabricatedClaimsPassingGivesExitZero() {
    CliRun run = CliRun.of(verifying(List.of(passing("TEST-A"), passing("TEST-B"))),
        "verify", "--report", tmp.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("[1/2] TEST-A ...").contains("[2/2] TEST-B ...").contains("scale default");
  }

  @Test
  void onlyIsPassedAsPrefix() {
    List<String> asked = new java.util.ArrayList<>();
    VerifyCommand verify = new VerifyCommand(prefix -> {
      asked.add(prefix);
      return List.of(passing("TEST-A"));
    });
    assertThat(CliRun.of(verify, "verify", "--only", "FLOW-", "--report", tmp.toString()).exit()).isZero();
    assertThat(CliRun.of(verifying(List.of()), "verify", "--report", tmp.toString()).exit()).isEqualTo(2);
    assertThat(asked).containsExactly("FLOW-");
  }

  @Test
  void unexpectedExceptionIsAnInternalErrorLine() {
    VerifyCommand broken = new VerifyCommand(prefix -> {
      throw new IllegalStateException("registry exploded");
    });
    CliRun run = CliRun.of(broken, "verify", "--report", tmp.toString());
    assertThat(run.exit()).isEqualTo(Console.EXIT_INTERNAL);
    assertThat(run.errLines()).containsExactly(
        "qnn-oracle: internal error: java.lang.IllegalStateException: registry exploded");
  }

  private static VerifyCommand verifying(List<Claim> claims) {
    return new VerifyCommand(prefix -> claims.stream().filter(c -> c.id().startsWith(prefix)).toList());
  }

  // ------------------------------------------------------------------------------------ seeds and calibration

  @Test
  void seedMovesEveryDrawAndIsRecorded() throws IOException {
    Path report = tmp.resolve("seeded");
    // FLOW-LOEWNER draws its instances from Cases.seed(600 + i): base 7 gives seeds 607, 608, ... (the default
    // base gives 20261728 and up), and its detail names the worst case's seed.
    CliRun run = CliRun.of("verify", "--scale", "small", "--only", "FLOW-LOEWNER", "--seed", "7", "--report",
        report.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.outLines().get(0)).isEqualTo("base seed 7, scale small");
    assertThat(run.err()).contains("base seed 7");
    JsonNode root = JSON.readTree(report.resolve("claims.json").toFile());
    assertThat(root.get("seed").asLong()).isEqualTo(7L);
    assertThat(root.get("claims").get(0).get("detail").asText()).containsPattern("seed=6[0-9][0-9]\\b");
    assertThat(Files.readString(report.resolve("report.md"))).contains("- Base seed: 7");

    CliRun again = CliRun.of("verify", "--scale", "small", "--only", "FLOW-LOEWNER", "--seed", "7", "--report",
        tmp.resolve("again").toString());
    JsonNode second = JSON.readTree(tmp.resolve("again").resolve("claims.json").toFile());
    assertThat(again.exit()).isZero();
    assertThat(second.get("claims").get(0).get("detail").asText())
        .as("the same seed gives the same draws").isEqualTo(root.get("claims").get(0).get("detail").asText());
  }

  @Test
  void badSeedAndCalibrationArgumentsAreOneLineErrors() {
    for (String[] args : List.of(
        new String[] {"verify", "--seed", "abc"},
        new String[] {"verify", "--seed", "-1"},
        new String[] {"verify", "--seed", "5", "--calibrate", "1..2"},
        new String[] {"verify", "--jobs", "2"},
        new String[] {"verify", "--calibrate", "5..1"},
        new String[] {"verify", "--calibrate", "1..20000"},
        new String[] {"verify", "--calibrate", "1..2", "--jobs", "0"})) {
      CliRun run = CliRun.of(args);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(Console.EXIT_USAGE);
      // One error line (and picocli's usual "Try ... --help" hint).
      assertThat(run.err().lines().filter(l -> !l.startsWith("Try ")).count()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).startsWith("qnn-oracle: error: ");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void calibrationRunsEachSeedInItsOwnProcessAndTallies() throws IOException {
    Path report = tmp.resolve("cal");
    CliRun run = CliRun.of("verify", "--calibrate", "3..4", "--scale", "small", "--only", "FLOW-LOEWNER",
        "--jobs", "2", "--report", report.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("[2/2]");
    assertThat(run.out()).contains("| FLOW-LOEWNER | 0 of 2 | 0 (deterministic) |");
    JsonNode cal = JSON.readTree(report.resolve("calibration.json").toFile());
    assertThat(cal.get("seeds").toString()).isEqualTo("[3,4]");
    assertThat(cal.get("claims").get(0).get("failures").asInt()).isZero();
    // Each child wrote its own report at its own seed.
    for (int seed : new int[] {3, 4}) {
      JsonNode child = JSON.readTree(report.resolve("calibration-runs-small").resolve("seed-" + seed)
          .resolve("claims.json").toFile());
      assertThat(child.get("seed").asInt()).isEqualTo(seed);
    }
  }

  private static Claim passing(String id) {
    return claim(id, s -> Measurement.atMost(0.5, 1.0, "fabricated pass"));
  }

  static Claim claim(String id, ClaimCheck check) {
    return new Claim(id, "fabricated claim " + id, "A claim made up by the test.",
        ClaimSource.classical("test fixture"), Claim.COMPUTED_PER_RUN,
        "measured <= bound", "fabricated", List.of("CliVerifyTest"), check,
        Claim.DETERMINISTIC);
  }
}
