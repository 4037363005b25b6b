package org.qnnoracle.gaussian;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Monte Carlo estimates of the expectations of one {@link GaussianIdentity} on one instance, by output
 * name (the names of {@link GaussianIdentity#closedForms}): per entry the sample mean and its standard
 * error, both from the same draws, plus the standard errors of the two halves of the sample on their own
 * (a check that the estimated spread is stable). {@code noise} is the label-noise s the integrand uses
 * (0 if none), {@code n} the number of draws (SGD steps of {@code batch} samples each for the drifts),
 * {@code seed} the sampling seed; {@code proposalDimension} and {@code proposalVariance} describe the
 * importance proposal (0 and 1 for plain sampling; see {@link GaussianMonteCarlo}).
 */
public record MonteCarloEstimate(GaussianIdentity identity, int d, int batch, double noise, long n, long seed,
    GaussianMonteCarlo.Sampling sampling, int proposalDimension, double proposalVariance,
    Map<String, Moments> outputs) {

  public MonteCarloEstimate {
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /**
   * One output matrix: entrywise mean, standard error of the mean (sqrt of the Welford sample variance
   * over n), and the standard errors of the first and second half-samples. A symmetric output was
   * accumulated on its upper triangle only and mirrored, so its entries (i, j) and (j, i) are one entry.
   */
  public record Moments(boolean symmetric, double[][] mean, double[][] standardError,
      double[][] firstHalfStandardError, double[][] secondHalfStandardError) {

    public int rows() {
      return mean.length;
    }

    public int cols() {
      return mean.length == 0 ? 0 : mean[0].length;
    }
  }

  public Moments output(String name) {
    Moments m = outputs.get(name);
    if (m == null) {
      throw new IllegalArgumentException(identity.cliName() + " has no output named " + name);
    }
    return m;
  }
}
