package org.qnnoracle.experiments;

import java.util.Locale;
import org.qnnoracle.gaussian.GaussianIdentity;

/**
 * A Monte Carlo estimate compared with closed forms, entry by entry: z = (mean - expected) / SE with the
 * SE estimated from the sample. {@code entries} is K, the number of entries tested (a symmetric output's
 * mirrored entries counted once); {@code skipped} counts entries with zero standard error whose mean equals
 * the expected value exactly (a constant integrand, e.g. He_0 He_0 = 1), which carry no statistical
 * information. The worst entry is the one with the largest |z|. {@code threshold} is the two-sided
 * Bonferroni threshold z* = Phi^{-1}(1 - alpha / (2K)) for family-wise false-alarm rate {@code alpha}.
 * {@code maxHalfSeRatio} is the largest ratio, over tested entries, between the standard errors estimated
 * from the two halves of the sample (1 for a perfectly stable spread; NaN when undefined).
 * {@code proposalVariance} is that of the importance proposal (1 for plain sampling).
 */
public record MonteCarloCheck(GaussianIdentity identity, int d, int batch, double noise, long n, long seed,
    double proposalVariance, int entries, int skipped, double maxAbsZ, String worstOutput, int worstRow,
    int worstCol, double worstMean, double worstExpected, double worstStandardError, double alpha, double threshold,
    double maxHalfSeRatio) {

  /** True when every tested entry is within the threshold. */
  public boolean passed() {
    return maxAbsZ <= threshold;
  }

  /** One line for logs: the seed, max |z| and the threshold it is compared with. */
  public String summary() {
    return String.format(Locale.ROOT,
        "%s d=%d b=%d s=%s n=%d seed=%d v=%.3f: K=%d (skipped %d) max|z|=%.3f at %s[%d,%d] (mean %.6g,"
            + " expected %.6g, SE %.3g), threshold z*=%.3f (alpha=%.1e), max half-sample SE ratio %.3f -> %s",
        identity.cliName(), d, batch, noise, n, seed, proposalVariance, entries, skipped, maxAbsZ, worstOutput,
        worstRow, worstCol, worstMean, worstExpected, worstStandardError, threshold, alpha, maxHalfSeRatio,
        passed() ? "pass" : "FAIL");
  }
}
