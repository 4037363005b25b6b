package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.ReducedExactPropagator;
import org.qnnoracle.model.Risk;

/**
 * The population flow's risk curve and escape times from a start in overlap coordinates, by the exact reduced
 * propagator (flow.ReducedExactPropagator: cost independent of d, exact up to round-off at any time).
 */
public final class FlowRiskCurve {
  /** Relative precision of an escape time: bisection stops when the bracket is this small. */
  public static final double ESCAPE_TIME_RTOL = 1e-10;

  private FlowRiskCurve() {}

  /** Times t_0 * ratio^k, k = 0..points-1, ending at tMax (geometric, for log-log plots and fits). */
  public static double[] logGrid(double tMin, double tMax, int points) {
    require(tMin > 0.0 && tMax > tMin && points >= 2, "a log grid needs 0 < tMin < tMax and 2 points");
    double[] t = new double[points];
    double step = Math.log(tMax / tMin) / (points - 1);
    for (int i = 0; i < points; i++) {
      t[i] = tMin * Math.exp(step * i);
    }
    t[points - 1] = tMax;
    return t;
  }

  /**
   * The distinct SGD steps of a log grid of times: round(t / eta), at least 1, for {@code logGrid(tMin, tMax,
   * points)}; increasing, so at most {@code points} of them.
   */
  public static long[] stepGrid(double tMin, double tMax, int points, double eta) {
    require(eta > 0.0 && Double.isFinite(eta), "eta must be > 0, got " + eta);
    java.util.TreeSet<Long> set = new java.util.TreeSet<>();
    for (double t : logGrid(tMin, tMax, points)) {
      set.add(Math.max(1L, Math.round(t / eta)));
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }

  /** R(t) = 2 |M - A|_F^2 at each time. */
  public static double[] risk(double[] lambda, FlowState.Overlaps start, double[] times, FlowProgress progress) {
    List<FlowState> states = ReducedExactPropagator.trajectory(lambda, start, times, progress);
    double[] out = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      FlowState.Overlaps s = (FlowState.Overlaps) states.get(i);
      out[i] = Risk.fromOverlaps(s.q(), s.p(), lambda);
    }
    return out;
  }

  /**
   * The flow's risk on the log grid {@code logGrid(tMin, tMax, points)} as a function of t: the one
   * interpolation between grid times, {@link #logLogInterpolate} (constant outside the grid).
   */
  public static DoubleUnaryOperator interpolant(double[] lambda, FlowState.Overlaps start, double tMin,
      double tMax, int points) {
    double[] grid = logGrid(tMin, tMax, points);
    double[] risk = risk(lambda, start, grid, FlowProgress.NONE);
    return t -> logLogInterpolate(grid, risk, t);
  }

  /**
   * Piecewise linear interpolation in (log x, log y) between the nodes (x_i, y_i), x strictly increasing and
   * positive. Edges: at or below x_0, and for a NaN {@code at}, it is y_0; at or above the last node the last
   * y (constant beyond the grid's ends, where a risk curve has not started or has settled); at a node, y_i
   * itself. A y_i below the smallest normal double (a risk that underflowed to 0, or a round-off negative)
   * enters the logarithm as Double.MIN_NORMAL, so the interpolant stays finite and positive there.
   *
   * @param x the nodes, increasing. Not modified.
   * @param y the values at the nodes. Not modified.
   */
  public static double logLogInterpolate(double[] x, double[] y, double at) {
    if (!(at > x[0])) {
      return y[0];
    }
    if (at >= x[x.length - 1]) {
      return y[y.length - 1];
    }
    int i = Arrays.binarySearch(x, at);
    if (i >= 0) {
      return y[i];
    }
    i = -i - 2;
    double w = Math.log(at / x[i]) / Math.log(x[i + 1] / x[i]);
    return Math.exp((1.0 - w) * Math.log(Math.max(y[i], Double.MIN_NORMAL))
        + w * Math.log(Math.max(y[i + 1], Double.MIN_NORMAL)));
  }

  /** |row j of Q|^2 = theta_j^T M theta_j. */
  public static double overlap(FlowState.Overlaps s, int j) {
    double sum = 0.0;
    for (double x : s.q()[j]) {
      sum += x * x;
    }
    return sum;
  }

  /**
   * The first time each direction j &lt; count has overlap &gt;= lambda_j / 2, scanning the grid {@code times}
   * and refining each crossing by bisection (re-propagating from the last state before it). A direction that
   * has not crossed by the last grid time gets +infinity. Directions that cross and fall back are reported at
   * their first crossing.
   */
  public static double[] escapeTimes(double[] lambda, FlowState.Overlaps start, double[] times, int count) {
    require(count >= 1 && count <= lambda.length, "count must lie in 1..r");
    double[] out = new double[count];
    java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
    FlowState.Overlaps prev = start;
    int open = count;
    for (double t : times) {
      FlowState.Overlaps cur = ReducedExactPropagator.advance(lambda, prev, t - prev.t());
      for (int j = 0; j < count; j++) {
        if (out[j] == Double.POSITIVE_INFINITY && overlap(cur, j) >= 0.5 * lambda[j]) {
          out[j] = bisect(lambda, prev, t, j);
          open--;
        }
      }
      prev = cur;
      if (open == 0) {
        break;
      }
    }
    return out;
  }

  private static double bisect(double[] lambda, FlowState.Overlaps from, double tHigh, int j) {
    double lo = from.t();
    double hi = tHigh;
    FlowState.Overlaps base = from;
    while (hi - lo > ESCAPE_TIME_RTOL * hi) {
      double mid = 0.5 * (lo + hi);
      FlowState.Overlaps s = ReducedExactPropagator.advance(lambda, base, mid - base.t());
      if (overlap(s, j) >= 0.5 * lambda[j]) {
        hi = mid;
      } else {
        lo = mid;
        base = s;
      }
    }
    return 0.5 * (lo + hi);
  }
}
