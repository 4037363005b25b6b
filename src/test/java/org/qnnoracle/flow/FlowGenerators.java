package org.qnnoracle.flow;

import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Locale;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.RandomInstances;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators for the flow property tests. Every generated value is a small, printable
 * recipe (an instance seed, a dimensionless time lambda_max * tau, ranks ...) from which the test builds
 * the instance with {@link RandomInstances}: when a property fails, QuickTheories prints the recipe and
 * {@code RandomInstances.draw(seed, family)} reproduces the instance anywhere (the claims use the same
 * generator). Public because the flow invariant property tests in {@code org.qnnoracle.experiments} use them too.
 */
public final class FlowGenerators {
  /** The fixed QuickTheories seed for CI (see PropertyTesting). */
  public static final long QT_SEED = org.qnnoracle.PropertyTesting.QT_SEED;
  /** Largest dimension of the random instances: d x d eigenproblems and d^2-state integrations stay cheap. */
  public static final int MAX_D = 12;

  private FlowGenerators() {}

  /** The project's QuickTheory (PropertyTesting.qt): fixed printed seed, no shrinking. */
  public static QuickTheory qt(String property, int examples) {
    return org.qnnoracle.PropertyTesting.qt(property, examples);
  }

  /** An instance drawn by {@link RandomInstances#draw} from a seed and a family; prints its shape. */
  public record InstanceCase(long seed, RandomInstances.Family family) {
    public Instance instance() {
      return RandomInstances.draw(seed, family);
    }

    @Override
    public String toString() {
      Instance inst = instance();
      return String.format(Locale.ROOT,
          "RandomInstances.draw(%dL, Family(maxD=%d, alpha in [%.2f, %.2f], sigma0 in [%.3g, %.3g])) "
              + "-> d=%d r=%d m=%d alpha=%.4f sigma0=%.4g",
          seed, family.maxD(), family.alphaMin(), family.alphaMax(), Math.exp(family.logSigma0Min()),
          Math.exp(family.logSigma0Max()), inst.d(), inst.r(), inst.m(), inst.spec().alpha(), inst.spec().sigma0());
    }
  }

  /** Instance seeds of the standard family (d in [2, maxD], alpha in [0.5, 2], sigma0 in [1e-3, 1]). */
  public static Gen<InstanceCase> instances() {
    return instances(RandomInstances.Family.standard(MAX_D));
  }

  public static Gen<InstanceCase> instances(RandomInstances.Family family) {
    return longs().between(1L, 1L << 40).map(s -> new InstanceCase(s, family));
  }

  /** A dimensionless time lambda_max * tau in [lo, hi]. */
  public static Gen<Double> lambdaTau(double lo, double hi) {
    return doubles().between(lo, hi);
  }

  /** Gradient-flow time t at which lambda * tau = lambda * 4t equals {@code lambdaTau}. */
  public static double timeAt(double lambdaTau, double lambda) {
    return lambdaTau / (FlowTime.TAU_PER_T * lambda);
  }
}
