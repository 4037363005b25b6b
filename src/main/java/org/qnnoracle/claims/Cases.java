package org.qnnoracle.claims;

import java.util.Locale;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;

/** Shared vocabulary of the claim checks: seeds, instance descriptions, time grids in units of lambda. */
final class Cases {
  /**
   * Base of the seeds the claims draw in the run under way; case i uses base + i, printed in every detail
   * line. {@link ClaimRunner} sets it for the length of a run (one run at a time per JVM: runs are serialised
   * on ClaimRunner's lock, and parallel calibration runs separate processes); outside a run it is
   * {@link BaseSeed#current()}.
   */
  private static volatile long base = BaseSeed.current();

  private Cases() {}

  static long seed(int i) {
    return base + i;
  }

  static long base() {
    return base;
  }

  /** Called by ClaimRunner only, holding its lock. */
  static void setBase(long newBase) {
    base = newBase;
  }

  static String describe(Instance inst) {
    ModelSpec s = inst.spec();
    if (s == null) {
      return String.format(Locale.ROOT, "d=%d r=%d m=%d", inst.d(), inst.r(), inst.m());
    }
    return String.format(Locale.ROOT, "d=%d r=%d m=%d alpha=%.3g sigma0=%.3g seed=%d",
        s.d(), s.r(), s.m(), s.alpha(), s.sigma0(), s.seed());
  }

  /** Gradient-flow time t at which lambda * tau = lambda * 4t equals {@code lambdaTau}. */
  static double timeAt(double lambdaTau, double lambda) {
    return lambdaTau / (4.0 * lambda);
  }

  static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3g", x);
  }
}
