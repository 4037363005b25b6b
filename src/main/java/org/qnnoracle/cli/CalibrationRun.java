package org.qnnoracle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.BaseSeed;
import org.qnnoracle.claims.Calibration;
import org.qnnoracle.claims.ClaimsReport;
import org.qnnoracle.claims.Scale;

/**
 * {@code verify --calibrate A..B}: runs {@code verify --seed S} for every base seed S in A..B, each in its own
 * JVM, {@code jobs} at a time, and tallies the verdicts. Separate processes, not threads, although a run's base
 * seed is the run's own (ClaimRunner keeps it per thread, so runs at different seeds could share a JVM): a crash
 * or an out-of-memory in one run must not take the others with it, and each child is told its share of the
 * cores (-XX:ActiveProcessorCount and OPENBLAS_NUM_THREADS) so the claims' own parallel replicas do not
 * oversubscribe the machine.
 */
final class CalibrationRun {
  /** Most seeds one calibration may name: a typo such as 1..4000000 is refused before anything starts. */
  static final int MAX_SEEDS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private CalibrationRun() {}

  /** The seeds of "A..B" (inclusive) or of a single "S". */
  static List<Long> parseSeeds(String text) {
    String t = text.strip();
    int dots = t.indexOf("..");
    long from = BaseSeed.parse(dots < 0 ? t : t.substring(0, dots), "--calibrate's first seed");
    long to = dots < 0 ? from : BaseSeed.parse(t.substring(dots + 2), "--calibrate's last seed");
    InvalidInputException.require(to >= from, "--calibrate must be FROM..TO with FROM <= TO; got '" + text + "'");
    InvalidInputException.require(to - from < MAX_SEEDS, String.format(Locale.ROOT,
        "--calibrate names %d seeds; at most %d per run", to - from + 1, MAX_SEEDS));
    List<Long> seeds = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      seeds.add(s);
    }
    return seeds;
  }

  /**
   * Runs the seeds and returns their verdicts in seed order; each child's report and log go to
   * {@code runsDir}/seed-S/.
   */
  static List<Calibration.SeedRun> run(List<Long> seeds, Scale scale, List<String> selection, int jobs, Path runsDir,
      PrintWriter progress) throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    int childCores = Math.max(1, cores / jobs);
    progress.printf(Locale.ROOT, "calibrate: %d seed(s) at scale %s, %d at a time, %d core(s) each; runs in %s%n",
        seeds.size(), scale.label(), jobs, childCores, runsDir);
    progress.flush();
    Files.createDirectories(runsDir);
    ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
      Thread t = new Thread(r, "calibrate");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<Calibration.SeedRun>> futures = new ArrayList<>();
      for (long seed : seeds) {
        futures.add(pool.submit(() -> {
          Calibration.SeedRun r = runOne(seed, scale, selection, childCores, runsDir.resolve("seed-" + seed));
          int k = done.incrementAndGet();
          long failed = r.verdicts().values().stream().filter(p -> !p).count();
          double elapsed = (System.nanoTime() - start) / 1e9;
          synchronized (progress) {
            progress.printf(Locale.ROOT, "calibrate: [%d/%d] seed %d: %s; %.0f s elapsed, about %.0f s left%n", k,
                seeds.size(), seed, r.verdicts().isEmpty() ? "the run gave no report (see its log.txt)"
                    : (r.verdicts().size() - failed) + " of " + r.verdicts().size() + " passed"
                        + (failed == 0 ? "" : ", failed: " + failedIds(r)),
                elapsed, elapsed / k * (seeds.size() - k));
            progress.flush();
          }
          return r;
        }));
      }
      List<Calibration.SeedRun> runs = new ArrayList<>();
      for (Future<Calibration.SeedRun> f : futures) {
        runs.add(f.get());
      }
      return runs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("calibration interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String failedIds(Calibration.SeedRun r) {
    return String.join(", ", r.verdicts().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
        .sorted().toList());
  }

  /**
   * One child JVM: {@code verify --seed S} with the parent's claim selection ({@code --only}, {@code --claims},
   * {@code --only-file}); its claims.json gives the verdicts (none when it died).
   */
  private static Calibration.SeedRun runOne(long seed, Scale scale, List<String> selection, int cores, Path dir)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path json = dir.resolve(ClaimsReport.JSON_FILE);
    Files.deleteIfExists(json);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:ActiveProcessorCount=" + cores);
    // The backend choice travels with the child (QNN_LINALG, the environment form, is inherited anyway).
    String linalg = System.getProperty("qnn.linalg");
    if (linalg != null && !linalg.isBlank()) {
      cmd.add("-Dqnn.linalg=" + linalg);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("verify", "--seed", Long.toString(seed), "--scale", scale.label(), "--report", dir.toString()));
    cmd.addAll(selection);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log.txt").toFile());
    pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(cores));
    Process p = pb.start();
    try {
      p.waitFor();
    } finally {
      p.destroyForcibly();
    }
    Map<String, Boolean> verdicts = new HashMap<>();
    if (Files.isRegularFile(json)) {
      JsonNode root = JSON.readTree(json.toFile());
      for (JsonNode c : root.path("claims")) {
        verdicts.put(c.path("id").asText(), "PASS".equals(c.path("status").asText()));
      }
    }
    return new Calibration.SeedRun(seed, verdicts);
  }
}
