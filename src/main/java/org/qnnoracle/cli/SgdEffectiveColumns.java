package org.qnnoracle.cli;

import java.util.List;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.model.Instance;
import org.qnnoracle.sgd.StepSchedule;

/** The effective-dynamics columns of {@code sgd --effective}. */
final class SgdEffectiveColumns {
  private SgdEffectiveColumns() {}

  static List<FlowObservables> effective(Instance instance, StepSchedule schedule, int batch, double noise,
      double[] times, double rtol) {
    throw new UnsupportedOperationException("effective dynamics not wired yet");
  }
}
