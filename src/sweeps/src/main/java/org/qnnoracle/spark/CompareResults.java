package org.qnnoracle.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.qnnoracle.sweep.SweepTasks;

/**
 * {@code CompareResults DIR DIR...}: whether sweep output directories hold the same results, task for task, time,
 * host and process aside ({@link SweepTasks#comparable}). Prints one line; exit 0 equal, 1 not, 2 bad input. Used by
 * measure.sh.
 */
public final class CompareResults {
  private CompareResults() {}

  static Map<String, String> results(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("results"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String r = Files.readString(f);
        out.put(SweepTasks.taskId(r), SweepTasks.comparable(r));
      }
    }
    return out;
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: CompareResults DIR DIR...");
      System.exit(2);
    }
    try {
      Map<String, String> first = results(Path.of(args[0]));
      for (int i = 1; i < args.length; i++) {
        Map<String, String> other = results(Path.of(args[i]));
        if (!other.keySet().equals(first.keySet())) {
          System.out.printf("results differ: %s has %d task(s), %s has %d, or other tasks%n", args[0], first.size(),
              args[i], other.size());
          System.exit(1);
        }
        for (Map.Entry<String, String> e : first.entrySet()) {
          if (!e.getValue().equals(other.get(e.getKey()))) {
            System.out.printf("results differ: task %s in %s and %s%n", e.getKey(), args[0], args[i]);
            System.exit(1);
          }
        }
      }
      System.out.printf("results equal: %d task(s) in %d directories (time, host and process aside)%n", first.size(),
          args.length);
    } catch (IOException | RuntimeException e) {
      System.out.println("cannot compare: " + e);
      System.exit(2);
    }
  }
}
