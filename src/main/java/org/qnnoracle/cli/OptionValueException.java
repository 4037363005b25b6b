package org.qnnoracle.cli;

import picocli.CommandLine.TypeConversionException;

/**
 * A value our converters refuse, kept as its parts so that {@link CliErrors} can name the option:
 * {@code --d must be an integer; got '1.5'}. A converter does not know which option it is parsing, and
 * picocli's own wrapping ("Invalid value for option '--d': ...") would say the same thing twice.
 */
final class OptionValueException extends TypeConversionException {
  private static final long serialVersionUID = 1L;

  private final String requirement;
  private final String value;

  /** {@code requirement} completes "OPTION ...", e.g. "must be an integer". */
  OptionValueException(String requirement, String value) {
    super("'" + value + "': " + requirement);
    this.requirement = requirement;
    this.value = value;
  }

  /** The one-line message for the option {@code name}. */
  String messageFor(String name) {
    return name + " " + requirement + "; got '" + value + "'";
  }
}
