package org.qnnoracle.cli;

import java.math.BigDecimal;
import picocli.CommandLine.ITypeConverter;

/**
 * Parses every integer option of the command line (int, Integer, long, Long, and the elements of integer lists),
 * so that all of them accept the same notation: a plain integer ({@code 400}, {@code -3}) or a decimal or
 * scientific form whose value is an exact integer ({@code 1e9}, {@code 1E6}, {@code 2.5e3}, {@code 100.0}).
 * Sizes are naturally written as 1e6; picocli's built-in converters take only the plain (and hex and octal)
 * forms, so {@code flow --d 1e9} said "'1e9' is not an int" while {@code laws --d-list 1e9} took it. A fraction
 * ({@code 1.5}), a value outside the type's range ({@code 1e40}) or text that is not a number is refused,
 * with a line that names the option (see {@link OptionValueException}). Registered in
 * {@link Main#commandLine}, like {@link FiniteDoubleConverter}.
 */
final class IntegerConverter<T> implements ITypeConverter<T> {
  static final IntegerConverter<Integer> INT =
      new IntegerConverter<>(Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v);
  static final IntegerConverter<Long> LONG = new IntegerConverter<>(Long.MIN_VALUE, Long.MAX_VALUE, v -> v);

  /** More integer digits than any long has (Long.MAX_VALUE has 19): refused before the value is expanded. */
  private static final int MAX_DIGITS = 19;

  private interface Narrowing<T> {
    T of(long value);
  }

  private final long min;
  private final long max;
  private final Narrowing<T> narrowing;

  private IntegerConverter(long min, long max, Narrowing<T> narrowing) {
    this.min = min;
    this.max = max;
    this.narrowing = narrowing;
  }

  @Override
  public T convert(String value) {
    return narrowing.of(parse(value, min, max));
  }

  /** The exact integer {@code text} denotes, in [min, max]; see the class comment. */
  static long parse(String text, long min, long max) {
    BigDecimal x;
    try {
      // BigDecimal reads plain, decimal and scientific notation exactly (no rounding through a double, so
      // 9007199254740993 stays itself) and refuses NaN, Infinity, hex and spaces inside the number.
      x = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new OptionValueException("must be an integer", text);
    }
    // precision - scale is the number of digits before the decimal point; checking it first keeps "1e999999999"
    // from being expanded into a billion digits by the exact conversions below.
    boolean tooLarge = x.signum() != 0 && x.precision() - x.scale() > MAX_DIGITS;
    if (!tooLarge) {
      x = x.stripTrailingZeros();
      if (x.scale() > 0) {
        throw new OptionValueException("must be an integer", text);
      }
      if (x.compareTo(BigDecimal.valueOf(min)) >= 0 && x.compareTo(BigDecimal.valueOf(max)) <= 0) {
        return x.longValueExact();
      }
    }
    throw new OptionValueException("must be an integer from " + min + " to " + max, text);
  }
}
