package org.qnnoracle;

/**
 * Plain-text tables for terminals: columns two spaces apart, each as wide as its widest cell, right- or
 * left-aligned per column, a rule of dashes under the header, no trailing blanks.
 */
public final class TextTable {
  private TextTable() {}

  /** cells[0] is the header; rightAligned[c] says how column c is padded. */
  public static String render(String[][] cells, boolean[] rightAligned) {
    int columns = cells[0].length;
    int[] width = new int[columns];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      appendRow(sb, cells[i], width, rightAligned);
      if (i == 0) {
        String[] rule = new String[columns];
        for (int c = 0; c < columns; c++) {
          rule[c] = "-".repeat(width[c]);
        }
        appendRow(sb, rule, width, rightAligned);
      }
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] row, int[] width, boolean[] rightAligned) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      String pad = " ".repeat(width[c] - row[c].length());
      line.append(rightAligned[c] ? pad + row[c] : row[c] + pad);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }
}
