package org.qnnoracle.cli;

import java.util.List;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimsReport;

/** The plain-text results table of {@code verify}: aligned columns, numbers as in the reports. */
final class ResultsTable {
  private static final String[] HEADER = {"ID", "claim", "measured", "bound", "status", "time"};
  /** Numbers and times are right-aligned so their magnitudes line up. */
  private static final boolean[] RIGHT = {false, false, true, true, false, true};

  private ResultsTable() {}

  static String render(List<ClaimResult> results) {
    String[][] cells = new String[results.size() + 1][];
    cells[0] = HEADER;
    for (int i = 0; i < results.size(); i++) {
      ClaimResult r = results.get(i);
      cells[i + 1] = new String[] {
        r.claim().id(),
        r.claim().title(),
        ClaimsReport.number(r.measurement().measured()),
        ClaimsReport.number(r.measurement().bound()),
        r.status(),
        ClaimsReport.seconds(r.millis())
      };
    }
    int[] width = new int[HEADER.length];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      appendRow(sb, cells[i], width);
      if (i == 0) {
        String[] rule = new String[width.length];
        for (int c = 0; c < width.length; c++) {
          rule[c] = "-".repeat(width[c]);
        }
        appendRow(sb, rule, width);
      }
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] row, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      String pad = " ".repeat(width[c] - row[c].length());
      line.append(RIGHT[c] ? pad + row[c] : row[c] + pad);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }
}
