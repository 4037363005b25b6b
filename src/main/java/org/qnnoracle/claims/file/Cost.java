package org.qnnoracle.claims.file;

import java.util.Locale;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.FileClaim.Route;
import org.qnnoracle.laws.ScalingLaws;

/**
 * The up-front work estimate of a claim (spec/claim-file.md, "Cost and refusals"), in floating-point operations:
 * coarse (a factor of a few), but it is what lets a file that would run for days be refused before it starts.
 */
final class Cost {
  /** Sub-steps the exact propagators and integrators take per output point, about. */
  private static final double SUBSTEPS_PER_POINT = 200;

  private Cost() {}

  static double flops(FileClaim c, Scale scale) {
    FileClaim.Plan plan = c.at(scale);
    double total = 0.0;
    for (FileClaim.Setting s : plan.settings()) {
      double d = c.draw() != null ? scale.maxD() : s.get("d");
      double r = c.draw() != null ? d : s.get("r");
      double m = c.draw() != null ? d + 2 : s.get("m");
      double points = points(c.grid());
      double perState = c.exact() ? d * m * m + d * d * m + m * m * m : r * m * m + m * m * m;
      double one = points * SUBSTEPS_PER_POINT * perState;
      if (c.route() == Route.EFFECTIVE_ODE || c.route() == Route.SGD) {
        // The integrator's steps follow the fastest rate, about 1 / (4 lambda_1 + eta terms); 2000 bounds them.
        one += (2000 + SUBSTEPS_PER_POINT * points) * 10 * perState;
      }
      if (c.route() == Route.SGD) {
        double tEnd = endTime(c, s);
        double samples = tEnd * d * s.get("batch") / s.get("c");
        one += plan.replicas() * samples * 6 * d * m;
      }
      total += one * plan.instancesPerSetting();
    }
    return total;
  }

  private static double points(FileClaim.Grid g) {
    if (g.escapes() > 0) {
      return g.escapes();
    }
    if (g.uniform() != null) {
      return g.uniform()[1];
    }
    return g.log() != null ? g.logCount() : g.points().size();
  }

  /** The grid's last time in t (the grid evaluated at the setting). */
  private static double endTime(FileClaim c, FileClaim.Setting s) {
    double[] lambda = ScalingLaws.lambdas((int) s.get("r"), s.get("alpha"));
    java.util.Map<String, org.matheclipse.core.interfaces.IExpr> sc = new java.util.LinkedHashMap<>();
    for (String k : new String[] {"d", "r", "m", "alpha", "sigma0", "s2", "c"}) {
      sc.put(k, org.matheclipse.core.expression.F.num(s.get(k)));
    }
    sc.put("b", org.matheclipse.core.expression.F.num(s.get("batch")));
    sc.put("eta", org.matheclipse.core.expression.F.num(s.get("c") / s.get("d")));
    sc.put("lambda", org.matheclipse.core.expression.F.List(lambda));
    double[] x = Grids.points(c.grid(), sc, c.id());
    double last = x[x.length - 1];
    return switch (c.grid().unit()) {
      case T -> last;
      case LAMBDA_MAX_TAU -> last / (4 * lambda[0]);
      case LAMBDA_MIN_TAU -> last / (4 * lambda[lambda.length - 1]);
      case SAMPLES -> last * s.get("c") / (s.get("d") * s.get("batch"));
    };
  }

  static String describeGrid(FileClaim.Grid g) {
    String unit = switch (g.unit()) {
      case T -> "t";
      case LAMBDA_MAX_TAU -> "lambda_1 tau";
      case LAMBDA_MIN_TAU -> "lambda_r tau";
      case SAMPLES -> "samples";
    };
    if (g.escapes() > 0) {
      return g.escapes() + " log-spaced times from t_1 / 4 to 2 t_J (the time-law grid of laws.TimeLaw)";
    }
    if (g.uniform() != null) {
      return String.format(Locale.ROOT, "%d evenly spaced points from 0 to %s (%s)", (int) g.uniform()[1],
          Numbers.format(g.uniform()[0]), unit);
    }
    if (g.log() != null) {
      return g.logCount() + " log-spaced points from " + g.log().get(0) + " to " + g.log().get(1) + " (" + unit + ")";
    }
    return g.points() + " (" + unit + ")";
  }
}
