package org.qnnoracle.experiments;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.laws.AdditiveModel;
import org.qnnoracle.laws.EscapeTimes;
import org.qnnoracle.laws.FitWindow;
import org.qnnoracle.laws.FlowRiskCurve;
import org.qnnoracle.laws.ReducedStart;
import org.qnnoracle.laws.ScalingLaws;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveStability;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.stats.LinearFit;

/**
 * The experiments behind the LAWS-* claims (proofs-notes/scaling-laws.md): each runs the exact flow or the
 * effective dynamics against a prediction of {@link ScalingLaws}, {@link EscapeTimes} or {@link AdditiveModel}
 * and returns what it measured. The predictions themselves live in the laws package; the claims fix the
 * settings and judge.
 */
public final class LawsExperiments {
  /** Slope of s(x) = (1 + e^x)^{-2} at its steepest (e^x = 1/2): 2 (1/2) / (3/2)^3 = 8/27. */
  public static final double MAX_SIGMOID_SLOPE = 8.0 / 27.0;

  private LawsExperiments() {}

  // ----------------------------------------------------------------------------------------------------
  // LAWS-ESCAPE-TIME

  /**
   * Escape times of one random start against the three forms. Offsets are in e-folds of the linear phase,
   * 8 lambda_j |t_pred - t_j|; lowerBoundExcess is max_j 8 lambda_j (t_logistic(|q_j(0)|^2) - t_j), which the
   * comparison argument makes &lt;= 0.
   */
  public record EscapeResult(long d, long seed, double[] measured, double[] leading, double[] corrected,
      double lowerBoundExcess, double leadingOffset, double correctedOffset, double leadingRelative,
      double correctedRelative, double wrongRateOffset) {}

  public static EscapeResult escape(long d, int r, int m, double alpha, double sigma0, long seed) {
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    FlowState.Overlaps start = ReducedStart.sample(d, r, m, sigma0, seed);
    int count = Math.min(r, m);
    double mu = EscapeTimes.meanInitialOverlap(m, sigma0, d);
    double[] grid = FlowRiskCurve.logGrid(0.25 * EscapeTimes.leading(lambda[0], mu),
        3.0 * EscapeTimes.leading(lambda[count - 1], mu), 300);
    double[] measured = FlowRiskCurve.escapeTimes(lambda, start, grid, count);
    double[] available = EscapeTimes.availableOverlaps(start.q());
    double p0 = EscapeTimes.meanPerpendicular(start);
    double[] leading = new double[count];
    double[] corrected = new double[count];
    double lower = Double.NEGATIVE_INFINITY;
    double lo = 0.0;
    double co = 0.0;
    double lr = 0.0;
    double cr = 0.0;
    double wrong = 0.0;
    for (int j = 0; j < count; j++) {
      leading[j] = EscapeTimes.leading(lambda[j], mu);
      corrected[j] = EscapeTimes.corrected(lambda[j], available[j], p0);
      double e = 8.0 * lambda[j];
      double own = FlowRiskCurve.overlap(start, j);
      if (own < lambda[j]) {
        lower = Math.max(lower, e * (EscapeTimes.logistic(lambda[j], own) - measured[j]));
      }
      lo = Math.max(lo, e * Math.abs(leading[j] - measured[j]));
      co = Math.max(co, e * Math.abs(corrected[j] - measured[j]));
      lr = Math.max(lr, Math.abs(leading[j] / measured[j] - 1.0));
      cr = Math.max(cr, Math.abs(corrected[j] / measured[j] - 1.0));
      // The classic slip: the row grows like e^{4 lambda t}, so solving e^{4 lambda t} mu = lambda doubles t.
      wrong = Math.max(wrong, e * Math.abs(2.0 * corrected[j] - measured[j]));
    }
    return new EscapeResult(d, seed, measured, leading, corrected, lower, lo, co, lr, cr, wrong);
  }

  // ----------------------------------------------------------------------------------------------------
  // LAWS-ADDITIVE

  /**
   * max_t |R_additive - R_flow| / R(0) for the aligned start mu0 (exact decoupling).
   *
   * @param lambda the teacher's spectrum. Not modified.
   * @param mu0 the initial overlap of each direction. Not modified.
   */
  public static double alignedGap(double[] lambda, double[] mu0, int m, int points) {
    FlowState.Overlaps start = ReducedStart.aligned(mu0, m);
    AdditiveModel model = AdditiveModel.aligned(lambda, mu0, m);
    double last = 0.0;
    double first = Double.POSITIVE_INFINITY;
    for (int j = 0; j < Math.min(m, lambda.length); j++) {
      last = Math.max(last, model.escapeTimes()[j]);
      first = Math.min(first, model.escapeTimes()[j]);
    }
    double[] grid = FlowRiskCurve.logGrid(Math.max(first, 1e-3) * 0.1, 3.0 * last, points);
    double[] flow = FlowRiskCurve.risk(lambda, start, grid, FlowProgress.NONE);
    double r0 = model.risk(0.0);
    double worst = 0.0;
    for (int i = 0; i < grid.length; i++) {
      worst = Math.max(worst, Math.abs(model.risk(grid[i]) - flow[i]) / r0);
    }
    return worst;
  }

  /**
   * The additive model with corrected escape times against the flow from a random start: the sup gap over the
   * run relative to R(0), the same for the leading-time model, and the sigmoid-shift bound
   * 2 sum_j lambda_j^2 (8/27) eps_j / R(0) implied by the measured escape offsets eps_j (in e-folds).
   */
  public record AdditiveGap(long d, long seed, double correctedGap, double leadingGap, double shiftBound) {}

  public static AdditiveGap randomStartGap(long d, int r, int m, double alpha, double sigma0, long seed) {
    EscapeResult esc = escape(d, r, m, alpha, sigma0, seed);
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    FlowState.Overlaps start = ReducedStart.sample(d, r, m, sigma0, seed);
    double[] available = EscapeTimes.availableOverlaps(start.q());
    AdditiveModel corrected = AdditiveModel.corrected(lambda, available, EscapeTimes.meanPerpendicular(start));
    AdditiveModel leading = AdditiveModel.leading(lambda, m, sigma0, d);
    int count = Math.min(r, m);
    double[] grid = FlowRiskCurve.logGrid(0.25 * esc.leading()[0], 3.0 * esc.leading()[count - 1], 300);
    double[] flow = FlowRiskCurve.risk(lambda, start, grid, FlowProgress.NONE);
    double r0 = corrected.risk(0.0);
    double gc = 0.0;
    double gl = 0.0;
    for (int i = 0; i < grid.length; i++) {
      gc = Math.max(gc, Math.abs(corrected.risk(grid[i]) - flow[i]) / r0);
      gl = Math.max(gl, Math.abs(leading.risk(grid[i]) - flow[i]) / r0);
    }
    double bound = 0.0;
    for (int j = 0; j < count; j++) {
      double eps = 8.0 * lambda[j] * Math.abs(esc.corrected()[j] - esc.measured()[j]);
      bound += 2.0 * lambda[j] * lambda[j] * MAX_SIGMOID_SLOPE * eps;
    }
    return new AdditiveGap(d, seed, gc, gl, bound / r0);
  }

  // ----------------------------------------------------------------------------------------------------
  // LAWS-TIME-EXPONENT

  /** The additive (leading) model's fitted exponent at (d, r = m), alone: O(r) per time, any size. */
  public record PathPoint(long d, int r, double exponent, double standardError, double logCorrected) {}

  public static PathPoint additivePathPoint(long d, int r, double alpha, double sigma0, int points) {
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    FitWindow window = FitWindow.timeLaw(lambda, r);
    AdditiveModel model = AdditiveModel.leading(lambda, r, sigma0, d);
    double[] times = FlowRiskCurve.logGrid(0.25 * model.escapeTimes()[0],
        2.0 * model.escapeTimes()[window.jHigh() - 1], points);
    LinearFit fit = window.fit(times, model.risk(times));
    int jMid = (int) Math.round(Math.sqrt((double) window.jLow() * window.jHigh()));
    double logFactor = Math.log(lambda[jMid - 1] / EscapeTimes.meanInitialOverlap(r, sigma0, d));
    return new PathPoint(d, r, fit.slope(), fit.standardError(), ScalingLaws.localTimeSlope(alpha, logFactor));
  }

  // ----------------------------------------------------------------------------------------------------
  // LAWS-WIDTH-FLOOR

  /**
   * The flow's risk from a random start at a time past the m-th escape by 40 / (8 (lambda_m - lambda_{m+1})):
   * the slowest mode of the approach to the top-m solution decays like e^{-8 (lambda_m - lambda_{m+1}) t} in
   * the risk, so what is left of it is about e^{-40} of its size at the escape.
   */
  public static double flowFloor(long d, int r, int m, double alpha, double sigma0, long seed) {
    require(m < r, "a width floor needs m < r");
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    double mu = EscapeTimes.meanInitialOverlap(m, sigma0, d);
    double t = 2.0 * EscapeTimes.leading(lambda[m - 1], mu) + 40.0 / (8.0 * (lambda[m - 1] - lambda[m]));
    FlowState.Overlaps start = ReducedStart.sample(d, r, m, sigma0, seed);
    return FlowRiskCurve.risk(lambda, start, new double[] {t}, FlowProgress.NONE)[0];
  }

  // ----------------------------------------------------------------------------------------------------
  // LAWS-ISOTROPIC

  /** Samples to reach risk {@code target} on the effective ODE at alpha = 0, m = r, eta = c / d; NaN if never. */
  public record IsotropicRun(long d, int r, double c, double logFactor, double tHit, double samples) {}

  public static IsotropicRun isotropic(long d, int r, double sigma0, double cFraction, double target, long seed) {
    double[] lambda = ScalingLaws.lambdas(r, 0.0);
    FlowState.Overlaps start = ReducedStart.sample(d, r, r, sigma0, seed);
    double c = cFraction * EffectiveStability.learnedModeCriticalC(lambda, (int) d, 1);
    double mu = EscapeTimes.meanInitialOverlap(r, sigma0, d);
    double tEsc = EscapeTimes.leading(lambda[0], mu);
    double[] grid = FlowRiskCurve.logGrid(0.5 * tEsc, 6.0 * tEsc, 400);
    EffectiveTrajectory tr = EffectiveDynamics.scaledEta(lambda, (int) d, 1, 0.0, c).solve(start, grid, 1e-8);
    double hit = Double.NaN;
    for (int i = 1; i < tr.observables().size(); i++) {
      double a = tr.observables().get(i - 1).risk();
      double b = tr.observables().get(i).risk();
      if (b <= target && a > target) {
        // Log-linear interpolation between the bracketing output times.
        double w = Math.log(a / target) / Math.log(a / b);
        hit = Math.exp((1.0 - w) * Math.log(grid[i - 1]) + w * Math.log(grid[i]));
        break;
      }
    }
    return new IsotropicRun(d, r, c, Math.log(lambda[0] / mu), hit, ScalingLaws.samplesForTime(hit, c, d, 1));
  }

  /** Least squares y = b0 + b1 x1 + b2 x2 with standard errors (normal equations; 3 x 3). */
  public record PlaneFit(double[] coefficients, double[] standardErrors, int n) {}

  /** The plane fit of {@link PlaneFit}; x1, x2 and y (at least 4 points each) are not modified. */

  public static PlaneFit planeFit(double[] x1, double[] x2, double[] y) {
    int n = y.length;
    require(n >= 4 && x1.length == n && x2.length == n, "a plane fit needs at least 4 points");
    double[][] xtx = new double[3][3];
    double[] xty = new double[3];
    for (int i = 0; i < n; i++) {
      double[] row = {1.0, x1[i], x2[i]};
      for (int a = 0; a < 3; a++) {
        xty[a] += row[a] * y[i];
        for (int b = 0; b < 3; b++) {
          xtx[a][b] += row[a] * row[b];
        }
      }
    }
    double[][] inv = new org.hipparchus.linear.LUDecomposition(
        new org.hipparchus.linear.Array2DRowRealMatrix(xtx)).getSolver().getInverse().getData();
    double[] beta = new double[3];
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        beta[a] += inv[a][b] * xty[b];
      }
    }
    double rss = 0.0;
    for (int i = 0; i < n; i++) {
      double e = y[i] - beta[0] - beta[1] * x1[i] - beta[2] * x2[i];
      rss += e * e;
    }
    double s2 = rss / Math.max(1, n - 3);
    double[] se = new double[3];
    for (int a = 0; a < 3; a++) {
      se[a] = Math.sqrt(s2 * inv[a][a]);
    }
    return new PlaneFit(beta, se, n);
  }

  // ----------------------------------------------------------------------------------------------------
  // LAWS-SLOW-DECAY

  /**
   * The first grid time at which the risk is at most half its initial value r0 (log-linear interpolation), or
   * NaN if it never gets there.
   *
   * @param times the grid, increasing. Not modified.
   * @param risk the risk at each grid time. Not modified.
   */
  public static double halfTime(double[] times, double[] risk, double r0) {
    for (int i = 1; i < times.length; i++) {
      if (risk[i] <= 0.5 * r0 && risk[i - 1] > 0.5 * r0) {
        double w = Math.log(risk[i - 1] / (0.5 * r0)) / Math.log(risk[i - 1] / risk[i]);
        return Math.exp((1.0 - w) * Math.log(times[i - 1]) + w * Math.log(times[i]));
      }
    }
    return Double.NaN;
  }

  /** Half-risk times of the exact flow and of the leading additive model at (d, r = m). */
  public record HalfTimes(int r, double flow, double additive, double learnedFraction) {}

  public static HalfTimes halfTimes(long d, int r, double alpha, double sigma0, long seed) {
    double[] lambda = ScalingLaws.lambdas(r, alpha);
    AdditiveModel model = AdditiveModel.leading(lambda, r, sigma0, d);
    double tPred = Double.NaN;
    double[] probe = FlowRiskCurve.logGrid(0.1 * model.escapeTimes()[0], 3.0 * model.escapeTimes()[r - 1], 2000);
    double r0 = model.risk(0.0);
    tPred = halfTime(probe, model.risk(probe), r0);
    double[] grid = FlowRiskCurve.logGrid(0.2 * model.escapeTimes()[0], 2.0 * tPred, 240);
    FlowState.Overlaps start = ReducedStart.sample(d, r, r, sigma0, seed);
    double[] flow = FlowRiskCurve.risk(lambda, start, grid, FlowProgress.NONE);
    double tFlow = halfTime(grid, flow, r0);
    int learned = 0;
    for (double t : model.escapeTimes()) {
      learned += t <= tPred ? 1 : 0;
    }
    return new HalfTimes(r, tFlow, tPred, (double) learned / r);
  }
}
