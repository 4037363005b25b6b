package org.qnnoracle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.ClaimsReport;
import org.qnnoracle.claims.Scale;
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
          + "starts with a prefix. Each claim's check measures the worst value of a quantity over its "
          + "cases and compares it with the claim's bound. Progress goes to standard error and a table "
          + "of the results (ID, claim, measured, bound, status, time) to standard output; the report "
          + "directory receives claims.json (machine-readable) and report.md (Markdown), and plots/ the "
          + "PNG figures some claims draw. Exit code 0 when every claim passes, 1 when one fails, "
          + "2 for invalid arguments, an unusable report directory or standard output that cannot be written.",
      ""
    },
    optionListHeading = "Options:%n")
final class VerifyCommand implements Callable<Integer> {
  static final Path DEFAULT_REPORT_DIR = Path.of("target", "qnn-report");

  @Spec
  CommandSpec spec;

  @Option(names = "--scale", defaultValue = "default", paramLabel = "small|default|large", order = 1,
      description = "How hard each check works (number and size of random instances): small takes "
          + "seconds, default under a minute, large minutes. Default: ${DEFAULT-VALUE}.")
  String scale;

  @Option(names = "--only", paramLabel = "PREFIX", order = 2,
      description = "Run only the claims whose ID starts with PREFIX (case-sensitive), e.g. FLOW- or "
          + "MODEL-RISK. Default: all claims.")
  String only;

  @Option(names = "--report", paramLabel = "DIR", order = 3,
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
    String prefix = only == null ? "" : only;
    List<Claim> claims = claimsWithPrefix.apply(prefix);
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
    err.println("verify: " + claims.size() + " claim(s) at scale " + runScale.label() + "; linear algebra: "
        + Linalg.describe());
    List<ClaimResult> results = ClaimRunner.runAll(claims, runScale, line -> {
      err.println(line);
      err.flush();
    });
    ClaimsReport report = new ClaimsReport(results, runScale, Main.VERSION, Instant.now());

    out.print(ResultsTable.render(results));
    out.println();
    out.println(report.passCount() + " of " + results.size() + " claims passed at scale "
        + runScale.label() + (report.passed() ? "" : "; failed: " + failedIds(results)));
    out.flush();

    report.writeTo(dir, AtomicOutput::writeString, VerifyCommand::writePlot);
    int figures = report.figures().size();
    err.println("verify: wrote " + given.resolve(ClaimsReport.JSON_FILE) + " and "
        + given.resolve(ClaimsReport.MARKDOWN_FILE)
        + (figures == 0 ? "" : " and " + figures + " figure(s) in " + given.resolve(ClaimsReport.PLOTS_DIR)));
    // A table lost on the way to standard output is an error, checked after the reports: the claims have run,
    // and the reports hold the same results, so they are still worth writing.
    StandardOutput.check(out);
    return report.passed() ? Main.EXIT_OK : Main.EXIT_CLAIM_FAILED;
  }

  private static void writePlot(Path file, byte[] png) throws IOException {
    AtomicOutput.prepareDirectory(file.getParent());
    AtomicOutput.writeBytes(file, png);
  }

  private static String failedIds(List<ClaimResult> results) {
    return String.join(", ", results.stream().filter(r -> !r.passed()).map(r -> r.claim().id()).toList());
  }
}
