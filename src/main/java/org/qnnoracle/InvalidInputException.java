package org.qnnoracle;

/**
 * Input that cannot describe a valid model or run (impossible dimensions, NaN, negative time ...).
 * The command line turns it into one error line and exit code 2; library callers get it unchecked.
 */
public final class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  /** Throws unless {@code condition} holds; keeps validation code one line per rule. */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new InvalidInputException(message);
    }
  }

  /** Throws unless {@code value} is a finite double. */
  public static double requireFinite(double value, String name) {
    require(Double.isFinite(value), name + " must be a finite number, got " + value);
    return value;
  }
}
