package org.qnnoracle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Spark standalone cluster on 127.0.0.1 (a master and two 1-core workers) whose SPARK_HOME/jars holds only Spark's
 * jars, as a real cluster's does: qnn-oracle and this module reach the executors through spark.jars alone. One worker
 * and its executor are killed after the first results; the sweep still finishes with every task's result once, equal
 * to the plain loop's.
 */
class StandaloneClusterTest {
  /** Under target/ (kept for a look at the logs; JUnit's @TempDir warns about every symbolic link it deletes). */
  private Path tmp;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    System.clearProperty("spark.driver.host");
    System.clearProperty("spark.driver.bindAddress");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Spark's opens, as this JVM got them from pom.xml's spark.jvm.flags. */
  static List<String> sparkFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || a.startsWith("-Dio.netty"))
        .toList();
  }

  Process start(Path home, Path log, String... mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m"));
    cmd.addAll(sparkFlags());
    cmd.add("-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties"));
    cmd.addAll(List.of("-cp", home.resolve("jars") + "/*"));
    cmd.addAll(List.of(mainAndArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  static void await(String what, int seconds, BooleanSupplier ok) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  static long count(Path log, String text) {
    try {
      return Files.exists(log) ? Files.readString(log).lines().filter(l -> l.contains(text)).count() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  static long resultFiles(Path out) {
    try (Stream<Path> s = Files.list(out.resolve("results"))) {
      return s.filter(f -> f.toString().endsWith(".json")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aSweepSurvivesAWorkerKilledMidway() throws Exception {
    tmp = Path.of("target/standalone-test").toAbsolutePath();
    if (Files.exists(tmp)) {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    long t0 = System.nanoTime();
    // SPARK_HOME with Spark's jars only (spark-core's dependency tree), and INFO logs for the lines awaited below
    Path home = tmp.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    List<Path> sparkJars = ExecutorJars.spark();
    for (Path j : sparkJars) {
      Files.createSymbolicLink(home.resolve("jars").resolve(j.getFileName()), j);
    }
    assertTrue(sparkJars.stream().noneMatch(j -> j.getFileName().toString().startsWith("qnn-oracle")));
    Files.writeString(home.resolve("conf/log4j2.properties"), String.join("\n",
        "rootLogger.level = info", "rootLogger.appenderRef.stdout.ref = console", "appender.console.type = Console",
        "appender.console.name = console", "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n", ""));

    int port = freePort();
    Path masterLog = tmp.resolve("master.log");
    start(home, masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(freePort()));
    await("the master's election", 90, () -> count(masterLog, "I have been elected leader") > 0);
    String master = "spark://127.0.0.1:" + port;
    List<Process> workers = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      workers.add(start(home, tmp.resolve("worker" + w + ".log"), "org.apache.spark.deploy.worker.Worker", master,
          "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
          "--work-dir", tmp.resolve("work" + w).toString()));
    }
    await("two workers", 90, () -> count(masterLog, "Registering worker") >= 2);
    long tCluster = System.nanoTime();

    Path spec = SweepFixtures.root().resolve("src/sweeps/src/test/resources/sweeps/standalone-sgd.json");
    Path out = tmp.resolve("out");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    long[] tKill = new long[1];
    Thread killer = new Thread(() -> {
      try {
        await("4 results", 180, () -> resultFiles(out) >= 4);
        Process w = workers.get(0);
        w.descendants().forEach(ProcessHandle::destroyForcibly); // its executor
        w.destroyForcibly();
        tKill[0] = System.nanoTime();
      } catch (InterruptedException | AssertionError e) {
        // the sweep's own assertions say what went wrong
      }
    }, "worker-killer");
    killer.setDaemon(true);
    killer.start();
    SweepFixtures.Run run = SweepFixtures.run(spec, out, master, 0);
    killer.join(5000);
    long tDone = System.nanoTime();
    System.out.printf(java.util.Locale.ROOT, "standalone: cluster up in %.1f s; sweep %.1f s, worker killed after "
        + "%.1f s%n", (tCluster - t0) / 1e9, (tDone - tCluster) / 1e9, (tKill[0] - tCluster) / 1e9);

    assertTrue(!workers.get(0).isAlive() && tKill[0] != 0 && tKill[0] < tDone, "worker 1 was killed during the sweep");
    assertTrue(run.progress().contains("sweep: engine: Spark 4.2.0 " + master), run.progress());
    Map<String, String> expected = SweepFixtures.loop(spec);
    assertEquals(16, expected.size());
    assertEquals(expected, SweepFixtures.results(out));
    Map<String, Integer> once = new TreeMap<>();
    expected.keySet().forEach(id -> once.put(id, 1));
    assertEquals(once, SweepFixtures.deliveries(run.progress()), "one delivery per task");
    assertEquals(0, run.outcome().errors());
    // the results were computed on the executors (other processes), not in this JVM
    long here = ProcessHandle.current().pid();
    for (Path f : Files.list(out.resolve("results")).toList()) {
      assertTrue(!Files.readString(f).contains("\"pid\":" + here + ","), f + " was computed in the driver");
    }
  }
}
