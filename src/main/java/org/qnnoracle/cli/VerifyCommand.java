package org.qnnoracle.cli;

import org.qnnoracle.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.Version;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Calibration;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.ClaimsReport;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.ClaimFiles;
import org.qnnoracle.linalg.Linalg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle verify}: runs the registered claims, prints a table, writes claims.json and report.md.
 * The claims come from a prefix lookup that defaults to {@link ClaimRegistry#withPrefix}; tests pass their
 * own (a fabricated failing claim, say) through the package-private constructor.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Run the registered claims and report which hold.",
    descriptionHeading = "%n",
    description = {
      "Runs every registered claim (model conventions, agreement of the routes to the population flow, "
          + "invariants of the flow, its long-time limits) at the chosen scale, or only those whose ID "
          + "starts with a prefix; --claims adds the claims stated in claim files (spec/claim-file.md; "
          + "check-claim explains one without running it), --only-file runs those alone. Each claim's check measures the worst value of a quantity over its "
          + "cases and compares it with the claim's bound. Progress goes to standard error and a table "
          + "of the results (ID, claim, measured, bound, status, time) to standard output; the report "
          + "directory receives claims.json (machine-readable) and report.md (Markdown), and plots/ the "
          + "PNG figures some claims draw. Exit code 0 when every claim passes, 1 when one fails, "
          + "2 for invalid arguments, an unusable report directory or standard output that cannot be written.",
      "",
      "Randomised claims draw every instance, sample stream and replica from one base seed (--seed; "
          + "the default is the seed the figures in spec/claims.md were measured at). --calibrate A..B runs "
          + "the claims at every base seed from A to B, each run in its own JVM, --jobs at a time, and "
          + "writes calibration.json and calibration.md: per claim, failures k of N against the "
          + "false-alarm rate the claim states, and whether k is consistent with it (binomial tail >= "
          + "1e-3). Exit code 0 when every count is consistent, 1 when one is not.",
      ""
    },
    optionListHeading = "Options:%n")
final class VerifyCommand implements Callable<Integer> {
  static final Path DEFAULT_REPORT_DIR = Path.of("target", "qnn-report");

  @Spec
  CommandSpec spec;

  @Option(names = "--scale", defaultValue = "default", paramLabel = "small|default|large", order = 1,
      description = "How hard each check works (number and size of random instances). Measured with one "
          + "core per run, two runs at once on a 2-core machine: small 1.7-3.2 min, default 2.0-2.3 min; "
          + "large about 47 min (a run that still had the extensive-width SGD claim at d = 800 and 1600, now dropped). "
          + "Default: ${DEFAULT-VALUE}.")
  String scale;

  @Option(names = "--seed", paramLabel = "S", order = 2,
      description = "Base seed of every randomised claim (a whole number, 0 <= S < 2^62). Default: "
          + BaseSeed.DEFAULT + ", or -Dqnn.seed when the JVM has it.")
  String seed;

  @Option(names = "--calibrate", paramLabel = "A..B", order = 3,
      description = "Run the claims at every base seed from A to B (inclusive; at most "
          + CalibrationRun.MAX_SEEDS + " seeds) and tabulate their failures against their stated "
          + "false-alarm rates, instead of one run. Example: --calibrate 1..40 --scale small.")
  String calibrate;

  @Option(names = "--jobs", paramLabel = "J", order = 4,
      description = "With --calibrate: how many runs at a time, each given cores / J of the cores. Default: "
          + "the number of cores.")
  Integer jobs;

  @Option(names = "--only", paramLabel = "PREFIX", order = 5,
      description = "Run only the claims whose ID starts with PREFIX (case-sensitive; several prefixes "
          + "separated by commas), e.g. FLOW- or SGD-HIGH,LAWS- or "
          + "MODEL-RISK. Default: all claims.")
  String only;

  @Option(names = "--claims", paramLabel = "FILE|DIR", order = 6,
      description = "Also run the claims stated in a claim file, or in every *.json file of a directory "
          + "(spec/claim-file.md); repeatable. A bad file is refused before anything runs or is written.")
  List<Path> claimFiles;

  @Option(names = "--only-file", order = 7,
      description = "With --claims: run only the files' claims, not the built-in ones.")
  boolean onlyFile;

  @Option(names = "--report", paramLabel = "DIR", order = 8,
      description = "Directory for claims.json, report.md and plots/ (figures), created if missing; "
          + "existing reports are replaced atomically. Default: target/qnn-report.")
  Path report;

  private final Function<String, List<Claim>> claimsWithPrefix;

  VerifyCommand() {
    this(ClaimRegistry::withPrefix);
  }

  /** For tests: claims from {@code claimsWithPrefix} (given "" when no --only was given). */
  VerifyCommand(Function<String, List<Claim>> claimsWithPrefix) {
    this.claimsWithPrefix = Objects.requireNonNull(claimsWithPrefix);
  }

  @Override
  public Integer call() throws IOException {
    Scale runScale = Scale.parse(scale);
    InvalidInputException.require(seed == null || calibrate == null,
        "--seed and --calibrate exclude each other (--calibrate chooses the seeds)");
    InvalidInputException.require(jobs == null || calibrate != null, "--jobs only applies to --calibrate");
    InvalidInputException.require(jobs == null || (jobs >= 1 && jobs <= 256), "--jobs must be in 1..256; got " + jobs);
    long baseSeed = seed == null ? BaseSeed.current() : BaseSeed.parse(seed, "--seed");
    List<Long> seeds = calibrate == null ? List.of() : CalibrationRun.parseSeeds(calibrate);
    String prefix = only == null ? "" : only;
    InvalidInputException.require(!onlyFile || claimFiles != null, "--only-file needs --claims FILE|DIR");
    List<Claim> claims = new ArrayList<>(onlyFile ? List.of() : claimsWithPrefix.apply(prefix));
    if (claimFiles != null) {
      // Read (and validated, cost included) before the report directory is touched: a bad file writes nothing.
      Set<String> ids = new HashSet<>();
      for (Path f : claimFiles) {
        for (Claim c : ClaimFiles.load(f, runScale)) {
          InvalidInputException.require(ids.add(c.id()), f + ": claim " + c.id() + ": another claim file given to "
              + "--claims has this id");
          if (List.of(prefix.split(",", -1)).stream().anyMatch(p -> c.id().startsWith(p.strip()))) {
            claims.add(c);
          }
        }
      }
    }
    InvalidInputException.require(!claims.isEmpty(),
        "no claim ID starts with '" + prefix + "' (run without --only to see every claim)");
    // The report directory is made and checked before the claims run: a bad path must not cost a full run.
    Path given = report == null ? DEFAULT_REPORT_DIR : report;
    Path dir = AtomicOutput.prepareDirectory(given);
    AtomicOutput.checkTarget(dir.resolve(ClaimsReport.JSON_FILE));
    AtomicOutput.checkTarget(dir.resolve(ClaimsReport.MARKDOWN_FILE));
    // plots/ is only created when a claim draws a figure, but a file in its place is caught now.
    Path plots = dir.resolve(ClaimsReport.PLOTS_DIR);
    InvalidInputException.require(!Files.exists(plots) || Files.isDirectory(plots),
        "cannot write figures to '" + given.resolve(ClaimsReport.PLOTS_DIR) + "': it is not a directory");

    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (calibrate != null) {
      return calibrate(claims, runScale, seeds, dir, given, out, err);
    }
    err.println("verify: " + claims.size() + " claim(s) at scale " + runScale.label() + ", base seed " + baseSeed
        + "; linear algebra: " + Linalg.describe());
    List<ClaimResult> results = ClaimRunner.runAll(claims, runScale, baseSeed, line -> {
      err.println(line);
      err.flush();
    });
    ClaimsReport report = new ClaimsReport(results, runScale, baseSeed, Version.CURRENT, Instant.now());

    out.println("base seed " + baseSeed + ", scale " + runScale.label());
    out.print(ResultsTable.render(results));
    out.println();
    out.println(report.passCount() + " of " + results.size() + " claims passed at scale "
        + runScale.label() + ", base seed " + baseSeed + (report.passed() ? "" : "; failed: " + failedIds(results)));
    out.flush();

    report.writeTo(dir, AtomicOutput::writeString, VerifyCommand::writePlot);
    int figures = report.figures().size();
    err.println("verify: wrote " + given.resolve(ClaimsReport.JSON_FILE) + " and "
        + given.resolve(ClaimsReport.MARKDOWN_FILE)
        + (figures == 0 ? "" : " and " + figures + " figure(s) in " + given.resolve(ClaimsReport.PLOTS_DIR)));
    // A table lost on the way to standard output is an error, checked after the reports: the claims have run,
    // and the reports hold the same results, so they are still worth writing.
    StandardOutput.check(out);
    return report.passed() ? Console.EXIT_OK : Console.EXIT_CLAIM_FAILED;
  }

  /** Files the calibration writes into the report directory. */
  static final String CALIBRATION_JSON = "calibration.json";
  static final String CALIBRATION_MD = "calibration.md";

  private Integer calibrate(List<Claim> claims, Scale runScale, List<Long> seeds, Path dir, Path given,
      PrintWriter out, PrintWriter err) throws IOException {
    AtomicOutput.checkTarget(dir.resolve(CALIBRATION_JSON));
    AtomicOutput.checkTarget(dir.resolve(CALIBRATION_MD));
    int j = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    List<String> selection = new ArrayList<>();
    if (only != null) {
      selection.addAll(List.of("--only", only));
    }
    if (claimFiles != null) {
      for (Path f : claimFiles) {
        selection.addAll(List.of("--claims", f.toAbsolutePath().toString()));
      }
    }
    if (onlyFile) {
      selection.add("--only-file");
    }
    List<Calibration.SeedRun> runs = CalibrationRun.run(seeds, runScale, selection, Math.min(j, seeds.size()),
        dir.resolve("calibration-runs-" + runScale.label()), err);
    Calibration cal = Calibration.tally(claims, runScale, runs, Version.CURRENT, Linalg.describe());
    out.print(cal.toMarkdown());
    out.flush();
    AtomicOutput.writeString(dir.resolve(CALIBRATION_JSON), cal.toJson());
    AtomicOutput.writeString(dir.resolve(CALIBRATION_MD), "# qnn-oracle false-alarm calibration\n\n" + cal.toMarkdown());
    err.println("verify: wrote " + given.resolve(CALIBRATION_JSON) + " and " + given.resolve(CALIBRATION_MD));
    StandardOutput.check(out);
    return cal.allConsistent() ? Console.EXIT_OK : Console.EXIT_CLAIM_FAILED;
  }

  private static void writePlot(Path file, byte[] png) throws IOException {
    AtomicOutput.prepareDirectory(file.getParent());
    AtomicOutput.writeBytes(file, png);
  }

  private static String failedIds(List<ClaimResult> results) {
    return String.join(", ", results.stream().filter(r -> !r.passed()).map(r -> r.claim().id()).toList());
  }
}
