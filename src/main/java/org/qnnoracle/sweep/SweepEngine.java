package org.qnnoracle.sweep;

import java.util.List;
import java.util.function.Consumer;

/**
 * Something that runs a sweep's tasks: the engine-free loop ({@link LoopEngine}) or a distributed engine found on
 * the class path through {@link java.util.ServiceLoader} (the Spark engine of the qnn-oracle-sweeps artifact).
 * An engine runs {@link SweepTasks#run} for every task wherever it likes and hands each result record to the sink
 * in the collecting process as it arrives; the caller writes it ({@link SweepDirectory#write}). Results do not
 * depend on the engine: each task is a pure function of its fields.
 */
public interface SweepEngine extends AutoCloseable {
  /** One line for the progress output and the summary: "spark local[2] (2 slots)", "loop, 1 thread". */
  String describe();

  /**
   * Runs {@code tasks} (not modified), calling {@code sink} once per task with its result record, from one thread
   * at a time. Returns when every task has a result.
   *
   * @throws SweepEngineException when the engine cannot run them (unreachable master, a task that keeps killing
   *     its executor); its message is one line
   */
  void run(List<SweepTask> tasks, Consumer<String> sink);

  @Override
  default void close() {}

  /** Makes engines; registered under META-INF/services/org.qnnoracle.sweep.SweepEngine$Factory. */
  interface Factory {
    /** The engine's name ("spark"). */
    String name();

    /**
     * Starts an engine (for Spark: a SparkContext on {@code master}, local mode when null).
     *
     * @param master the cluster URL, or null for the engine's local default
     * @param parallelism tasks at once, or 0 for the engine's default (the cores)
     * @throws SweepEngineException one line when it cannot start
     */
    SweepEngine start(String master, int parallelism);
  }

  /** An engine failure, said in one line. */
  final class SweepEngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SweepEngineException(String message) {
      super(message);
    }

    public SweepEngineException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
