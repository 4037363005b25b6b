package org.qnnoracle.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.qnnoracle.flow.FlowMethod;

/** The parts of {@code flow --help} generated from {@link FlowMethod}, so help and code never disagree. */
final class FlowHelp {
  private static final int HELP_WIDTH = 80;
  private static final String METHOD_INDENT = " ".repeat(17);

  private FlowHelp() {}

  /** The method names, for ${COMPLETION-CANDIDATES} in the --method description (and shell completion). */
  static final class MethodNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (FlowMethod fm : FlowMethod.values()) {
        names.add(fm.cliName());
      }
      return names.iterator();
    }
  }

  /** The footer: every method with its one-line description, an example, and the exit codes. */
  static String[] footer() {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Methods:");
    for (FlowMethod fm : FlowMethod.values()) {
      // picocli wraps long footer lines without indentation; wrap here with a hanging indent instead.
      List<String> wrapped = wrap(fm.description(), HELP_WIDTH - METHOD_INDENT.length());
      lines.add(String.format(Locale.ROOT, "  %-14s %s", fm.cliName(), wrapped.get(0)));
      for (String more : wrapped.subList(1, wrapped.size())) {
        lines.add(METHOD_INDENT + more);
      }
    }
    lines.add("");
    lines.add("Example:");
    lines.add("  qnn-oracle flow --d 100 --r 10 --m 5 --alpha 1 --t-max 200 --out curve.csv");
    lines.add("");
    lines.add("Exit codes: 0 success; 1 the integration failed; 2 invalid arguments, a run the method cannot "
        + "do accurately or too large to finish, or an unusable --out or standard output; 3 internal error.");
    return lines.toArray(new String[0]);
  }

  /** Greedy word wrap to lines of at most {@code width} characters (longer words stay whole). */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
