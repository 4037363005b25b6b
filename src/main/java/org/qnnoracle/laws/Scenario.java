package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.Locale;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.TeacherBasis;

/**
 * One scenario of {@code laws --scenario} (README, "Scenarios"; the bundled one is scenarios/paper.json): the
 * model (d, r, alpha with the l2 normalisation, sigma0, seed; teacher basis e_1..e_r), the student width m of
 * the online-SGD run and of the effective ODE and exact flow beside it, the batch b, the step constant c
 * (eta = c b / d), the output grid (points, tMax in SGD time) and the width of the optional full-width part
 * (the effective ODE and the exact flow at a width &gt;= r; 0 when the scenario has none).
 *
 * <p>Every rule that a scenario must obey is checked here, so a malformed file or option is refused before
 * anything is computed.
 */
public record Scenario(String name, String description, int d, int r, int m, double alpha, double sigma0,
    int batch, double c, long seed, int points, double tMax, int fullWidth) {

  /** Refused above this r m^2: the effective ODE and the reduced flow at the SGD width cost O(r m^2) per step. */
  public static final double MAX_R_M2 = 5e9;
  /** The largest full width: the closed form holds about fifteen M x M matrices per thread. */
  public static final int MAX_FULL_WIDTH = 20_000;
  /** Refused above this many SGD steps (tMax / eta): a mistyped horizon, not an experiment. */
  public static final long MAX_STEPS = 1_000_000_000L;

  public Scenario {
    String what = "scenario '" + name + "': ";
    require(name != null && !name.isBlank(), "a scenario needs a non-blank name");
    require(description != null, what + "needs a description");
    require(d >= 1 && r >= 1 && r <= d, what + "needs 1 <= r <= d, got d = " + d + ", r = " + r);
    require(m >= 1, what + "the student width must be >= 1, got " + m);
    require((long) d * m <= ModelSpec.MAX_ENTRIES && (long) d * r <= ModelSpec.MAX_ENTRIES,
        what + "d max(r, m) = " + ((long) d * Math.max(r, m)) + " matrix entries exceeds the limit "
            + ModelSpec.MAX_ENTRIES);
    require((double) r * m * m <= MAX_R_M2, String.format(Locale.ROOT, "%sr m^2 = %.3g is above %.0g at m = %d: "
        + "the effective ODE and the flow at that width are too large to run", what, (double) r * m * m,
        MAX_R_M2, m));
    require(Math.min(m, r) >= FitWindow.MIN_WIDTH, what + "the fit window [4, 2 sqrt(min(m, r))] needs "
        + "min(m, r) >= " + FitWindow.MIN_WIDTH + ", got m = " + m + ", r = " + r);
    require(Double.isFinite(alpha) && alpha > 0.5, what + "the time law needs alpha > 1/2, got " + alpha);
    require(Double.isFinite(sigma0) && sigma0 > 0.0, what + "sigma0 must be > 0, got " + sigma0);
    require(batch >= 1, what + "batch must be >= 1, got " + batch);
    require((long) batch * d <= ModelSpec.MAX_ENTRIES, what + "batch d = " + ((long) batch * d)
        + " sample entries per step exceeds the limit " + ModelSpec.MAX_ENTRIES);
    require(Double.isFinite(c) && c > 0.0, what + "c must be > 0 (online SGD runs at eta = c b / d), got " + c);
    require(points >= 20 && points <= 100_000, what + "points must be in 20..100000, got " + points);
    require(Double.isFinite(tMax) && tMax > 0.0, what + "tMax must be > 0, got " + tMax);
    require(tMax / (c * batch / d) <= MAX_STEPS, String.format(Locale.ROOT, "%stMax / eta = %.3g SGD steps is "
        + "above %.0g", what, tMax / (c * batch / d), (double) MAX_STEPS));
    require(fullWidth == 0 || (fullWidth >= r && fullWidth <= MAX_FULL_WIDTH), what + "the full width must "
        + "satisfy r <= M <= " + MAX_FULL_WIDTH + " (the closed form of the flow needs M >= r), got M = "
        + fullWidth + " with r = " + r);
    require(fullWidth == 0 || (long) d * fullWidth <= ModelSpec.MAX_ENTRIES, what + "d M = "
        + ((long) d * fullWidth) + " entries of the full-width start exceeds the limit " + ModelSpec.MAX_ENTRIES);
    double mu0 = EscapeTimes.meanInitialOverlap(m, sigma0, d);
    require(mu0 < PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2)[0], what + "the start m sigma0^2 / d is "
        + "not small (lower sigma0)");
    // (the compact constructor sees the parameters, not yet the fields: no instance method here)
    double tFirst = firstOutputTime(d, r, m, alpha, sigma0);
    require(tMax > tFirst, String.format(Locale.ROOT, "%stMax = %s is before the first output time %.4g (a quarter "
        + "of the first escape time)", what, tMax, tFirst));
  }

  /** The same scenario at another SGD width (the effective ODE and the flow beside SGD follow it). */
  public Scenario withWidth(int newM) {
    return new Scenario(name, description, d, r, newM, alpha, sigma0, batch, c, seed, points, tMax, fullWidth);
  }

  /** The step size eta = c b / d: c = eta d / b is the strength of the noise term of the effective dynamics. */
  public double eta() {
    return c * batch / d;
  }

  /** lambda_j = j^-alpha / Z, l2 normalisation (sum lambda^2 = 1). */
  public double[] lambda() {
    return PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
  }

  /** The model at width {@code width}: canonical teacher basis, W0 entries N(0, sigma0^2 / d) from the seed. */
  public ModelSpec model(int width) {
    return new ModelSpec(d, r, width, alpha, Normalisation.L2, sigma0, TeacherBasis.CANONICAL, seed);
  }

  /** A quarter of the leading escape time of direction 1 from the mean start at width m. */
  public double firstOutputTime() {
    return firstOutputTime(d, r, m, alpha, sigma0);
  }

  private static double firstOutputTime(int d, int r, int m, double alpha, double sigma0) {
    double mu0 = EscapeTimes.meanInitialOverlap(m, sigma0, d);
    return 0.25 * EscapeTimes.leading(PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2)[0], mu0);
  }

  public boolean hasFullWidth() {
    return fullWidth > 0;
  }
}
