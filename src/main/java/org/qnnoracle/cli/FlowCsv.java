package org.qnnoracle.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Teacher;

/** The risk curve written by {@code flow}: columns t, risk, normalised_risk, overlap_1..overlap_r. */
record FlowCsv(List<FlowState> states, List<FlowObservables> observables, Teacher teacher) {

  static FlowCsv of(List<FlowState> states, Teacher teacher) {
    List<FlowObservables> obs = new ArrayList<>(states.size());
    for (FlowState state : states) {
      obs.add(state.observables(teacher));
    }
    return new FlowCsv(List.copyOf(states), List.copyOf(obs), teacher);
  }

  String header() {
    return String.join(",", table().header());
  }

  CsvTable table() {
    CsvTable.Columns c = new CsvTable.Columns(states.size())
        .add("t", i -> states.get(i).t())
        .add("risk", i -> observables.get(i).risk())
        .add("normalised_risk", i -> Risk.normalised(observables.get(i).risk(), teacher));
    for (int j = 0; j < teacher.r(); j++) {
      int jj = j;
      c.add("overlap_" + (j + 1), i -> observables.get(i).directionOverlaps()[jj]);
    }
    return c.table();
  }

  void writeTo(Writer out) throws IOException {
    table().writeTo(out);
  }

  double finalRisk() {
    return observables.get(observables.size() - 1).risk();
  }

  double finalNormalisedRisk() {
    return Risk.normalised(finalRisk(), teacher);
  }
}
