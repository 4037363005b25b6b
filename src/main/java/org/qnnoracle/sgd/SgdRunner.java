package org.qnnoracle.sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.stats.Parallel;

/**
 * Runs replicas of online SGD from one instance (same teacher, same W0) on independent sample streams, in
 * parallel, and records each replica at the requested output steps. Replica i draws its samples from the
 * stream "sgd-samples-" + i of the seed, and results are stored by replica index, so the numbers are the
 * same whatever the thread count.
 */
public final class SgdRunner {
  /** Steps between progress reports of one replica (cheap: an atomic add). */
  private static final long PROGRESS_CHUNK = 4096;

  private SgdRunner() {}

  /** One replica's record: its seed, its snapshots at the output steps it reached, where it diverged. */
  public record Replica(int index, long seed, List<SgdSnapshot> snapshots, long divergedAt) {
    public Replica {
      snapshots = List.copyOf(snapshots);
    }

    public boolean diverged() {
      return divergedAt >= 0;
    }
  }

  /** What to run. outputSteps must be non-decreasing and non-negative (step 0 is the initial state). */
  public record Plan(Instance instance, StepSchedule schedule, int batch, double noise, long[] outputSteps,
      int replicas, long seed) {
    public Plan {
      InvalidInputException.require(batch >= 1, "batch size must be at least 1, got " + batch);
      InvalidInputException.require(Double.isFinite(noise) && noise >= 0, "noise s must be >= 0, got " + noise);
      InvalidInputException.require(replicas >= 1, "replicas must be at least 1, got " + replicas);
      InvalidInputException.require(outputSteps.length >= 1, "at least one output step is needed");
      for (int i = 0; i < outputSteps.length; i++) {
        InvalidInputException.require(outputSteps[i] >= 0 && (i == 0 || outputSteps[i] >= outputSteps[i - 1]),
            "output steps must be non-negative and non-decreasing");
      }
      outputSteps = outputSteps.clone();
    }

    public long totalSteps() {
      return outputSteps[outputSteps.length - 1];
    }

    /** Replica i's sample seed. */
    public long replicaSeed(int i) {
      return Seeds.derive(seed, "sgd-samples-" + i);
    }
  }

  /** Runs every replica on fresh Gaussian samples. */
  public static List<Replica> run(Plan plan, int threads, SgdProgress progress) {
    return run(plan, threads, progress,
        i -> new GaussianSamples(Seeds.generator(plan.replicaSeed(i)), plan.noise()));
  }

  /** Runs every replica with the sample source of its index (replay: one replica, its file). */
  public static List<Replica> run(Plan plan, int threads, SgdProgress progress, IntFunction<SampleSource> sources) {
    InvalidInputException.require(threads >= 1, "threads must be at least 1");
    long total = plan.totalSteps() * plan.replicas();
    AtomicLong done = new AtomicLong();
    List<Callable<Replica>> work = new ArrayList<>();
    for (int i = 0; i < plan.replicas(); i++) {
      final int index = i;
      work.add(() -> runOne(plan, index, sources.apply(index), done, total, progress));
    }
    return Parallel.runAll(work, threads, "sgd-replica");
  }

  /**
   * Replica {@code index} of {@code plan} alone: the same numbers as element {@code index} of {@link #run}
   * (its sample seed is {@link Plan#replicaSeed}, whatever the other replicas do). A sweep runs replicas as
   * separate tasks through this.
   */
  public static Replica runReplica(Plan plan, int index, SgdProgress progress) {
    InvalidInputException.require(index >= 0 && index < plan.replicas(),
        "replica index must be in [0, " + plan.replicas() + "), got " + index);
    return runOne(plan, index, new GaussianSamples(Seeds.generator(plan.replicaSeed(index)), plan.noise()),
        new AtomicLong(), plan.totalSteps(), progress);
  }

  private static Replica runOne(Plan plan, int index, SampleSource source, AtomicLong done, long total,
      SgdProgress progress) {
    Instance inst = plan.instance();
    OnlineSgd sgd = new OnlineSgd(inst.teacher(), inst.w0(), plan.schedule(), plan.batch(), source);
    List<SgdSnapshot> snaps = new ArrayList<>();
    for (long target : plan.outputSteps()) {
      while (sgd.steps() < target && !sgd.diverged()) {
        long before = sgd.steps();
        sgd.runTo(Math.min(target, before + PROGRESS_CHUNK));
        progress.reached(done.addAndGet(sgd.steps() - before), total);
      }
      if (sgd.diverged()) {
        break;
      }
      snaps.add(sgd.snapshot());
    }
    return new Replica(index, plan.replicaSeed(index), snaps, sgd.divergedAt());
  }
}
