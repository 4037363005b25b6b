package org.qnnoracle.ode;

/** Told after each output time a grid solve has reached, so long runs can report progress. */
@FunctionalInterface
public interface GridProgress {
  /** {@code done} of {@code total} output times are solved; the last one is time {@code t}. */
  void reached(int done, int total, double t);
}
