package org.qnnoracle.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.qnnoracle.reference.ReferenceCases;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle reference generate}: writes the golden reference cases (spec/reference-format.md) that
 * other implementations check themselves against.
 */
@Command(
    name = "reference",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    header = "Golden reference cases for other implementations (spec/reference-format.md).",
    descriptionHeading = "%n",
    description = {
      "Each case is a self-contained JSON file: every input (dimensions, teacher, W0, step, samples ...), "
          + "the expected quantities with their tolerances and the reasons for them, the generator's "
          + "version and seed, and a checksum. The cases are built deterministically from fixed seeds.",
      ""
    },
    commandListHeading = "Commands:%n",
    subcommands = ReferenceCommand.Generate.class)
final class ReferenceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use 'reference generate'");
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      header = "Write every reference case to DIR/<id>.json.",
      descriptionHeading = "%n",
      description = {
        "Builds every golden case from its fixed seed, certifies the values of the flow, effective and "
            + "sgd-replay cases in multi-precision arithmetic by two independent routes (4 to 5.5 minutes on 2 "
            + "cores, progress on standard error; see spec/reference-format.md, Certified values), and writes "
            + "them (atomically; all cases or none) as DIR/<id>.json, printing a header and one line per case: id, kind, "
            + "bytes. Run it after a deliberate change of the cases or of the code behind them; the tests "
            + "ReferenceDataTest and CertifiedCasesTest fail while the committed files differ from what the "
            + "code produces.",
        ""
      },
      optionListHeading = "Options:%n",
      footer = {"", "Exit codes: 0 written; 2 unusable output directory or standard output."})
  static final class Generate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "test-data/cases", paramLabel = "DIR",
        description = "Output directory (created if missing). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws IOException {
      OutputDirectory dir = OutputDirectory.check(out);
      Map<String, byte[]> files = new LinkedHashMap<>();
      Map<String, String> kinds = new LinkedHashMap<>();
      // The table's header goes out before minutes of certification: a lost standard output stops the run now.
      PrintWriter pw = spec.commandLine().getOut();
      pw.printf(Locale.ROOT, "# %-20s %-12s %8s%n", "id", "kind", "size");
      StandardOutput.check(pw);
      PrintWriter err = spec.commandLine().getErr();
      err.println("building the cases, then certifying the flow, effective and sgd-replay cases in multi-precision "
          + "arithmetic (a few minutes)");
      err.flush();
      Map<String, ObjectNode> cases = ReferenceCases.generate(Math.max(1, Runtime.getRuntime().availableProcessors()),
          (id, cert, done, total) -> {
            err.printf(Locale.ROOT, "  [%d/%d] %-22s certified in %6.1f s: the routes agree to >= %.1f digits%n",
                done, total, id, cert.seconds(), cert.minDigits());
            err.flush();
          });
      for (Map.Entry<String, ObjectNode> c : cases.entrySet()) {
        files.put(c.getKey() + ".json", ReferenceCases.render(c.getValue()).getBytes(StandardCharsets.UTF_8));
        kinds.put(c.getKey(), c.getValue().get("kind").asText());
      }
      dir.writeAll(files);
      for (Map.Entry<String, String> k : kinds.entrySet()) {
        pw.printf(Locale.ROOT, "%-22s %-12s %8d bytes%n", k.getKey(), k.getValue(),
            files.get(k.getKey() + ".json").length);
      }
      StandardOutput.check(pw);
      return Console.EXIT_OK;
    }
  }
}
