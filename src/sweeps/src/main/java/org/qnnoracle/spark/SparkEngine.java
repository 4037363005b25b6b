package org.qnnoracle.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.qnnoracle.sweep.SweepEngine;
import org.qnnoracle.sweep.SweepTask;
import org.qnnoracle.sweep.SweepTasks;
import scala.Function2;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * The Spark engine of {@code sweep run}: one partition per task, {@link SweepTasks#run} on the executors, each result
 * handed to the sink on the driver as its partition finishes ({@code SparkContext.runJob} with a result handler).
 * Local mode ({@code local[N]}) is the default; any master Spark knows works through {@code --master}.
 *
 * <p>The driver JVM needs Spark's opens (java -jar qnn-oracle-sweeps.jar has them in its manifest; otherwise the
 * flags of pom.xml's {@code spark.jvm.flags}). For a master that is not local, {@code spark.jars} is set to the jars
 * executors need and a cluster's Spark does not have ({@link ExecutorJars}).
 */
public final class SparkEngine implements SweepEngine {
  private final JavaSparkContext sc;
  private final String master;

  private SparkEngine(JavaSparkContext sc, String master) {
    this.sc = sc;
    this.master = master;
  }

  /** Registered under META-INF/services/org.qnnoracle.sweep.SweepEngine$Factory. */
  public static final class Factory implements SweepEngine.Factory {
    @Override
    public String name() {
      return "spark";
    }

    @Override
    public SweepEngine start(String master, int parallelism) {
      return SparkEngine.start(master, parallelism);
    }
  }

  static SparkEngine start(String masterOrNull, int parallelism) {
    int n = parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    // no --master: spark-submit's --master (it sets the spark.master property), else local mode
    String master = masterOrNull != null ? masterOrNull.strip()
        // local[N, 4]: Spark retries a failed task in local mode only when told a failure count (local[N] gives up
        // at the first failure); 4 as spark.task.maxFailures does on a cluster
        : System.getProperty("spark.master", "local[" + n + ",4]");
    if (master.startsWith("spark://")) {
      checkReachable(master);
    }
    // Netty's reflective access (the launcher's JVM option; a jar manifest cannot carry system properties)
    System.setProperty("io.netty.tryReflectionSetAccessible", "true");
    SparkConf conf = new SparkConf().setAppName("qnn-oracle sweep").setMaster(master)
        .set("spark.ui.enabled", "false")
        .set("spark.task.maxFailures", "4")
        // results are bit-identical across JVMs only with one OpenBLAS thread
        .set("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    String sparkHome = System.getenv("SPARK_HOME");
    if (sparkHome != null && !sparkHome.isBlank()) {
      conf.setSparkHome(sparkHome);
    }
    if (!master.startsWith("local")) {
      // added to what spark-submit's --jars or -Dspark.jars named
      List<String> jars = new java.util.ArrayList<>(ExecutorJars.forExecutors());
      if (conf.contains("spark.jars") && !conf.get("spark.jars").isBlank()) {
        jars.add(0, conf.get("spark.jars"));
      }
      conf.set("spark.jars", String.join(",", jars));
      if (parallelism > 0 && !conf.contains("spark.cores.max")) {
        conf.set("spark.cores.max", Integer.toString(parallelism));
      }
    }
    try {
      return new SparkEngine(new JavaSparkContext(conf), master);
    } catch (Exception | ExceptionInInitializerError | NoClassDefFoundError e) {
      // Exception: Scala code throws SparkException (checked in Java) without declaring it
      throw new SweepEngineException("cannot start Spark on " + master + ": " + oneLine(e), e);
    }
  }

  /** A TCP connect to spark://HOST:PORT (5 s), so that a wrong URL fails at once instead of after Spark's retries. */
  static void checkReachable(String master) {
    String hostPort = master.substring("spark://".length());
    for (String hp : hostPort.split(",")) {
      try {
        URI u = new URI("spark://" + hp.strip());
        if (u.getHost() == null || u.getPort() < 0) {
          throw new SweepEngineException("not a Spark master URL (spark://HOST:PORT): " + master);
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
          return;
        } catch (IOException e) {
          if (hostPort.indexOf(',') < 0) {
            throw new SweepEngineException("cannot reach the Spark master " + master + ": " + oneLine(e));
          }
        }
      } catch (java.net.URISyntaxException e) {
        throw new SweepEngineException("not a Spark master URL (spark://HOST:PORT): " + master);
      }
    }
    throw new SweepEngineException("cannot reach any Spark master of " + master);
  }

  @Override
  public String describe() {
    SparkContext s = sc.sc();
    if (master.startsWith("local")) {
      return "Spark " + s.version() + " " + master;
    }
    int executors = Math.max(0, s.statusTracker().getExecutorInfos().length - 1);
    return "Spark " + s.version() + " " + master + " (" + executors + " executor" + (executors == 1 ? "" : "s")
        + " so far)";
  }

  /** Serializable scala.Function2 for Spark's closures. */
  interface SFunction2<A, B, C> extends Function2<A, B, C>, Serializable {}

  @Override
  public void run(List<SweepTask> tasks, Consumer<String> sink) {
    if (tasks.isEmpty()) {
      return;
    }
    JavaRDD<SweepTask> rdd = sc.parallelize(tasks, tasks.size());
    SFunction2<TaskContext, scala.collection.Iterator<SweepTask>, String> onExecutor =
        (ctx, it) -> SweepTasks.run(it.next());
    Set<Integer> delivered = new HashSet<>();
    RuntimeException[] sinkFailure = new RuntimeException[1];
    SFunction2<Object, String, BoxedUnit> onDriver = (partition, result) -> {
      synchronized (delivered) {
        // Spark hands each partition's result over once; a second delivery would not be written twice
        if (sinkFailure[0] == null && delivered.add((Integer) partition)) {
          try {
            sink.accept(result);
          } catch (RuntimeException e) {
            sinkFailure[0] = e;
          }
        }
      }
      return BoxedUnit.UNIT;
    };
    try {
      sc.sc().runJob(rdd.rdd(), onExecutor, onDriver, ClassTag$.MODULE$.apply(String.class));
    } catch (Exception e) {
      // SparkException ("Job aborted due to stage failure: ..."), checked in Java and thrown undeclared by Scala
      if (sinkFailure[0] == null) {
        throw new SweepEngineException("the Spark job failed: " + oneLine(e), e);
      }
    }
    if (sinkFailure[0] != null) {
      throw sinkFailure[0];
    }
  }

  @Override
  public void close() {
    sc.close();
  }

  /** The first line of a throwable's message (Spark's carry the executor's stack trace), at most 400 characters. */
  static String oneLine(Throwable e) {
    Throwable t = e;
    String m = t.getMessage();
    while ((m == null || m.isBlank()) && t.getCause() != null) {
      t = t.getCause();
      m = t.getMessage();
    }
    String line = m == null ? t.getClass().getSimpleName() : m.strip().lines().findFirst().orElse("").strip();
    if (line.length() > 400) {
      line = line.substring(0, 400) + "...";
    }
    return line.isEmpty() ? t.getClass().getSimpleName() : line;
  }
}
