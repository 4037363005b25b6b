package org.qnnoracle.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.netlib.util.intW;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.linalg.LinalgBackend;
import org.qnnoracle.model.Seeds;

/**
 * Dense kernels through the {@link Linalg} facade on each backend, and the raw BLAS/LAPACK kernels at tiny
 * orders, where the facade's size rule ({@link Linalg#SMALL_PRODUCT}: products of at most 12^3 multiply-adds,
 * and factorisations below order 8, run on the Java BLAS even when the native one is loaded) is decided.
 *
 * <ul>
 *   <li>{@link #gemm}, {@link #cholesky}: {@code Linalg.gemm} (C = A B, n x n, flat row-major) and {@code
 *       Linalg.choleskyInPlace} (on a fresh copy of an SPD matrix; the O(n^2) copy is timed too) at n = 100,
 *       1000, 2400, with the backend of the {@code backend} parameter. GFLOP/s = 2 n^3 / time for gemm,
 *       n^3 / 3 / time for Cholesky.</li>
 *   <li>{@link #kernelGemm}, {@link #kernelPotrf}: dgemm and dpotrf called on the netlib {@code NativeBLAS} /
 *       {@code JavaBLAS} (and LAPACK) instances directly, bypassing the facade's size rule, at orders 8 .. 64.
 *       Where the native column (JNI call, plus OpenBLAS's thread start-up) is slower than the Java column,
 *       the facade's Java routing pays off; SMALL_PRODUCT = 12^3 should sit at or below the crossover.</li>
 * </ul>
 *
 * <p>The facade's backend is process-wide and chosen when {@link Linalg} is first used; {@code
 * Linalg.withBackend} builds a new backend on each call (reading /proc/self/maps for its description), far
 * too slow to wrap one small product. So each trial sets {@code qnn.linalg} in its own forked JVM before the
 * facade is first touched, and checks that the facade took it: run with forks &gt;= 1 (the default here).
 *
 * <p>Run: {@code mvn -Pbench test-compile exec:exec -Dbench.args="LinalgBenchmark"}; quicker, e.g.
 * {@code -Dbench.args="LinalgBenchmark.kernel -wi 1 -i 2 -w 1 -r 1"} or {@code
 * -Dbench.args="LinalgBenchmark.gemm -p n=100,1000"} (the Java backend at n = 2400 takes tens of seconds per
 * product). Threads of the native library: {@code OPENBLAS_NUM_THREADS} in the environment.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
public class LinalgBenchmark {

  /** Inputs for the facade benchmarks; its set-up selects the facade's backend. */
  @State(Scope.Thread)
  public static class Facade {
    @Param({"100", "1000", "2400"})
    public int n;

    @Param({"native", "java"})
    public String backend;

    double[] a;
    double[] b;
    double[] c;
    double[] spd;
    double[] factor;

    @Setup(Level.Trial)
    public void setUp() {
      System.setProperty("qnn.linalg", backend);
      LinalgBackend.Kind want = LinalgBackend.Kind.valueOf(backend.toUpperCase(Locale.ROOT));
      if (Linalg.backend().kind() != want) {
        throw new IllegalStateException("the facade runs on " + Linalg.backend().kind() + ", not " + want
            + ": it was initialised before this trial; run with forks >= 1 (one JVM per trial)");
      }
      System.out.printf(Locale.ROOT, "%n  [n = %d] %s%n", n, Linalg.describe());
      RandomGenerator rng = Seeds.generator(1L, "linalg-benchmark");
      a = CompareJobs.uniform(rng, n * n);
      b = CompareJobs.uniform(rng, n * n);
      c = new double[n * n];
      spd = CompareJobs.spd(n);
      factor = new double[n * n];
    }
  }

  /** Inputs for the raw kernels, and the netlib instance to call. */
  @State(Scope.Thread)
  public static class Kernel {
    @Param({"8", "16", "32", "64"})
    public int order;

    @Param({"native", "java"})
    public String blas;

    /** The netlib loaders warn (java.util.logging) about every optional implementation they skip; held strongly. */
    static final java.util.logging.Logger[] QUIET = {
        java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder"),
        java.util.logging.Logger.getLogger("dev.ludovic.netlib.lapack.InstanceBuilder")};

    BLAS blasImpl;
    LAPACK lapackImpl;
    double[] a;
    double[] b;
    double[] c;
    double[] spd;
    double[] factor;
    final intW info = new intW(0);

    @Setup(Level.Trial)
    public void setUp() {
      for (java.util.logging.Logger l : QUIET) {
        l.setLevel(java.util.logging.Level.OFF);
      }
      boolean nativeLib = blas.equals("native");
      blasImpl = nativeLib ? NativeBLAS.getInstance() : JavaBLAS.getInstance();
      lapackImpl = nativeLib ? NativeLAPACK.getInstance() : JavaLAPACK.getInstance();
      int n = order;
      RandomGenerator rng = Seeds.generator(1L, "linalg-benchmark");
      a = CompareJobs.uniform(rng, n * n);
      b = CompareJobs.uniform(rng, n * n);
      c = new double[n * n];
      spd = CompareJobs.spd(n);
      factor = new double[n * n];
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double[] gemm(Facade s) {
    Linalg.gemm(false, false, s.n, s.n, s.n, 1.0, s.a, s.b, 0.0, s.c);
    return s.c;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double[] cholesky(Facade s) {
    System.arraycopy(s.spd, 0, s.factor, 0, s.spd.length);
    Linalg.choleskyInPlace(s.n, s.factor);
    return s.factor;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public double[] kernelGemm(Kernel s) {
    int n = s.order;
    s.blasImpl.dgemm("N", "N", n, n, n, 1.0, s.b, n, s.a, n, 0.0, s.c, n);
    return s.c;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public double[] kernelPotrf(Kernel s) {
    int n = s.order;
    System.arraycopy(s.spd, 0, s.factor, 0, s.spd.length);
    s.lapackImpl.dpotrf("U", n, s.factor, n, s.info);
    if (s.info.val != 0) {
      throw new IllegalStateException("dpotrf info " + s.info.val);
    }
    return s.factor;
  }
}
