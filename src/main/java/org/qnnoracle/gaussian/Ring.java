package org.qnnoracle.gaussian;

import org.hipparchus.fraction.BigFraction;

/**
 * A commutative ring whose elements the integrands and closed forms are written over, so that each
 * formula is written once and evaluated in exact rationals, in polynomials of x (the Wick engine), in
 * Symja expressions, or (through {@link DoubleMatrices}) in doubles.
 */
public interface Ring<P> {
  /** The exact rational c as an element (rationals embed into every ring used here). */
  P fromRational(BigFraction c);

  P add(P a, P b);

  P subtract(P a, P b);

  P multiply(P a, P b);

  default P zero() {
    return fromRational(BigFraction.ZERO);
  }

  default P one() {
    return fromRational(BigFraction.ONE);
  }

  default P integer(long n) {
    return fromRational(new BigFraction(n));
  }

  /** num / den as an exact element; den must be non-zero. */
  default P fraction(long num, long den) {
    return fromRational(new BigFraction(num, den));
  }
}
