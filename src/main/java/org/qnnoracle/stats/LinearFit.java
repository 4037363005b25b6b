package org.qnnoracle.stats;

import static org.qnnoracle.InvalidInputException.require;

import java.util.Locale;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Ordinary least squares y = intercept + slope x: the one fit every exponent in qnn-oracle comes from. The
 * slope's standard error is sqrt(RSS / (n - 2) / Sxx), so it includes any lack of fit as well as noise; the
 * confidence interval is slope +- t_{n-2} SE (exact for independent normal residuals).
 */
public record LinearFit(double slope, double intercept, double standardError, int n) {

  /** The two-sided interval [low, high] at the given confidence (e.g. 0.95). */
  public double[] interval(double confidence) {
    require(confidence > 0.0 && confidence < 1.0, "confidence must lie in (0, 1), got " + confidence);
    double t = new TDistribution(n - 2).inverseCumulativeProbability(0.5 + 0.5 * confidence);
    return new double[] {slope - t * standardError, slope + t * standardError};
  }

  public double predict(double x) {
    return intercept + slope * x;
  }

  public static LinearFit of(double[] x, double[] y) {
    require(x.length == y.length && x.length >= 3, "a fit needs at least 3 points with matching lengths");
    int n = x.length;
    double mx = 0.0;
    double my = 0.0;
    for (int i = 0; i < n; i++) {
      require(Double.isFinite(x[i]) && Double.isFinite(y[i]), "a fit needs finite points");
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0.0;
    double sxy = 0.0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    require(sxx > 0.0, "a fit needs at least two distinct x");
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    double rss = 0.0;
    for (int i = 0; i < n; i++) {
      double e = y[i] - intercept - slope * x[i];
      rss += e * e;
    }
    return new LinearFit(slope, intercept, Math.sqrt(rss / (n - 2) / sxx), n);
  }

  /** The power law y = e^intercept x^slope fitted on log y against log x (x, y &gt; 0). */
  public static LinearFit logLog(double[] x, double[] y) {
    double[] lx = new double[x.length];
    double[] ly = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      require(x[i] > 0.0 && i < y.length && y[i] > 0.0, "a log-log fit needs positive points");
      lx[i] = Math.log(x[i]);
      ly[i] = Math.log(y[i]);
    }
    return of(lx, ly);
  }

  public String describe(double confidence) {
    double[] ci = interval(confidence);
    return String.format(Locale.ROOT, "%.3f (SE %.3f, %.0f%% CI [%.3f, %.3f], n = %d)", slope, standardError,
        100 * confidence, ci[0], ci[1], n);
  }
}
