package org.qnnoracle.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs claims one after another at a base seed; an exception inside a check is a failed claim, not a crash.
 * The base seed is the run's, held for the run's thread and read by every check through {@link Cases}, so runs
 * at different base seeds may go on concurrently on different threads of one JVM (a distributed sweep's tasks),
 * each giving exactly the result it gives alone.
 */
public final class ClaimRunner {
  private ClaimRunner() {}

  /**
   * The base seed of the calling thread's run (outside any run, {@link BaseSeed#current()}): claims defined
   * outside this package (claim files) draw their seeds as base + offset, as the built-in claims do. Call it on
   * the run's thread: on a thread without a run while some run is under way it throws IllegalStateException.
   */
  public static long currentBaseSeed() {
    return Cases.base();
  }

  /** Runs one claim at the JVM's base seed ({@link BaseSeed#current()}: -Dqnn.seed or the default). */
  public static ClaimResult run(Claim claim, Scale scale) {
    return run(claim, scale, BaseSeed.current());
  }

  /**
   * Runs one claim with every random draw seeded from {@code baseSeed}: the base is the calling thread's for the
   * length of the run (the thread's previous one is restored after, so a run inside a run works), and other
   * threads may run claims at other bases meanwhile.
   */
  public static ClaimResult run(Claim claim, Scale scale, long baseSeed) {
    Long previous = Cases.beginRun(baseSeed);
    try {
      return runAtCurrentBase(claim, scale);
    } finally {
      Cases.endRun(previous);
    }
  }

  private static ClaimResult runAtCurrentBase(Claim claim, Scale scale) {
    long start = System.nanoTime();
    Measurement m;
    try {
      m = claim.check().run(scale);
    } catch (RuntimeException | AssertionError e) {
      m = Measurement.failure("check threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    m = heldToClaimBound(claim, m);
    return new ClaimResult(claim, scale, m, (System.nanoTime() - start) / 1_000_000L);
  }

  /**
   * {@code m}, or a failure when the claim has a fixed bound and the check held its measurement to another: the
   * bound is written once, in the claim, and the check must use that number (a failed check's NaN bound is left
   * as it is).
   */
  static Measurement heldToClaimBound(Claim claim, Measurement m) {
    if (!claim.hasFixedBound() || Double.isNaN(m.bound()) || m.bound() == claim.bound()) {
      return m;
    }
    return new Measurement(m.measured(), m.bound(), false, "the check's bound " + m.bound()
        + " is not the claim's " + claim.bound() + " (" + claim.tolerance() + "); " + m.detail(), m.figures());
  }

  /**
   * Runs every claim at {@code baseSeed}, reporting each start to {@code progress} (one line, e.g.
   * "[3/12] FLOW-LOEWNER ...").
   */
  public static List<ClaimResult> runAll(List<Claim> claims, Scale scale, long baseSeed, Consumer<String> progress) {
    List<ClaimResult> results = new ArrayList<>(claims.size());
    int i = 0;
    for (Claim c : claims) {
      i++;
      progress.accept("[" + i + "/" + claims.size() + "] " + c.id() + " ...");
      results.add(run(c, scale, baseSeed));
    }
    return results;
  }
}
