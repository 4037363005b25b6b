package org.qnnoracle.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.qnnoracle.InvalidInputException;

/**
 * The entry points of the {@code sweep} command: run (resumable, on an engine or as one share without engine),
 * merge and report. Everything that can be refused (the specification, the output directory, the share, the
 * engine's availability) is checked before anything is written.
 */
public final class Sweeps {
  private Sweeps() {}

  /**
   * How to run.
   *
   * @param out the output directory, or null for the specification's "output"
   * @param master the engine's cluster URL, or null for its local mode
   * @param parallelism tasks at once, or 0 for the number of cores
   * @param shardIndex 1-based share to run without engine, or 0 for the whole sweep
   * @param shardCount number of shares (with shardIndex)
   */
  public record RunOptions(Path out, String master, int parallelism, int shardIndex, int shardCount) {}

  /** What a run did. */
  public record RunOutcome(int tasks, int selected, int skipped, int ran, int errors, double seconds, String engine,
      SweepReport.Summary report) {}

  /** The one engine factory on the class path, or null (the main jar has none; the sweeps artifact has Spark). */
  static SweepEngine.Factory engineFactory() {
    for (SweepEngine.Factory f : ServiceLoader.load(SweepEngine.Factory.class)) {
      return f;
    }
    return null;
  }

  /** Parses "i/N" with 1 <= i <= N. */
  public static int[] parseShard(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    try {
      int i = Integer.parseInt(t.substring(0, slash).strip());
      int n = Integer.parseInt(t.substring(slash + 1).strip());
      InvalidInputException.require(n >= 1 && i >= 1 && i <= n,
          "--shard must be i/N with 1 <= i <= N, got '" + text + "'");
      return new int[] {i, n};
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new InvalidInputException("--shard must be i/N with 1 <= i <= N (e.g. 3/8), got '" + text + "'");
    }
  }

  /** Runs the tasks of {@code specFile} that have no result yet, then writes the report. */
  public static RunOutcome run(Path specFile, RunOptions o, PrintWriter progress) throws IOException {
    SweepSpec spec = SweepSpec.read(specFile);
    Path outPath = o.out() != null ? o.out() : spec.output();
    InvalidInputException.require(outPath != null,
        specFile + " names no \"output\" directory: give one with --out DIR");
    SweepDirectory dir = SweepDirectory.check(outPath);
    InvalidInputException.require(o.parallelism() >= 0 && o.parallelism() <= 4096,
        "--parallelism must be in 1..4096 (0 or absent: the number of cores), got " + o.parallelism());
    boolean shard = o.shardIndex() > 0;
    List<SweepTask> selected = shard ? spec.shard(o.shardIndex(), o.shardCount()) : spec.tasks();
    SweepEngine.Factory factory = shard ? null : engineFactory();
    if (shard && o.master() != null) {
      throw new InvalidInputException("--shard runs its share in this JVM without an engine; drop --master");
    }
    if (!shard && factory == null && o.master() != null) {
      throw new InvalidInputException("--master needs the Spark engine, which is not on this class path: run "
          + "qnn-oracle-sweeps.jar (README, \"Running on a cluster\"), or use --shard i/N without an engine");
    }
    Set<String> done = dir.done();
    List<SweepTask> todo = new ArrayList<>();
    for (SweepTask t : selected) {
      if (!done.contains(t.id())) {
        todo.add(t);
      }
    }
    int threads = o.parallelism() > 0 ? o.parallelism() : Runtime.getRuntime().availableProcessors();
    long start = System.nanoTime();
    Progress p = new Progress(progress, todo.size(), start);
    String engineName = "none needed";
    String header = String.format(Locale.ROOT, "sweep: %s: %d task(s)%s, %d already done, %d to run; output %s",
        spec.name(), spec.tasks().size(), shard ? String.format(Locale.ROOT, ", share %d/%d holds %d",
            o.shardIndex(), o.shardCount(), selected.size()) : "", selected.size() - todo.size(), todo.size(),
        dir.path());
    if (todo.isEmpty()) {
      progress.println(header);
      dir.begin(spec);
    } else {
      // The engine starts before anything is written or said: a master that cannot be reached gives its one error
      // line and leaves no output behind.
      try (SweepEngine engine = factory != null ? factory.start(o.master(), o.parallelism()) : new LoopEngine(threads)) {
        progress.println(header);
        warnIfThreadedBlas(progress);
        dir.begin(spec);
        engineName = engine.describe();
        if (factory == null && !shard) {
          progress.println("sweep: no distributed engine on the class path (qnn-oracle-sweeps.jar has Spark): "
              + "running in this JVM");
        }
        progress.println("sweep: engine: " + engineName);
        engine.run(todo, result -> {
          JsonNode record = SweepJson.parseTrusted(result);
          dir.write(record.path("task").asText(), result);
          p.finished(record);
        });
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    SweepReport.Summary report = SweepReport.write(dir);
    progress.println(String.format(Locale.ROOT, "sweep: ran %d task(s) in %.1f s (%d error(s)); %d of %d tasks of the "
        + "sweep have a result; report in %s (summary.md, results.csv)", todo.size(), seconds, p.errors, report.done(),
        report.tasks(), dir.path()));
    if (!report.inconsistent().isEmpty()) {
      progress.println("sweep: failure counts inconsistent with the stated false-alarm rates: "
          + String.join(", ", report.inconsistent()) + " (calibration-SCALE.md)");
    }
    return new RunOutcome(spec.tasks().size(), selected.size(), selected.size() - todo.size(), todo.size(), p.errors,
        seconds, engineName, report);
  }

  /**
   * OpenBLAS with several threads may sum in another order than with one: results would then differ at round-off
   * between machines with different core counts. One line when it is not pinned to one thread.
   */
  private static void warnIfThreadedBlas(PrintWriter progress) {
    String v = System.getenv("OPENBLAS_NUM_THREADS");
    if (!"1".equals(v)
        && org.qnnoracle.linalg.Linalg.backend().kind() == org.qnnoracle.linalg.LinalgBackend.Kind.NATIVE) {
      progress.println("sweep: note: OPENBLAS_NUM_THREADS is " + (v == null ? "unset" : v) + "; set it to 1 for "
          + "results that are bit-identical across machines (README, \"Running on a cluster\")");
    }
  }

  /** Rebuilds the report of a sweep directory from its result files. */
  public static SweepReport.Summary report(Path dir) throws IOException {
    return SweepReport.write(SweepDirectory.existing(dir));
  }

  /** A task present in two inputs with different results. */
  public static final class MergeConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MergeConflict(String message) {
      super(message);
    }
  }

  /**
   * Combines the results of several directories of one sweep (shares run apart) into {@code out}, then writes the
   * report. Inputs must hold the same task list; a task present twice must have equal results (time, host and
   * process aside) or nothing is written and {@link MergeConflict} names it.
   */
  public static SweepReport.Summary merge(List<Path> inputs, Path out, PrintWriter progress) throws IOException {
    InvalidInputException.require(!inputs.isEmpty(), "sweep merge needs at least one input directory");
    List<SweepDirectory> dirs = new ArrayList<>();
    for (Path p : inputs) {
      dirs.add(SweepDirectory.existing(p));
    }
    String hash = dirs.get(0).tasksHash();
    for (int i = 1; i < dirs.size(); i++) {
      InvalidInputException.require(dirs.get(i).tasksHash().equals(hash), "'" + inputs.get(i) + "' holds another "
          + "sweep than '" + inputs.get(0) + "' (different task lists): merge shares of one specification only");
    }
    SweepDirectory target = SweepDirectory.check(out);
    if (java.nio.file.Files.isRegularFile(target.path().resolve("tasks.jsonl"))) {
      InvalidInputException.require(target.tasksHash().equals(hash),
          "'" + out + "' already holds another sweep: merge into a new directory");
    }
    List<SweepTask> tasks = dirs.get(0).tasks();
    Map<String, String> merged = new TreeMap<>();
    Map<String, String> from = new TreeMap<>();
    List<SweepDirectory> all = new ArrayList<>(dirs);
    if (java.nio.file.Files.isRegularFile(target.path().resolve("tasks.jsonl"))) {
      all.add(target);
    }
    for (SweepDirectory d : all) {
      for (Map.Entry<String, String> r : d.results(tasks).entrySet()) {
        String before = merged.putIfAbsent(r.getKey(), r.getValue());
        if (before == null) {
          from.put(r.getKey(), d.path().toString());
        } else if (!SweepTasks.comparable(before).equals(SweepTasks.comparable(r.getValue()))) {
          throw new MergeConflict("task " + r.getKey() + " has different results in '" + from.get(r.getKey())
              + "' and '" + d.path() + "': the runs did not compute the same thing (different code, linear algebra "
              + "or OPENBLAS_NUM_THREADS?)");
        }
      }
    }
    java.nio.file.Files.createDirectories(target.path());
    org.qnnoracle.AtomicOutput.writeString(target.path().resolve("sweep.json"),
        java.nio.file.Files.readString(dirs.get(0).path().resolve("sweep.json")));
    org.qnnoracle.AtomicOutput.writeString(target.path().resolve("tasks.jsonl"),
        java.nio.file.Files.readString(dirs.get(0).path().resolve("tasks.jsonl")));
    org.qnnoracle.AtomicOutput.prepareDirectory(target.results());
    Set<String> have = target.done();
    for (Map.Entry<String, String> r : merged.entrySet()) {
      if (!have.contains(r.getKey())) {
        target.write(r.getValue());
      }
    }
    SweepReport.Summary s = SweepReport.write(target);
    progress.println(String.format(Locale.ROOT, "sweep merge: %d input(s), %d of %d tasks have a result%s; report in %s",
        inputs.size(), s.done(), s.tasks(), s.missing() == 0 ? "" : " (" + s.missing() + " missing)", target.path()));
    return s;
  }

  /** Progress lines: tasks done of total, errors, elapsed and the estimated time left. */
  private static final class Progress {
    private final PrintWriter out;
    private final int total;
    private final long start;
    private int done;
    private int errors;
    private int failed;
    private long lastPrint;

    Progress(PrintWriter out, int total, long start) {
      this.out = out;
      this.total = total;
      this.start = start;
    }

    void finished(JsonNode r) {
      done++;
      String status = r.path("status").asText();
      errors += "ERROR".equals(status) ? 1 : 0;
      failed += "FAIL".equals(status) ? 1 : 0;
      long now = System.nanoTime();
      // every result of a small sweep; for a large one, a line every 2 s and the last
      if (total > 200 && done < total && now - lastPrint < 2_000_000_000L) {
        return;
      }
      lastPrint = now;
      double elapsed = (now - start) / 1e9;
      double eta = elapsed / done * (total - done);
      out.println(String.format(Locale.ROOT, "sweep: [%d/%d] %s %s (%.1f s) · %d claim failure(s), %d error(s) · "
          + "elapsed %s, ETA %s", done, total, r.path("task").asText(), status, r.path("millis").asLong() / 1000.0,
          failed, errors, clock(elapsed), done == total ? "0:00" : clock(eta)));
      out.flush();
    }

    private static String clock(double s) {
      long t = Math.round(s);
      return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
          : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
  }
}
