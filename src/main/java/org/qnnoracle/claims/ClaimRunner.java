package org.qnnoracle.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs claims one after another; an exception inside a check is a failed claim, not a crash. */
public final class ClaimRunner {
  private ClaimRunner() {}

  public static ClaimResult run(Claim claim, Scale scale) {
    long start = System.nanoTime();
    Measurement m;
    try {
      m = claim.check().run(scale);
    } catch (RuntimeException | AssertionError e) {
      m = Measurement.failure("check threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return new ClaimResult(claim, scale, m, (System.nanoTime() - start) / 1_000_000L);
  }

  /** Runs every claim, reporting each start to {@code progress} (one line, e.g. "[3/12] FLOW-LOEWNER"). */
  public static List<ClaimResult> runAll(List<Claim> claims, Scale scale, Consumer<String> progress) {
    List<ClaimResult> results = new ArrayList<>(claims.size());
    int i = 0;
    for (Claim c : claims) {
      i++;
      progress.accept("[" + i + "/" + claims.size() + "] " + c.id() + " ...");
      results.add(run(c, scale));
    }
    return results;
  }
}
