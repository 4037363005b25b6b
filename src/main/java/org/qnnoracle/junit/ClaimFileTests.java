package org.qnnoracle.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Measurement;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.ClaimFiles;

/**
 * Claim files (spec/claim-file.md) as JUnit 5 tests of another project, so that a theorem stated there is checked
 * by that project's own {@code mvn test}, beside its other tests, with a verdict per claim:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> myClaims() {
 *   return ClaimFileTests.from(Path.of("claims"));
 * }
 * }</pre>
 *
 * <p>The files are read when {@code from} is called, not when the tests run: a file that is missing, malformed or
 * refused by the reader fails the {@code @TestFactory} itself with the reader's one-line message. Reading lazily
 * would turn such a file into zero tests, and a build whose claims silently vanished would pass.
 *
 * <p>The JUnit API is a provided dependency of qnn-oracle: the project using this class brings its own JUnit, and
 * nothing else in qnn-oracle (the runnable jar included) loads this class.
 */
public final class ClaimFileTests {
  /**
   * System property naming the scale the claims run at ({@code small}, {@code default}, {@code large}); the same
   * words as {@code verify --scale}, so a claim's cost and verdict read the same in both places.
   */
  public static final String SCALE_PROPERTY = "qnn.scale";

  private ClaimFileTests() {}

  /**
   * One dynamic test per claim of the given claim files and directories (a directory: its *.json files, as
   * {@link ClaimFiles#load} reads it), in the order given. Each runs its claim with {@link ClaimRunner} at the
   * scale of {@value #SCALE_PROPERTY} (default {@code default}) and the base seed of {@link BaseSeed#current()}
   * ({@code -Dqnn.seed}), and fails with "ID: measured X against bound Y: detail" when the claim does not hold.
   *
   * @throws InvalidInputException when no path is given, a path does not exist, the scale property is not a
   *     scale, two files state claims with the same ID, or the files hold no claim at all; and whatever
   *     {@link ClaimFiles#load} throws for a file it refuses
   */
  public static Stream<DynamicTest> from(Path... filesOrDirectories) {
    InvalidInputException.require(filesOrDirectories != null && filesOrDirectories.length > 0,
        "ClaimFileTests.from needs at least one claim file or directory");
    // Both read now, once: a mistyped -Dqnn.scale fails the factory instead of every test, and every test of
    // the factory runs at the same seed even if a test in between changes the property.
    Scale scale;
    try {
      scale = Scale.parse(System.getProperty(SCALE_PROPERTY, Scale.DEFAULT.label()));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("-D" + SCALE_PROPERTY + ": " + e.getMessage());
    }
    long baseSeed = BaseSeed.current();

    Map<String, Path> origin = new LinkedHashMap<>();
    List<Claim> claims = new ArrayList<>();
    for (Path p : filesOrDirectories) {
      // Surefire runs in the project directory, an IDE often elsewhere: name the absolute path the relative one
      // resolved to, which is what the user needs to see.
      InvalidInputException.require(Files.exists(p),
          p + ": no such claim file or directory (resolved to " + p.toAbsolutePath().normalize() + ")");
      for (Claim c : ClaimFiles.load(p, scale)) {
        Path earlier = origin.putIfAbsent(c.id(), p);
        // The loader keeps IDs unique within one call; two paths given here are two calls, and two tests of one
        // name would make a report that cannot say which of them failed.
        InvalidInputException.require(earlier == null,
            p + ": claim " + c.id() + " is also stated in " + earlier + "; claim IDs must be unique");
        claims.add(c);
      }
    }
    InvalidInputException.require(!claims.isEmpty(),
        String.join(", ", Stream.of(filesOrDirectories).map(Path::toString).toList()) + ": no claims to test");

    return tests(claims, scale, baseSeed);
  }

  /** The tests of claims already read: what {@link #from} returns once the files are loaded. */
  static Stream<DynamicTest> tests(List<Claim> claims, Scale scale, long baseSeed) {
    return List.copyOf(claims).stream()
        .map(c -> DynamicTest.dynamicTest(displayName(c), () -> check(c, scale, baseSeed)));
  }

  /** The ID first, so a report sorted or grepped by ID finds the test; the title when it says more. */
  static String displayName(Claim c) {
    return c.title() == null || c.title().isBlank() || c.title().equals(c.id()) ? c.id() : c.id() + " " + c.title();
  }

  private static void check(Claim claim, Scale scale, long baseSeed) {
    ClaimResult result = ClaimRunner.run(claim, scale, baseSeed);
    if (!result.passed()) {
      Assertions.fail(failureMessage(claim, result.measurement(), scale, baseSeed));
    }
  }

  /**
   * "ID: measured X against bound Y: detail", then what a rerun needs. Numbers in Java's shortest round-trip form,
   * not a fixed number of digits: a claim that misses by round-off would otherwise print equal numbers.
   */
  static String failureMessage(Claim claim, Measurement m, Scale scale, long baseSeed) {
    return String.format(Locale.ROOT, "%s: measured %s against bound %s: %s (scale %s, base seed %d)",
        claim.id(), Double.toString(m.measured()), Double.toString(m.bound()), m.detail(), scale.label(), baseSeed);
  }
}
