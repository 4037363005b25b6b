package org.qnnoracle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.qnnoracle.sweep.SweepEngine;
import org.qnnoracle.sweep.SweepReport;
import org.qnnoracle.sweep.Sweeps;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle sweep run|merge|report}: sets of independent tasks (claims x seeds, time-law grid points, SGD
 * replicas) from a specification file (spec/sweep.md), run on Apache Spark when the qnn-oracle-sweeps jar is used,
 * or in this JVM, resumably. The entry points are {@link Sweeps#run}, {@link Sweeps#merge} and {@link Sweeps#report}.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    header = "Run sweeps of independent tasks (calibration, time-law grids, SGD replicas), resumably, on one machine "
        + "or a cluster.",
    descriptionHeading = "%n",
    description = {
      "A sweep specification (format qnn-oracle-sweep, spec/sweep.md) names blocks of tasks: verify (claims x "
          + "seeds x scale), laws (time-law grid points) and sgd (SGD replicas x settings). Each task carries its "
          + "seed, so its result does not depend on where, when or in what order it runs.",
      ""
    },
    commandListHeading = "Commands:%n",
    subcommands = {SweepCommand.Run.class, SweepCommand.Merge.class, SweepCommand.Report.class})
final class SweepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use 'sweep run', 'sweep merge' or "
        + "'sweep report'");
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      header = "Run every task of a sweep that has no result yet, then write its report.",
      descriptionHeading = "%n",
      description = {
        "Resumable: a task's result is written atomically to OUT/results/ID.json as it finishes, and a rerun "
            + "skips every task with a result (a killed run, executor or machine loses only the tasks under way). "
            + "Progress (tasks done / total, failures, errors, ETA) goes to standard error. At the end OUT holds "
            + "results.csv, summary.json, summary.md and the figures (as 'sweep report' writes them).",
        "",
        "Engine: from qnn-oracle-sweeps.jar the tasks run on Apache Spark, in local mode by default (nothing to "
            + "install) or on the cluster of --master (spark://HOST:PORT, yarn, k8s://...); from qnn-oracle.jar "
            + "they run in this JVM on --parallelism threads. --shard i/N runs the i-th share of the tasks in this "
            + "JVM with no engine (batch schedulers such as SLURM; combine the shares with 'sweep merge').",
        "",
        "For results that are bit-identical across machines, run with OPENBLAS_NUM_THREADS=1.",
        ""
      },
      optionListHeading = "Options:%n",
      footer = {
        "",
        "Examples:",
        "  qnn-oracle sweep run test-data/sweeps/calibration-small.json --out target/cal",
        "  java -jar qnn-oracle-sweeps.jar sweep run spec.json --master spark://head:7077",
        "  qnn-oracle sweep run spec.json --out shares/$SLURM_ARRAY_TASK_ID --shard $SLURM_ARRAY_TASK_ID/16",
        "",
        "Exit codes: 0 every selected task has a result, none stopped with an error and every claim's failure "
            + "count is consistent with its stated rate (as verify --calibrate); 1 some task stopped with an error "
            + "or a count is inconsistent; 2 a bad specification, "
            + "option or output directory, or an engine that cannot start (one line, nothing written)."
      })
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep specification (JSON, spec/sweep.md).")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Output directory (created if missing). Default: the specification's \"output\", resolved "
            + "against the specification's directory.")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master (qnn-oracle-sweeps.jar only): local[N], spark://HOST:PORT, yarn, k8s://... "
            + "Default: local mode on --parallelism cores.")
    String master;

    @Option(names = "--parallelism", defaultValue = "0", paramLabel = "N",
        description = "Tasks at once: threads in this JVM, or Spark's local[N,4]. Default: the number of cores.")
    int parallelism;

    @Option(names = "--shard", paramLabel = "i/N",
        description = "Run only share i of N (tasks in ID order, every N-th from the i-th), in this JVM, no engine.")
    String shard;

    @Override
    public Integer call() throws IOException {
      int[] s = shard == null ? new int[] {0, 0} : Sweeps.parseShard(shard);
      PrintWriter err = spec.commandLine().getErr();
      try {
        Sweeps.RunOutcome o = Sweeps.run(specFile, new Sweeps.RunOptions(out, master, parallelism, s[0], s[1]), err);
        return o.errors() > 0 || !o.report().errors().isEmpty() || !o.report().inconsistent().isEmpty()
            ? Console.EXIT_FAILED : Console.EXIT_OK;
      } catch (SweepEngine.SweepEngineException e) {
        err.println(CliErrors.PREFIX + "error: " + e.getMessage());
        return Console.EXIT_USAGE;
      }
    }
  }

  @Command(
      name = "merge",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      header = "Combine the output directories of shares of one sweep, then write the report.",
      descriptionHeading = "%n",
      description = {
        "Copies every result of the inputs into --out. The inputs must be runs of one specification; a task "
            + "whose result is in two inputs must have the same result in both (time, host and process aside), "
            + "else nothing is written and the task is named (exit 1). Missing tasks are counted in the report.",
        ""
      },
      optionListHeading = "Options:%n",
      footer = {"", "Exit codes: 0 merged; 1 two inputs disagree on a task; 2 bad input or output directory."})
  static final class Merge implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Output directories of 'sweep run --shard'.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the merged sweep goes.")
    Path out;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      try {
        Sweeps.merge(inputs, out, err);
        return Console.EXIT_OK;
      } catch (Sweeps.MergeConflict e) {
        err.println(CliErrors.PREFIX + "error: " + e.getMessage());
        return Console.EXIT_FAILED;
      }
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      header = "Rebuild a sweep's tables and figures from its result files.",
      descriptionHeading = "%n",
      description = {
        "Writes into DIR: results.csv (one row per finished task), summary.json, summary.md (the calibration "
            + "table of verify tasks, time-law exponents with confidence intervals, SGD mean risks) and the "
            + "figures, and prints summary.md.",
        ""
      },
      optionListHeading = "Options:%n",
      footer = {"", "Exit codes: 0 written; 2 not a sweep directory or not writable."})
  static final class Report implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep's output directory.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      SweepReport.Summary s = Sweeps.report(dir);
      PrintWriter out = spec.commandLine().getOut();
      out.print(s.markdown());
      out.flush();
      StandardOutput.check(out);
      return Console.EXIT_OK;
    }
  }
}
