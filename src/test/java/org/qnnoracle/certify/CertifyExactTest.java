package org.qnnoracle.certify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.math.BigDecimal;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.dfp.DfpMath;
import org.hipparchus.ode.FieldExpandableODE;
import org.hipparchus.ode.FieldODEState;
import org.hipparchus.ode.FieldOrdinaryDifferentialEquation;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.PropertyTesting;

/**
 * The certifiers and their parts against answers known without them: the scalar flow's logistic solution, Hipparchus'
 * own exponential, exact binary rationals.
 */
class CertifyExactTest {

  /**
   * d = r = m = 1, theta = 1: w' = -4 (w^2 - lambda) w, so u = w^2 solves the logistic u' = 8 u (lambda - u):
   * u(t) = lambda u0 e^{8 lambda t} / (lambda + u0 (e^{8 lambda t} - 1)) and, without cancellation,
   * u - lambda = lambda (u0 - lambda) / (lambda + u0 (e^{8 lambda t} - 1)). Risk 2 (u - lambda)^2, overlap u, tr M u.
   * Evaluated with DfpMath.exp at 80 digits (not the certifiers' exponential). The last time is lambda tau = 1000,
   * where the risk is 1e-868: the closed form must raise its precision there and the ODE must keep relative
   * accuracy through the logarithmic blocks.
   */
  @Test
  void scalarFlowMatchesTheLogisticSolutionTo30Digits() {
    double lambda = 0.75;
    double w = 0.125;
    double[] times = {0.0, 0.05, 0.5, 1.0, 2.0, 5.0, 1000.0 / (4.0 * lambda)};
    Certificate cert = FlowCertifier.certify(1, 1, 1, new double[] {lambda}, new double[][] {{1.0}},
        new double[][] {{w}}, times);
    System.out.println("scalar flow: " + cert.seconds() + " s\n  " + cert.note().replace("\n", "\n  "));
    DfpField f = new DfpField(80);
    Dfp l = f.newDfp(lambda);
    Dfp u0 = f.newDfp(w).multiply(f.newDfp(w));
    for (int k = 0; k < times.length; k++) {
      Dfp growth = DfpMath.exp(f.newDfp(8.0 * lambda).multiply(f.newDfp(times[k])));
      Dfp den = l.add(u0.multiply(growth.subtract(f.getOne())));
      Dfp u = l.multiply(u0).multiply(growth).divide(den);
      Dfp dev = l.multiply(u0.subtract(l)).divide(den);
      BigDecimal risk = new BigDecimal(dev.multiply(dev).multiply(2).toString());
      BigDecimal overlap = new BigDecimal(u.toString());
      // 30 digits: the bar for an exact answer; both routes carry 37+ (40-digit ODE, closed form D + 40)
      assertThat(Mp.agreement(risk, cert.quantity("risk").values()[k], 99)).as("risk at t=%s", times[k])
          .isGreaterThanOrEqualTo(30.0);
      assertThat(Mp.agreement(overlap, cert.quantity("overlaps").values()[k], 99)).as("overlap at t=%s", times[k])
          .isGreaterThanOrEqualTo(30.0);
      assertThat(Mp.agreement(overlap, cert.quantity("traceM").values()[k], 99)).as("tr M at t=%s", times[k])
          .isGreaterThanOrEqualTo(30.0);
    }
    assertThat(cert.quantity("risk").values()[times.length - 1].compareTo(new BigDecimal("1e-800"))).isNegative();
  }

  /** Our exponential (no field constants) against Hipparchus' DfpMath.exp, which uses them, at 60 digits. */
  @Test
  void exponentialAgreesWithHipparchus() {
    DfpField f = new DfpField(60);
    for (String x : new String[] {"0", "1e-30", "-0.5", "0.49999", "1", "-2.75", "17.125", "-130.3", "700.5",
        "-1999.875"}) {
      Dfp ours = Mp.exp(f.newDfp(x));
      Dfp theirs = DfpMath.exp(f.newDfp(x));
      // 60-digit fields carry 57 to 60 significant digits; |x| <= 2000 costs up to 3.3 digits of condition,
      // binary powering of e and four squarings 1 to 2 more: 50 leaves a margin and still tests every digit
      // that matters at the 40 digits the ODEs use
      assertThat(Mp.agreement(theirs, ours, 99)).as("exp(%s)", x).isGreaterThanOrEqualTo(50.0);
    }
  }

  /** Doubles enter exactly: the Dfp of x, read back, equals new BigDecimal(x) to the field's precision. */
  @Test
  void doublesAreReadExactly() {
    DfpField f = Mp.field(400);
    PropertyTesting.qt("doubles read exactly", 300).forAll(doubles().between(-1e300, 1e300)).checkAssert(x -> {
      BigDecimal exact = new BigDecimal(x);
      // a double has at most 767 significant digits; 400-digit Dfp rounds the longer ones once, the rest exactly
      double digits = Mp.agreement(exact, Mp.big(Mp.of(f, x)), 999);
      assertThat(digits).isGreaterThanOrEqualTo(396.0);
    });
    assertThat(Mp.big(Mp.of(f, 0.1))).isEqualByComparingTo(new BigDecimal(0.1));
    // 2^-1074 has 751 significant digits: rounded once, to the field's 397+
    assertThat(Mp.agreement(new BigDecimal(Double.MIN_VALUE), Mp.big(Mp.of(f, Double.MIN_VALUE)), 999))
        .isGreaterThanOrEqualTo(396.0);
  }

  /**
   * The field DP853 reaches tolerances far below double: y' = -y to t = 3 at rtol 1e-30 (40 digits) agrees with
   * e^-3 to 28 digits or more (measured 29.9; the global error is a few tolerances). Hipparchus' own field DP853
   * forms its error estimate in double and cannot get there.
   */
  @Test
  void fieldDormandPrinceReachesThirtyDigits() {
    DfpField f = Mp.field(40);
    FieldOrdinaryDifferentialEquation<Dfp> decay = new FieldOrdinaryDifferentialEquation<>() {
      @Override
      public int getDimension() {
        return 1;
      }

      @Override
      public Dfp[] computeDerivatives(Dfp t, Dfp[] y) {
        return new Dfp[] {y[0].negate()};
      }
    };
    FieldDp853 dp = new FieldDp853(f, 10.0, new double[] {1e-30}, new double[] {1e-30});
    Dfp end = dp.integrate(new FieldExpandableODE<>(decay), new FieldODEState<>(f.getZero(), new Dfp[] {f.getOne()}),
        f.newDfp(3)).getPrimaryState()[0];
    Dfp exact = DfpMath.exp(f.newDfp(-3));
    assertThat(Mp.agreement(exact, end, 99)).isGreaterThanOrEqualTo(28.0);
  }

  @Test
  void badInputIsOneClearError() {
    double[][] theta = {{1.0}, {0.0}};
    double[][] w0 = {{0.1}, {0.2}};
    assertThatThrownBy(() -> FlowCertifier.certify(2, 1, 1, new double[] {1.0, 2.0}, theta, w0, new double[] {1.0}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("lambda");
    assertThatThrownBy(() -> FlowCertifier.certify(2, 1, 1, new double[] {1.0}, theta, w0, new double[] {2.0, 1.0}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("non-decreasing");
    assertThatThrownBy(() -> EffectiveCertifier.certify(2, 1, 1, new double[] {Double.NaN}, theta, w0,
        new double[] {1.0}, 0.01, 1, 0.0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ReplayCertifier.certify(2, 1, 1, new double[] {1.0}, theta, w0, 0.01, 1,
        new long[] {3}, new double[][] {{0.1, 0.2, 0.0}})).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("samples");
    assertThatThrownBy(() -> FlowCertifier.certify(2, 2, 1, new double[] {1.0, 1.0},
        new double[][] {{1.0, 2.0}, {1.0, 2.0}}, w0, new double[] {1.0}))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("linearly dependent");
  }
}
