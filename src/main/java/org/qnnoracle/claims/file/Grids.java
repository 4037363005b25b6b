package org.qnnoracle.claims.file;

import java.util.Map;
import org.matheclipse.core.interfaces.IExpr;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.laws.FlowRiskCurve;

/** A claim's grid as numbers in its own unit, its expressions evaluated with the setting's numbers. */
final class Grids {
  private Grids() {}

  static double[] points(FileClaim.Grid g, Map<String, IExpr> scalars, String id) {
    double[] x;
    if (g.uniform() != null) {
      x = FlowTime.uniformGrid(g.uniform()[0], (int) g.uniform()[1]);
    } else if (g.log() != null) {
      double lo = Expressions.number(g.log().get(0), scalars, id + ": grid.log's lo");
      double hi = Expressions.number(g.log().get(1), scalars, id + ": grid.log's hi");
      InvalidInputException.require(lo > 0.0 && hi > lo, id + ": grid.log needs 0 < lo < hi, got "
          + Numbers.format(lo) + ", " + Numbers.format(hi));
      x = FlowRiskCurve.logGrid(lo, hi, g.logCount());
    } else {
      x = new double[g.points().size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = Expressions.number(g.points().get(i), scalars, id + ": grid point " + (i + 1));
      }
    }
    for (int i = 0; i < x.length; i++) {
      // uniform grids start at 0 (FlowTime.uniformGrid); every other point is positive.
      boolean origin = i == 0 && g.uniform() != null && x[i] == 0.0;
      InvalidInputException.require(Double.isFinite(x[i]) && (x[i] > 0.0 || origin) && (i == 0 || x[i] > x[i - 1]),
          id + ": grid points must be positive, finite and increasing; point " + (i + 1) + " is "
              + Numbers.format(x[i]));
    }
    return x;
  }

  /**
   * A grid value in flow time t: t itself; lambda tau units as the built-in claims convert them, t = x / (4 lambda)
   * (lambda_1 or lambda_r); samples through t = n c / (d b).
   */
  static double toTime(FileClaim.Unit unit, double x, double[] lambda, double c, double d, double b) {
    return switch (unit) {
      case T -> x;
      case LAMBDA_MAX_TAU -> x / (FlowTime.TAU_PER_T * lambda[0]);
      case LAMBDA_MIN_TAU -> x / (FlowTime.TAU_PER_T * lambda[lambda.length - 1]);
      case SAMPLES -> x * c / (d * b);
    };
  }
}
