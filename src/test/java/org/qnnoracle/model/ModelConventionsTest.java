package org.qnnoracle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/** The model conventions of spec/model.md: spectrum, teacher basis, seeds, initialisation, validation. */
class ModelConventionsTest {
  private static final double EPS = Math.ulp(1.0);

  /** j^-alpha evaluated without Math.pow for the exponents where that is possible (independent route). */
  private static double powerLaw(int j, double alpha) {
    if (alpha == 0.0) {
      return 1.0;
    }
    if (alpha == 0.5) {
      return 1.0 / Math.sqrt(j);
    }
    if (alpha == 1.0) {
      return 1.0 / j;
    }
    if (alpha == 2.0) {
      return 1.0 / ((double) j * j);
    }
    throw new IllegalArgumentException("no independent formula for alpha = " + alpha);
  }

  @ParameterizedTest(name = "r={0} alpha={1}")
  @CsvSource({"1, 1", "5, 0", "5, 0.5", "5, 1", "5, 2", "50, 0.5", "50, 2", "1000, 1"})
  void powerLawNormalisations(int r, double alpha) {
    double[] none = PowerLawSpectrum.lambdas(r, alpha, Normalisation.NONE);
    double[] l1 = PowerLawSpectrum.lambdas(r, alpha, Normalisation.L1);
    double[] l2 = PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
    double sum = 0.0;
    double sumSq = 0.0;
    for (int j = 1; j <= r; j++) {
      // none: lambda_j = j^-alpha; Math.pow is within 1 ulp, the independent formula within 2: 4 eps relative
      assertThat(Math.abs(none[j - 1] - powerLaw(j, alpha))).as("none, j=%d", j)
          .isLessThanOrEqualTo(4 * EPS * powerLaw(j, alpha));
      // one common factor: lambda_j / lambda_1 = j^-alpha under every normalisation (a few roundings: 8 eps)
      assertThat(Math.abs(l1[j - 1] / l1[0] - powerLaw(j, alpha))).isLessThanOrEqualTo(8 * EPS * powerLaw(j, alpha));
      assertThat(Math.abs(l2[j - 1] / l2[0] - powerLaw(j, alpha))).isLessThanOrEqualTo(8 * EPS * powerLaw(j, alpha));
      if (j > 1 && alpha > 0) {
        assertThat(none[j - 1]).as("decreasing for alpha > 0").isLessThan(none[j - 2]);
      }
      sum += l1[j - 1];
      sumSq += l2[j - 1] * l2[j - 1];
    }
    // l1: sum = 1 and l2: sum of squares = 1, up to the rounding of an r-term sum (r eps, and 2 for the division)
    assertThat(Math.abs(sum - 1.0)).as("l1 sum").isLessThanOrEqualTo((r + 2) * EPS);
    assertThat(Math.abs(sumSq - 1.0)).as("l2 sum of squares").isLessThanOrEqualTo(2 * (r + 2) * EPS);
  }

  @Test
  void alphaZeroGivesEqualCoefficients() {
    int r = 7;
    double[] l2 = PowerLawSpectrum.lambdas(r, 0.0, Normalisation.L2);
    double[] l1 = PowerLawSpectrum.lambdas(r, 0.0, Normalisation.L1);
    double[] none = PowerLawSpectrum.lambdas(r, 0.0, Normalisation.NONE);
    for (int j = 0; j < r; j++) {
      // equal coefficients: 1/sqrt(r) (l2), 1/r (l1), 1 (none), to one rounding of each operation (2 eps)
      assertThat(Math.abs(l2[j] - 1.0 / Math.sqrt(r))).isLessThanOrEqualTo(2 * EPS);
      assertThat(Math.abs(l1[j] - 1.0 / r)).isLessThanOrEqualTo(2 * EPS);
      assertThat(none[j]).isEqualTo(1.0);
      assertThat(l2[j]).isEqualTo(l2[0]);
    }
  }

  @Test
  void haarBasisIsOrthonormalAtLargeSize() {
    int d = 500;
    int r = 200;
    double[][] theta = Orthonormal.haar(Seeds.generator(20_261_128L, "teacher-basis"), d, r);
    double[][] gram = Linalg.multTransA(theta, theta);
    double worst = 0.0;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        worst = Math.max(worst, Math.abs(gram[i][j] - (i == j ? 1.0 : 0.0)));
      }
    }
    System.out.printf(Locale.ROOT, "Haar d=%d r=%d: max |Theta^T Theta - I| = %.3g%n", d, r, worst);
    // 1e-14: modified Gram-Schmidt run twice keeps orthogonality at round-off ("twice is enough"); one pass
    // would lose ~ cond * eps, and a missing normalisation is O(1). The Gram matrix itself is a 500-term
    // sum per entry (~1e-15 rounding at most).
    assertThat(worst).isLessThanOrEqualTo(1e-14);
  }

  @Test
  void canonicalBasisIsTheFirstStandardVectors() {
    ModelSpec spec = new ModelSpec(6, 3, 2, 1.0, Normalisation.L2, 0.5, TeacherBasis.CANONICAL, 11L);
    double[][] theta = Teacher.of(spec).theta();
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(theta[i][j]).isEqualTo(i == j ? 1.0 : 0.0);
      }
    }
    // and the same spec with another seed has the same (seed-independent) basis
    assertThat(Teacher.of(spec.withSeed(12L)).theta()).isDeepEqualTo(theta);
  }

  @Test
  void seedsDetermineInstances() {
    ModelSpec spec = ModelSpec.of(9, 4, 3, 1.0, 0.5, 42L);
    Instance a = spec.instance();
    Instance b = ModelSpec.of(9, 4, 3, 1.0, 0.5, 42L).instance();
    assertThat(b.teacher().theta()).isDeepEqualTo(a.teacher().theta());
    assertThat(b.teacher().lambda()).containsExactly(a.teacher().lambda());
    assertThat(b.w0()).isDeepEqualTo(a.w0());
    Instance c = spec.withSeed(43L).instance();
    assertThat(Dense.frobeniusDistance(c.teacher().theta(), a.teacher().theta())).isGreaterThan(0.1);
    assertThat(Dense.frobeniusDistance(c.w0(), a.w0())).isGreaterThan(0.01);
    // independent streams: the student width does not shift the teacher basis
    assertThat(spec.withWidth(7).instance().teacher().theta()).isDeepEqualTo(a.teacher().theta());
    // sigma0 only scales W0: doubling it doubles every entry exactly (scaling by 2 commutes with rounding)
    double[][] twice = ModelSpec.of(9, 4, 3, 1.0, 1.0, 42L).initialWeights();
    assertThat(twice).isDeepEqualTo(Dense.scale(2.0, a.w0()));
  }

  @Test
  void initialWeightsHaveVarianceSigma0SquaredOverD() {
    // W0 entries i.i.d. N(0, sigma0^2 / d), so |w_i|^2 = (sigma0^2 / d) chi^2_d: mean sigma0^2, variance
    // 2 sigma0^4 / d. Averaged over m columns the standard error is sigma0^2 sqrt(2 / (d m)) (exact, not
    // estimated). Accept within 5 standard errors: two-sided normal tail 5.7e-7 false alarms per check
    // (d m = 2e5 terms make the normal approximation exact enough). The seed is fixed, so CI is deterministic;
    // the rates say how often another seed would fail a correct implementation.
    long seed = 20_261_130L;
    int d = 400;
    int m = 500;
    double sigma0 = 0.7;
    System.out.println("initialisation variance seed " + seed + " (d=" + d + ", m=" + m + ")");
    double[][] w = ModelSpec.of(d, 1, m, 1.0, sigma0, seed).initialWeights();
    double sumSq = 0.0;
    double sum = 0.0;
    for (double[] row : w) {
      for (double x : row) {
        sumSq += x * x;
        sum += x;
      }
    }
    double meanColumnNormSq = sumSq / m;
    double se = sigma0 * sigma0 * Math.sqrt(2.0 / ((double) d * m));
    System.out.printf(Locale.ROOT, "mean |w_i|^2 = %.6f vs sigma0^2 = %.6f (standard error %.2g)%n",
        meanColumnNormSq, sigma0 * sigma0, se);
    assertThat(Math.abs(meanColumnNormSq - sigma0 * sigma0)).isLessThanOrEqualTo(5 * se);
    // entry mean 0: standard error (sigma0 / sqrt d) / sqrt(d m)
    double entrySd = sigma0 / Math.sqrt(d);
    assertThat(Math.abs(sum / ((double) d * m))).isLessThanOrEqualTo(5 * entrySd / Math.sqrt((double) d * m));
    // a wrong convention is far outside: sigma0^2 per entry would give mean |w_i|^2 = d sigma0^2 (400x)
    // and sigma0^2 / d per column 1/400 of it; both are thousands of standard errors away. Column by
    // column as well: each |w_i|^2 / sigma0^2 is chi^2_d / d, within 6 sd = 6 sqrt(2/d) of 1 for all 500
    // columns (exact chi^2_400 tails: 4.7e-8 above, 5e-13 below, so the union over the columns is 2.4e-5)
    for (int c = 0; c < m; c++) {
      double s = 0.0;
      for (int i = 0; i < d; i++) {
        s += w[i][c] * w[i][c];
      }
      assertThat(Math.abs(s / (sigma0 * sigma0) - 1.0)).as("column %d", c).isLessThanOrEqualTo(6 * Math.sqrt(2.0 / d));
    }
  }

  @Test
  void modelSpecRejectsInvalidInput() {
    assertInvalid(() -> ModelSpec.of(0, 1, 1, 1.0, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(-3, 1, 1, 1.0, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 5, 1, 1.0, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 0, 1, 1.0, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 0, 1.0, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, -1, 1.0, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, -0.1, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, Double.NaN, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, Double.POSITIVE_INFINITY, 1.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, 1.0, 0.0, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, 1.0, -1e-3, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, 1.0, Double.NaN, 1L));
    assertInvalid(() -> ModelSpec.of(4, 2, 1, 1.0, Double.POSITIVE_INFINITY, 1L));
    assertInvalid(() -> new ModelSpec(4, 2, 1, 1.0, null, 1.0, TeacherBasis.HAAR, 1L));
    assertInvalid(() -> new ModelSpec(4, 2, 1, 1.0, Normalisation.L2, 1.0, null, 1L));
    assertInvalid(() -> PowerLawSpectrum.lambdas(0, 1.0, Normalisation.L2));
    assertInvalid(() -> PowerLawSpectrum.lambdas(3, -1.0, Normalisation.L2));
    assertInvalid(() -> PowerLawSpectrum.lambdas(3, Double.NaN, Normalisation.L2));
    assertInvalid(() -> Normalisation.parse("l3"));
    assertInvalid(() -> TeacherBasis.parse("random"));
    // the boundary cases are valid
    assertThat(ModelSpec.of(1, 1, 1, 0.0, 1e-300, 1L).instance().d()).isEqualTo(1);
    assertThat(ModelSpec.of(5, 5, 9, 0.0, 1.0, 1L).instance().m()).isEqualTo(9);
    assertThat(Normalisation.parse(" L1 ")).isEqualTo(Normalisation.L1);
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void teacherValueIsQuadraticFormMinusTrace() {
    for (long seed = 1; seed <= 5; seed++) {
      Teacher teacher = ModelSpec.of(10, (int) (2 * seed), 3, 1.0, 1.0, seed).instance().teacher();
      double[][] a = teacher.matrixA();
      double traceA = Dense.trace(a);
      RandomGenerator rng = Seeds.generator(seed, "teacher-value-test");
      for (int k = 0; k < 20; k++) {
        double[] x = new double[10];
        double xx = 0.0;
        for (int p = 0; p < 10; p++) {
          x[p] = 3.0 * rng.nextGaussian();
          xx += x[p] * x[p];
        }
        double quad = 0.0;
        for (int p = 0; p < 10; p++) {
          for (int q = 0; q < 10; q++) {
            quad += x[p] * a[p][q] * x[q];
          }
        }
        double expected = quad - traceA;
        // both sides are O(d^2) roundings of terms bounded by (|x|^2 + 1) sum lambda: 10 d eps of that
        double sumLambda = 0.0;
        for (double l : teacher.lambda()) {
          sumLambda += l;
        }
        assertThat(Math.abs(teacher.value(x) - expected)).as("seed %d sample %d", seed, k)
            .isLessThanOrEqualTo(10 * 10 * EPS * (xx + 1.0) * sumLambda);
      }
      // and f*(0) = -tr A = -sum lambda (the He2 centring)
      assertThat(teacher.value(new double[10])).isCloseTo(-traceA, org.assertj.core.data.Offset.offset(4 * EPS));
    }
  }
}
