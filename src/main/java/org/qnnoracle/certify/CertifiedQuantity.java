package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Objects;
import org.qnnoracle.InvalidInputException;

/**
 * One quantity of a golden case computed in multi-precision arithmetic by two independent routes, NIST StRD style:
 * the values of the more accurate route with every digit it carries, and per element the number of significant
 * decimal digits the two routes agree to. A value is certified to as many digits as {@code digits} says; the
 * published text ({@link #round17}) keeps 17 significant digits, so a quantity whose every element has
 * {@code digits >= 17} is certified in every published digit.
 *
 * @param name the quantity's name in the case file (risk, overlaps, traceM)
 * @param shape its dimensions, as in the case file ({@code [T]}, {@code [T, r]}); not modified, copied
 * @param values row-major, at least 30 significant digits each; not modified, copied
 * @param digits per element -log10(|a - b| / |a|) between the two routes (a: the published route), capped at
 *     {@link #DIGITS_CAP}; the cap where a == b exactly; not modified, copied
 * @param routes one line naming both routes and their settings
 */
public record CertifiedQuantity(String name, int[] shape, BigDecimal[] values, double[] digits, String routes) {
  /** Agreement beyond this many digits is reported as this many: far more than any published value carries. */
  public static final double DIGITS_CAP = 40.0;

  public CertifiedQuantity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(routes, "routes");
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

  /**
   * The published text of a certified value: 17 significant digits (round half even), trailing zeros dropped, as a
   * JSON number. Plain notation for 1e-3 &lt;= |x| &lt; 1e7 (as Java's Double.toString), otherwise one digit before
   * the point and an exponent ("1.2345678901234567E-30"), which JSON accepts. Zero is "0". A value outside the
   * double range (e.g. a risk of 1e-434 at lambda tau = 1000) is written as it is: a reader that parses numbers
   * into doubles sees 0 or infinity there, so callers publishing into a double-only format must decide.
   */
  public static String round17(BigDecimal x) {
    if (x.signum() == 0) {
      return "0";
    }
    BigDecimal r = x.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    // exponent of the leading digit: x = d.ddd * 10^e
    int e = r.precision() - r.scale() - 1;
    if (e >= -3 && e < 7) {
      return r.toPlainString();
    }
    BigDecimal mantissa = r.movePointLeft(e);
    String m = mantissa.toPlainString();
    if (m.indexOf('.') < 0) {
      m = m + ".0";
    }
    return m + "E" + e;
  }
}
