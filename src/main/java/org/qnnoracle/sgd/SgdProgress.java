package org.qnnoracle.sgd;

/** Progress of a long SGD run: steps done over all replicas, out of the total. Called from any thread. */
@FunctionalInterface
public interface SgdProgress {
  SgdProgress NONE = (done, total) -> { };

  void reached(long stepsDone, long stepsTotal);
}
