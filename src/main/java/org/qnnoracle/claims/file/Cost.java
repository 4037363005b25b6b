package org.qnnoracle.claims.file;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.matheclipse.core.interfaces.IExpr;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.FileClaim.Route;
import org.qnnoracle.laws.ScalingLaws;
import org.qnnoracle.laws.TimeLaw;

/**
 * The up-front work estimate of a claim (spec/claim-file.md, "Cost and refusals"), in floating-point operations:
 * coarse (a factor of a few), but it is what lets a file that would run for days be refused before it starts.
 */
final class Cost {
  private Cost() {}

  static double flops(FileClaim c, Scale scale) {
    FileClaim.Plan plan = c.at(scale);
    double total = 0.0;
    for (FileClaim.Setting given : plan.settings()) {
      // Drawn instances are costed at the family's largest shape (d = r = maxD, m = d + 2) and steepest spectrum
      // (alpha = 2), which bounds lambda_1 / lambda_r.
      FileClaim.Setting s = c.draw() != null ? largestDraw(c, scale, given) : given;
      double d = s.get("d");
      double r = s.get("r");
      double m = s.get("m");
      double[] lambda = ScalingLaws.lambdas((int) r, s.get("alpha"));
      double tEnd = endTime(c, s, lambda);
      // The exact propagators' sub-steps are at most 1 / lambda_1 long in tau = 4t (ExactPropagator.maxTauStep),
      // plus one per output point; the effective ODE's Dormand-Prince steps are bounded the same way, 13 stages each.
      double steps = points(c.grid()) + 4.0 * lambda[0] * tEnd;
      double perStep = c.exact() ? d * m * (r + m) + m * m * m : r * m * m + m * m * m;
      double one = steps * perStep;
      if (c.route() == Route.EFFECTIVE_ODE || c.route() == Route.SGD) {
        one += 13 * (steps + 2000) * (r * m * m + m * m * m);
      }
      if (c.route() == Route.SGD) {
        double samples = tEnd * d * s.get("batch") / s.get("c");
        one += plan.replicas() * samples * 6 * d * m;
      }
      total += one * plan.instancesPerSetting();
    }
    return total;
  }

  private static FileClaim.Setting largestDraw(FileClaim c, Scale scale, FileClaim.Setting given) {
    double d = c.draw().maxD() > 0 ? c.draw().maxD() : scale.maxD();
    Map<String, Double> m = new LinkedHashMap<>(ClaimFileReader.MODEL_DEFAULTS);
    m.putAll(Map.of("d", d, "r", d, "m", d + 2, "alpha", 2.0, "sigma0", 1.0, "c",
        given.model().getOrDefault("c", 0.0)));
    return new FileClaim.Setting(m);
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
  private static double endTime(FileClaim c, FileClaim.Setting s, double[] lambda) {
    if (c.grid().escapes() > 0) {
      double[] t = TimeLaw.grid(lambda, (int) s.get("m"), s.get("sigma0"), (long) s.get("d"), c.grid().escapes());
      return t[t.length - 1];
    }
    Map<String, IExpr> sc = Observables.scalars(c, (long) s.get("d"), (int) s.get("r"), (int) s.get("m"),
        s.get("alpha"), s.get("sigma0"), lambda, s.get("s2"), (int) s.get("batch"), s.get("c"));
    double[] x = Grids.points(c.grid(), sc, c.id());
    return Grids.toTime(c.grid().unit(), x[x.length - 1], lambda, sc.get("c").evalf(), sc.get("d").evalf(),
        sc.get("b").evalf());
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
