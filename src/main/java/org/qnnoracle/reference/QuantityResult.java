package org.qnnoracle.reference;

import java.util.List;
import java.util.Locale;

/** The verdict on one quantity: its test, the worst value it measured against its bound, and where. */
public sealed interface QuantityResult
    permits QuantityResult.Tolerance, QuantityResult.Exact, QuantityResult.Statistical {
  /** The case's quantity name. */
  String quantity();

  /** "tolerance", "exact" or "statistical". */
  String test();

  /** The measured worst: ratio |c - e| / (absolute + relative |e|), mismatch count, or max |z|. */
  double worst();

  /** What {@link #worst} must not exceed: 1, 0, or the Bonferroni threshold. */
  double bound();

  boolean passed();

  /** Where the worst element is and its values, for people. */
  String where();

  /** Digits of agreement (worst and median element), or null for a statistical quantity. */
  Lre lre();

  /**
   * Deterministic quantity held to its tolerance: the worst element by ratio (first of equal ratios).
   * {@code ratio} is +Infinity when the tolerance is zero and the values differ.
   */
  record Tolerance(String quantity, int elements, List<Integer> worstIndex, double candidate, double expected,
      double absoluteDifference, double absolute, double relative, double ratio, Lre lre)
      implements QuantityResult {
    @Override
    public String test() {
      return "tolerance";
    }

    @Override
    public double worst() {
      return ratio;
    }

    @Override
    public double bound() {
      return 1.0;
    }

    @Override
    public boolean passed() {
      return ratio <= 1.0;
    }

    @Override
    public String where() {
      return String.format(Locale.ROOT, "%s%s: candidate %s, expected %s, |diff| %.3g (allowed %.3g)", quantity,
          JsonInput.indexString(worstIndex), Double.toString(candidate), Double.toString(expected),
          absoluteDifference, absolute + relative * Math.abs(expected));
    }
  }

  /** Exact identity quantity given as rational strings: the number of mismatches and the first one. */
  record Exact(String quantity, int elements, int mismatches, List<Integer> firstMismatch, String candidate,
      String expected, Lre lre) implements QuantityResult {
    @Override
    public String test() {
      return "exact";
    }

    @Override
    public double worst() {
      return mismatches;
    }

    @Override
    public double bound() {
      return 0;
    }

    @Override
    public boolean passed() {
      return mismatches == 0;
    }

    @Override
    public String where() {
      return mismatches == 0 ? (elements == 1 ? "equal" : "all " + elements + " elements equal")
          : quantity + JsonInput.indexString(firstMismatch) + ": candidate " + candidate + ", expected " + expected
              + (mismatches > 1 ? " (first of " + mismatches + " mismatches)" : "");
    }
  }

  /**
   * Statistical quantity: z_k = (mean_c - mean_ref) / sqrt(se_c^2 + se_ref^2) per output step, the step of
   * largest |z| and its ingredients; passes when max |z| <= threshold = Phi^{-1}(1 - falseAlarm / (2 K)).
   */
  record Statistical(String quantity, int replicas, int referenceReplicas, double falseAlarm, double threshold,
      List<Double> z, int worstStep, double candidateMean, double candidateStandardError, double referenceMean,
      double referenceStandardError) implements QuantityResult {
    public Statistical {
      z = List.copyOf(z);
    }

    @Override
    public String test() {
      return "statistical";
    }

    @Override
    public Lre lre() {
      return null;
    }

    @Override
    public double worst() {
      return Math.abs(z.get(worstStep));
    }

    @Override
    public double bound() {
      return threshold;
    }

    @Override
    public boolean passed() {
      return worst() <= threshold;
    }

    @Override
    public String where() {
      return String.format(Locale.ROOT, "step %d of %d: mean %.6g +- %.3g (%d replicas) vs reference %.6g +- %.3g "
          + "(%d), z = %.3g", worstStep, z.size(), candidateMean, candidateStandardError, replicas, referenceMean,
          referenceStandardError, referenceReplicas, z.get(worstStep));
    }
  }
}
