package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.gaussian.DoubleMatrices;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.stats.LinearFit;

/** The scaling-law building blocks, each against an independent route. */
class LawsTest {
  /** Relative round-off allowance for closed forms evaluated two ways in double precision. */
  private static final double ROUND_OFF = 1e-12;

  @Test
  void reducedStartHasTheMomentsOfTheDSpaceStart() {
    // E tr P0 = m sigma0^2 (d - r) / d and E |Q0|_F^2 = r m sigma0^2 / d. Over 400 draws the sample means
    // have standard errors below 2% of these; 5 standard errors bound a false alarm by 6e-7 per mean.
    long d = 500;
    int r = 7;
    int m = 5;
    double sigma0 = 0.7;
    int n = 400;
    double sumP = 0.0;
    double sumP2 = 0.0;
    double sumQ = 0.0;
    double sumQ2 = 0.0;
    for (int i = 0; i < n; i++) {
      FlowState.Overlaps s = ReducedStart.sample(d, r, m, sigma0, 1000 + i);
      double tp = Dense.trace(s.p());
      double tq = Dense.frobeniusInner(s.q(), s.q());
      sumP += tp;
      sumP2 += tp * tp;
      sumQ += tq;
      sumQ2 += tq * tq;
    }
    double meanP = sumP / n;
    double seP = Math.sqrt((sumP2 / n - meanP * meanP) / n);
    double meanQ = sumQ / n;
    double seQ = Math.sqrt((sumQ2 / n - meanQ * meanQ) / n);
    System.out.println("reduced start: seeds 1000..1399, tr P0 " + meanP + " +- " + seP + ", |Q0|^2 " + meanQ);
    assertThat(meanP).isCloseTo(m * sigma0 * sigma0 * (d - r) / d, within(5 * seP));
    assertThat(meanQ).isCloseTo(r * m * sigma0 * sigma0 / d, within(5 * seQ));
  }

  @Test
  void reducedStartIsReproducibleAndCoversTheRankDeficientBranch() {
    FlowState.Overlaps a = ReducedStart.sample(12, 9, 5, 1.0, 3);
    FlowState.Overlaps b = ReducedStart.sample(12, 9, 5, 1.0, 3);
    assertThat(a.p()).isDeepEqualTo(b.p());
    // d - r = 3 < m = 5: P0 is the Gram matrix of a 3 x 5 factor, rank 3.
    assertThat(org.qnnoracle.linalg.Spectral.numericalRank(a.p())).isEqualTo(3);
    assertThatThrownBy(() -> ReducedStart.sample(4, 5, 2, 1.0, 1)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void chiSquaredHasMeanKAndVariance2K() {
    // 20000 draws: the standard error of the mean is sqrt(2k / n); 5 of them bound a false alarm by 6e-7.
    RandomGenerator rng = Seeds.generator(17, "chi-test");
    for (long k : new long[] {1, 2, 7, 1000, 1_000_000_000L}) {
      int n = 20_000;
      double s = 0.0;
      double s2 = 0.0;
      for (int i = 0; i < n; i++) {
        double x = ReducedStart.chiSquared(rng, k);
        s += x;
        s2 += x * x;
      }
      double mean = s / n;
      double var = s2 / n - mean * mean;
      assertThat(mean).isCloseTo(k, within(5 * Math.sqrt(2.0 * k / n)));
      // The sample variance of chi^2_k has relative standard error about sqrt(2 / n) * sqrt(1 + 6/k); 10% is
      // over 5 of them for every k here.
      assertThat(var / (2.0 * k)).isCloseTo(1.0, within(0.1));
    }
  }

  @Test
  void logisticEscapeTimeIsTheHalfWayTimeOfTheScalarLogistic() {
    double lambda = 0.37;
    double mu0 = 1e-9;
    double t = EscapeTimes.logistic(lambda, mu0);
    double mu = lambda / (1.0 + (lambda / mu0 - 1.0) * Math.exp(-8.0 * lambda * t));
    assertThat(mu).isCloseTo(lambda / 2, within(ROUND_OFF));
    // The corrected form without P reduces to it; with P it is later.
    assertThat(EscapeTimes.corrected(lambda, mu0, 0.0)).isCloseTo(t, within(ROUND_OFF * t));
    double tp = EscapeTimes.corrected(lambda, mu0, 1e-3);
    assertThat(8 * lambda * tp - Math.log1p(8e-3 * tp)).isCloseTo(Math.log(lambda / mu0 - 1), within(1e-10));
    assertThat(EscapeTimes.corrected(lambda, 0.0, 0.0)).isInfinite();
  }

  @Test
  void availableOverlapsFollowGramSchmidt() {
    double[][] q = {{3, 0, 0}, {1, 2, 0}, {1, 1, 5}, {4, 4, 4}};
    double[] av = EscapeTimes.availableOverlaps(q);
    assertThat(av[0]).isCloseTo(9.0, within(ROUND_OFF));
    assertThat(av[1]).isCloseTo(4.0, within(ROUND_OFF));
    assertThat(av[2]).isCloseTo(25.0, within(ROUND_OFF));
    assertThat(av[3]).isZero();
    assertThat(EscapeTimes.meanAvailableOverlaps(3, 2, 1.0, 1.0)).containsExactly(2.0, 1.0, 0.0);
  }

  @Test
  void additiveModelIsTheSumOfLogisticResiduals() {
    double[] lambda = {0.8, 0.5, 0.3};
    double[] mu0 = {1e-6, 2e-6, 3e-6};
    AdditiveModel model = AdditiveModel.aligned(lambda, mu0, 2);
    double t = 3.3;
    double expected = 0.0;
    for (int j = 0; j < 2; j++) {
      double mu = lambda[j] / (1 + (lambda[j] / mu0[j] - 1) * Math.exp(-8 * lambda[j] * t));
      expected += 2 * (lambda[j] - mu) * (lambda[j] - mu);
    }
    expected += 2 * lambda[2] * lambda[2];
    assertThat(model.risk(t)).isCloseTo(expected, within(ROUND_OFF));
    assertThat(model.residual(0, model.escapeTimes()[0])).isCloseTo(0.25, within(ROUND_OFF));
  }

  @Test
  void learnedLambdaSolvesItsEquation() {
    double mu0 = 1e-9;
    for (double t : new double[] {1, 10, 100, 1e4}) {
      double l = ScalingLaws.learnedLambda(t, mu0);
      assertThat(8 * l * t).isCloseTo(Math.log(l / mu0), within(1e-9 * Math.log(l / mu0)));
      assertThat(l).isGreaterThan(mu0 * Math.E);
    }
    assertThatThrownBy(() -> ScalingLaws.learnedLambda(1e9, 1e-3)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void tailRiskAndExponents() {
    double[] lambda = ScalingLaws.lambdas(50, 1.0);
    double direct = 0.0;
    for (int j = 10; j < 50; j++) {
      direct += 2 * lambda[j] * lambda[j];
    }
    assertThat(ScalingLaws.tailRisk(lambda, 10)).isCloseTo(direct, within(ROUND_OFF));
    assertThat(ScalingLaws.tailRisk(lambda, 0)).isCloseTo(2.0, within(ROUND_OFF));
    assertThat(ScalingLaws.timeExponent(1.5)).isCloseTo(-4.0 / 3, within(ROUND_OFF));
    assertThat(ScalingLaws.localTimeSlope(1.0, 1e12)).isCloseTo(-1.0, within(1e-11));
    assertThat(ScalingLaws.localTimeSlope(1.0, 5.0)).isCloseTo(-1.25, within(ROUND_OFF));
    assertThatThrownBy(() -> ScalingLaws.timeExponent(0.5)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void excessSlopeIsTwiceTheBracketTraceAtTheLearnedPoint() {
    // Independent route: kappa = 2 tr(bracket) / (b d) with the bracket of gaussian.GaussianFormulas at
    // Q = [diag(sqrt(lambda_1..m)); 0], G = diag(lambda_1..m), the c = 0 fixed point for m <= r.
    int r = 6;
    int m = 3;
    double[] lambda = ScalingLaws.lambdas(r, 1.0);
    double[][] q = new double[r][m];
    double[][] g = new double[m][m];
    for (int a = 0; a < m; a++) {
      q[a][a] = Math.sqrt(lambda[a]);
      g[a][a] = lambda[a];
    }
    double[][] lam = new double[r][r];
    for (int j = 0; j < r; j++) {
      lam[j][j] = lambda[j];
    }
    for (int d : new int[] {50, 1000}) {
      for (int b : new int[] {1, 4}) {
        for (double s2 : new double[] {0.0, 0.3}) {
          double[][] bracket = GaussianFormulas.overlapNoiseBracket(DoubleMatrices.INSTANCE, q, g, lam, d, b, s2);
          double viaBracket = 2.0 * Dense.trace(bracket) / d;
          assertThat(SampleLaw.excessSlope(lambda, m, d, b, s2)).isCloseTo(viaBracket, within(ROUND_OFF));
        }
      }
    }
  }

  @Test
  void bestCFindsTheMinimumOfTheTradeOff() {
    // R0(t) = 1 / t, kappa c: minimise d / (n c) + kappa c => c* = sqrt(d / (n kappa)).
    double kappa = 0.5;
    long d = 100;
    double n = 1e6;
    double c = SampleLaw.bestC(t -> 1.0 / t, kappa, n, d, 1, 1e-6, 1.0);
    assertThat(c).isCloseTo(Math.sqrt(d / (n * kappa)), within(1e-5));
    // A plateau before the escape (R0 = 2 until t = 1) must not trap the search at the small-c end.
    double plateau = SampleLaw.bestC(t -> t < 1.0 ? 2.0 : 1.0 / t, kappa, 1e3, d, 1, 1e-6, 10.0);
    assertThat(plateau).isCloseTo(Math.sqrt(d / (1e3 * kappa)), within(1e-4));
  }

  @Test
  void fitWindowRuleAndPowerLawFit() {
    double[] lambda = ScalingLaws.lambdas(64, 1.0);
    FitWindow w = FitWindow.timeLaw(lambda, 64);
    assertThat(w.jLow()).isEqualTo(4);
    assertThat(w.jHigh()).isEqualTo(16);
    assertThatThrownBy(() -> FitWindow.timeLaw(lambda, 15)).isInstanceOf(InvalidInputException.class);
    double[] x = {1, 2, 4, 8, 16};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 3 * Math.pow(x[i], -1.5);
    }
    LinearFit f = LinearFit.logLog(x, y);
    assertThat(f.slope()).isCloseTo(-1.5, within(ROUND_OFF));
    assertThat(f.standardError()).isLessThan(1e-12);
  }

  @Test
  void eulerMaclaurinTailMatchesTheSum() {
    // The remainder is about the next Bernoulli term, a (a + 1) (a + 2) / 720 m^{-a-3} (a = 2 alpha); twice it
    // bounds the difference, and dropping the first Bernoulli term must break that bound.
    for (double alpha : new double[] {0.75, 1.0, 2.0}) {
      double a = 2 * alpha;
      double direct = 0.0;
      for (int j = 1000; j > 20; j--) {
        direct += Math.pow(j, -a);
      }
      double next = a * (a + 1) * (a + 2) / 720.0 * Math.pow(20, -a - 3);
      double em = ScalingLaws.eulerMaclaurinTail(20, 1000, alpha);
      assertThat(Math.abs(em - direct)).isLessThan(2 * next);
      double firstBernoulli = a / 12.0 * Math.pow(20, -a - 1);
      assertThat(Math.abs(em - firstBernoulli - direct)).isGreaterThan(2 * next);
    }
  }

  @Test
  void logLogInterpolationIsExactOnPowerLawsAndConstantBeyondTheGrid() {
    // y = 3 x^-1.5 is a line in (log x, log y), so the interpolant reproduces it between the nodes up to the
    // round-off of a few logarithms and one exponential.
    double[] x = FlowRiskCurve.logGrid(0.1, 100.0, 7);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 3 * Math.pow(x[i], -1.5);
    }
    for (double at : new double[] {0.17, 1.0, 2.5, 77.0}) {
      assertThat(FlowRiskCurve.logLogInterpolate(x, y, at)).isCloseTo(3 * Math.pow(at, -1.5),
          within(ROUND_OFF * 3 * Math.pow(at, -1.5)));
    }
    // The edges: the end values beyond the grid (and for NaN), the node value at a node, and a zero risk
    // (an underflow) enters the logarithm as the smallest normal double instead of giving NaN.
    assertThat(FlowRiskCurve.logLogInterpolate(x, y, 0.0)).isEqualTo(y[0]);
    assertThat(FlowRiskCurve.logLogInterpolate(x, y, Double.NaN)).isEqualTo(y[0]);
    assertThat(FlowRiskCurve.logLogInterpolate(x, y, 1e9)).isEqualTo(y[6]);
    assertThat(FlowRiskCurve.logLogInterpolate(x, y, x[3])).isEqualTo(y[3]);
    double[] zero = {1.0, 0.0};
    double mid = FlowRiskCurve.logLogInterpolate(new double[] {1.0, 2.0}, zero, Math.sqrt(2.0));
    assertThat(mid).isPositive().isLessThan(1e-150);
  }
}
