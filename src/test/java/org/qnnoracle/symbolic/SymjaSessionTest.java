package org.qnnoracle.symbolic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.qnnoracle.symbolic.SymjaSession.SymbolicException;

/**
 * The Symja session: it starts, evaluates, and its two checked entry points (evalRational, isZero) answer
 * exactly or refuse. One class, so Symja starts once in the test JVM.
 */
class SymjaSessionTest {
  private final SymjaSession symja = SymjaSession.get();

  @Test
  void oneSessionPerJvm() {
    assertThat(SymjaSession.get()).isSameAs(SymjaSession.get()).isSameAs(symja);
  }

  @Test
  void loadsAndEvaluates() {
    assertThat(symja.eval("1 + 1")).isEqualTo("2");
    assertThat(symja.eval("D(x^3, x)")).isEqualTo("3*x^2");
    assertThat(symja.evalRational("1/3 + 1/6")).isEqualTo(new BigFraction(1, 2));
  }

  @Test
  void gaussianFourthMomentOfHe2IsExactlyTwo() {
    // E[He2(z)^2] = 2! for z ~ N(0, 1): the normalisation the risk formulas rest on.
    BigFraction v = symja.evalRational(
        "Integrate((z^2 - 1)^2*Exp(-z^2/2)/Sqrt(2*Pi), {z, -Infinity, Infinity})");
    assertThat(v).isEqualTo(new BigFraction(2));
  }

  @Test
  void hermiteHIsThePhysicistsPolynomial() {
    // He2(z) = z^2 - 1 = H2(z / sqrt 2) / 2; H2(z) = 4 z^2 - 2 is not He2.
    assertThat(symja.isZero("HermiteH(2, z/Sqrt(2))/2 - (z^2 - 1)")).isTrue();
    assertThat(symja.isZero("HermiteH(2, z) - (z^2 - 1)")).isFalse();
  }

  @Test
  void evalRationalRefusesWhatIsNotARational() {
    assertThatThrownBy(() -> symja.evalRational("Sqrt(2)"))
        .isInstanceOf(SymbolicException.class).hasMessageContaining("Sqrt(2)");
    // an unknown function comes back unevaluated rather than failing inside Symja
    assertThatThrownBy(() -> symja.evalRational("foo(3)"))
        .isInstanceOf(SymbolicException.class).hasMessageContaining("foo(3)");
    // a machine real is not an exact rational either
    assertThatThrownBy(() -> symja.evalRational("5/2 + 0.0"))
        .isInstanceOf(SymbolicException.class);
  }
}
