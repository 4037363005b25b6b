package org.qnnoracle.flow;

/** Told after each output time a route has reached, so long runs can report progress. */
@FunctionalInterface
public interface FlowProgress {
  FlowProgress NONE = (done, total, t) -> { };

  /** {@code done} of {@code total} output times are solved; the last one is gradient-flow time {@code t}. */
  void reached(int done, int total, double t);
}
