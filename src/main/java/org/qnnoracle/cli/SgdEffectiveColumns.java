package org.qnnoracle.cli;

import java.util.List;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Instance;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The effective-dynamics columns of {@code sgd --effective}: the effective ODE from the instance's (Q0, P0),
 * at the SGD output times, up to its blow-up time if it blows up (the rows after that stay empty).
 */
final class SgdEffectiveColumns {
  private SgdEffectiveColumns() {}

  static List<FlowObservables> effective(Instance instance, FlowState.Overlaps init, StepSchedule schedule, int batch,
      double noise, double[] times, double rtol) {
    EffectiveDynamics dyn = EffectiveDynamics.of(instance.teacher().lambda(), instance.d(), batch,
        noise * noise, schedule);
    EffectiveTrajectory traj = dyn.solve(init, times, rtol);
    return traj.observables();
  }
}
