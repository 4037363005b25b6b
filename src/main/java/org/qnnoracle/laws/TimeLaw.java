package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.stats.LinearFit;

/**
 * One point of a time-law sweep: the exact population flow's risk curve from the model's random start at
 * (d, r, m), drawn in overlap coordinates ({@link ReducedStart}) so d can be anything, the exponent fitted over
 * the documented window ({@link FitWindow}), and the same fit of the additive model with the corrected escape
 * times of the same start (available overlaps, P's decay): the finite-size prediction. The asymptotic exponent
 * is {@link ScalingLaws#timeExponent}; {@link #logCorrectedExponent} is the asymptote with the log factor.
 */
public record TimeLaw(
    long d, int r, int m, double alpha, double sigma0, long seed,
    double[] times, double[] risk, double[] predictedRisk,
    FitWindow window, LinearFit fit, LinearFit predictedFit, double logFactor) {

  /** Output times per run: enough for about 40 points per decade of t inside the window. */
  public static final int DEFAULT_POINTS = 240;

  /**
   * Runs the flow from t = t_1 / 4 (a quarter of the first leading escape time) to 2 t_{jHigh} on a geometric
   * grid. logFactor is L = log(lambda_J / mu0) at the window's geometric middle J.
   */
  public static TimeLaw run(long d, int r, int m, double alpha, double sigma0, long seed, int points,
      FlowProgress progress) {
    require(alpha > 0.5, "the time law needs alpha > 1/2, got " + alpha);
    require(points >= 20, "a time-law run needs at least 20 output times, got " + points);
    double[] lambda = PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
    FitWindow window = FitWindow.timeLaw(lambda, m);
    double[] times = grid(lambda, m, sigma0, d, points);
    FlowState.Overlaps start = ReducedStart.sample(d, r, m, sigma0, seed);
    AdditiveModel additive = additive(lambda, start);
    double[] risk = FlowRiskCurve.risk(lambda, start, times, progress);
    double[] predicted = additive.risk(times);
    int jMid = (int) Math.round(Math.sqrt((double) window.jLow() * window.jHigh()));
    double logFactor = Math.log(lambda[jMid - 1] / EscapeTimes.meanInitialOverlap(m, sigma0, d));
    return new TimeLaw(d, r, m, alpha, sigma0, seed, times, risk, predicted, window, window.fit(times, risk),
        window.fit(times, predicted), logFactor);
  }

  /**
   * The time-law grid: {@code points} log-spaced times from a quarter of the first leading escape time to twice the
   * escape time of direction jHigh of the time-law window (so the window lies inside with room on both sides).
   */
  public static double[] grid(double[] lambda, int m, double sigma0, long d, int points) {
    FitWindow window = FitWindow.timeLaw(lambda, m);
    AdditiveModel leading = AdditiveModel.leading(lambda, m, sigma0, d);
    double tStart = 0.25 * leading.escapeTimes()[0];
    double tEnd = 2.0 * leading.escapeTimes()[window.jHigh() - 1];
    require(tStart > 0.0, "the start is too large for an escape-time law: m sigma0^2 / d must be below lambda_1");
    return FlowRiskCurve.logGrid(tStart, tEnd, points);
  }

  /** The additive model with the corrected escape times of {@code start}: the flow's finite-size prediction. */
  public static AdditiveModel additive(double[] lambda, FlowState.Overlaps start) {
    return AdditiveModel.corrected(lambda, EscapeTimes.availableOverlaps(start.q()),
        EscapeTimes.meanPerpendicular(start));
  }

  /** timeExponent(alpha) L / (L - 1): the asymptote with the log factor's correction. */
  public double logCorrectedExponent() {
    return ScalingLaws.localTimeSlope(alpha, logFactor);
  }
}
