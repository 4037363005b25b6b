package org.qnnoracle.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.qnnoracle.claims.file.ClaimFiles;

/**
 * The base seed belongs to the run, not to the JVM: claim runs at different base seeds on threads of one JVM
 * (a distributed sweep's tasks) each give exactly what they give alone; a seed read on a thread without a run
 * while a run is under way fails loudly; a run inside a run restores the outer run's base.
 *
 * <p>Every comparison here is exact equality (status, measured, bound, detail; not the time taken): the same
 * code at the same seeds must give the same numbers bit for bit, whatever else the JVM runs meanwhile.
 */
class ConcurrentRunsTest {
  /** Two base seeds, interleaved in the task list so that both threads run both seeds. */
  static final long[] SEEDS = {3L, 11L};

  /**
   * Built-in claims that each take under 1 s at scale small (measured on a 2-core machine), covering the flow,
   * Gaussian (Monte Carlo on pool threads), SGD (replicas on pool threads) and laws families.
   */
  static final List<String> QUICK = List.of(
      "MODEL-RISK-MC", "FLOW-ROUTES-AGREE", "FLOW-SEMIGROUP", "FLOW-DESCENT-RATE", "FLOW-RISK-MONOTONE",
      "FLOW-PSD-RANK", "FLOW-LOEWNER", "FLOW-INVERSE-LINEAR", "FLOW-FIXED-POINTS", "FLOW-ORDER-INTERVALS",
      "FLOW-LIMIT-EXACT-FIT", "FLOW-LIMIT-UNDERPARAM", "FLOW-LIMIT-OVERPARAM", "FLOW-EXCESS-BOUND",
      "FLOW-EXCESS-DECAY-LAW", "FLOW-SCHUR-LAW", "GAUSS-HERMITE-ORTHO", "GAUSS-HE2-PAIR", "GAUSS-RISK",
      "GAUSS-LINEAR-MOMENT", "GAUSS-GRADIENT", "GAUSS-NOISE-MOMENT", "GAUSS-LABELLED-NOISE", "SGD-ONE-STEP",
      "SGD-UNBIASED-DRIFT", "SGD-REPRODUCIBLE", "SGD-EFFECTIVE-LIMIT", "LAWS-ESCAPE-TIME", "LAWS-ADDITIVE",
      "LAWS-TIME-EXPONENT", "LAWS-WIDTH-FLOOR", "LAWS-SAMPLE-EXCESS", "LAWS-SLOW-DECAY");

  /** Claim files re-expressing built-in claims: they read the base through ClaimRunner and evaluate in Symja. */
  static final List<String> CLAIM_FILES = List.of("builtin-risk-monotone.json", "builtin-excess-bound.json");

  record Task(Claim claim, long baseSeed) {}

  @Test
  void quickClaimsGiveTheSameResultsConcurrentlyAsAlone() throws Exception {
    List<Claim> claims = new ArrayList<>();
    for (String id : QUICK) {
      claims.add(ClaimRegistry.byId(id).orElseThrow(() -> new AssertionError("no claim " + id)));
    }
    for (String file : CLAIM_FILES) {
      claims.addAll(ClaimFiles.load(Path.of("test-data/claim-files", file), Scale.SMALL));
    }
    assertSameConcurrentlyAsAlone(claims, Scale.SMALL);
  }

  /** Every registered claim (about 100 s serially at scale small, on 2 cores). */
  @Tag("heavy")
  @Test
  void everyClaimGivesTheSameResultConcurrentlyAsAlone() throws Exception {
    assertSameConcurrentlyAsAlone(ClaimRegistry.all(), Scale.SMALL);
  }

  static void assertSameConcurrentlyAsAlone(List<Claim> claims, Scale scale) throws Exception {
    List<Task> tasks = new ArrayList<>();
    for (Claim c : claims) {
      for (long s : SEEDS) {
        tasks.add(new Task(c, s));
      }
    }
    System.out.printf(Locale.ROOT, "[concurrent-runs] %d claims x base seeds %d and %d at scale %s%n",
        claims.size(), SEEDS[0], SEEDS[1], scale.label());

    long t0 = System.nanoTime();
    List<ClaimResult> alone = new ArrayList<>();
    for (Task t : tasks) {
      alone.add(ClaimRunner.run(t.claim(), scale, t.baseSeed()));
    }
    long serialMs = (System.nanoTime() - t0) / 1_000_000L;

    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<ClaimResult> together = new ArrayList<>();
    long t1 = System.nanoTime();
    try {
      List<Future<ClaimResult>> futures = new ArrayList<>();
      for (Task t : tasks) {
        Callable<ClaimResult> work = () -> ClaimRunner.run(t.claim(), scale, t.baseSeed());
        futures.add(pool.submit(work));
      }
      for (Future<ClaimResult> f : futures) {
        together.add(f.get());
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    long concurrentMs = (System.nanoTime() - t1) / 1_000_000L;
    System.out.printf(Locale.ROOT, "[concurrent-runs] %d runs: serial %d ms, concurrent on 2 threads %d ms%n",
        tasks.size(), serialMs, concurrentMs);

    // Exact equality throughout, details included (same code, same seeds; no claim quotes a wall-clock time in its
    // detail, so that a result depends on the task alone). Every mismatch is collected, so one run shows them all.


    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      Measurement a = alone.get(i).measurement();
      Measurement b = together.get(i).measurement();
      String what = t.claim().id() + " at base seed " + t.baseSeed();
      if (!together.get(i).status().equals(alone.get(i).status()) || a.passed() != b.passed()) {
        mismatches.add(what + ": status " + together.get(i).status() + " concurrently, " + alone.get(i).status()
            + " alone");
      }
      if (Double.doubleToLongBits(b.measured()) != Double.doubleToLongBits(a.measured())) {
        mismatches.add(what + ": measured " + b.measured() + " concurrently, " + a.measured() + " alone");
      }
      if (Double.doubleToLongBits(b.bound()) != Double.doubleToLongBits(a.bound())) {
        mismatches.add(what + ": bound " + b.bound() + " concurrently, " + a.bound() + " alone");
      }
      if (!b.detail().equals(a.detail())) {
        mismatches.add(what + ": detail\n  concurrently: " + b.detail() + "\n  alone:        " + a.detail());
      }
    }
    assertThat(mismatches).as("results that differ between the concurrent and the lone runs").isEmpty();
    // The two seeds must really be different runs (else the test could not see a seed leaking across threads).
    long differing = 0;
    for (int i = 0; i + 1 < tasks.size(); i += 2) {
      if (!alone.get(i).measurement().detail().equals(alone.get(i + 1).measurement().detail())) {
        differing++;
      }
    }
    System.out.printf(Locale.ROOT, "[concurrent-runs] %d of %d claims have different details at seeds %d and %d%n",
        differing, claims.size(), SEEDS[0], SEEDS[1]);
    assertThat(differing).isPositive();
  }

  @Test
  void aSeedReadOnAPoolThreadDuringARunFails() {
    long base = 11L;
    System.out.println("[concurrent-runs] guard probe at base seed " + base);
    Claim offThread = probe("TEST-SEED-OFF-THREAD", scale -> {
      List<Callable<Long>> work = List.of(() -> Cases.seed(1), () -> Cases.seed(2));
      org.qnnoracle.stats.Parallel.runAll(work, 2, "probe-pool");
      return Measurement.atMost(0, 0, "read seeds on pool threads");
    });
    ClaimResult r = ClaimRunner.run(offThread, Scale.SMALL, base);
    assertThat(r.passed()).isFalse();
    assertThat(r.measurement().detail()).startsWith("check threw IllegalStateException: the base seed was read on "
        + "thread 'probe-pool', which is not running a claim")
        .contains("a seed must be read on the run's own thread");

    // The same work with the seeds read on the run's thread first is fine, and gets the run's seeds.
    long[] got = new long[2];
    Claim onThread = probe("TEST-SEED-ON-THREAD", scale -> {
      long s1 = Cases.seed(1);
      long s2 = ClaimRunner.currentBaseSeed() + 2;
      List<Callable<Long>> work = List.of(() -> s1, () -> s2);
      List<Long> seen = org.qnnoracle.stats.Parallel.runAll(work, 2, "probe-pool");
      got[0] = seen.get(0);
      got[1] = seen.get(1);
      return Measurement.atMost(0, 0, "read seeds on the run's thread");
    });
    assertThat(ClaimRunner.run(onThread, Scale.SMALL, base).passed()).isTrue();
    assertThat(got).containsExactly(base + 1, base + 2);

    // Outside any run the JVM's base seed is still what a direct call sees.
    assertThat(Cases.seed(5)).isEqualTo(BaseSeed.current() + 5);
    assertThat(ClaimRunner.currentBaseSeed()).isEqualTo(BaseSeed.current());
  }

  @Test
  void aNestedRunRestoresTheOuterBase() {
    long outer = 3L;
    long inner = 11L;
    System.out.println("[concurrent-runs] nested runs at base seeds " + outer + " (outer) and " + inner + " (inner)");
    long[] seen = new long[3];
    Claim innerClaim = probe("TEST-SEED-INNER", scale -> {
      seen[1] = Cases.seed(0);
      return Measurement.atMost(0, 0, "inner");
    });
    Claim outerClaim = probe("TEST-SEED-OUTER", scale -> {
      seen[0] = Cases.seed(0);
      ClaimResult r = ClaimRunner.run(innerClaim, scale, inner);
      if (!r.passed()) {
        return Measurement.failure("inner run failed: " + r.measurement().detail());
      }
      seen[2] = ClaimRunner.currentBaseSeed();
      return Measurement.atMost(0, 0, "outer");
    });
    ClaimResult r = ClaimRunner.run(outerClaim, Scale.SMALL, outer);
    assertThat(r.passed()).as(r.measurement().detail()).isTrue();
    assertThat(seen).containsExactly(outer, inner, outer);
    assertThat(ClaimRunner.currentBaseSeed()).isEqualTo(BaseSeed.current());
  }

  private static Claim probe(String id, ClaimCheck check) {
    return new Claim(id, "t", "s", ClaimSource.classical("c"), Claim.EXACT, "0", "why",
        List.of("ConcurrentRunsTest"), check, Claim.DETERMINISTIC);
  }
}
