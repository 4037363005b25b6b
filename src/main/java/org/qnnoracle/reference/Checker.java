package org.qnnoracle.reference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.stats.Bonferroni;

/**
 * Judges a candidate against a case (spec/reference-format.md): deterministic quantities element by element
 * against their tolerance, exact identity quantities given as rationals by equality, the statistical
 * meanRisk by a Bonferroni-corrected two-sided z test per output step.
 */
public final class Checker {

  private Checker() {}

  /** Reads both files (validating them; {@link org.qnnoracle.InvalidInputException} on a problem) and checks. */
  public static CheckResult check(Path caseFile, Path candidateFile) {
    CaseFile c = CaseFile.read(caseFile);
    return check(c, CandidateFile.read(candidateFile, c));
  }

  public static CheckResult check(CaseFile c, CandidateFile candidate) {
    List<QuantityResult> results = new ArrayList<>();
    for (CaseFile.Expected e : c.expected().values()) {
      CandidateFile.Given g = candidate.quantities().get(e.name());
      if (e.isStatistical()) {
        results.add(statistical(e, g.replicas()));
      } else if (e.isExact() && g.isRational()) {
        results.add(exact(e, g.rationals()));
      } else {
        results.add(tolerance(e, g.values(), candidate.isFloat32() ? e.float32().tolerance() : e.tolerance()));
      }
    }
    return new CheckResult(c.id(), c.kind(), c.checksum(), candidate.implementation(), candidate.precision(),
        results);
  }

  /** The cap of the digits-of-agreement score: the certified digits, or {@link Lre#DOUBLE_CAP} (version 1). */
  static double lreCap(CaseFile.Expected e) {
    return Double.isNaN(e.certifiedDigits()) ? (e.isExact() ? CaseFile.MAX_CERTIFIED_DIGITS : Lre.DOUBLE_CAP)
        : e.certifiedDigits();
  }

  /** Worst element by |c - e| / (absolute + relative |e|) at the case's float64 tolerance. */
  public static QuantityResult.Tolerance tolerance(CaseFile.Expected e, double[] candidate) {
    return tolerance(e, candidate, e.tolerance());
  }

  /** Worst element by |c - e| / (absolute + relative |e|); the first of equal ratios. */
  public static QuantityResult.Tolerance tolerance(CaseFile.Expected e, double[] candidate, CaseFile.Tolerance tol) {
    int worst = 0;
    double worstRatio = -1;
    for (int i = 0; i < candidate.length; i++) {
      double diff = Math.abs(candidate[i] - e.values()[i]);
      double allowed = tol.bound(e.values()[i]);
      double ratio = diff == 0 ? 0 : allowed == 0 ? Double.POSITIVE_INFINITY : diff / allowed;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = i;
      }
    }
    return new QuantityResult.Tolerance(e.name(), candidate.length, e.index(worst), candidate[worst],
        e.values()[worst], Math.abs(candidate[worst] - e.values()[worst]), tol.absolute(), tol.relative(),
        worstRatio, Lre.of(candidate, e.values(), lreCap(e)));
  }

  public static QuantityResult.Exact exact(CaseFile.Expected e, List<BigFraction> candidate) {
    int mismatches = 0;
    int first = -1;
    for (int i = 0; i < candidate.size(); i++) {
      if (candidate.get(i).compareTo(e.exact().get(i)) != 0) {
        mismatches++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (first < 0) {
      return new QuantityResult.Exact(e.name(), candidate.size(), 0, List.of(), null, null, Lre.exact(lreCap(e)));
    }
    double[] values = new double[candidate.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = JsonInput.toDouble(candidate.get(i));
    }
    return new QuantityResult.Exact(e.name(), candidate.size(), mismatches, e.index(first),
        JsonInput.rationalString(candidate.get(first)), JsonInput.rationalString(e.exact().get(first)),
        Lre.of(values, e.values(), lreCap(e)));
  }

  /** The z test of the candidate's replicas (replicas x K) against the reference means and standard errors. */
  public static QuantityResult.Statistical statistical(CaseFile.Expected e, double[][] replicas) {
    int k = e.size();
    int n = replicas.length;
    double fa = e.statistical().falseAlarm();
    double threshold = Bonferroni.threshold(k, fa);
    List<Double> z = new ArrayList<>(k);
    double[] mean = new double[k];
    double[] se = new double[k];
    int worst = 0;
    for (int step = 0; step < k; step++) {
      double sum = 0;
      for (double[] r : replicas) {
        sum += r[step];
      }
      double m = sum / n;
      double ss = 0;
      for (double[] r : replicas) {
        ss += (r[step] - m) * (r[step] - m);
      }
      mean[step] = m;
      se[step] = Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
      double seRef = e.statistical().standardError()[step];
      double denom = Math.sqrt(se[step] * se[step] + seRef * seRef);
      double diff = m - e.values()[step];
      double zk = diff == 0 ? 0 : denom == 0 ? Math.copySign(Double.POSITIVE_INFINITY, diff) : diff / denom;
      z.add(zk);
      if (Math.abs(zk) > Math.abs(z.get(worst))) {
        worst = step;
      }
    }
    return new QuantityResult.Statistical(e.name(), n, e.statistical().replicas(), fa, threshold, z, worst,
        mean[worst], se[worst], e.values()[worst], e.statistical().standardError()[worst]);
  }
}
