package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.List;
import org.qnnoracle.sgd.SgdRiskCurve;

/**
 * Risk against compute for online SGD and its compute-optimal frontier over widths (proofs-notes/scaling-laws.md,
 * section 9). Compute is counted in flops of the SGD step itself ({@link SgdRiskCurve#flopsPerStep}, the one place
 * of that count, labels at the canonical basis included); a width's curve is its
 * risk R_m(t) with t = steps x eta, and the frontier is the lower envelope over widths of R_m as a function of
 * compute. A width too small sits on its floor 2 sum_{j>m} lambda_j^2, one too large pays for columns that learn
 * nothing yet, so the best width at compute C is about the number of directions learned by the time C buys.
 */
public final class ComputeFrontier {
  private ComputeFrontier() {}

  /**
   * The share of the width in the compute: phi = d log F / d log m for F = {@link SgdRiskCurve#flopsPerStep} (m
   * taken as continuous; F is affine in m), about 4 b d m / (4 b d m + 3 b r): near 1 unless the labels' 3 b r
   * rivals the student's 4 b d m.
   */
  public static double widthShare(long d, int r, int m, int batch) {
    return widthShareAt(d, r, m, batch);
  }

  /** Compute (flops) to reach SGD time t with step size eta: t / eta steps of {@link SgdRiskCurve#flopsPerStep}. */
  public static double computeForTime(double t, double eta, long d, int r, int m, int batch) {
    require(eta > 0.0 && t >= 0.0, "compute needs eta > 0 and t >= 0");
    return t / eta * SgdRiskCurve.flopsPerStep(d, m, r, batch);
  }

  /**
   * The local exponent d log R / d log C of the frontier where J directions are learned (section 9). A student of
   * width m learns direction J at 8 lambda_J t = L, L = log(lambda_J d / (a sigma0^2)), a = m - J + 1 the columns
   * still free for it: a wider student escapes sooner but pays phi = {@link #widthShare} of the compute. At fixed
   * compute, d log J / d log m = (1 - L phi) / (alpha (L - 1)). (i) While phi L &lt; 1 the teacher's labels dominate
   * the cost, the best width grows past J until phi = 1 / L, and the frontier is the time law at that width:
   * tailSlope L / (alpha (L - 1)). (ii) Otherwise the best width is m = kappa J with kappa = phi L / (phi L - 1)
   * (the balance of the free columns' log against the compute, {@link #predict}), and with m moving with J:
   * tailSlope L / (alpha (L - 1) - 1 + L phi). The two agree at phi L = 1. tailSlope is d log tail / d log J of
   * 2 sum_{j>J} lambda_j^2, -(2 alpha - 1) for J &lt;&lt; r; for large L (ii) tends to -(2 alpha - 1) / (alpha +
   * phi), and to -(2 alpha - 1) / (alpha + 1) when the labels cost nothing.
   *
   * @param logFactor L of direction J at the best width
   * @param phi the width share of the compute at the best width
   * @param tailSlope d log tail / d log J at J (negative)
   */
  public static double localExponent(double alpha, double logFactor, double phi, double tailSlope) {
    require(alpha > 0.5, "the frontier law needs alpha > 1/2, got " + alpha);
    require(logFactor > 1.0 + 1.0 / alpha, "the log factor must exceed 1 + 1/alpha, got " + logFactor);
    require(phi >= 0.0 && phi <= 1.0, "the width share must be in [0, 1], got " + phi);
    require(tailSlope < 0.0, "the tail slope must be negative, got " + tailSlope);
    if (phi * logFactor < 1.0) {
      return tailSlope * logFactor / (alpha * (logFactor - 1.0));
    }
    return tailSlope * logFactor / (alpha * (logFactor - 1.0) - 1.0 + logFactor * phi);
  }

  /**
   * The derived frontier at J learned directions ({@link #localExponent}, section 9).
   *
   * @param widthRatio kappa = best width / J (regime (ii)); in regime (i) the width where phi L = 1, over J
   * @param labelsDominate regime (i): phi L &lt; 1 at every width up to r
   */
  public record Prediction(int j, double widthRatio, double logFactor, double widthShare, double tailSlope,
      boolean labelsDominate, double exponent) {}

  /**
   * The derived frontier at J: kappa from the fixed point kappa = phi L / (phi L - 1) with phi and L taken at
   * m = kappa J (L with the J-th direction's free columns (kappa - 1) J), iterated from kappa = 2; regime (i) when
   * phi L stays below 1 (then the width solves phi L = 1 at free columns m - J, by bisection in [J, r]). The tail
   * slope is the central difference of log tail over log J at J +- 1.
   *
   * @param lambda the teacher's coefficients, decreasing. Not modified.
   * @param j learned directions, 2 &lt;= j &lt; r - 1
   */
  public static Prediction predict(double[] lambda, int j, long d, double alpha, double sigma0, int batch) {
    int r = lambda.length;
    require(j >= 2 && j < r - 1, "the frontier prediction needs 2 <= J < r - 1, got J = " + j + ", r = " + r);
    double lj = lambda[j - 1];
    double tailSlope = (Math.log(ScalingLaws.tailRisk(lambda, j + 1)) - Math.log(ScalingLaws.tailRisk(lambda, j - 1)))
        / (Math.log(j + 1.0) - Math.log(j - 1.0));
    double kappa = 2.0;
    boolean labels = false;
    for (int it = 0; it < 200; it++) {
      double m = Math.min(kappa * j, r);
      double logFactor = Math.log(lj * d / ((m - j + 1.0) * sigma0 * sigma0));
      double phiL = widthShareAt(d, r, m, batch) * logFactor;
      if (phiL <= 1.0) {
        labels = true;
        break;
      }
      double next = phiL / (phiL - 1.0);
      if (Math.abs(next - kappa) <= 1e-12 * kappa) {
        kappa = next;
        break;
      }
      kappa = next;
    }
    if (labels) {
      double lo = j;
      double hi = r;
      for (int it = 0; it < 200 && hi - lo > 1e-9 * hi; it++) {
        double m = 0.5 * (lo + hi);
        double phiL = widthShareAt(d, r, m, batch) * Math.log(lj * d / ((m - j + 1.0) * sigma0 * sigma0));
        if (phiL < 1.0) {
          lo = m;
        } else {
          hi = m;
        }
      }
      kappa = 0.5 * (lo + hi) / j;
    }
    double m = Math.min(kappa * j, r);
    double logFactor = Math.log(lj * d / ((m - j + 1.0) * sigma0 * sigma0));
    double phi = widthShareAt(d, r, m, batch);
    return new Prediction(j, kappa, logFactor, phi, tailSlope, labels,
        localExponent(alpha, logFactor, Math.min(1.0, phi), tailSlope));
  }

  /**
   * The derived exponent over a fit window of learned directions [jLow, jHigh]: what a log-log fit of a curve with
   * the local exponents e(J) = {@link #predict} sees, log C being the sum of the steps d log R / e(J). Each step
   * from J to J + 1 lowers log R by log(tail(J) / tail(J + 1)); so e_window = log(tail(jLow) / tail(jHigh)) /
   * sum_J log(tail(J) / tail(J + 1)) / e(J), the weighted harmonic mean of the local exponents.
   *
   * @param lambda the teacher's coefficients, decreasing. Not modified.
   */
  public static double windowExponent(double[] lambda, int jLow, int jHigh, long d, double alpha, double sigma0,
      int batch) {
    require(jLow >= 2 && jHigh > jLow && jHigh < lambda.length - 1, "the window must satisfy 2 <= jLow < jHigh < r - 1");
    double logC = 0.0;
    for (int j = jLow; j < jHigh; j++) {
      double step = Math.log(ScalingLaws.tailRisk(lambda, j) / ScalingLaws.tailRisk(lambda, j + 1));
      logC += step / -predict(lambda, j, d, alpha, sigma0, batch).exponent();
    }
    return -Math.log(ScalingLaws.tailRisk(lambda, jLow) / ScalingLaws.tailRisk(lambda, jHigh)) / logC;
  }

  /** {@link #widthShare} at a continuous width m &gt;= 1. */
  private static double widthShareAt(long d, int r, double m, int batch) {
    // F is affine in m: F(m) = F(1) + (m - 1) F', F' = F(2) - F(1), and d log F / d log m = m F' / F(m)
    double f1 = SgdRiskCurve.flopsPerStep(d, 1, r, batch);
    double slope = SgdRiskCurve.flopsPerStep(d, 2, r, batch) - f1;
    return m * slope / (f1 + (m - 1.0) * slope);
  }

  /**
   * One width's risk curve against compute.
   *
   * @param m the width
   * @param compute increasing compute values (flops). Not modified, copied.
   * @param risk the risk at each. Not modified, copied.
   */
  public record Curve(int m, double[] compute, double[] risk) {
    public Curve {
      require(compute.length == risk.length && compute.length >= 2, "a curve needs as many risks as computes (>= 2)");
      compute = compute.clone();
      risk = risk.clone();
    }

    @Override
    public double[] compute() {
      return compute.clone();
    }

    @Override
    public double[] risk() {
      return risk.clone();
    }

    /**
     * The risk at compute c by {@link FlowRiskCurve#logLogInterpolate}, constant beyond the curve's ends: before its
     * first point the student has not moved from its start, after its last it has settled (a caller runs every
     * width until it has learned what it can).
     */
    public double riskAt(double c) {
      return FlowRiskCurve.logLogInterpolate(compute, risk, c);
    }
  }

  /**
   * The lower envelope of the curves on a compute grid.
   *
   * @param compute the grid. Not modified, copied.
   * @param risk the smallest risk over the curves covering each grid point
   * @param bestWidth the width that attains it
   */
  public record Envelope(double[] compute, double[] risk, int[] bestWidth) {
    public Envelope {
      compute = compute.clone();
      risk = risk.clone();
      bestWidth = bestWidth.clone();
    }

    @Override
    public double[] compute() {
      return compute.clone();
    }

    @Override
    public double[] risk() {
      return risk.clone();
    }

    @Override
    public int[] bestWidth() {
      return bestWidth.clone();
    }
  }

  /**
   * The lower envelope of {@code curves} on {@code grid}: at each compute the smallest risk among the curves
   * ({@link Curve#riskAt}), and the width that attains it (the narrower one on a tie).
   *
   * @param grid increasing compute values. Not modified.
   */
  public static Envelope envelope(List<Curve> curves, double[] grid) {
    require(!curves.isEmpty(), "an envelope needs at least one curve");
    double[] risk = new double[grid.length];
    int[] best = new int[grid.length];
    for (int i = 0; i < grid.length; i++) {
      risk[i] = Double.POSITIVE_INFINITY;
      for (Curve c : curves) {
        double v = c.riskAt(grid[i]);
        if (v < risk[i]) {
          risk[i] = v;
          best[i] = c.m();
        }
      }
    }
    return new Envelope(grid, risk, best);
  }
}
