package org.qnnoracle.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses every file and directory option. An empty (or blank) value is refused: {@code Path.of("")} is the current
 * directory, so {@code --out ''} (an unset shell variable, say) would otherwise write into it, or fail with
 * "cannot write '': it is a directory". {@link CliErrors} turns the refusal into "--out must name a file; got ''",
 * naming the option, which a converter cannot see.
 */
final class PathConverter implements ITypeConverter<Path> {
  static final PathConverter INSTANCE = new PathConverter();

  /** The refusal of an empty path; CliErrors words it with the option's name. */
  static final class EmptyPath extends TypeConversionException {
    private static final long serialVersionUID = 1L;

    EmptyPath(String value) {
      super("must name a file or directory; got '" + value + "'");
    }
  }

  @Override
  public Path convert(String value) {
    if (value.isBlank()) {
      throw new EmptyPath(value);
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new TypeConversionException("'" + value + "' is not a usable path (" + e.getReason() + ")");
    }
  }
}
