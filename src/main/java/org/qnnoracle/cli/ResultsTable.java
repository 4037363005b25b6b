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
    return org.qnnoracle.TextTable.render(cells, RIGHT);
  }
}
