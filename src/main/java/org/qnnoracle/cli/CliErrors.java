package org.qnnoracle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.ode.OdeIntegrationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code, instead of picocli's default usage dump
 * (bad arguments) or stack trace (exceptions in a command). Scripts read the exit code; people read a
 * single line that says what to fix.
 *
 * <ul>
 *   <li>invalid arguments, and {@link InvalidInputException} from the library or a command:
 *       {@code qnn-oracle: error: MESSAGE} plus a hint to the command's help, exit 2;
 *   <li>an output file that cannot be written ({@link IOException}): the same error line, exit 2;
 *   <li>an integration that could not complete ({@link OdeIntegrationException}): the error line, exit 1;
 *   <li>resource exhaustion ({@link OutOfMemoryError}, {@link StackOverflowError}, anywhere in the cause chain):
 *       {@code qnn-oracle: out of memory (heap limit X MB); give Java more with -Xmx or reduce the problem size},
 *       exit 4: not a bug, and the user can act on it;
 *   <li>anything else is a bug: {@code qnn-oracle: internal error: CLASS: MESSAGE}, exit 3.
 * </ul>
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final String PREFIX = "qnn-oracle: ";

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = ex.getMessage();
    if (ex.getCause() instanceof PathConverter.EmptyPath && ex.getArgSpec() instanceof OptionSpec option) {
      // picocli says "Invalid value for option '--out': ..."; the option's label tells a file from a directory.
      String kind = option.paramLabel().contains("DIR") ? "directory" : "file";
      message = option.longestName() + " must name a " + kind + "; got '" + ex.getValue() + "'";
    } else if (ex.getCause() instanceof OptionValueException refused && ex.getArgSpec() != null) {
      // our converters' refusals name the option themselves: "--d must be an integer; got '1.5'"
      ArgSpec arg = ex.getArgSpec();
      message = refused.messageFor(arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel());
    }
    if (ex instanceof UnmatchedArgumentException unmatched && unmatched.isUnknownOption()) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += " (did you mean " + String.join(" or ", suggestions) + "?)";
      }
    }
    printUsageError(cmd.getErr(), cmd, message);
    return Console.EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (exhaustion(ex) != null) {
      return printExhausted(err, exhaustion(ex));
    }
    if (ex instanceof InvalidInputException || ex instanceof ParameterException) {
      printUsageError(err, cmd, ex.getMessage());
      return Console.EXIT_USAGE;
    }
    if (ex instanceof OdeIntegrationException) {
      // a computation that could not complete (NaN, step underflow): a result, reported as a failure
      err.println(PREFIX + "error: " + oneLine(ex.getMessage()));
      err.flush();
      return Console.EXIT_FAILED;
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      err.println(PREFIX + "error: " + oneLine(ex.getMessage()));
      return Console.EXIT_USAGE;
    }
    printInternal(err, ex);
    return Console.EXIT_INTERNAL;
  }

  /**
   * What escaped picocli (an Error thrown by a command, or a failure while building the command line): resource
   * exhaustion as {@link #printExhausted}, anything else as an internal error. Returns the exit code.
   */
  static int handleUncaught(PrintWriter err, Throwable t) {
    Throwable exhausted = exhaustion(t);
    if (exhausted != null) {
      return printExhausted(err, exhausted);
    }
    printInternal(err, t);
    return Console.EXIT_INTERNAL;
  }

  /** The OutOfMemoryError or StackOverflowError in {@code t}'s cause chain (a thread pool may wrap it), or null. */
  static Throwable exhaustion(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError || c instanceof StackOverflowError) {
        return c;
      }
    }
    return null;
  }

  /**
   * One line saying which resource ran out and what to do, exit {@link Console#EXIT_OUT_OF_MEMORY}. Kept to string
   * concatenation of a few short strings: the heap may still be nearly full while this runs.
   */
  static int printExhausted(PrintWriter err, Throwable e) {
    err.println(PREFIX + exhaustedMessage(e, Runtime.getRuntime().maxMemory()));
    err.flush();
    return Console.EXIT_OUT_OF_MEMORY;
  }

  /** The line for {@code e} with a heap limit of {@code maxHeap} bytes (without the "qnn-oracle: " prefix). */
  static String exhaustedMessage(Throwable e, long maxHeap) {
    if (e instanceof StackOverflowError) {
      return "out of stack space; give Java more with -Xss (e.g. java -Xss64m -jar ...) or reduce the problem size";
    }
    String reason = e.getMessage() == null ? "" : e.getMessage();
    if (reason.contains("native thread")) {
      return "out of memory for new threads; use fewer threads (--threads) or raise the process limit (ulimit -u)";
    }
    String heap = maxHeap == Long.MAX_VALUE ? "no heap limit" : "heap limit " + (maxHeap >> 20) + " MB";
    // "Java heap space", "GC overhead limit exceeded", "Requested array size exceeds VM limit" all mean the
    // heap; the rarer kinds (Metaspace, direct buffer memory) are named, in the JVM's own short words.
    boolean heapKind = reason.isEmpty() || reason.contains("heap") || reason.contains("GC overhead")
        || reason.contains("array size");
    return "out of memory (" + (heapKind ? "" : oneLine(reason) + "; ") + heap + "); give Java more with -Xmx "
        + "(e.g. java -Xmx8g -jar ...) or reduce the problem size";
  }

  static void printInternal(PrintWriter err, Throwable t) {
    err.println(PREFIX + "internal error: " + t.getClass().getName() + ": " + oneLine(t.getMessage()));
    err.flush();
  }

  private static void printUsageError(PrintWriter err, CommandLine cmd, String message) {
    // picocli prefixes some of its messages (mutually exclusive options) with "Error: " itself
    err.println(PREFIX + "error: " + oneLine(message).replaceFirst("^Error: ", ""));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
  }

  /** Messages (ours, the library's, picocli's, the JDK's) are printed on exactly one line. */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "(no message)";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
