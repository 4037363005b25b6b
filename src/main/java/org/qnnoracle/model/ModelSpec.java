package org.qnnoracle.model;

import static org.qnnoracle.InvalidInputException.require;
import static org.qnnoracle.InvalidInputException.requireFinite;

/**
 * Everything that fixes one instance of the model: dimension d, teacher rank r, student width m, power
 * law exponent alpha and its normalisation, initial scale sigma0 (W0 entries i.i.d. N(0, sigma0^2/d)),
 * teacher basis, and the seed. Validation here is the single gate for user input.
 */
public record ModelSpec(
    int d, int r, int m, double alpha, Normalisation normalisation, double sigma0, TeacherBasis basis, long seed) {

  /**
   * Most matrix entries one instance may hold in Theta (d x r) or W (d x m): 5e7 doubles are 400 MB, a
   * quarter of a modest heap; beyond that a run would end in OutOfMemoryError instead of an answer.
   */
  public static final long MAX_ENTRIES = 50_000_000L;

  public ModelSpec {
    require(d >= 1, "d must be at least 1, got " + d);
    require(r >= 1, "r must be at least 1, got " + r);
    require(r <= d, "r must not exceed d (orthonormal teacher directions), got r = " + r + ", d = " + d);
    require(m >= 1, "m must be at least 1, got " + m);
    require((long) d * Math.max(r, m) <= MAX_ENTRIES,
        "d * max(r, m) = " + ((long) d * Math.max(r, m)) + " matrix entries exceeds the limit " + MAX_ENTRIES);
    requireFinite(alpha, "alpha");
    require(alpha >= 0.0, "alpha must be >= 0, got " + alpha);
    requireFinite(sigma0, "sigma0");
    require(sigma0 > 0.0, "sigma0 must be > 0, got " + sigma0);
    require(normalisation != null, "normalisation is required");
    require(basis != null, "basis is required");
  }

  public static ModelSpec of(int d, int r, int m, double alpha, double sigma0, long seed) {
    return new ModelSpec(d, r, m, alpha, Normalisation.L2, sigma0, TeacherBasis.HAAR, seed);
  }

  public ModelSpec withSeed(long newSeed) {
    return new ModelSpec(d, r, m, alpha, normalisation, sigma0, basis, newSeed);
  }

  public ModelSpec withBasis(TeacherBasis newBasis) {
    return new ModelSpec(d, r, m, alpha, normalisation, sigma0, newBasis, seed);
  }

  public ModelSpec withWidth(int newM) {
    return new ModelSpec(d, r, newM, alpha, normalisation, sigma0, basis, seed);
  }

  /** W0 with entries i.i.d. N(0, sigma0^2 / d), so E|w_i|^2 = sigma0^2. */
  public double[][] initialWeights() {
    return Seeds.gaussianMatrix(Seeds.generator(seed, "student-init"), d, m, sigma0 / Math.sqrt(d));
  }

  public Instance instance() {
    return new Instance(this, Teacher.of(this), initialWeights());
  }
}
