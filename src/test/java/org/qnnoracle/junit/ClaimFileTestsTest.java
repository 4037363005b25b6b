package org.qnnoracle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimCheck;
import org.qnnoracle.claims.ClaimSource;
import org.qnnoracle.claims.Measurement;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.ClaimFiles;

/**
 * The JUnit entry point other projects use (src/test/resources/consumer): one test per claim, named by ID; a true
 * claim passes, a false one fails with "ID: measured X against bound Y: detail"; and a file that cannot be used
 * fails the factory instead of giving no tests. The tests of claims already in memory run here on any tree; those
 * through real claim files are in {@link ThroughClaimFiles} and need the loader.
 */
class ClaimFileTestsTest {
  @TempDir
  Path tmp;

  // ---------------------------------------------------------------------------- refused before any claim is read

  @Test
  void aMissingFileFailsTheFactoryNamingThePath() {
    Path missing = tmp.resolve("no-such-claims.json");
    assertThatThrownBy(() -> ClaimFileTests.from(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such claim file");
  }

  @Test
  void aRelativeMissingPathIsShownResolved() {
    Path relative = Path.of("no-such-dir-" + System.nanoTime(), "claims.json");
    assertThatThrownBy(() -> ClaimFileTests.from(relative))
        .hasMessageStartingWith(relative + ": ")
        .hasMessageContaining(relative.toAbsolutePath().normalize().toString());
  }

  @Test
  void noPathIsRefused() {
    assertThatThrownBy(ClaimFileTests::from).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> ClaimFileTests.from((Path[]) null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void anUnknownScaleFailsTheFactory() throws IOException {
    Path file = Files.writeString(tmp.resolve("c.json"), "{}");
    String previous = System.getProperty(ClaimFileTests.SCALE_PROPERTY);
    System.setProperty(ClaimFileTests.SCALE_PROPERTY, "huge");
    try {
      assertThatThrownBy(() -> ClaimFileTests.from(file)).isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("-Dqnn.scale: ").hasMessageContaining("huge");
    } finally {
      restore(ClaimFileTests.SCALE_PROPERTY, previous);
    }
  }

  // ------------------------------------------------------------------------------------ claims already read

  @Test
  void aTrueClaimPassesAndAFalseOneFailsWithMeasuredAndBound() throws Throwable {
    List<Scale> seen = new ArrayList<>();
    Claim holds = claim("TEST-HOLDS", "a true claim", scale -> {
      seen.add(scale);
      return Measurement.atMost(0.25, 0.5, "worst at t = 2");
    }, 0.5);
    Claim fails = claim("TEST-FAILS", "a false claim", scale -> Measurement.atMost(0.75, 0.5, "worst at t = 3"), 0.5);

    List<DynamicTest> tests = ClaimFileTests.tests(List.of(holds, fails), Scale.SMALL, 7L).toList();

    assertThat(tests).extracting(DynamicTest::getDisplayName)
        .containsExactly("TEST-HOLDS a true claim", "TEST-FAILS a false claim");
    tests.get(0).getExecutable().execute();
    assertThat(seen).containsExactly(Scale.SMALL);
    assertThatThrownBy(() -> tests.get(1).getExecutable().execute())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage("TEST-FAILS: measured 0.75 against bound 0.5: worst at t = 3 (scale small, base seed 7)");
  }

  @Test
  void aCheckThatThrowsIsAFailedTestNotAnError() {
    Claim broken = claim("TEST-BROKEN", "TEST-BROKEN", scale -> {
      throw new IllegalStateException("integrator gave up");
    }, 1.0);
    DynamicTest test = ClaimFileTests.tests(List.of(broken), Scale.DEFAULT, BaseSeed.DEFAULT).toList().get(0);
    // the title repeats the ID (a claim file's default title): the name says it once
    assertThat(test.getDisplayName()).isEqualTo("TEST-BROKEN");
    assertThatThrownBy(() -> test.getExecutable().execute())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("TEST-BROKEN: measured NaN against bound NaN: check threw IllegalStateException")
        .hasMessageContaining("integrator gave up");
  }

  @Test
  void numbersAreShownToEveryDigitThatDiffers() {
    double bound = 2.000000000001;
    double measured = Math.nextUp(bound); // misses by one unit in the last place
    Claim c = claim("TEST-CLOSE", "t", scale -> null, bound);
    String message = ClaimFileTests.failureMessage(c, new Measurement(measured, bound, false, "d"), Scale.LARGE, 3L);
    Matcher m = Pattern.compile("TEST-CLOSE: measured (\\S+) against bound (\\S+): d \\(scale large, base seed 3\\)")
        .matcher(message);
    assertThat(m.matches()).as(message).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isEqualTo(measured);
    assertThat(Double.parseDouble(m.group(2))).isEqualTo(bound);
    assertThat(m.group(2)).isEqualTo("2.000000000001");
  }

  // ----------------------------------------------------------------------------------- through claim files

  /**
   * Through real claim files, so through {@link ClaimFiles#load}. The claims are the cheapest there are (d = 100, r = m = 2, one grid
   * point on the reduced flow).
   */
  @Nested
  class ThroughClaimFiles {
    private static final String TRUE_CLAIM = """
        {"id": "TEST-TRUE-CLAIM", "title": "the risk never exceeds R(0)", "statement": "R(1) <= R(0) on the flow.",
         "source": "gradient flow", "route": "flow", "method": "reduced", "model": {"d": 100, "r": 2, "m": 2},
         "grid": {"unit": "t", "points": [1]}, "assert": "risk <= risk0 + tol", "quantifier": "forall",
         "tolerance": 1e-9, "toleranceReason": "round-off of risks near 2"}""";
    private static final String FALSE_CLAIM = """
        {"id": "TEST-FALSE-CLAIM", "statement": "R(0) is at most one half (false: it is about 2).",
         "source": "conjecture (false on purpose)", "route": "flow", "method": "reduced",
         "model": {"d": 100, "r": 2, "m": 2}, "grid": {"unit": "t", "points": [1]}, "assert": "risk0 <= tol",
         "quantifier": "end", "tolerance": 0.5, "toleranceReason": "none needed: it is false by a factor 4"}""";

    @Test
    void oneTestPerClaimThePassingOnePassesTheFailingOneFails() throws Throwable {
      Path file = claimFile("two.json", TRUE_CLAIM, FALSE_CLAIM);
      List<DynamicTest> tests = ClaimFileTests.from(file).toList();
      assertThat(tests).extracting(DynamicTest::getDisplayName)
          .containsExactly("TEST-TRUE-CLAIM the risk never exceeds R(0)", "TEST-FALSE-CLAIM");
      tests.get(0).getExecutable().execute();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      try {
        tests.get(1).getExecutable().execute();
      } catch (AssertionFailedError e) {
        thrown.set(e);
      }
      assertThat(thrown.get()).as("the false claim fails its test").isNotNull();
      // measured: R(0), about 2 from a start of scale 1e-3; bound: tol
      Matcher m = Pattern.compile("TEST-FALSE-CLAIM: measured (\\S+) against bound 0\\.5: .+")
          .matcher(thrown.get().getMessage());
      assertThat(m.matches()).as(thrown.get().getMessage()).isTrue();
      assertThat(Double.parseDouble(m.group(1))).isBetween(1.99, 2.01);
    }

    @Test
    void aDirectoryGivesTheClaimsOfItsFilesAndTwoPathsMayNotRepeatAnId() throws IOException {
      Path dir = Files.createDirectory(tmp.resolve("claims"));
      claimFile("claims/a.json", TRUE_CLAIM);
      claimFile("claims/b.json", FALSE_CLAIM);
      assertThat(ClaimFileTests.from(dir).map(DynamicTest::getDisplayName))
          .containsExactly("TEST-TRUE-CLAIM the risk never exceeds R(0)", "TEST-FALSE-CLAIM");
      Path again = claimFile("again.json", TRUE_CLAIM);
      assertThatThrownBy(() -> ClaimFileTests.from(dir, again)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("TEST-TRUE-CLAIM");
    }

    @Test
    void aFileTheReaderRefusesFailsTheFactoryInOneLine() throws IOException {
      Path file = claimFile("bad.json", TRUE_CLAIM.replace("\"route\": \"flow\"", "\"route\": \"foo\""));
      assertThatThrownBy(() -> ClaimFileTests.from(file)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("bad.json")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anEmptyDirectoryFailsTheFactoryInsteadOfGivingNoTests() throws IOException {
      Path dir = Files.createDirectory(tmp.resolve("empty"));
      assertThatThrownBy(() -> ClaimFileTests.from(dir)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(dir.toString());
    }

    private Path claimFile(String name, String... claims) throws IOException {
      String json = "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"claims\": [" + String.join(",\n", claims)
          + "]}";
      return Files.writeString(tmp.resolve(name), json, StandardCharsets.UTF_8);
    }
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private static Claim claim(String id, String title, ClaimCheck check, double bound) {
    return new Claim(id, title, "a statement", ClaimSource.classical("ClaimFileTestsTest"), bound, "<= bound",
        "a reason", List.of("ClaimFileTestsTest"), check, Claim.DETERMINISTIC);
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
  }
}
