package org.qnnoracle.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.qnnoracle.sweep.LoopEngine;
import org.qnnoracle.sweep.SweepSpec;
import org.qnnoracle.sweep.SweepTasks;
import org.qnnoracle.sweep.Sweeps;

/** Shared by the tests: the repository's example specifications and the reference results of the plain loop. */
final class SweepFixtures {
  private SweepFixtures() {}

  /** The repository root (the tests run in src/sweeps). */
  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("test-data/sweeps"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("test-data/sweeps not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Path example(String name) {
    return root().resolve("test-data/sweeps").resolve(name);
  }

  /** Task ID to comparable result, each task run once in this JVM, one after the other (the reference). */
  static Map<String, String> loop(Path spec) {
    Map<String, String> out = new TreeMap<>();
    new LoopEngine(1).run(SweepSpec.read(spec).tasks(), r -> out.put(SweepTasks.taskId(r), SweepTasks.comparable(r)));
    return out;
  }

  /** Task ID (from the file name) to comparable result, for every file in DIR/results. */
  static Map<String, String> results(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("results"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String id = f.getFileName().toString().replaceFirst("\\.json$", "");
        String r = Files.readString(f);
        if (!id.equals(SweepTasks.taskId(r))) {
          throw new AssertionError(f + " holds the result of " + SweepTasks.taskId(r));
        }
        out.put(id, SweepTasks.comparable(r));
      }
    }
    return out;
  }

  /** A run of Sweeps.run and its progress text. */
  record Run(Sweeps.RunOutcome outcome, String progress) {}

  static Run run(Path spec, Path out, String master, int parallelism) throws IOException {
    StringWriter text = new StringWriter();
    PrintWriter progress = new PrintWriter(text, true);
    Sweeps.RunOutcome o = Sweeps.run(spec, new Sweeps.RunOptions(out, master, parallelism, 0, 0), progress);
    progress.flush();
    return new Run(o, text.toString());
  }

  /** How many progress lines name each task: one per result the engine handed over (sweeps under 200 tasks). */
  static Map<String, Integer> deliveries(String progress) {
    Map<String, Integer> n = new TreeMap<>();
    progress.lines().filter(l -> l.startsWith("sweep: [")).forEach(l -> {
      String id = l.substring(l.indexOf("] ") + 2).split(" ", 2)[0];
      n.merge(id, 1, Integer::sum);
    });
    return n;
  }
}
