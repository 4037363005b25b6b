package org.qnnoracle.claims.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.distribution.continuous.TDistribution;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IExpr;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.ClaimCheck;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Measurement;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.FileClaim.Route;
import org.qnnoracle.laws.FitWindow;
import org.qnnoracle.stats.LinearFit;

/**
 * The check behind a file claim: computes every setting's curve ({@link Observables}), evaluates the assertion at
 * each point the quantifier looks at, and reports the worst point. The statistics of stochastic routes are the
 * built-in claims': the replicas' standard error, and a Student-t z with Bonferroni over every comparison of the run.
 */
final class FileClaimCheck implements ClaimCheck {
  private final FileClaim claim;

  FileClaimCheck(FileClaim claim) {
    this.claim = claim;
  }

  @Override
  public Measurement run(Scale scale) {
    FileClaim.Plan plan = claim.at(scale);
    long base = ClaimRunner.currentBaseSeed();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    List<Observables.Curve> curves = new ArrayList<>();
    for (FileClaim.Setting s : plan.settings()) {
      for (int i = 0; i < plan.instancesPerSetting(); i++) {
        curves.add(Observables.compute(claim, s, i, plan.replicas(), base, threads, scale.maxD()));
      }
    }
    List<Judged> points = new ArrayList<>();
    for (Observables.Curve c : curves) {
      points.addAll(judgedPoints(c));
    }
    Double z = null;
    if (claim.route() == Route.SGD) {
      z = bonferroniZ(claim.falseAlarm(), points.size(), plan.replicas());
      for (Judged j : points) {
        j.values().put("z", F.num(z));
      }
    }
    int failing = 0;
    int undecided = 0;
    Judged worst = null;
    double worstExcess = Double.NEGATIVE_INFINITY;
    double[] worstSides = null;
    Judged firstFailing = null;
    for (Judged j : points) {
      Assertion.Verdict v = claim.assertion().judge(j.values());
      if (v != Assertion.Verdict.TRUE) {
        failing += v == Assertion.Verdict.FALSE ? 1 : 0;
        undecided += v == Assertion.Verdict.UNDECIDED ? 1 : 0;
        if (firstFailing == null) {
          firstFailing = j;
        }
      }
      double[] sides = claim.assertion().sides(j.values());
      if (sides != null) {
        double e = claim.assertion().excess(sides);
        // NaN is the worst value, as in the built-in claims' WorstCase: a point that cannot be measured fails. Ties
        // in lhs - rhs (a constant rhs absorbs a round-off-sized lhs) go to the larger lhs (smaller, for >=).
        boolean worse = worst == null || Double.isNaN(e) && !Double.isNaN(worstExcess)
            || !Double.isNaN(worstExcess) && (e > worstExcess || e == worstExcess
                && claim.assertion().excess(new double[] {sides[0], worstSides[0]}) > 0.0);
        if (worse) {
          worstExcess = e;
          worst = j;
          worstSides = sides;
        }
      }
    }
    boolean passed = failing == 0 && undecided == 0;
    StringBuilder b = new StringBuilder();
    b.append(points.size()).append(points.size() == 1 ? " point" : " points").append(" (")
        .append(plan.settings().size()).append(plan.settings().size() == 1 ? " setting" : " settings");
    if (plan.instancesPerSetting() > 1) {
      b.append(" x ").append(plan.instancesPerSetting()).append(" drawn instances");
    }
    b.append(", route ").append(claim.route().label);
    if (claim.route() == Route.SGD) {
      b.append(", ").append(plan.replicas()).append(" replicas, z = ").append(String.format(Locale.ROOT, "%.3f", z))
          .append(" for false-alarm rate ").append(claim.falseAlarm());
    }
    b.append(", seeds from base ").append(base).append("); assert ").append(claim.assertion().text());
    if (worstSides != null) {
      b.append("; worst at ").append(worst.where()).append(": lhs = ").append(g(worstSides[0])).append(", rhs = ")
          .append(g(worstSides[1]));
      if (!passed && !Double.isNaN(worstExcess)) {
        b.append(", misses by ").append(g(worstExcess));
        if (worstSides[1] != 0.0 && Double.isFinite(worstSides[1])) {
          b.append(" (").append(String.format(Locale.ROOT, "%.3g", Math.abs(worstExcess / worstSides[1]))).append(" of the bound)");
        }
      }
    }
    if (!passed) {
      b.append("; ").append(failing).append(" of ").append(points.size()).append(" points false");
      if (undecided > 0) {
        b.append(", ").append(undecided).append(" not a truth value (first at ").append(firstFailing.where())
            .append(")");
      }
    }
    if (worstSides != null) {
      return new Measurement(worstSides[0], worstSides[1], passed, b.toString());
    }
    return new Measurement(failing + undecided, 0.0, passed, b.toString());
  }

  /** A point to judge: the observables' values (lower-case names) and where it is, for the report. */
  record Judged(Map<String, IExpr> values, String where) {}

  private List<Judged> judgedPoints(Observables.Curve c) {
    List<Judged> out = new ArrayList<>();
    switch (claim.quantifier()) {
      case FORALL -> {
        for (int i = 0; i < c.points().size(); i++) {
          out.add(new Judged(new LinkedHashMap<>(c.points().get(i)), c.where() + " t=" + g(c.t()[i])));
        }
      }
      case END -> {
        int last = c.points().size() - 1;
        out.add(new Judged(new LinkedHashMap<>(c.points().get(last)), c.where() + " t=" + g(c.t()[last])));
      }
      case FIT -> {
        Map<String, IExpr> v = new LinkedHashMap<>(c.scalars());
        LinearFit fit = fit(c, c.risk());
        v.put("slope", F.num(fit.slope()));
        v.put("slopese", F.num(fit.standardError()));
        String where = c.where() + " fit over " + fit.n() + " points";
        if (c.riskAdd() != null) {
          LinearFit add = fit(c, c.riskAdd());
          v.put("slopeadd", F.num(add.slope()));
          where += String.format(Locale.ROOT, " (slope %.4f, additive %.4f)", fit.slope(), add.slope());
        } else {
          where += String.format(Locale.ROOT, " (slope %.4f)", fit.slope());
        }
        out.add(new Judged(v, where));
      }
    }
    return out;
  }

  /** The log-log fit of {@code y} over the claim's window: the time-law rule, or [lo, hi] in the grid's unit. */
  private LinearFit fit(Observables.Curve c, double[] y) {
    if (claim.fit().timeLaw()) {
      return FitWindow.timeLaw(c.lambda(), c.m()).fit(c.x(), y);
    }
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < c.x().length; i++) {
      if (c.x()[i] >= claim.fit().lo() && c.x()[i] <= claim.fit().hi() && c.x()[i] > 0.0 && y[i] > 0.0) {
        keep.add(i);
      }
    }
    InvalidInputException.require(keep.size() >= 3, claim.id() + ": only " + keep.size() + " grid points with a "
        + "positive risk fall in the fit window [" + g(claim.fit().lo()) + ", " + g(claim.fit().hi()) + "] ("
        + c.where() + "); a fit needs 3");
    double[] xs = new double[keep.size()];
    double[] ys = new double[keep.size()];
    for (int k = 0; k < xs.length; k++) {
      xs[k] = c.x()[keep.get(k)];
      ys[k] = y[keep.get(k)];
    }
    return LinearFit.logLog(xs, ys);
  }

  /**
   * The two-sided Student-t quantile at 1 - alpha / (2 K) with R - 1 degrees of freedom: with every one of the K
   * comparisons of a run held to it, a true claim whose SGD mean has the stated law fails with probability at most
   * alpha (Bonferroni), the replicas being independent and their mean's error close to normal.
   */
  static double bonferroniZ(double falseAlarm, int comparisons, int replicas) {
    return new TDistribution(replicas - 1).inverseCumulativeProbability(1.0 - falseAlarm / (2.0 * comparisons));
  }

  private static String g(double x) {
    return String.format(Locale.ROOT, "%.6g", x);
  }
}
