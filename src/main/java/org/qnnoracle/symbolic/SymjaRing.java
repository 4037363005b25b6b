package org.qnnoracle.symbolic;

import java.math.BigInteger;
import java.util.regex.Pattern;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.gaussian.PolynomialRing;

/**
 * Symja input strings as a {@link PolynomialRing}: every element is a fully parenthesised Symja
 * expression, so the integrands and closed forms, written once over any ring, print themselves as Symja
 * input that {@link SymjaExpectations} hands to Symja to expand. The Gaussian variables are the symbols
 * {@code g0, g1, ...}; instance entries may be exact rationals ({@link #fromRational}) or free symbols
 * ({@link #symbol}) for the fully symbolic proofs.
 *
 * <p>Nothing is evaluated here: the strings are only concatenated, so their length is additive in the
 * number of ring operations (matrix products of d x d matrices give strings of a few tens of kilobytes
 * for the largest integrands, which Symja parses and expands without trouble). The only simplifications
 * made are the exact ones with the literal constants 0 and 1, which keep the zero blocks of identity
 * matrices and zero initial sums out of the strings.
 */
public final class SymjaRing implements PolynomialRing<String> {
  /** The ring; stateless, so one instance serves everything. */
  public static final SymjaRing INSTANCE = new SymjaRing();

  private static final String ZERO = "(0)";
  private static final String ONE = "(1)";
  /**
   * Symbol names accepted by {@link #symbol}: a lower-case letter then letters or digits, at least two
   * characters so that Symja's single-letter built-ins of the relaxed parser (E, I, C, D, N, ...) can
   * never be hit; names starting with {@code g} followed by digits are the Gaussian variables and are
   * refused.
   */
  private static final Pattern SYMBOL = Pattern.compile("[a-z][A-Za-z0-9]+");
  private static final Pattern GAUSSIAN = Pattern.compile("g[0-9]+");

  private SymjaRing() {}

  /** The exact rational as "(p)" or "(p/q)" in lowest terms (negative sign on the numerator). */
  @Override
  public String fromRational(BigFraction c) {
    BigInteger num = c.getNumerator();
    BigInteger den = c.getDenominator();
    if (den.signum() < 0) {
      num = num.negate();
      den = den.negate();
    }
    BigInteger g = num.gcd(den);
    if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
      num = num.divide(g);
      den = den.divide(g);
    }
    return den.equals(BigInteger.ONE) ? "(" + num + ")" : "(" + num + "/" + den + ")";
  }

  @Override
  public String add(String a, String b) {
    if (ZERO.equals(a)) {
      return b;
    }
    if (ZERO.equals(b)) {
      return a;
    }
    return "(" + a + "+" + b + ")";
  }

  @Override
  public String subtract(String a, String b) {
    if (ZERO.equals(b)) {
      return a;
    }
    return "(" + a + "-" + b + ")";
  }

  @Override
  public String multiply(String a, String b) {
    if (ZERO.equals(a) || ZERO.equals(b)) {
      return ZERO;
    }
    if (ONE.equals(a)) {
      return b;
    }
    if (ONE.equals(b)) {
      return a;
    }
    return "(" + a + "*" + b + ")";
  }

  @Override
  public String zero() {
    return ZERO;
  }

  @Override
  public String one() {
    return ONE;
  }

  /** The Gaussian variable g_i as the Symja symbol {@code gi}. */
  @Override
  public String variable(int i) {
    if (i < 0) {
      throw new IllegalArgumentException("variable index must be >= 0, got " + i);
    }
    return "g" + i;
  }

  /**
   * A free symbol for a symbolic instance entry, e.g. {@code symbol("b01")}. The name must be a
   * lower-case letter followed by at least one letter or digit, and must not look like a Gaussian
   * variable {@code g<digits>}.
   */
  public String symbol(String name) {
    if (!SYMBOL.matcher(name).matches() || GAUSSIAN.matcher(name).matches()) {
      throw new IllegalArgumentException("not a usable symbol name: '" + name + "'");
    }
    return name;
  }

  /** The Symja list {g0, ..., g(n-1)} of the first n Gaussian variables. */
  public String variableList(int n) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(variable(i));
    }
    return sb.append('}').toString();
  }

  @Override
  public String toString() {
    return "SymjaRing";
  }
}
