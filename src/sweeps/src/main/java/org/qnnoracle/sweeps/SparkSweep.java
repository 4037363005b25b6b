package org.qnnoracle.sweeps;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Function2;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * PROTOTYPE of {@code sweep run}: tasks (one JSON spec a line) mapped to results on Spark, one partition per task;
 * the driver writes each result atomically (temp file + rename) to OUT/results/ID.json as its partition finishes,
 * and skips tasks whose file exists (resume).
 *
 * <pre>
 * SparkSweep TASKS OUT [--master local[2]|spark://H:P|loop] [--mode inproc|child] [--parallelism N]
 * </pre>
 * {@code --master loop}: no engine, a plain single-thread loop (the reference results).
 */
public final class SparkSweep {
  private SparkSweep() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: SparkSweep TASKS OUT [--master M] [--mode inproc|child] [--parallelism N]");
      System.exit(2);
    }
    Path tasksFile = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String master = "local[2]";
    String mode = "inproc";
    int parallelism = 0;
    for (int i = 2; i < args.length; i += 2) {
      switch (args[i]) {
        case "--master" -> master = args[i + 1];
        case "--mode" -> mode = args[i + 1];
        case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("sweep: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    List<String> specs = new ArrayList<>();
    for (String line : Files.readAllLines(tasksFile, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        specs.add(line.strip());
      }
    }
    Path results = out.resolve("results");
    Files.createDirectories(results);
    List<String> todo = new ArrayList<>();
    for (String s : specs) {
      if (!Files.exists(results.resolve(SweepTask.id(s) + ".json"))) {
        todo.add(s);
      }
    }
    System.out.printf(Locale.ROOT, "sweep: %d task(s), %d already done, %d to run; master %s, mode %s%n",
        specs.size(), specs.size() - todo.size(), todo.size(), master, mode);
    long t0 = System.nanoTime();
    if (master.equals("loop")) {
      int k = 0;
      for (String s : todo) {
        String r = mode.equals("child") ? SweepTask.runInChild(s, System.getProperty("java.class.path"))
            : SweepTask.runInProcess(s);
        writeAtomically(results, r);
        System.out.printf(Locale.ROOT, "sweep: [%d/%d] %s%n", ++k, todo.size(), SweepTask.id(s));
      }
    } else if (!todo.isEmpty()) {
      runOnSpark(todo, results, master, mode, parallelism);
    }
    System.out.printf(Locale.ROOT, "sweep: done in %.2f s (engine start included)%n", (System.nanoTime() - t0) / 1e9);
  }

  /** Serializable scala.Function2 for Spark's closures. */
  interface SFunction2<A, B, C> extends Function2<A, B, C>, Serializable {}

  static void runOnSpark(List<String> todo, Path results, String master, String mode, int parallelism)
      throws Exception {
    long t0 = System.nanoTime();
    SparkConf conf = new SparkConf().setAppName("qnn-oracle sweep").setMaster(master)
        .set("spark.ui.enabled", "false")
        .set("spark.task.maxFailures", "4");
    if (parallelism > 0) {
      conf.set("spark.default.parallelism", Integer.toString(parallelism));
    }
    String sparkHome = System.getenv("SPARK_HOME");
    if (sparkHome != null) {
      conf.setSparkHome(sparkHome);
    }
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      System.out.printf(Locale.ROOT, "sweep: engine up in %.2f s%n", (System.nanoTime() - t0) / 1e9);
      JavaRDD<String> rdd = sc.parallelize(todo, todo.size());
      boolean child = mode.equals("child");
      SFunction2<TaskContext, scala.collection.Iterator<String>, String> run = (ctx, it) -> {
        String spec = it.next();
        return child ? SweepTask.runInChild(spec, childClassPath()) : SweepTask.runInProcess(spec);
      };
      AtomicInteger done = new AtomicInteger();
      Map<Integer, Integer> seen = new LinkedHashMap<>();
      long tj = System.nanoTime();
      SFunction2<Object, String, BoxedUnit> handler = (partition, result) -> {
        synchronized (seen) {
          seen.merge((Integer) partition, 1, Integer::sum);
        }
        try {
          writeAtomically(results, result);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        System.out.printf(Locale.ROOT, "sweep: [%d/%d] %s (%.1f s)%n", done.incrementAndGet(), todo.size(),
            SweepTask.id(result), (System.nanoTime() - tj) / 1e9);
        return BoxedUnit.UNIT;
      };
      sc.sc().runJob(rdd.rdd(), run, handler, ClassTag$.MODULE$.apply(String.class));
      long twice = seen.values().stream().filter(v -> v != 1).count();
      System.out.printf(Locale.ROOT, "sweep: job %.2f s; %d partition result(s), %d delivered more than once%n",
          (System.nanoTime() - tj) / 1e9, seen.size(), twice);
    }
  }

  /**
   * The class path for a child JVM on an executor: the executor's own (java.class.path), which in the prototype's
   * standalone cluster and in local mode holds qnn-oracle and this module.
   */
  static String childClassPath() {
    String cp = System.getenv("QNN_SWEEP_CLASSPATH");
    return cp != null ? cp : System.getProperty("java.class.path");
  }

  static void writeAtomically(Path results, String resultJson) throws IOException {
    ResultFiles.write(results, resultJson);
  }
}
