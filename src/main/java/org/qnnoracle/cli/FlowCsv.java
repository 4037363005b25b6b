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
record FlowCsv(int r, List<double[]> rows) {

  static FlowCsv of(List<FlowState> states, Teacher teacher) {
    List<double[]> rows = new ArrayList<>(states.size());
    for (FlowState state : states) {
      FlowObservables obs = state.observables(teacher);
      double[] overlaps = obs.directionOverlaps();
      double[] row = new double[3 + overlaps.length];
      row[0] = state.t();
      row[1] = obs.risk();
      row[2] = Risk.normalised(obs.risk(), teacher);
      System.arraycopy(overlaps, 0, row, 3, overlaps.length);
      rows.add(row);
    }
    return new FlowCsv(teacher.r(), List.copyOf(rows));
  }

  String header() {
    return String.join(",", table().header());
  }

  CsvTable table() {
    List<String> header = new ArrayList<>(List.of("t", "risk", "normalised_risk"));
    for (int j = 1; j <= r; j++) {
      header.add("overlap_" + j);
    }
    return new CsvTable(header, rows);
  }

  void writeTo(Writer out) throws IOException {
    table().writeTo(out);
  }

  double finalRisk() {
    return rows.get(rows.size() - 1)[1];
  }

  double finalNormalisedRisk() {
    return rows.get(rows.size() - 1)[2];
  }
}
