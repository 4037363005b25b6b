package org.qnnoracle.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent pieces of work on a fixed pool and returns their results in submission order, so a
 * computation split into seeded chunks and combined in that order is the same for any thread count.
 */
public final class Parallel {
  private Parallel() {}

  /**
   * The results of {@code work}, in order; threads &lt;= 1 runs everything on the caller's thread. A
   * RuntimeException of a piece is rethrown as it is (e.g. InvalidInputException), anything else wrapped.
   */
  public static <T> List<T> runAll(List<? extends Callable<T>> work, int threads, String threadName) {
    List<T> out = new ArrayList<>(work.size());
    if (threads <= 1 || work.size() <= 1) {
      for (Callable<T> c : work) {
        try {
          out.add(c.call());
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, work.size()), r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> c : work) {
        futures.add(pool.submit(c));
      }
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(threadName + " interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
