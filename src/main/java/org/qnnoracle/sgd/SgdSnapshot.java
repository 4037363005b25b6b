package org.qnnoracle.sgd;

import org.qnnoracle.flow.FlowObservables;

/**
 * The observables of one SGD replica after {@code step} steps: SGD time t = sum of the step sizes so far,
 * samples used n = step * b, and the overlap-coordinate observables (risk without cancellation, from Q and
 * P; the overlaps theta_j^T M theta_j), the same type the flows report.
 */
public record SgdSnapshot(long step, long samples, FlowObservables observables) {
  public double t() {
    return observables.t();
  }

  public double risk() {
    return observables.risk();
  }
}
