package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;
import org.qnnoracle.InvalidInputException;

/**
 * One quantity of a golden case computed in multi-precision arithmetic by two independent routes, NIST StRD style:
 * the values of the more accurate route with every digit it carries, and per element the number of significant
 * decimal digits the two routes agree to. A value is certified to as many digits as {@code digits} says; the
 * published text (reference.CaseCertification#published) keeps 17 significant digits, so a quantity whose every element has
 * {@code digits >= 17} is certified in every published digit.
 *
 * @param name the quantity's name in the case file (risk, overlaps, traceM)
 * @param shape its dimensions, as in the case file ({@code [T]}, {@code [T, r]}); not modified, copied
 * @param values row-major, at least 30 significant digits each; not modified, copied
 * @param digits per element -log10(|a - b| / |a|) between the two routes (a: the published route), capped at
 *     {@link #DIGITS_CAP}; the cap where a == b exactly; not modified, copied
 */
public record CertifiedQuantity(String name, int[] shape, BigDecimal[] values, double[] digits) {
  /** Agreement beyond this many digits is reported as this many: far more than any published value carries. */
  public static final double DIGITS_CAP = 40.0;

  public CertifiedQuantity {
    Objects.requireNonNull(name, "name");
    shape = shape.clone();
    values = values.clone();
    digits = digits.clone();
    int size = 1;
    for (int s : shape) {
      InvalidInputException.require(s >= 0, "negative dimension in shape " + Arrays.toString(shape));
      size *= s;
    }
    InvalidInputException.require(values.length == size && digits.length == size,
        name + ": " + values.length + " values and " + digits.length + " digit counts for shape "
            + Arrays.toString(shape));
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public BigDecimal[] values() {
    return values.clone();
  }

  @Override
  public double[] digits() {
    return digits.clone();
  }

  /** The fewest digits of agreement over the elements (the quantity's certified digits). */
  public double minDigits() {
    return Arrays.stream(digits).min().orElse(DIGITS_CAP);
  }

  /** The median digits of agreement over the elements. */
  public double medianDigits() {
    if (digits.length == 0) {
      return DIGITS_CAP;
    }
    double[] s = digits.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
