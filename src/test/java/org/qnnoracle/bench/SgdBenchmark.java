package org.qnnoracle.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.SampleSource;
import org.qnnoracle.sgd.StepSchedule;

/**
 * Online SGD steps per second ({@link OnlineSgd#step()}) against baselines measured in the same run: a
 * streaming kernel that moves the step's bytes, the step's products alone, and the step's Gaussian draws.
 * Shapes (d, m, b): (1000, 50, 1), (1000, 50, 64), (4000, 100, 1), (800, 600, 800) and (3200, 256, 3200), each
 * with a realistic (Haar) teacher r = m, alpha = 1, sigma0 = 0.5 and eta = 0.05 / d (constant), clean labels.
 *
 * <p>Run: {@code mvn -Pbench test-compile exec:exec -Dbench.args="SgdBenchmark -f 1 -wi 2 -i 3"} (one shape:
 * add {@code -p shape=800:600:800}). Mode is throughput (ops/s); the {@code *TwoThreads} benchmarks run one
 * independent replica (or one set of baseline arrays) per thread on two threads and JMH reports the aggregate
 * over both. The (3200, 256, 3200) shape takes about a second per step and 0.3 GB per replica.
 *
 * <p>b = 1: fused loops. Bytes one step moves through the cache hierarchy, read off {@link OnlineSgd#step()}
 * (doubles of 8 bytes):
 * <ul>
 *   <li>forward: z = W^T x reads W (d m) and Theta^T x reads Theta (d r), interleaved row by row; x (d
 *       doubles) is written by the generator and read back from L1, and is not counted;</li>
 *   <li>update: each row of W is read, scaled, given the rank-1 update and summed into |W|_F^2 while it sits
 *       in L1, then written back: one read + one write of W (2 d m).</li>
 * </ul>
 * So bytes(step) = 8 (d (m + r) + 2 d m); for r = m that is 32 d m (1.6 MB at (1000, 50), 12.8 MB at
 * (4000, 100)).
 *
 * <p>b &gt; 1: three GEMMs through {@code Linalg} on the batch X (b x d): Z = X W, U = X Theta, and
 * W &lt;- keep W - (2 eta / b) X^T diag(e) Z; 2 b d (2 m + r) flops, so these shapes are bound by arithmetic, not
 * by memory. The least traffic of that route: X read by each of the three products, W and Theta read once, W
 * read and written once: bytes(step) = 8 (3 b d + d (m + r) + 2 d m) (X is written by the generator, timed by
 * {@link #samplesOnly}).
 *
 * <p>The baseline {@link #stream} does exactly that traffic on flat arrays of the step's sizes and nothing else:
 * read passes ({@link #readPass}), then one read + write pass over the W-sized array (a vectorised scale by a
 * factor the compiler cannot see is 1). Read (step ns) / (stream ns) per shape and thread count: 1 would mean
 * the step runs at the speed of its data movement alone. The arrays have the sizes of the step's, so the
 * baseline is measured at the cache level the step works in: W + Theta are 0.8 MB at (1000, 50), inside a 2 MB
 * L2, and 6.4 MB at (4000, 100), in L3, on the development machine. {@link #products} times the step's three
 * products alone (for b = 1 as gemv-sized {@code Linalg.gemm} calls, the alternative to the loops); for b &gt; 1
 * it is the floor the step can reach, the rest being the b (d + 1) Gaussian draws ({@link #samplesOnly}).
 *
 * <p>Each iteration starts a fresh replica from W0 in its set-up (outside the measurement) and its
 * tear-down fails the run if the replica diverged, because a diverged replica's step() is a no-op and
 * would be timed as free.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 4, timeUnit = TimeUnit.SECONDS)
public class SgdBenchmark {
  static final double ALPHA = 1.0;
  static final double SIGMA0 = 0.5;
  static final long SEED = 1L;
  /** eta d: the step size in units of 1/d. */
  static final double ETA_TIMES_D = 0.05;

  /** "d:m:b", teacher rank r = m. */
  @Param({"1000:50:1", "1000:50:64", "4000:100:1", "800:600:800", "3200:256:3200"})
  String shape;

  int d;
  int m;
  int r;
  int batch;
  Instance instance;
  StepSchedule schedule;
  long sampleSeed;
  int threadIndex;

  OnlineSgd sgd;
  double traceGStart;

  SampleSource samples;
  double[] x;

  double[] wStream;
  double[] thetaStream;
  /** Where a read pass copies to (4 KB, stays in L1). */
  final double[] buffer = new double[512];
  /** 1.0 in a field, so the read + write pass cannot be folded away. */
  double keep = 1.0;

  /** The batch X (b x d) and the products' outputs, for {@link #products} and the b &gt; 1 {@link #stream}. */
  double[] xBatch;
  double[] zBatch;
  double[] uBatch;

  @Setup(Level.Trial)
  public void setUpTrial(ThreadParams thread) {
    String[] parts = shape.split(":");
    d = Integer.parseInt(parts[0]);
    m = Integer.parseInt(parts[1]);
    batch = Integer.parseInt(parts[2]);
    r = m;
    instance = ModelSpec.of(d, r, m, ALPHA, SIGMA0, SEED).instance();
    schedule = new StepSchedule.Constant(ETA_TIMES_D / d);
    threadIndex = thread.getThreadIndex();
    sampleSeed = Seeds.derive(SEED, "sgd-samples-" + threadIndex);
    samples = new GaussianSamples(Seeds.generator(sampleSeed), 0.0);
    x = new double[d];
    if (thread.getThreadIndex() == 0) {
      System.out.printf(Locale.ROOT, "%n  [%s] eta = %.3g, bytes per step (model) = %d%n", shape, schedule.eta0(),
          bytesPerStep(d, m, r, batch));
    }
    // Same sizes (and, for realism, the same values) as the replica's flat W and Theta.
    wStream = new double[d * m];
    thetaStream = new double[d * r];
    double[][] w0 = instance.w0();
    double[][] theta = instance.teacher().theta();
    for (int i = 0; i < d; i++) {
      System.arraycopy(w0[i], 0, wStream, i * m, m);
      System.arraycopy(theta[i], 0, thetaStream, i * r, r);
    }
    xBatch = new double[batch * d];
    zBatch = new double[batch * m];
    uBatch = new double[batch * r];
    SampleSource fill = new GaussianSamples(Seeds.generator(sampleSeed, "bench-x"), 0.0);
    for (int s = 0; s < batch; s++) {
      fill.next(xBatch, s * d, x);
    }
  }

  @Setup(Level.Iteration)
  public void setUpIteration() {
    sgd = new OnlineSgd(instance.teacher(), instance.w0(), schedule, batch,
        new GaussianSamples(Seeds.generator(sampleSeed), 0.0));
    traceGStart = sgd.traceG();
  }

  @TearDown(Level.Iteration)
  public void checkReplica() {
    if (sgd.steps() == 0) {
      return; // this iteration ran a baseline benchmark
    }
    System.out.printf(Locale.ROOT, "%n  [%s, replica of thread %d] %d steps, t = %.3f, |W|_F^2 %.4f -> %.4f%s%n",
        shape, threadIndex, sgd.steps(), sgd.time(), traceGStart, sgd.traceG(), sgd.diverged() ? " DIVERGED" : "");
    if (sgd.diverged() || !Double.isFinite(sgd.traceG())) {
      throw new IllegalStateException("replica diverged at step " + sgd.divergedAt()
          + "; its later steps were no-ops, so this measurement is void: lower eta");
    }
  }

  @Benchmark
  public void step() {
    sgd.step();
  }

  @Benchmark
  @Threads(2)
  public void stepTwoThreads() {
    sgd.step();
  }

  @Benchmark
  public double stream() {
    return streamPass();
  }

  @Benchmark
  @Threads(2)
  public double streamTwoThreads() {
    return streamPass();
  }

  /**
   * The three products of a step through {@code Linalg}, nothing else: Z = X W, U = X Theta and the update
   * W &lt;- keep W + alpha X^T Z with alpha = 1e-30 (not 0, which BLAS would skip; small enough that W does not
   * change), on the W-sized array of {@link #stream}.
   */
  @Benchmark
  public double products() {
    Linalg.gemm(false, false, batch, m, d, 1.0, xBatch, wStream, 0.0, zBatch);
    Linalg.gemm(false, false, batch, r, d, 1.0, xBatch, thetaStream, 0.0, uBatch);
    Linalg.gemm(true, false, d, m, batch, 1e-30, xBatch, zBatch, keep, wStream);
    return zBatch[0] + uBatch[0] + wStream[0];
  }

  /** The b Gaussian samples one step draws (b (d + 1) normal deviates), nothing else. */
  @Benchmark
  public double samplesOnly() {
    double eps = 0.0;
    for (int s = 0; s < batch; s++) {
      eps += samples.next(x);
    }
    return eps + x[0];
  }

  /**
   * The memory traffic of one step (see the class comment): b = 1, one read of W and Theta; b &gt; 1, three reads
   * of X and one of W and Theta; then one read + write of W.
   */
  double streamPass() {
    if (batch > 1) {
      for (int k = 0; k < 3; k++) {
        readPass(xBatch, buffer);
      }
    }
    readPass(wStream, buffer);
    readPass(thetaStream, buffer);
    double c = keep;
    double[] a = wStream;
    for (int k = 0; k < a.length; k++) {
      a[k] *= c;
    }
    return buffer[0] + a[0];
  }

  /**
   * Reads every element of a once, in order, by copying it chunk by chunk into a 4 KB buffer that stays
   * in L1 (the JDK's vectorised arraycopy stub), so the only traffic beyond L1 is the read of a. Of the
   * read loops tried it was the fastest: at (1000, 50) about 2.6x Arrays.mismatch of a against itself and
   * 4x a vectorised acc[j] += a[k + j]; a plain sum is a serial floating-point chain and slower still.
   */
  static void readPass(double[] a, double[] buffer) {
    int n = a.length;
    int c = buffer.length;
    int k = 0;
    for (; k + c <= n; k += c) {
      System.arraycopy(a, k, buffer, 0, c);
    }
    System.arraycopy(a, k, buffer, 0, n - k);
  }

  /** bytes one step moves at least (see the class comment). */
  static long bytesPerStep(int d, int m, int r, int b) {
    long x = b > 1 ? 3L * b * d : 0L;
    return 8L * (x + (long) d * (m + r) + 2L * d * m);
  }
}
