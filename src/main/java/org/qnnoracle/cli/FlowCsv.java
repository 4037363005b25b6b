package org.qnnoracle.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Risk;
import org.qnnoracle.model.Teacher;

/**
 * The risk curve written by {@code flow}: columns t, risk, normalised_risk, overlap_1..overlap_r.
 *
 * <p>Numbers are written with {@link Double#toString}, the shortest decimal that parses back to the same
 * double, so the file carries the full precision of the computation and no more digits than that.
 */
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
    StringBuilder sb = new StringBuilder("t,risk,normalised_risk");
    for (int j = 1; j <= r; j++) {
      sb.append(",overlap_").append(j);
    }
    return sb.toString();
  }

  void writeTo(Writer out) throws IOException {
    out.write(header());
    out.write('\n');
    StringBuilder line = new StringBuilder();
    for (double[] row : rows) {
      line.setLength(0);
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          line.append(',');
        }
        line.append(Double.toString(row[k]));
      }
      line.append('\n');
      out.write(line.toString());
    }
  }

  double finalRisk() {
    return rows.get(rows.size() - 1)[1];
  }

  double finalNormalisedRisk() {
    return rows.get(rows.size() - 1)[2];
  }
}
