package org.qnnoracle.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * A numeric CSV table: a header and rows of doubles. Numbers are written with {@link Double#toString}, the
 * shortest decimal that parses back to the same double, so a file carries the full precision of the
 * computation and no more digits than that; NaN (a value that does not exist at that row, e.g. after a
 * divergence) is written as an empty cell; counts (steps, samples) in the integer columns are written
 * without a decimal point.
 */
record CsvTable(List<String> header, List<double[]> rows, java.util.Set<Integer> integerColumns) {
  CsvTable {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
    integerColumns = java.util.Set.copyOf(integerColumns);
  }

  CsvTable(List<String> header, List<double[]> rows) {
    this(header, rows, java.util.Set.of());
  }

  void writeTo(Writer out) throws IOException {
    out.write(String.join(",", header));
    out.write('\n');
    StringBuilder line = new StringBuilder();
    for (double[] row : rows) {
      line.setLength(0);
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          line.append(',');
        }
        if (Double.isNaN(row[k])) {
          continue;
        }
        if (integerColumns.contains(k)) {
          line.append((long) row[k]);
        } else {
          line.append(Double.toString(row[k]));
        }
      }
      line.append('\n');
      out.write(line.toString());
    }
  }
}
