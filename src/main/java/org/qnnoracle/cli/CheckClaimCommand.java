package org.qnnoracle.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.ClaimFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle check-claim FILE}: validates a claim file and says what running it would do, without running
 * it. The one entry point is {@link ClaimFiles#explain}.
 */
@Command(
    name = "check-claim",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Validate a claim file and explain what verify --claims would run, without running it.",
    descriptionHeading = "%n",
    description = {
      "Reads a claim file (format qnn-oracle-claims, spec/claim-file.md) or every *.json file of a directory, "
          + "validates it as verify --claims does (members, observables, the assertion's syntax, settings, the "
          + "cost limit), and prints per claim the settings of the sweep at the chosen scale, the drawn "
          + "instances or SGD replicas, the grid, the observables the assertion uses and the estimated work.",
      ""
    },
    optionListHeading = "Options:%n",
    footer = {
      "",
      "Example:",
      "  qnn-oracle check-claim test-data/claim-files/builtin-time-exponent.json --scale large",
      "",
      "Exit codes: 0 the file is valid; 2 it is not (one line naming the file, the claim and the problem)."
    })
final class CheckClaimCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE|DIR", description = "The claim file, or a directory of them.")
  Path file;

  @Option(names = "--scale", defaultValue = "default", paramLabel = "small|default|large",
      description = "The scale whose settings and cost are shown. Default: ${DEFAULT-VALUE}.")
  String scale;

  @Override
  public Integer call() throws java.io.IOException {
    String text = ClaimFiles.explain(file, Scale.parse(scale));
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
    StandardOutput.check(out);
    return Console.EXIT_OK;
  }
}
