package org.qnnoracle.sgd;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;

/**
 * What {@code sgd} computes, as one call: the replicas of online SGD on a step grid, their summary, and on request
 * the effective ODE (with its eta correction) and the population flow from the same (Q0, P0) of the instance's W0,
 * at the output times of the step grid.
 */
public final class SgdStudy {
  private SgdStudy() {}

  /**
   * What was computed.
   *
   * @param replicas each replica's trajectory, in index order
   * @param effective the effective ODE's observables at each output time (those after a blow-up are NaN), or null
   * @param flow the population flow's observables at each output time, or null
   */
  public record Result(List<SgdRunner.Replica> replicas, SgdSummary summary, List<FlowObservables> effective,
      List<FlowObservables> flow) {}

  /**
   * Runs the study.
   *
   * @param plan the SGD run. Not modified.
   * @param threads threads for the replicas (1 with {@code replay})
   * @param progress receives the replicas' steps. Not modified.
   * @param replay the samples of the one replica, or null to draw them from each replica's seed. Modified (read).
   * @param times the gradient-flow time of each output step ({@link StepGrid#times}). Not modified.
   * @param rtol relative tolerance of the effective ODE's integrator, or NaN for no effective and flow columns
   */
  public static Result run(SgdRunner.Plan plan, int threads, SgdProgress progress, ReplaySamples replay,
      double[] times, double rtol) {
    List<SgdRunner.Replica> replicas = replay == null
        ? SgdRunner.run(plan, threads, progress)
        : SgdRunner.run(plan, 1, progress, i -> replay);
    SgdSummary summary = SgdSummary.of(replicas, plan.outputSteps());
    if (Double.isNaN(rtol)) {
      return new Result(replicas, summary, null, null);
    }
    FlowState.Overlaps init = FlowMethod.initialOverlaps(plan.instance());
    EffectiveDynamics dyn = EffectiveDynamics.of(plan.instance().teacher().lambda(), plan.instance().d(),
        plan.batch(), plan.noise() * plan.noise(), plan.schedule());
    List<FlowObservables> effective = dyn.solve(init, times, rtol).observables();
    List<FlowObservables> flow = new ArrayList<>();
    for (FlowState st : FlowMethod.reducedFrom(plan.instance(), init, times)) {
      flow.add(st.observables(plan.instance().teacher()));
    }
    return new Result(replicas, summary, effective, flow);
  }
}
