package org.qnnoracle.sgd;

import java.util.List;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;

/**
 * A solution of the effective SGD dynamics ({@link EffectiveDynamics}): the overlap states and their
 * observables at every output time reached (all of them unless the run diverged), and how it ended.
 *
 * @param states the states (Q, P) at the output times reached, in SGD time
 * @param observables their gauge-invariant observables (risk without cancellation, from (Q, P))
 * @param outcome completed, or the way it diverged
 * @param endTime the last output time when completed; otherwise the divergence time
 * @param endState the state at {@code endTime} (at divergence: tr G at the threshold, or the last finite step)
 * @param blowUpThreshold the tr G threshold this run used
 * @param steps accepted integrator steps
 * @param evaluations right-hand-side evaluations
 */
public record EffectiveTrajectory(
    List<FlowState.Overlaps> states,
    List<FlowObservables> observables,
    Outcome outcome,
    double endTime,
    FlowState.Overlaps endState,
    double blowUpThreshold,
    long steps,
    long evaluations) {

  /** How a run ended. */
  public enum Outcome {
    /** Every output time was reached with tr G below the threshold. */
    COMPLETED,
    /** tr G reached the blow-up threshold (Hipparchus event). */
    TRACE_THRESHOLD,
    /** The state or its derivative turned non-finite; the run ended at the last accepted step. */
    NON_FINITE
  }

  public EffectiveTrajectory {
    states = List.copyOf(states);
    observables = List.copyOf(observables);
  }

  /** True when the run blew up before the last output time. */
  public boolean diverged() {
    return outcome != Outcome.COMPLETED;
  }

  /** The blow-up time (SGD time), or NaN when the run did not diverge. */
  public double divergenceTime() {
    return diverged() ? endTime : Double.NaN;
  }

  /** The observables at the last output time reached; null when none was reached. */
  public FlowObservables lastObservables() {
    return observables.isEmpty() ? null : observables.get(observables.size() - 1);
  }
}
