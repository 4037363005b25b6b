package org.qnnoracle.cli;

import picocli.CommandLine.ITypeConverter;

/**
 * Parses a double option and rejects NaN and the infinities. picocli's built-in converter accepts
 * "NaN" and "Infinity" (and "1e999", which overflows to Infinity), none of which is a usable model
 * parameter or time, so every double option of the command line goes through this converter.
 */
final class FiniteDoubleConverter implements ITypeConverter<Double> {
  static final FiniteDoubleConverter INSTANCE = new FiniteDoubleConverter();

  @Override
  public Double convert(String value) {
    double x;
    try {
      x = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new OptionValueException("must be a number", value);
    }
    if (!Double.isFinite(x)) {
      throw new OptionValueException("must be a finite number", value);
    }
    return x;
  }
}
