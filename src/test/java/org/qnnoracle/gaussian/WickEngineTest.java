package org.qnnoracle.gaussian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.random.RandomGenerator;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qnnoracle.model.Hermite;
import org.qnnoracle.model.Seeds;

/**
 * The Java exact engine against facts known independently of it (classical moments, the Hermite table),
 * every Gaussian identity exactly at d = 1..4, and controls showing that a wrong coefficient is caught.
 * Everything here is exact rational arithmetic: equality, no tolerance.
 */
class WickEngineTest {
  private static final long SEED = 20_261_128L;
  private static final PolynomialRing<GaussianPolynomial> RING = GaussianPolynomial.RING;

  private static GaussianPolynomial g(int i) {
    return GaussianPolynomial.variable(i);
  }

  private static GaussianPolynomial pow(GaussianPolynomial p, int k) {
    GaussianPolynomial r = RING.one();
    for (int i = 0; i < k; i++) {
      r = r.multiply(p);
    }
    return r;
  }

  @Test
  void oneDimensionalMomentsAreDoubleFactorials() {
    // E[z^2] = 1, E[z^4] = 3, E[z^6] = 15, E[z^8] = 105, E[z^14] = 135135 (classical); odd moments vanish.
    long[] even = {1, 1, 3, 15, 105, 945, 10395, 135135};
    for (int k = 0; k <= 7; k++) {
      assertThat(pow(g(0), 2 * k).expectation()).isEqualTo(new BigFraction(even[k]));
      assertThat(pow(g(0), 2 * k + 1).expectation()).isEqualTo(BigFraction.ZERO);
    }
  }

  @Test
  void independentCoordinatesFactorise() {
    assertThat(pow(g(0), 4).multiply(pow(g(3), 2)).expectation()).isEqualTo(new BigFraction(3));
    assertThat(g(0).multiply(g(1)).expectation()).isEqualTo(BigFraction.ZERO);
    // (z0 + z1)^4: the sum is N(0, 2), so E = 3 * 2^2 = 12.
    assertThat(pow(g(0).add(g(1)), 4).expectation()).isEqualTo(new BigFraction(12));
    // E[(z^2 - 1)^4] = 60, the d = 1 check of T(B, M) in the issue.
    assertThat(pow(pow(g(0), 2).subtract(RING.one()), 4).expectation()).isEqualTo(new BigFraction(60));
  }

  @Test
  void ringOperationsCancelExactly() {
    GaussianPolynomial p = g(0).multiply(g(1)).add(RING.fraction(1, 3));
    assertThat(p.subtract(p)).isEqualTo(GaussianPolynomial.ZERO);
    assertThat(p.multiply(p).degree()).isEqualTo(4);
    assertThat(p.multiply(p).termCount()).isEqualTo(3);
  }

  @Test
  void packingLimitsThrowInsteadOfWrapping() {
    assertThatThrownBy(() -> GaussianPolynomial.variable(GaussianPolynomial.MAX_VARIABLES))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pow(g(2), GaussianPolynomial.MAX_EXPONENT + 1))
        .isInstanceOf(ArithmeticException.class);
    // The last variable is usable and independent of the first.
    GaussianPolynomial last = g(GaussianPolynomial.MAX_VARIABLES - 1);
    assertThat(pow(last, 2).multiply(pow(g(0), 2)).expectation()).isEqualTo(BigFraction.ONE);
  }

  @Test
  void hermiteCoefficientsMatchTheTable() {
    // Abramowitz & Stegun 22.3 (probabilists' He): He4 = z^4 - 6 z^2 + 3, He5 = z^5 - 10 z^3 + 15 z,
    // He6 = z^6 - 15 z^4 + 45 z^2 - 15.
    assertThat(Hermite.coefficients(4)).containsExactly(big(3), big(0), big(-6), big(0), big(1));
    assertThat(Hermite.coefficients(5)).containsExactly(big(0), big(15), big(0), big(-10), big(0), big(1));
    assertThat(Hermite.coefficients(6))
        .containsExactly(big(-15), big(0), big(45), big(0), big(-15), big(0), big(1));
    // The double recurrence agrees with the exact coefficients (exact for integer z in this range).
    for (int k = 0; k <= 8; k++) {
      BigInteger[] c = Hermite.coefficients(k);
      for (int z = -3; z <= 3; z++) {
        BigInteger v = BigInteger.ZERO;
        for (int i = c.length - 1; i >= 0; i--) {
          v = v.multiply(BigInteger.valueOf(z)).add(c[i]);
        }
        assertThat(Hermite.he(k, z)).isEqualTo(v.doubleValue());
      }
    }
  }

  @Test
  void cayleyFramesAreExactlyOrthonormal() {
    RandomGenerator rng = Seeds.generator(SEED, "cayley");
    for (int d = 1; d <= 5; d++) {
      for (int r = 1; r <= d; r++) {
        RingMatrix<BigFraction> theta = Rationals.randomOrthonormalColumns(rng, d, r);
        RingMatrix<BigFraction> gram = Rationals.MATRICES.multiply(Rationals.MATRICES.transpose(theta), theta);
        assertThat(gram).isEqualTo(Rationals.MATRICES.identity(r));
      }
    }
  }

  /** Every identity: the Java engine's expectation of the integrand equals the closed form, exactly. */
  @ParameterizedTest
  @EnumSource(GaussianIdentity.class)
  void javaEngineConfirmsEveryClosedFormAtSmallDimensions(GaussianIdentity identity) {
    long seed = SEED + identity.ordinal();
    System.out.println("WickEngineTest " + identity.cliName() + " seed " + seed);
    RandomGenerator rng = Seeds.generator(seed, "wick-" + identity.cliName());
    boolean drift = identity == GaussianIdentity.STEP_DRIFT || identity == GaussianIdentity.OVERLAP_DRIFT;
    for (int d = 1; d <= 4; d++) {
      for (int batch : drift ? new int[] {1, 2} : new int[] {1}) {
        for (boolean noise : new boolean[] {false, true}) {
          IdentityCase<BigFraction> c = identity.draw(rng, d, batch, noise);
          assertThat(identity.wickExpectations(c))
              .as("%s at d=%d b=%d noise=%s", identity.cliName(), d, batch, noise)
              .isEqualTo(identity.exactClosedForms(c));
        }
      }
    }
  }

  /** A coefficient off by 2 in T(B, M) (16 BMB -> 14 BMB) is caught on the first random case. */
  @Test
  void wrongNoiseMomentCoefficientIsCaught() {
    RandomGenerator rng = Seeds.generator(SEED, "control-T");
    IdentityCase<BigFraction> c = GaussianIdentity.NOISE_MOMENT.draw(rng, 3, 1, false);
    RingMatrices<BigFraction> a = Rationals.MATRICES;
    RingMatrix<BigFraction> b = c.input("B");
    RingMatrix<BigFraction> m = c.input("M");
    RingMatrix<BigFraction> wrong = a.subtract(GaussianFormulas.noiseMoment(a, b, m),
        a.scale(a.integer(2), a.multiply(b, a.multiply(m, b))));
    RingMatrix<BigFraction> engine = GaussianIdentity.NOISE_MOMENT.wickExpectations(c).get("T(B, M)");
    assertThat(engine).isNotEqualTo(wrong);
  }

  /** The drift without its eta^2 term, and with b in place of b^2 in the noise, are both caught. */
  @Test
  void wrongDriftsAreCaught() {
    RandomGenerator rng = Seeds.generator(SEED, "control-drift");
    RingMatrices<BigFraction> a = Rationals.MATRICES;
    IdentityCase<BigFraction> c = GaussianIdentity.STEP_DRIFT.draw(rng, 3, 2, true);
    RingMatrix<BigFraction> w = c.input("W");
    RingMatrix<BigFraction> m = a.multiply(w, a.transpose(w));
    BigFraction eta = c.etas().get(0);
    BigFraction s2 = c.noise().multiply(c.noise());
    RingMatrix<BigFraction> engine = GaussianIdentity.STEP_DRIFT.wickExpectations(c).get("E[M' - M] at eta_1");
    RingMatrix<BigFraction> bm = a.multiply(a.subtract(m, c.input("A")), m);
    RingMatrix<BigFraction> firstOrderOnly = a.scale(a.times(a.integer(-4), eta), a.add(bm, a.transpose(bm)));
    assertThat(engine).isNotEqualTo(firstOrderOnly);
    RingMatrix<BigFraction> batchNotDividingNoise =
        GaussianFormulas.stepDriftOfM(a, m, c.input("A"), eta, 1, s2);
    assertThat(engine).isNotEqualTo(batchNotDividingNoise);
    assertThat(engine).isEqualTo(GaussianFormulas.stepDriftOfM(a, m, c.input("A"), eta, 2, s2));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
