package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.linear.Array2DRowFieldMatrix;
import org.hipparchus.linear.FieldMatrix;
import org.qnnoracle.InvalidInputException;

/**
 * Multi-precision plumbing of the certifiers: Dfp fields of a given number of decimal digits, the exact reading of
 * doubles, the exponential and the digits-of-agreement measure. One place, so every route reads its inputs and
 * scores its agreement the same way.
 *
 * <p>Why not {@code new DfpField(D)} everywhere: its constructor computes seven constants (pi, e, ln 2 ...) at 3 D
 * digits, 8.6 s at D = 400 (measured), and fails beyond about 500 digits (Hipparchus 4.0.2). The closed form of the
 * long-time flow needs about 1000 digits. Above {@link #CONSTANTS_DIGITS} digits this class therefore takes an
 * extended field without constants ({@link DfpField#getExtendedField}); nothing here needs them, and
 * {@code DfpMath}'s transcendental functions (which do) are never called: {@link #exp} is our own.
 */
final class Mp {
  /** Up to this many digits a field with constants is cheap (its constants are computed once at 200 digits). */
  static final int CONSTANTS_DIGITS = 64;

  private static final Map<Integer, DfpField> FIELDS = new ConcurrentHashMap<>();

  private Mp() {}

  /**
   * A field of at least {@code digits} significant decimal digits (Dfp works in radix 10000, so the count is rounded
   * up to a multiple of 4, and above {@link #CONSTANTS_DIGITS} to a multiple of 16). Cached: fields are immutable
   * apart from their IEEE flags, which nothing here reads.
   */
  static DfpField field(int digits) {
    InvalidInputException.require(digits >= 16 && digits <= 20000, "working precision must be 16..20000 digits");
    if (digits <= CONSTANTS_DIGITS) {
      return FIELDS.computeIfAbsent(digits, DfpField::new);
    }
    int factor = (digits + 15) / 16;
    // new DfpField(1) has 4 radix-10000 digits (16 decimal) and its constants at 200 digits: cheap, computed once
    return FIELDS.computeIfAbsent(16 * factor, k -> FIELDS.computeIfAbsent(1, DfpField::new)
        .getExtendedField(factor, false));
  }

  /** The decimal digits a field carries (4 per radix-10000 digit). */
  static int digits(DfpField field) {
    return 4 * field.getRadixDigits();
  }

  /**
   * The double x exactly (every finite double is a binary rational with at most 767 significant decimal digits),
   * rounded once to the field's precision: through {@code new BigDecimal(x)}, never through Double.toString.
   */
  static Dfp of(DfpField f, double x) {
    InvalidInputException.require(Double.isFinite(x), "inputs must be finite, got " + x);
    if (x == 0.0) {
      return f.getZero();
    }
    return f.newDfp(new BigDecimal(x).round(new MathContext(digits(f) + 8)).toString());
  }

  static Dfp[] of(DfpField f, double[] x) {
    Dfp[] out = new Dfp[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = of(f, x[i]);
    }
    return out;
  }

  /** A d x k matrix of doubles, read exactly. Not modified. */
  static FieldMatrix<Dfp> matrix(DfpField f, double[][] x) {
    Dfp[][] out = new Dfp[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = of(f, x[i]);
    }
    return new Array2DRowFieldMatrix<>(f, out, false);
  }

  /** diag(values). */
  static FieldMatrix<Dfp> diagonal(DfpField f, Dfp[] values) {
    FieldMatrix<Dfp> out = new Array2DRowFieldMatrix<>(f, values.length, values.length);
    for (int i = 0; i < values.length; i++) {
      out.setEntry(i, i, values[i]);
    }
    return out;
  }

  /** The value as a BigDecimal with every digit the Dfp carries (Dfp's text is a plain or e-notation decimal). */
  static BigDecimal big(Dfp x) {
    InvalidInputException.require(x.isFinite() && !x.isNaN(), "a certified value is not finite: " + x);
    return new BigDecimal(x.toString());
  }

  /** sum_ij x_ij^2. */
  static Dfp frobeniusSquared(FieldMatrix<Dfp> x) {
    Dfp s = x.getField().getZero();
    for (int i = 0; i < x.getRowDimension(); i++) {
      for (int j = 0; j < x.getColumnDimension(); j++) {
        s = s.add(x.getEntry(i, j).multiply(x.getEntry(i, j)));
      }
    }
    return s;
  }

  /**
   * e^x to the field's precision, without the field's constants. Argument reduction by halving, x = 2^k y with
   * |y| &lt;= 1/256, Taylor series of e^|y| (positive terms, no cancellation) to a relative 10^-(D+4), k squarings
   * and, for x &lt; 0, one reciprocal. The squarings amplify the relative error 2^k times (log10 2^k digits, 4 at
   * x = 2000): the callers' precision checks (two precisions compared) see it.
   */
  static Dfp exp(Dfp x) {
    DfpField f = x.getField();
    if (x.isZero()) {
      return f.getOne();
    }
    Dfp ax = x.abs();
    int k = 8;
    Dfp y = ax;
    // halve until |y| <= 2^-8: k = 8 + max(0, ceil(log2 |x|))
    double approx = ax.toDouble();
    InvalidInputException.require(approx < 1e9, "exponent argument out of range: " + approx);
    if (approx > 1.0) {
      k += (int) Math.ceil(Math.log(approx) / Math.log(2.0));
    }
    for (int i = 0; i < k; i++) {
      y = y.divide(2);
    }
    Dfp sum = f.getOne();
    Dfp term = f.getOne();
    Dfp threshold = f.newDfp("1e-" + (digits(f) + 4));
    for (int n = 1; n < 100000; n++) {
      term = term.multiply(y).divide(n);
      sum = sum.add(term);
      if (term.lessThan(threshold.multiply(sum))) {
        break;
      }
    }
    for (int i = 0; i < k; i++) {
      sum = sum.multiply(sum);
    }
    return x.negativeOrNull() ? sum.reciprocal() : sum;
  }

  /**
   * phi1(z) = (e^z - 1) / z, with phi1(0) = 1: the series sum_n z^n / (n + 1)! where |z| &lt; 1 (no cancellation
   * of e^z - 1 near 0), e^z - 1 over z elsewhere.
   */
  static Dfp phi1(Dfp z) {
    DfpField f = z.getField();
    if (z.abs().lessThan(f.getOne())) {
      Dfp sum = f.getOne();
      Dfp term = f.getOne();
      Dfp threshold = f.newDfp("1e-" + (digits(f) + 4));
      for (int n = 2; n < 100000; n++) {
        term = term.multiply(z).divide(n);
        sum = sum.add(term);
        if (term.abs().lessThan(threshold)) {
          break;
        }
      }
      return sum;
    }
    return exp(z).subtract(f.getOne()).divide(z);
  }

  /**
   * Significant decimal digits to which b agrees with a: -log10(|a - b| / |a|), capped at {@code cap}; cap where
   * a == b (both zero included), 0 where a = 0 and b != 0. Computed in the Dfp so that agreements beyond 16 digits
   * and magnitudes outside the double range are measured, not rounded away.
   */
  static double agreement(Dfp a, Dfp b, double cap) {
    Dfp diff = a.subtract(b).abs();
    if (diff.isZero()) {
      return cap;
    }
    if (a.isZero()) {
      return 0.0;
    }
    double digits = -log10(diff.divide(a.abs()));
    return Math.max(0.0, Math.min(cap, digits));
  }

  /** The same measure on BigDecimals (values of different fields meet here). */
  static double agreement(BigDecimal a, BigDecimal b, double cap) {
    BigDecimal diff = a.subtract(b).abs();
    if (diff.signum() == 0) {
      return cap;
    }
    if (a.signum() == 0) {
      return 0.0;
    }
    double digits = -log10(diff.divide(a.abs(), new MathContext(20)));
    return Math.max(0.0, Math.min(cap, digits));
  }

  /** log10 of a positive Dfp, from its decimal text (valid far outside the double range). */
  static double log10(Dfp x) {
    return log10(new BigDecimal(x.toString()));
  }

  /** log10 of a positive BigDecimal, valid far outside the double range: unscaled digits and scale apart. */
  static double log10(BigDecimal x) {
    BigDecimal r = x.round(new MathContext(17));
    // x = unscaled * 10^-scale with |unscaled| < 10^17
    return Math.log10(r.unscaledValue().doubleValue()) - r.scale();
  }
}
