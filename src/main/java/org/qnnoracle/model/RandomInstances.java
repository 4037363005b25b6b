package org.qnnoracle.model;

import java.util.random.RandomGenerator;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * Random test instances from a seed: the one generator behind both the registered claims (verify, JUnit)
 * and the QuickTheories property tests, so a failing seed printed by either reproduces in the other.
 */
public final class RandomInstances {
  private RandomInstances() {}

  /** Limits of a random instance family. */
  public record Family(int maxD, double alphaMin, double alphaMax, double logSigma0Min, double logSigma0Max) {
    /** Small dimensions, distinct power-law coefficients, initial scales from 1e-3 to 1. */
    public static Family standard(int maxD) {
      return new Family(maxD, 0.5, 2.0, Math.log(1e-3), 0.0);
    }
  }

  /** A random instance: d in [2, maxD], r in [1, d], m in [1, d + 2], alpha, sigma0 log-uniform, Haar basis. */
  public static Instance draw(long seed, Family family) {
    RandomGenerator rng = Seeds.generator(seed, "random-instance");
    int d = 2 + rng.nextInt(Math.max(1, family.maxD() - 1));
    int r = 1 + rng.nextInt(d);
    int m = 1 + rng.nextInt(d + 2);
    double alpha = family.alphaMin() + (family.alphaMax() - family.alphaMin()) * rng.nextDouble();
    double sigma0 = Math.exp(family.logSigma0Min()
        + (family.logSigma0Max() - family.logSigma0Min()) * rng.nextDouble());
    return ModelSpec.of(d, r, m, alpha, sigma0, seed).instance();
  }

  /**
   * A random instance whose teacher leaves part of the input space uncovered (d &gt; r), for claims about the part of
   * M outside span(Theta): d in [3, maxD], r in [1, d - 1], m in [1, d + 2], sigma0 log-uniform in [3e-3, 3],
   * alpha in [0.5, 2], Haar basis; drawn from the seed's stream "limit-shape".
   */
  public static Instance drawWithPerp(long seed, int maxD) {
    RandomGenerator rng = Seeds.generator(seed, "limit-shape");
    int d = 3 + rng.nextInt(Math.max(1, maxD - 2));
    int r = 1 + rng.nextInt(Math.max(1, d - 1));
    int m = 1 + rng.nextInt(d + 2);
    double sigma0 = Math.exp(Math.log(1e-3) + Math.log(1e3) * rng.nextDouble()) * 3;
    return withShape(d, r, m, 0.5 + 1.5 * rng.nextDouble(), sigma0, seed);
  }

  /** An instance with the given shape; alpha and sigma0 as given, seed for teacher and W0. */
  public static Instance withShape(int d, int r, int m, double alpha, double sigma0, long seed) {
    return ModelSpec.of(d, r, m, alpha, sigma0, seed).instance();
  }

  /**
   * A random PSD matrix C C^T with C d x k Gaussian (entries N(0, scale^2 / d)), so rank k almost surely
   * and trace about k scale^2.
   */
  public static double[][] randomPsd(RandomGenerator rng, int d, int k, double scale) {
    double[][] c = Seeds.gaussianMatrix(rng, d, k, scale / Math.sqrt(d));
    return Dense.symmetricPart(Linalg.multTransB(c, c));
  }

  /**
   * A random matrix in the order interval [0, A]: Theta Lambda^{1/2} C Lambda^{1/2} Theta^T with
   * C = U diag(u) U^T, U Haar, u_i uniform in [0, 1], so 0 &lt;= C &lt;= I.
   */
  public static double[][] randomBelowTeacher(RandomGenerator rng, Teacher teacher) {
    int r = teacher.r();
    double[][] u = Orthonormal.haar(rng, r, r);
    double[] ev = new double[r];
    for (int i = 0; i < r; i++) {
      ev[i] = rng.nextDouble();
    }
    double[][] c = Linalg.mult(u, Dense.scaleRows(ev, Dense.transpose(u)));
    double[] sqrtLambda = new double[r];
    for (int j = 0; j < r; j++) {
      sqrtLambda[j] = Math.sqrt(teacher.lambda()[j]);
    }
    // S = diag(sqrt lambda) C diag(sqrt lambda)
    double[][] s = Dense.scaleRows(sqrtLambda, Dense.transpose(Dense.scaleRows(sqrtLambda, Dense.transpose(c))));
    double[][] ts = Linalg.mult(teacher.theta(), s);
    return Dense.symmetricPart(Linalg.multTransB(ts, teacher.theta()));
  }
}
