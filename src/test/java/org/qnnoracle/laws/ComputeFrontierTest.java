package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.sgd.SgdRiskCurve;

/** ComputeFrontier (proofs-notes/scaling-laws.md, section 9) against independent routes and known limits. */
class ComputeFrontierTest {

  /**
   * The compute count (sgd.SgdRiskCurve.flopsPerStep, the one formula) against an operation-by-operation count of
   * one step at the canonical basis, written as the loops of a plain implementation (a multiply-add is 2 flops).
   * Exact: both are integers far below 2^53.
   */
  @Test
  void theComputeOfAStepIsItsOperationCount() {
    for (int[] c : new int[][] {{5, 2, 3, 1}, {20, 7, 4, 3}, {64, 16, 40, 64}}) {
      int d = c[0];
      int r = c[1];
      int m = c[2];
      int b = c[3];
      long ops = 0;
      for (int s = 0; s < b; s++) {
        for (int k = 0; k < m; k++) {
          ops += 2L * d; // z_k = (X W)_sk
          ops += 2; // f += z_k^2
        }
        for (int j = 0; j < r; j++) {
          ops += 3; // f* += lambda_j (x_j^2 - 1)
        }
        ops += 2; // e = f - f*, and its share of the mean
        for (int k = 0; k < m; k++) {
          ops += 1; // S_sk = (2 eta / b) e_s z_k
          ops += 2L * d; // W -= X^T S, row s
        }
      }
      ops += 2L * d * m; // W *= (1 + 2 eta ebar)
      ops += 2L * d * m; // |W|_F^2
      assertThat(SgdRiskCurve.flopsPerStep(d, m, r, b)).as("d=%d r=%d m=%d b=%d", d, r, m, b).isEqualTo(ops);
    }
  }

  /**
   * phi = d log F / d log m against a central difference of log F at log m +- h. Tolerance 1e-9: the difference's
   * truncation error is h^2 / 6 times the third derivative of log F in log m (phi (1 - phi)(1 - 2 phi), below
   * 0.1), under 2e-10 at h = 1e-4; its round-off about 4e-15 / h = 4e-11.
   */
  @Test
  void widthShareIsTheLogDerivativeOfTheCompute() {
    for (int m : new int[] {2, 8, 100, 2400}) {
      double h = 1e-4;
      double fd = (Math.log(flops(m * Math.exp(h))) - Math.log(flops(m * Math.exp(-h)))) / (2.0 * h);
      assertThat(ComputeFrontier.widthShare(3200, 2400, m, 3200)).as("m=%d", m).isCloseTo(fd, within(1e-9));
    }
    // the labels at the canonical basis cost 3 b r against the student's 4 b d m: phi is near 1 for d >> r / m
    assertThat(ComputeFrontier.widthShare(3200, 2400, 1, 3200)).isCloseTo(12800.0 / (12800 + 7200 + 3), within(1e-3));
  }

  /** F(m) at a continuous m: linear interpolation is exact for an affine F. */
  private static double flops(double m) {
    int lo = (int) Math.floor(m);
    double f0 = SgdRiskCurve.flopsPerStep(3200, lo, 2400, 3200);
    double f1 = SgdRiskCurve.flopsPerStep(3200, lo + 1, 2400, 3200);
    return f0 + (m - lo) * (f1 - f0);
  }

  @Test
  void computeIsStepsTimesFlops() {
    assertThat(ComputeFrontier.computeForTime(2.0, 0.5, 10, 3, 2, 4))
        .isEqualTo(4.0 * SgdRiskCurve.flopsPerStep(10, 2, 3, 4));
    assertThatThrownBy(() -> ComputeFrontier.computeForTime(1.0, 0.0, 10, 3, 2, 4))
        .isInstanceOf(InvalidInputException.class);
  }

  /** The local exponent's limits (section 9): the time law, -(2a-1)/(a+phi) for large L, continuity at phi L = 1. */
  @Test
  void localExponentHasTheDerivedLimits() {
    for (double alpha : new double[] {0.75, 1.0, 1.5}) {
      double g = -(2 * alpha - 1);
      // labels dominate: the time law with its log factor, (5.3)
      assertThat(ComputeFrontier.localExponent(alpha, 20.0, 0.0, g))
          .isCloseTo(ScalingLaws.localTimeSlope(alpha, 20.0), within(1e-14));
      // large L: -(2 alpha - 1) / (alpha + phi), to O(1/L)
      for (double phi : new double[] {0.2, 0.5, 1.0}) {
        assertThat(ComputeFrontier.localExponent(alpha, 1e9, phi, g)).isCloseTo(g / (alpha + phi), within(1e-8));
      }
      // continuous where the regimes meet
      double lf = 12.0;
      double below = ComputeFrontier.localExponent(alpha, lf, 1.0 / lf - 1e-12, g);
      double above = ComputeFrontier.localExponent(alpha, lf, 1.0 / lf + 1e-12, g);
      assertThat(above).isCloseTo(below, within(1e-9));
    }
  }

  /** kappa is the fixed point kappa = phi L / (phi L - 1) at its own width; regime (i) when labels dominate. */
  @Test
  void predictionSolvesItsFixedPoint() {
    double[] lambda = PowerLawSpectrum.lambdas(128, 1.0, Normalisation.L2);
    ComputeFrontier.Prediction p = ComputeFrontier.predict(lambda, 11, 3200, 1.0, 1e-3, 3200);
    double phiL = p.widthShare() * p.logFactor();
    assertThat(p.labelsDominate()).isFalse();
    assertThat(p.widthRatio()).isCloseTo(phiL / (phiL - 1.0), within(1e-9));
    // L recomputed from its definition at m = kappa J: (kappa - 1) J + 1 free columns
    double m = p.widthRatio() * 11;
    assertThat(p.logFactor()).isCloseTo(Math.log(lambda[10] * 3200 / ((m - 11 + 1) * 1e-6)), within(1e-12));
    // a teacher far longer than d makes the labels (3 b r) dominate: phi L stays below 1 at every width near J,
    // and the width solves phi L = 1
    double[] wide = PowerLawSpectrum.lambdas(1_000_000, 1.0, Normalisation.L2);
    ComputeFrontier.Prediction q = ComputeFrontier.predict(wide, 11, 100, 1.0, 1e-3, 100);
    assertThat(q.labelsDominate()).isTrue();
    assertThat(q.widthShare() * q.logFactor()).isCloseTo(1.0, within(1e-6));
    assertThat(q.exponent()).isCloseTo(q.tailSlope() * q.logFactor() / (q.logFactor() - 1.0), within(1e-12));
  }

  /** The window exponent of a constant local exponent is that exponent (the harmonic mean of equal values). */
  @Test
  void windowExponentIsAWeightedHarmonicMean() {
    double[] lambda = PowerLawSpectrum.lambdas(4096, 1.0, Normalisation.L2);
    double w = ComputeFrontier.windowExponent(lambda, 4, 8, 3200, 1.0, 1e-3, 3200);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int j = 4; j < 8; j++) {
      double e = ComputeFrontier.predict(lambda, j, 3200, 1.0, 1e-3, 3200).exponent();
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
    }
    assertThat(w).isBetween(lo, hi);
    double one = ComputeFrontier.windowExponent(lambda, 5, 6, 3200, 1.0, 1e-3, 3200);
    assertThat(one).isCloseTo(ComputeFrontier.predict(lambda, 5, 3200, 1.0, 1e-3, 3200).exponent(), within(1e-14));
  }

  /** The directions a risk corresponds to: the first J with tail(J) <= risk, so tail(J - 1) > risk. */
  @Test
  void directionsForRiskInvertsTheTail() {
    double[] lambda = PowerLawSpectrum.lambdas(64, 1.0, Normalisation.L2);
    for (int j = 1; j <= 64; j++) {
      double tail = ScalingLaws.tailRisk(lambda, j);
      assertThat(ScalingLaws.directionsForRisk(lambda, tail)).as("J=%d", j).isLessThanOrEqualTo(j);
      assertThat(ScalingLaws.tailRisk(lambda, ScalingLaws.directionsForRisk(lambda, tail))).isLessThanOrEqualTo(tail);
    }
    assertThat(ScalingLaws.directionsForRisk(lambda, 2.5)).isZero();
    assertThat(ScalingLaws.directionsForRisk(lambda, -1.0)).isEqualTo(64);
    int j = ScalingLaws.directionsForRisk(lambda, 0.05);
    assertThat(ScalingLaws.tailRisk(lambda, j - 1)).isGreaterThan(0.05);
  }

  /** The envelope of two crossing power laws is their minimum, and says which width attains it. */
  @Test
  void envelopeIsTheLowerCurveAndItsWidth() {
    double[] c = {1.0, 10.0, 100.0, 1000.0};
    ComputeFrontier.Curve a = new ComputeFrontier.Curve(2, c, new double[] {1.0, 0.1, 0.1, 0.1});
    ComputeFrontier.Curve b = new ComputeFrontier.Curve(4, c, new double[] {2.0, 0.2, 0.02, 0.002});
    ComputeFrontier.Envelope e = ComputeFrontier.envelope(List.of(a, b), new double[] {1.0, 10.0, 31.6227766, 1000.0});
    assertThat(e.bestWidth()).containsExactly(2, 2, 4, 4);
    assertThat(e.risk()[0]).isEqualTo(1.0);
    // 10^{1.5} on b: log-log interpolation of 0.2 and 0.02 at the midpoint gives 0.2 / sqrt(10)
    assertThat(e.risk()[2]).isCloseTo(0.2 / Math.sqrt(10.0), within(1e-9));
    // beyond the ends a curve keeps its end values: settled after, not started before
    ComputeFrontier.Envelope out = ComputeFrontier.envelope(List.of(a, b), new double[] {0.1, 5000.0});
    assertThat(out.risk()).containsExactly(1.0, 0.002);
    assertThat(out.bestWidth()).containsExactly(2, 4);
  }
}
