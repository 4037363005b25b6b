package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.function.DoubleUnaryOperator;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;

/**
 * Online SGD at eta = c / d, batch b: n samples reach SGD time t = n c / (d b), so the sample law is the time law
 * read through that clock, until the gradient noise at fixed c stops the risk above the best achievable one
 * (proofs-notes/scaling-laws.md, section 6).
 *
 * <p>Stationary excess, first order in c ({@link #excessSlope}): at the flow's limit with m &lt;= r the student
 * holds the top m directions (G = diag(lambda_1..lambda_m) in its own basis, W^T B^2 W = 0, G^2 = Q^T Lambda Q),
 * so the effective dynamics dP/dt = -4 (G P + P G) + 4 eta bracket settles at G P + P G = eta bracket with
 * bracket = [(2d + 10) tr(B^2) + s^2 (d + 1)] G / b, tr(B^2) = floor0 / 2. Q's drift has no eta^2 term, so to
 * first order Q^T Q = G - P and the risk grows by 4 tr(Q P Q^T) = 4 tr(G P) = 2 eta tr(bracket):
 * kappa = dR/dc = (2 / b) [(1 + 5/d) floor0 + (1 + 1/d) s^2] sum_{a &lt;= m} lambda_a.
 *
 * <p>Best c for a target n ({@link #bestC}): minimise R0(n c / (d b)) + kappa c over c, R0 the population flow's
 * risk (c = 0), by golden-section search in log c: the flow term falls with c, the noise term grows.
 */
public final class SampleLaw {
  private SampleLaw() {}

  /** kappa = dR_floor / dc at c = 0 for m &lt;= r (see class comment); the floor itself is 2 sum_{j &gt; m} lambda_j^2. */
  public static double excessSlope(double[] lambda, int m, long d, int batch, double s2) {
    require(m >= 1 && m <= lambda.length, "the excess slope is derived for 1 <= m <= r, got m = " + m);
    require(d >= 1 && batch >= 1 && s2 >= 0.0, "the excess slope needs d >= 1, batch >= 1, s^2 >= 0");
    double learned = 0.0;
    for (int a = 0; a < m; a++) {
      learned += lambda[a];
    }
    return excessSlope(ScalingLaws.tailRisk(lambda, m), learned, d, batch, s2);
  }

  /**
   * The same first-order excess slope at any state of the student, taken as quasi-static
   * (proofs-notes/scaling-laws.md, section 10): the unlearned part of the teacher acts as label noise of
   * variance tr(B^2) = R / 2 and the learned block relaxes with tr G in place of the learned sum:
   * kappa = (2 / b) [(1 + 5/d) R + (1 + 1/d) s^2] tr G. At the flow's limit with m &lt;= r (R = the floor,
   * tr G = sum_{a &lt;= m} lambda_a) it is the slope above.
   *
   * @param risk the population risk R of the current state (the flow's, c = 0)
   * @param traceG tr G = tr M of the current state (M the student matrix; G = P + Q^T Q in overlap coordinates)
   */
  public static double excessSlope(double risk, double traceG, long d, int batch, double s2) {
    require(d >= 1 && batch >= 1 && s2 >= 0.0, "the excess slope needs d >= 1, batch >= 1, s^2 >= 0");
    return 2.0 / batch * ((1.0 + 5.0 / d) * risk + (1.0 + 1.0 / d) * s2) * traceG;
  }

  /**
   * The largest c the best-c search considers. For m &gt;= r and s = 0 there is no floor and the best c is
   * limited by stability alone: half the learned-mode critical c. Otherwise the prediction is first order in c,
   * so the search stays at a quarter of the linear-stability limit, where the excess is within about 30% of
   * kappa c (measured 0.027 against 0.021 at c = 0.04 for r = 6, m = 3, alpha = 1, whose limit is 0.167).
   */
  public static double searchCeiling(double[] lambda, int m, int d, int batch, double s2) {
    if (m >= lambda.length && s2 == 0.0) {
      return 0.5 * org.qnnoracle.sgd.EffectiveStability.learnedModeCriticalC(lambda, d, batch);
    }
    return 0.25 * org.qnnoracle.sgd.EffectiveStability.linearCriticalC(lambda, m, d, batch, s2, 0.01 * batch,
        10.0 * batch, 1e-5);
  }

  /**
   * The effective ODE's risk at SGD time t from {@code start} at eta = c / d, batch b, label noise s^2 (rtol
   * 1e-10), or NaN if it diverged: the risk online SGD reaches on average at that c, beyond first order in c.
   */
  public static double effectiveRisk(double[] lambda, long d, int batch, double s2, double c,
      FlowState.Overlaps start, double t) {
    EffectiveTrajectory tr = EffectiveDynamics.scaledEta(lambda, (int) d, batch, s2, c)
        .solve(start, new double[] {t}, 1e-10);
    return tr.diverged() ? Double.NaN : tr.lastObservables().risk();
  }

  /** The predicted risk after n samples at constant c: R0(n c / (d b)) + kappa c. */
  public static double predictedRisk(DoubleUnaryOperator flowRisk, double kappa, double n, double c, long d,
      int batch) {
    return flowRisk.applyAsDouble(ScalingLaws.timeForSamples(n, c, d, batch)) + kappa * c;
  }

  /**
   * The c in [cMin, cMax] minimising {@link #predictedRisk}: a scan of 48 log-spaced c, then golden-section
   * refinement between the neighbours of the best scanned value. The scan is needed because R0 has a plateau
   * before the first escape (a flat stretch where golden section alone can stall at an end of the range).
   */
  public static double bestC(DoubleUnaryOperator flowRisk, double kappa, double n, long d, int batch, double cMin,
      double cMax) {
    return argminLog(c -> predictedRisk(flowRisk, kappa, n, c, d, batch), cMin, cMax);
  }

  /**
   * The c in [cMin, cMax] minimising {@code risk(c)}: 48 log-spaced values scanned, then golden section in log c
   * between the neighbours of the best one (to 1e-6 in log c).
   */
  public static double argminLog(DoubleUnaryOperator risk, double cMin, double cMax) {
    require(cMin > 0.0 && cMax > cMin, "the c range needs 0 < cMin < cMax");
    int k = 48;
    double step = Math.log(cMax / cMin) / (k - 1);
    double best = Double.POSITIVE_INFINITY;
    int at = 0;
    for (int i = 0; i < k; i++) {
      double v = risk.applyAsDouble(cMin * Math.exp(step * i));
      if (v < best) {
        best = v;
        at = i;
      }
    }
    return goldenSection(risk, cMin * Math.exp(step * Math.max(0, at - 1)),
        cMin * Math.exp(step * Math.min(k - 1, at + 1)));
  }

  private static double goldenSection(DoubleUnaryOperator risk, double cMin, double cMax) {
    DoubleUnaryOperator f = u -> risk.applyAsDouble(Math.exp(u));
    double lo = Math.log(cMin);
    double hi = Math.log(cMax);
    double g = (Math.sqrt(5.0) - 1.0) / 2.0;
    double x1 = hi - g * (hi - lo);
    double x2 = lo + g * (hi - lo);
    double f1 = f.applyAsDouble(x1);
    double f2 = f.applyAsDouble(x2);
    while (hi - lo > 1e-6) {
      if (f1 <= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - g * (hi - lo);
        f1 = f.applyAsDouble(x1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + g * (hi - lo);
        f2 = f.applyAsDouble(x2);
      }
    }
    return Math.exp(0.5 * (lo + hi));
  }
}
