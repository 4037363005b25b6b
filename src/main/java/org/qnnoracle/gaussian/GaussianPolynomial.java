package org.qnnoracle.gaussian;

import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.hipparchus.fraction.BigFraction;

/**
 * The Java exact engine: a polynomial with exact rational coefficients in independent standard normal
 * variables g_0 ... g_15, and its expectation by Isserlis/Wick. For independent coordinates Wick's
 * pairing count of a monomial factorises into one-dimensional moments, E[g^e] = (e - 1)!! for even e and
 * 0 for odd e, so E[p] is the sum of coefficient times product of double factorials: exact, with no
 * integration and no floating point.
 *
 * <p>A monomial is packed into a long, 4 bits of exponent per variable, so at most 16 variables and
 * exponent 15 each (degree-8 integrands in up to 16 variables: d = 4 with two samples and their noise
 * fits). Exceeding either limit throws rather than wrapping.
 */
public final class GaussianPolynomial {
  public static final int MAX_VARIABLES = 16;
  public static final int MAX_EXPONENT = 15;
  private static final int BITS = 4;
  private static final long FIELD = (1L << BITS) - 1;

  /** (e - 1)!! for even e up to MAX_EXPONENT, 0 for odd e: E[g^e] for a standard normal g. */
  private static final BigInteger[] MOMENTS = new BigInteger[MAX_EXPONENT + 1];

  static {
    for (int e = 0; e <= MAX_EXPONENT; e++) {
      MOMENTS[e] = e % 2 == 1 ? BigInteger.ZERO : doubleFactorial(e - 1);
    }
  }

  public static final GaussianPolynomial ZERO = new GaussianPolynomial(Map.of());

  /** The ring of these polynomials, for the generic integrands. */
  public static final PolynomialRing<GaussianPolynomial> RING = new PolynomialRing<>() {
    @Override
    public GaussianPolynomial fromRational(BigFraction c) {
      return constant(c);
    }

    @Override
    public GaussianPolynomial add(GaussianPolynomial a, GaussianPolynomial b) {
      return a.add(b);
    }

    @Override
    public GaussianPolynomial subtract(GaussianPolynomial a, GaussianPolynomial b) {
      return a.subtract(b);
    }

    @Override
    public GaussianPolynomial multiply(GaussianPolynomial a, GaussianPolynomial b) {
      return a.multiply(b);
    }

    @Override
    public GaussianPolynomial variable(int i) {
      return GaussianPolynomial.variable(i);
    }
  };

  private final Map<Long, BigFraction> terms;

  private GaussianPolynomial(Map<Long, BigFraction> terms) {
    this.terms = terms;
  }

  public static GaussianPolynomial constant(BigFraction c) {
    return c.signum() == 0 ? ZERO : new GaussianPolynomial(Map.of(0L, c));
  }

  public static GaussianPolynomial variable(int i) {
    if (i < 0 || i >= MAX_VARIABLES) {
      throw new IllegalArgumentException("variable index must be in [0, " + MAX_VARIABLES + "), got " + i);
    }
    return new GaussianPolynomial(Map.of(1L << (BITS * i), BigFraction.ONE));
  }

  public GaussianPolynomial add(GaussianPolynomial o) {
    return combine(o, false);
  }

  public GaussianPolynomial subtract(GaussianPolynomial o) {
    return combine(o, true);
  }

  private GaussianPolynomial combine(GaussianPolynomial o, boolean negate) {
    if (o.terms.isEmpty()) {
      return this;
    }
    Map<Long, BigFraction> r = new HashMap<>(terms);
    for (Map.Entry<Long, BigFraction> t : o.terms.entrySet()) {
      BigFraction c = negate ? t.getValue().negate() : t.getValue();
      r.merge(t.getKey(), c, BigFraction::add);
    }
    return normalised(r);
  }

  public GaussianPolynomial multiply(GaussianPolynomial o) {
    if (terms.isEmpty() || o.terms.isEmpty()) {
      return ZERO;
    }
    Map<Long, BigFraction> r = new HashMap<>(terms.size() * o.terms.size() * 2);
    for (Map.Entry<Long, BigFraction> a : terms.entrySet()) {
      for (Map.Entry<Long, BigFraction> b : o.terms.entrySet()) {
        r.merge(multiplyMonomials(a.getKey(), b.getKey()), a.getValue().multiply(b.getValue()),
            BigFraction::add);
      }
    }
    return normalised(r);
  }

  public GaussianPolynomial scale(BigFraction c) {
    return multiply(constant(c));
  }

  /** E[p] for independent standard normal variables, exactly. */
  public BigFraction expectation() {
    BigFraction sum = BigFraction.ZERO;
    for (Map.Entry<Long, BigFraction> t : terms.entrySet()) {
      BigInteger moment = BigInteger.ONE;
      long m = t.getKey();
      while (m != 0 && moment.signum() != 0) {
        moment = moment.multiply(MOMENTS[(int) (m & FIELD)]);
        m >>>= BITS;
      }
      if (moment.signum() != 0) {
        sum = sum.add(t.getValue().multiply(moment));
      }
    }
    return sum;
  }

  /** Number of monomials with a non-zero coefficient. */
  public int termCount() {
    return terms.size();
  }

  /** Total degree (0 for constants and for the zero polynomial). */
  public int degree() {
    int deg = 0;
    for (long m : terms.keySet()) {
      int d = 0;
      for (long k = m; k != 0; k >>>= BITS) {
        d += (int) (k & FIELD);
      }
      deg = Math.max(deg, d);
    }
    return deg;
  }

  /** Coefficients by packed monomial; exposed for tests of the packing. */
  Map<Long, BigFraction> terms() {
    return Collections.unmodifiableMap(terms);
  }

  private static long multiplyMonomials(long a, long b) {
    long r = 0;
    for (int shift = 0; shift < BITS * MAX_VARIABLES; shift += BITS) {
      long e = ((a >>> shift) & FIELD) + ((b >>> shift) & FIELD);
      if (e > MAX_EXPONENT) {
        throw new ArithmeticException("exponent " + e + " exceeds " + MAX_EXPONENT
            + " in a Gaussian polynomial product");
      }
      r |= e << shift;
    }
    return r;
  }

  private static GaussianPolynomial normalised(Map<Long, BigFraction> r) {
    r.values().removeIf(c -> c.signum() == 0);
    return r.isEmpty() ? ZERO : new GaussianPolynomial(r);
  }

  private static BigInteger doubleFactorial(int n) {
    BigInteger f = BigInteger.ONE;
    for (int k = n; k > 1; k -= 2) {
      f = f.multiply(BigInteger.valueOf(k));
    }
    return f;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GaussianPolynomial p && terms.equals(p.terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  @Override
  public String toString() {
    return terms.isEmpty() ? "0" : terms.toString();
  }
}
