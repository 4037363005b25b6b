package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules shared by the commands' options: one integer notation everywhere ({@link IntegerConverter}), the same
 * horizon rule for every --t-max, and size options bounded before any work ({@link OptionBounds}).
 */
class CliOptionsTest {
  private static final String[] FLOW = {"flow", "--d", "6", "--r", "3", "--m", "2", "--alpha", "1", "--points", "3",
      "--t-max", "1"};
  private static final String[] SGD = {"sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1", "--c", "0.1",
      "--t-max", "1", "--points", "3"};

  @TempDir
  Path tmp;

  /** {@code base} with each option of {@code changes} replaced (or added when absent). */
  static String[] with(String[] base, String... changes) {
    List<String> args = new ArrayList<>(Arrays.asList(base));
    for (int i = 0; i < changes.length; i += 2) {
      int at = args.indexOf(changes[i]);
      if (at >= 0) {
        args.set(at + 1, changes[i + 1]);
      } else {
        args.add(changes[i]);
        args.add(changes[i + 1]);
      }
    }
    return args.toArray(new String[0]);
  }

  /** The error line of a refused run (after checking the whole error contract). */
  static String refusal(String command, String... args) {
    CliRun run = CliRun.of(args);
    run.assertUsageError(command);
    return run.errLines().get(0);
  }

  // ----------------------------------------------------------------------------------------------------
  // One integer notation

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"400, 400", "-3, -3", "+7, 7", "1e9, 1000000000", "1E6, 1000000", "2.5e3, 2500", "100.0, 100",
      "1e+2, 100", "0e5, 0", "' 12 ', 12", "2147483647, 2147483647", "-2.147483648e9, -2147483648"})
  void integersAreAcceptedInPlainAndScientificNotation(String text, long expected) {
    assertThat(IntegerConverter.INT.convert(text)).isEqualTo((int) expected);
    assertThat(IntegerConverter.LONG.convert(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"1.5", "2.55e1", "1e-3", "six", "NaN", "Infinity", "0x10", "1_000", "", "1e", "--1"})
  void nonIntegersAreRefused(String text) {
    assertThatThrownBy(() -> IntegerConverter.INT.convert(text)).isInstanceOf(OptionValueException.class)
        .hasMessage("'" + text + "': must be an integer");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1e40", "2147483648", "-2147483649", "1e999999999", "-1e19"})
  void integersOutOfRangeAreRefusedWithoutExpandingThem(String text) {
    assertThatThrownBy(() -> IntegerConverter.INT.convert(text)).isInstanceOf(OptionValueException.class)
        .hasMessage("'" + text + "': must be an integer from -2147483648 to 2147483647");
    assertThat(IntegerConverter.LONG.convert("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> IntegerConverter.LONG.convert("9.3e18")).isInstanceOf(OptionValueException.class)
        .hasMessageContaining("from -9223372036854775808 to 9223372036854775807");
  }

  @Test
  void flowTakesScientificIntegersAsLawsDoes() {
    CliRun plain = CliRun.of(FLOW);
    CliRun scientific = CliRun.of(with(FLOW, "--d", "6e0", "--r", "3.0", "--m", "0.2e1", "--points", "3E0",
        "--seed", "1e0"));
    assertThat(scientific.exit()).as(scientific.err()).isZero();
    assertThat(scientific.out()).isEqualTo(plain.out()).startsWith("t,risk,");
  }

  @Test
  void everyCommandNamesTheOptionAndTheValueItRefuses() {
    assertThat(refusal("flow", with(FLOW, "--d", "1.5"))).isEqualTo("qnn-oracle: error: --d must be an integer; got '1.5'");
    assertThat(refusal("flow", with(FLOW, "--d", "1e40")))
        .isEqualTo("qnn-oracle: error: --d must be an integer from -2147483648 to 2147483647; got '1e40'");
    assertThat(refusal("flow", with(FLOW, "--seed", "1e19")))
        .isEqualTo("qnn-oracle: error: --seed must be an integer from -9223372036854775808 to 9223372036854775807; "
            + "got '1e19'");
    assertThat(refusal("sgd", with(SGD, "--replicas", "2.5")))
        .isEqualTo("qnn-oracle: error: --replicas must be an integer; got '2.5'");
    assertThat(refusal("sgd", "sgd", "--d", "20", "--r", "3", "--m", "2", "--alpha", "1", "--steps", "1.5")).isEqualTo(
        "qnn-oracle: error: --steps must be an integer; got '1.5'");
    assertThat(refusal("derive", "derive", "--cases", "1.5"))
        .isEqualTo("qnn-oracle: error: --cases must be an integer; got '1.5'");
    String o = tmp.resolve("laws").toString();
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e3,2.5e3,x", "--out", o))
        .isEqualTo("qnn-oracle: error: --d-list must be an integer; got 'x'");
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e3,2.5", "--out", o))
        .isEqualTo("qnn-oracle: error: --d-list must be an integer; got '2.5'");
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24.5", "--out", o))
        .isEqualTo("qnn-oracle: error: --r-list must be an integer; got '24.5'");
    // doubles keep their own rule, in the same words
    assertThat(refusal("flow", with(FLOW, "--alpha", "NaN")))
        .isEqualTo("qnn-oracle: error: --alpha must be a finite number; got 'NaN'");
  }

  @Test
  void lawsParsesItsIntegersWithTheSameConverter() {
    // every integer here is in scientific notation; the run gets past parsing to the alpha check
    String o = tmp.resolve("laws").toString();
    assertThat(refusal("laws", "laws", "--alpha", "0.5", "--d-list", "1e3,1E5", "--r-list", "2.4e1,2.8e1",
        "--points", "2e1", "--m", "1.6e1", "--seed", "7e0", "--out", o))
        .isEqualTo("qnn-oracle: error: the time law needs --alpha > 1/2, got 0.5");
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e16", "--out", o))
        .isEqualTo("qnn-oracle: error: --d-list values must be in 1..1e15, got 1e16");
  }

  @Test
  void sgdTakesScientificStepsAndSeeds() {
    CliRun run = CliRun.of("sgd", "--d", "2e1", "--r", "3", "--m", "2", "--alpha", "1", "--steps", "1e1", "--points",
        "1.1e1", "--seed", "1e3");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(12);
  }

  // ----------------------------------------------------------------------------------------------------
  // One horizon rule

  @ParameterizedTest(name = "--t-max {0}")
  @CsvSource(delimiter = '|', value = {"0 | --t-max must be > 0, got 0", "-0 | --t-max must be > 0, got -0",
      "-1 | --t-max must be > 0, got -1", "-2.5e-3 | --t-max must be > 0, got -0.0025",
      "NaN | --t-max must be a finite number; got 'NaN'", "Infinity | --t-max must be a finite number; got 'Infinity'"})
  void flowAndSgdRefuseTheSameHorizonsInTheSameWords(String tMax, String message) {
    String flow = refusal("flow", with(FLOW, "--t-max", tMax));
    String sgd = refusal("sgd", with(SGD, "--t-max", tMax));
    assertThat(flow).isEqualTo("qnn-oracle: error: " + message);
    assertThat(sgd).isEqualTo(flow);
  }

  @Test
  void helpStatesTheHorizonRule() {
    // help text is wrapped at 80 columns: compare with the line breaks taken out
    assertThat(CliRun.of("flow", "--help").out().replaceAll("\\s+", " ")).contains("t-max > 0");
    assertThat(CliRun.of("sgd", "--help").out().replaceAll("\\s+", " ")).contains("t-max > 0");
  }

  // ----------------------------------------------------------------------------------------------------
  // Sizes bounded before any work

  @Test
  void flowBoundsPointsAsSgdDoes() {
    String flow = refusal("flow", with(FLOW, "--points", "100001"));
    assertThat(flow).isEqualTo("qnn-oracle: error: --points must be in 2..100000, got 100001");
    assertThat(refusal("sgd", with(SGD, "--points", "100001"))).isEqualTo(flow);
    assertThat(CliRun.of(with(FLOW, "--points", "100000", "--method", "reduced")).exit()).isZero();
  }

  @Test
  void theReportedHundredMillionPointsAreRefusedAtOnce() {
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(with(FLOW, "--points", "1e8")));
    run.assertUsageError("flow");
    assertThat(run.err()).contains("--points must be in 2..100000, got 100000000");
  }

  @Test
  void flowStatesThatCannotFitInTheHeapAreRefused() {
    // each output time of the closed form is a d x d matrix: 1000 of them at d = 40000 are 12.8 TB
    String line = refusal("flow", with(FLOW, "--d", "40000", "--r", "1", "--m", "1", "--basis", "canonical",
        "--method", "closed-form", "--t-max", "0.1", "--points", "1000"));
    assertThat(line).startsWith("qnn-oracle: error: flow would need about 12.9 TB of memory (12.8 TB of it for "
        + "1000 output states of M, d x d = 40000 x 40000)").contains("Java heap").contains("java -Xmx")
        .contains("lower --points");
    // the student form: W (d x m) at every output time
    assertThat(refusal("flow", with(FLOW, "--d", "20000", "--r", "2", "--m", "2000", "--points", "1000")))
        .contains("320 GB of it for 1000 output states of W, d x m = 20000 x 2000");
  }

  @Test
  void sgdBatchAndReplicasThatCannotFitAreRefused() {
    // a batch X of b x d = 1e8 x 100 doubles is 80 GB (and b d overflows an int index)
    assertThat(refusal("sgd", with(SGD, "--d", "100", "--batch", "100000000"))).contains("sgd would need about")
        .contains("batch of 100000000 x 100").contains("--batch");
    // every replica keeps Theta^T M Theta and Theta^T M^2 Theta (r x r) at every output time
    assertThat(refusal("sgd", "sgd", "--d", "5000", "--r", "5000", "--m", "1", "--basis", "canonical", "--alpha", "1",
        "--steps", "100", "--points", "101", "--replicas", "10000")).contains("10000 replicas x 101 output times of "
        + "r x r overlaps (r = 5000)");
  }

  @Test
  void lawsRunsThatCannotFitAreRefused() {
    String o = tmp.resolve("laws").toString();
    // 100000 states (Q, P) of 1e5 x 40 doubles: 3.2 TB
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e12", "--r-list", "100000", "--m", "40",
        "--points", "100000", "--out", o)).contains("laws would need about").contains("the time-law run at d = ");
    // 10000 replicas x 30 output times of two 399 x 399 matrices: 770 GB
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--sgd", "--sgd-d", "400",
        "--sgd-r", "399", "--sgd-m", "1", "--replicas", "10000", "--out", o)).contains("laws --sgd would need about");
    // the sample law's stability search is cubic in r m + m^2: refused before it starts, not after hours
    assertThat(refusal("laws", "laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--sgd", "--sgd-d", "5000",
        "--sgd-r", "5000", "--sgd-m", "1", "--out", o)).contains("n = r m + m^2 = 5001");
  }

  @Test
  void anInverseScheduleThatNeverReachesTheHorizonIsRefusedAtOnce() {
    // SGD time grows like eta k0 log(k): t = 10 at eta = 1.25e-4, k0 = 1 needs about e^80000 steps; counting them
    // used to run forever
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of("sgd", "--d", "400", "--r", "6",
        "--m", "6", "--alpha", "1", "--schedule", "inverse:1"));
    run.assertUsageError("sgd");
    assertThat(run.err()).contains("--t-max 10 takes at least 10^34743").contains("more than 1e12 samples");
    // a reachable one runs
    assertThat(CliRun.of(with(SGD, "--schedule", "inverse:100")).exit()).isZero();
  }

  @Test
  void aPowerScheduleRunsAndOneBeyondTheSampleLimitIsRefused() {
    // eta_k = eta (1 + k / k0)^-rho: t grows like k^(1 - rho), so t = 10 at eta = 1.25e-4 (d = 400, default c),
    // k0 = 1 and rho = 0.95 needs about (10 / (eta k0) x 0.05)^20 = 10^72 steps.
    CliRun far = CliRun.of("sgd", "--d", "400", "--r", "6", "--m", "6", "--alpha", "1", "--schedule", "power:1:0.95");
    far.assertUsageError("sgd");
    assertThat(far.err()).contains("SGD time grows like k^(1 - rho)").contains("more than 1e12 samples");
    CliRun bad = CliRun.of(with(SGD, "--schedule", "power:100"));
    bad.assertUsageError("sgd");
    assertThat(bad.err()).contains("power:K0:RHO");
    assertThat(CliRun.of(with(SGD, "--schedule", "power:100:0.5")).exit()).isZero();
  }
}
