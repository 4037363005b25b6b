package org.qnnoracle.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import org.qnnoracle.linalg.Linalg;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code qnn-oracle} command line. Only {@link #main} exits the JVM; everything else
 * returns an exit code, so tests run the whole command line in-process through {@link #run}.
 *
 * <p>Exit codes: see {@link Console}.
 */
@Command(
    name = "qnn-oracle",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Verification suite and numerical reference for the population gradient flow of two-layer "
          + "quadratic neural networks f(x) = sum_i (<w_i, x>^2 - |w_i|^2) learning a rank-r teacher "
          + "f*(x) = sum_j lambda_j He2(<theta_j, x>) with power-law coefficients lambda_j ~ j^-alpha, "
          + "and of the exact Gaussian expectations behind its online SGD.",
      ""
    },
    commandListHeading = "Commands:%n",
    footer = {
      "",
      "Run 'qnn-oracle COMMAND --help' for the options of a command.",
      "",
      "Exit codes: 0 success; 1 a claim failed (verify), an identity failed (derive), a computation "
          + "failed (flow) or a quantity failed (check); 2 invalid arguments, unreadable input, "
          + "a run too large to finish, an unusable output path or standard output that cannot be written; "
          + "3 internal error; 4 out of memory (give Java more with -Xmx, or reduce the problem size)."
    })
public final class Main {
  public static void main(String[] args) {
    // Standard output straight from its file descriptor, not through System.out: a PrintStream keeps only a
    // flag when a write fails, and the error line should say why ("No space left on device").
    System.exit(run(new FileOutputStream(FileDescriptor.out), System.err, new VerifyCommand(), true, args));
  }

  /** Runs the command line with the given streams and returns the exit code (never exits the JVM). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, new VerifyCommand(), args);
  }

  /** As {@link #run(PrintStream, PrintStream, String...)}, with a verify command of the caller's making. */
  static int run(PrintStream out, PrintStream err, VerifyCommand verify, String... args) {
    // Colour only when writing to the real terminal streams; captured output in tests stays plain text.
    return run(out, err, verify, out == System.out && err == System.err, args);
  }

  /**
   * The command line on any output stream. A failed write to {@code out} is an error (exit {@value Console#EXIT_USAGE},
   * one line on {@code err}) whether a command noticed it ({@link StandardOutput#check}) or not (help text).
   */
  static int run(OutputStream out, PrintStream err, VerifyCommand verify, boolean console, String... args) {
    StandardOutput outWriter = StandardOutput.over(out);
    PrintWriter errWriter = new PrintWriter(err, true);
    try {
      noteFallbackOnce(errWriter);
      CommandLine cmd = commandLine(verify, outWriter, errWriter, console);
      int exit = cmd.execute(args);
      java.io.IOException lost = outWriter.unreportedFailure();
      if (lost != null && exit != Console.EXIT_INTERNAL) {
        errWriter.println(CliErrors.PREFIX + "error: " + lost.getMessage());
        return Console.EXIT_USAGE;
      }
      return exit;
    } catch (RuntimeException | Error e) {
      // picocli hands Exceptions from a command to CliErrors; this catches what escapes it (Errors such as
      // OutOfMemoryError, or a failure while building the command line), still as one line.
      return CliErrors.handleUncaught(errWriter, e);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean FALLBACK_NOTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * When the native BLAS/LAPACK was wanted (the default) but did not load, says so once per process, in one
   * line: the run is correct but slower. An explicit -Dqnn.linalg=java is the user's choice and is not noted;
   * the backend is named in --version and in verify's progress line and report either way.
   */
  private static void noteFallbackOnce(PrintWriter err) {
    if (Linalg.describe().contains("native library not loaded") && FALLBACK_NOTED.compareAndSet(false, true)) {
      err.println("qnn-oracle: note: " + Linalg.describe() + "; results agree with the native route to round-off");
    }
  }

  static CommandLine commandLine(VerifyCommand verify, PrintWriter out, PrintWriter err, boolean console) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand("verify", verify);
    cmd.addSubcommand("flow", new FlowCommand());
    cmd.addSubcommand("sgd", new SgdCommand());
    cmd.addSubcommand("derive", new DeriveCommand());
    cmd.addSubcommand("laws", new LawsCommand());
    cmd.addSubcommand("reference", new ReferenceCommand());
    cmd.addSubcommand("check", new CheckCommand());
    cmd.addSubcommand("check-claim", new CheckClaimCommand());
    cmd.addSubcommand("sweep", new SweepCommand());
    cmd.addSubcommand("help", new CommandLine.HelpCommand());
    // The settings below propagate to the subcommands registered at this moment, so they come after them.
    cmd.getSubcommands().get("flow").getCommandSpec().usageMessage().footer(FlowHelp.footer());
    cmd.registerConverter(Double.class, FiniteDoubleConverter.INSTANCE);
    cmd.registerConverter(double.class, FiniteDoubleConverter.INSTANCE);
    cmd.registerConverter(java.nio.file.Path.class, PathConverter.INSTANCE);
    cmd.registerConverter(Integer.class, IntegerConverter.INT);
    cmd.registerConverter(int.class, IntegerConverter.INT);
    cmd.registerConverter(Long.class, IntegerConverter.LONG);
    cmd.registerConverter(long.class, IntegerConverter.LONG);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(
        console ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    CliErrors handler = new CliErrors();
    cmd.setParameterExceptionHandler(handler);
    cmd.setExecutionExceptionHandler(handler);
    return cmd;
  }
}
