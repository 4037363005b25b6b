package org.qnnoracle.claims;

import java.util.Locale;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;

/** Shared vocabulary of the claim checks: seeds, instance descriptions, time grids in units of lambda. */
final class Cases {
  /** Base of the seeds the property claims draw; case i uses BASE_SEED + i, printed in every detail line. */
  static final long BASE_SEED = 20_261_128L;

  private Cases() {}

  static long seed(int i) {
    return BASE_SEED + i;
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
