package org.qnnoracle.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spark.jars: qnn-oracle, its dependencies and this module's code, and none of Spark's jars. */
class ExecutorJarsTest {
  static boolean has(List<String> paths, String fileNamePrefix) {
    return paths.stream().map(p -> Path.of(p.startsWith("file:") ? java.net.URI.create(p).getPath() : p))
        .anyMatch(p -> p.getFileName().toString().startsWith(fileNamePrefix));
  }

  @Test
  void executorsGetQnnOracleAndItsDependenciesButNotSpark() {
    List<String> shipped = ExecutorJars.forExecutors();
    for (String mine : List.of("qnn-oracle-0.1.0", "matheclipse-core-", "hipparchus-core-", "picocli-", "guava-",
        "blas-", "qnn-oracle-sweeps")) {
      assertTrue(has(shipped, mine), mine + " in " + shipped);
    }
    for (String spark : List.of("spark-core_2.13-", "scala-library-", "netty-", "jackson-databind-", "log4j-core-",
        "slf4j-api-")) {
      assertFalse(has(shipped, spark), spark + " in " + shipped);
    }
  }

  @Test
  void sparksJarsAreSparkCoresTree() {
    List<String> spark = ExecutorJars.spark().stream().map(Path::toString).toList();
    for (String s : List.of("spark-core_2.13-", "scala-library-", "jackson-databind-", "log4j-core-")) {
      assertTrue(has(spark, s), s);
    }
    for (String mine : List.of("qnn-oracle-", "matheclipse-core-", "guava-")) {
      assertFalse(has(spark, mine), mine);
    }
  }
}
