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
public final class Mp {
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
    DfpField base = FIELDS.computeIfAbsent(1, DfpField::new);
    return FIELDS.computeIfAbsent(16 * factor, k -> base.getExtendedField(factor, false));
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
    return of(f, new BigDecimal(x));
  }

  /**
   * A BigDecimal rounded once to the field's precision. Through text of the form d.ddd...e&lt;exponent&gt; with no
   * more digits than the field carries: Dfp's parser mis-reads longer mantissas (measured: the plain 57-digit
   * integer Dfp prints for e^130 at 60 digits parsed as 2.87e40 at 40 digits).
   */
  static Dfp of(DfpField f, BigDecimal x) {
    if (x.signum() == 0) {
      return f.getZero();
    }
    BigDecimal r = x.round(new MathContext(digits(f), java.math.RoundingMode.HALF_EVEN));
    String digitsText = r.unscaledValue().abs().toString();
    int exponent = digitsText.length() - 1 - r.scale();
    String text = (r.signum() < 0 ? "-" : "") + digitsText.charAt(0) + "." + digitsText.substring(1)
        + (digitsText.length() == 1 ? "0" : "") + "e" + exponent;
    return f.newDfp(text);
  }

  /** The same number in another field (rounded once if that field is shorter). */
  static Dfp convert(DfpField f, Dfp x) {
    return x.isZero() ? f.getZero() : of(f, big(x));
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

  /**
   * A^T B of two matrices of doubles, exactly (BigDecimal products and sums of the exact binary values). Why: Gram
   * entries such as theta_4^T theta_1 ~ 1e-17 are cancellations of O(1) products; formed at 40 digits they keep
   * only 23 (measured: the overlap 4e-33 of flow-m-lt-r, which depends on them linearly, agreed to 23.7 digits).
   * Rounded once afterwards by {@link #matrix(DfpField, BigDecimal[][])}.
   *
   * @param a n x p. Not modified.
   * @param b n x q. Not modified.
   */
  static BigDecimal[][] transposeTimes(double[][] a, double[][] b) {
    int n = a.length;
    int p = n == 0 ? 0 : a[0].length;
    int q = n == 0 ? 0 : b[0].length;
    BigDecimal[][] out = new BigDecimal[p][q];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < q; j++) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < n; k++) {
          sum = sum.add(new BigDecimal(a[k][i]).multiply(new BigDecimal(b[k][j])));
        }
        out[i][j] = sum;
      }
    }
    return out;
  }

  /** Exact BigDecimal entries, each rounded once to the field. Not modified. */
  static FieldMatrix<Dfp> matrix(DfpField f, BigDecimal[][] x) {
    Dfp[][] out = new Dfp[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new Dfp[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = of(f, x[i][j]);
      }
    }
    return new Array2DRowFieldMatrix<>(f, out, false);
  }

  /**
   * A = sum_j lambda_j theta_j theta_j^T (d x d) exactly from the doubles, rounded once.
   *
   * @param theta d x r. Not modified.
   * @param lambda r. Not modified.
   */
  static FieldMatrix<Dfp> teacher(DfpField f, double[][] theta, double[] lambda) {
    int d = theta.length;
    BigDecimal[][] a = new BigDecimal[d][d];
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int j = 0; j < lambda.length; j++) {
          sum = sum.add(new BigDecimal(lambda[j]).multiply(new BigDecimal(theta[i][j]))
              .multiply(new BigDecimal(theta[k][j])));
        }
        a[i][k] = sum;
      }
    }
    return matrix(f, a);
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
    // not x.isFinite(): CalculusFieldElement's default goes through getReal(), infinite beyond the double range
    InvalidInputException.require(!x.isInfinite() && !x.isNaN(), "a certified value is not finite: " + x);
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
   * e^x to the field's precision, without the field's constants: e^x = e^n e^f with n the nearest integer to x and
   * |f| &lt;= 1/2. e^n comes from a cache per field, computed once at 20 more digits (e = sum 1/k!, then binary
   * powering, whose relative error grows like |n| times the working one, hence the extra digits); e^f is a Taylor
   * series of f / 16 and four squarings. No Dfp division: e^-x costs what e^x costs. The relative error is a few
   * units of 10^-D plus the condition |x| 10^-D of the exponential itself.
   */
  static Dfp exp(Dfp x) {
    DfpField f = x.getField();
    if (x.isZero()) {
      return f.getOne();
    }
    Dfp n = x.rint();
    InvalidInputException.require(n.abs().lessThan(f.newDfp(100000000)),
        "exponent argument out of range: " + x);
    Dfp small = expSmall(x.subtract(n));
    int k = n.intValue();
    return k == 0 ? small : expInteger(f, k).multiply(small);
  }

  private static final Map<Integer, Map<Integer, Dfp>> EXP_INTEGER = new ConcurrentHashMap<>();

  /** e^k, cached per field. */
  private static Dfp expInteger(DfpField f, int k) {
    int digits = digits(f);
    return EXP_INTEGER.computeIfAbsent(digits, d -> new ConcurrentHashMap<>()).computeIfAbsent(k, key -> {
      DfpField g = field(digits + 20);
      Dfp e = expSmall(g.getOne());
      Dfp power = g.getOne();
      Dfp base = e;
      for (int m = Math.abs(key); m > 0; m >>= 1) {
        if ((m & 1) == 1) {
          power = power.multiply(base);
        }
        base = base.multiply(base);
      }
      if (key < 0) {
        power = power.reciprocal();
      }
      return convert(f, power);
    });
  }

  /** e^y for |y| &lt;= 1: Taylor series of y / 16 to 10^-(D+4), then four squarings. */
  private static Dfp expSmall(Dfp y) {
    DfpField f = y.getField();
    Dfp z = y.divide(16);
    Dfp sum = f.getOne();
    Dfp term = f.getOne();
    Dfp threshold = f.newDfp("1e-" + (digits(f) + 4));
    for (int n = 1; n < 10000; n++) {
      term = term.multiply(z).divide(n);
      sum = sum.add(term);
      if (term.abs().lessThan(threshold)) {
        break;
      }
    }
    for (int i = 0; i < 4; i++) {
      sum = sum.multiply(sum);
    }
    return sum;
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
  public static double agreement(BigDecimal a, BigDecimal b, double cap) {
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
