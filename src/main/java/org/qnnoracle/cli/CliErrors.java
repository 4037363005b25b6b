package org.qnnoracle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowIntegrationException;
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
 *   <li>an integration that could not complete ({@link FlowIntegrationException}): the error line, exit 1;
 *   <li>anything else is a bug: {@code qnn-oracle: internal error: CLASS: MESSAGE}, exit 3.
 * </ul>
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final String PREFIX = "qnn-oracle: ";

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = ex.getMessage();
    if (ex.getCause() instanceof OptionValueException refused && ex.getArgSpec() != null) {
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
    return Main.EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof InvalidInputException || ex instanceof ParameterException) {
      printUsageError(err, cmd, ex.getMessage());
      return Main.EXIT_USAGE;
    }
    if (ex instanceof FlowIntegrationException) {
      // a computation that could not complete (NaN, step underflow): a result, reported as a failure
      err.println(PREFIX + "error: " + oneLine(ex.getMessage()));
      err.flush();
      return Main.EXIT_FAILED;
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      err.println(PREFIX + "error: " + oneLine(ex.getMessage()));
      return Main.EXIT_USAGE;
    }
    printInternal(err, ex);
    return Main.EXIT_INTERNAL;
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
