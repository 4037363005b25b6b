package org.qnnoracle.claims;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;

/** Shared vocabulary of the claim checks: seeds, instance descriptions, time grids in units of lambda. */
final class Cases {
  /**
   * Base of the seeds the claims draw in the run under way; case i uses base + i, printed in every detail
   * line. The base belongs to the run, not to the JVM: {@link ClaimRunner} sets it for the calling thread for
   * the length of a run (runs at different bases may go on at once on different threads of one JVM, each
   * seeing only its own), and restores the thread's previous value after, so nested runs work. Outside any
   * run it is {@link BaseSeed#current()}.
   *
   * <p>A check's own parallel work runs on pool threads, which have no run context: every seed must be read on
   * the run's thread and handed to the work (as {@code LawsClaims.medianRun} does). Reading a seed on a thread
   * without a run while some run is under way in the JVM is such a mistake, and throws
   * IllegalStateException instead of silently drawing from {@link BaseSeed#current()}.
   */
  private static final ThreadLocal<Long> RUN_BASE = new ThreadLocal<>();

  /** How many runs are under way in this JVM, on any thread (nested runs count once per level). */
  private static final AtomicInteger ACTIVE_RUNS = new AtomicInteger();

  private Cases() {}

  static long seed(int i) {
    return base() + i;
  }

  static long base() {
    Long b = RUN_BASE.get();
    if (b != null) {
      return b;
    }
    if (ACTIVE_RUNS.get() > 0) {
      throw new IllegalStateException("the base seed was read on thread '" + Thread.currentThread().getName()
          + "', which is not running a claim, while " + ACTIVE_RUNS.get() + " claim run(s) are under way in "
          + "this JVM: a seed must be read on the run's own thread (ClaimRunner.run) and handed to work on "
          + "pool threads, never read there");
    }
    return BaseSeed.current();
  }

  /**
   * Makes {@code newBase} the calling thread's base for a run and counts the run as under way; returns the
   * thread's previous run base (null outside a run), which the caller hands to {@link #endRun}. ClaimRunner
   * only.
   */
  static Long beginRun(long newBase) {
    Long previous = RUN_BASE.get();
    ACTIVE_RUNS.incrementAndGet();
    RUN_BASE.set(newBase);
    return previous;
  }

  /** Ends the calling thread's run begun by {@link #beginRun}, restoring {@code previous}. ClaimRunner only. */
  static void endRun(Long previous) {
    if (previous == null) {
      RUN_BASE.remove();
    } else {
      RUN_BASE.set(previous);
    }
    ACTIVE_RUNS.decrementAndGet();
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
