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
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.linalg.LinalgBackend;
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
        "Builds every golden case from its fixed seed and writes it (atomically; all cases or none) as "
            + "DIR/<id>.json, printing one line per case: id, kind, bytes. Run it after a deliberate change "
            + "of the cases or of the code behind them; the test ReferenceDataTest fails while the committed "
            + "files differ from what the code produces.",
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
      // Golden data must not depend on the machine's BLAS kernel (AVX2 and AVX-512 round differently): it is
      // computed on the pure-Java backend, whose strict, fixed-order arithmetic gives the same bits everywhere.
      Linalg.withBackend(LinalgBackend.Kind.JAVA, () -> {
        for (ReferenceCases.Entry e : ReferenceCases.catalogue()) {
          ObjectNode node = e.build().get();
          files.put(e.id() + ".json", ReferenceCases.render(node).getBytes(StandardCharsets.UTF_8));
          kinds.put(e.id(), e.kind());
        }
        return null;
      });
      dir.writeAll(files);
      PrintWriter pw = spec.commandLine().getOut();
      for (Map.Entry<String, String> k : kinds.entrySet()) {
        pw.printf(Locale.ROOT, "%-22s %-12s %8d bytes%n", k.getKey(), k.getValue(),
            files.get(k.getKey() + ".json").length);
      }
      StandardOutput.check(pw);
      return Console.EXIT_OK;
    }
  }
}
