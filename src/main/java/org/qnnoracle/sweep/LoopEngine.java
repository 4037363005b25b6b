package org.qnnoracle.sweep;

import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * No engine: the tasks in this JVM, on {@code threads} threads, results handed over as they complete (in task
 * order on one thread). What
 * {@code sweep run --shard i/N} uses on a batch scheduler, and the reference the engines are tested against
 * (one thread).
 */
public final class LoopEngine implements SweepEngine {
  private final int threads;

  public LoopEngine(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
  }

  @Override
  public String describe() {
    return "no engine (loop in this JVM, " + threads + " thread" + (threads == 1 ? "" : "s") + ")";
  }

  @Override
  public void run(List<SweepTask> tasks, Consumer<String> sink) {
    if (threads == 1) {
      for (SweepTask t : tasks) {
        sink.accept(SweepTasks.run(t));
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, "sweep-task");
      th.setDaemon(true);
      return th;
    });
    try {
      // Results are handed over as they complete, not in task order: a slow task must not hold back the results
      // finished after it (a run killed meanwhile would lose them).
      CompletionService<String> done = new ExecutorCompletionService<>(pool);
      for (SweepTask t : tasks) {
        done.submit(() -> SweepTasks.run(t));
      }
      for (int i = 0; i < tasks.size(); i++) {
        sink.accept(done.take().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SweepEngineException("interrupted");
    } catch (ExecutionException e) {
      throw new SweepEngineException("a task failed outside its own error handling: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
