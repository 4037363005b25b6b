package org.qnnoracle.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntToDoubleFunction;

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

  /**
   * Builds a table column by column: each column is named where its values are given, so a header and its
   * values cannot drift apart (no row filled by position).
   */
  static final class Columns {
    private final int rows;
    private final List<String> names = new ArrayList<>();
    private final List<IntToDoubleFunction> values = new ArrayList<>();
    private final Set<Integer> counts = new HashSet<>();

    /** A table of {@code rows} rows. */
    Columns(int rows) {
      this.rows = rows;
    }

    /** A column of doubles; {@code value} gives row i's value, NaN for an empty cell. */
    Columns add(String name, IntToDoubleFunction value) {
      names.add(name);
      values.add(value);
      return this;
    }

    /** A column of counts (steps, samples), written without a decimal point. */
    Columns addCount(String name, IntToDoubleFunction value) {
      counts.add(names.size());
      return add(name, value);
    }

    CsvTable table() {
      List<double[]> out = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        double[] row = new double[names.size()];
        for (int k = 0; k < row.length; k++) {
          row[k] = values.get(k).applyAsDouble(i);
        }
        out.add(row);
      }
      return new CsvTable(names, out, counts);
    }
  }
}
