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
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.SampleSource;
import org.qnnoracle.sgd.StepSchedule;

/**
 * Online SGD steps per second ({@link OnlineSgd#step()}) against a streaming kernel that moves the same
 * bytes, measured in the same run. Shapes (d, m, b): (1000, 50, 1), (1000, 50, 64), (4000, 100, 1), each
 * with a realistic teacher r = m, alpha = 1, sigma0 = 0.5 and eta = 0.05 / d (constant), clean labels.
 *
 * <p>Run: {@code mvn -Pbench test-compile exec:exec -Dbench.args="SgdBenchmark -f 1 -wi 2 -i 3"}. Mode is
 * throughput (ops/s); the {@code *TwoThreads} benchmarks run one independent replica (or one set of
 * baseline arrays) per thread on two threads and JMH reports the aggregate over both.
 *
 * <p>Bytes one step moves through the cache hierarchy, read off {@link OnlineSgd#step()} (doubles of 8 bytes):
 * <ul>
 *   <li>forward, once per sample: z = W^T x reads W (d m) and Theta^T x reads Theta (d r), interleaved row
 *       by row; x (d doubles) is written by the generator and read back from L1, and is not counted;</li>
 *   <li>update, once per step: each row of W is read, scaled, given the b rank-1 updates and summed into
 *       |W|_F^2 while it sits in L1, then written back: one read + one write of W (2 d m).</li>
 * </ul>
 * So bytes(step) = 8 (b d (m + r) + 2 d m); for b = 1, r = m that is 32 d m (1.6 MB at (1000, 50), 12.8 MB
 * at (4000, 100)). The forward pass is per sample, so for b = 64 it streams W and Theta 64 times.
 *
 * <p>The baseline {@link #stream} does exactly that traffic on flat arrays of the sizes of W and Theta and
 * nothing else: b read passes over both ({@link #readPass}), then one read + write pass over the W-sized
 * array (a vectorised scale by a factor the compiler cannot see is 1). Read (step ns) / (stream ns) per shape
 * and thread count: 1 would mean the step runs at the speed of its data movement alone. The arrays have the
 * sizes of the step's, so the baseline is measured at the cache level the step works in: W + Theta are
 * 0.8 MB at (1000, 50), inside a 2 MB L2, and 6.4 MB at (4000, 100), in L3, on the development machine.
 *
 * <p>Each iteration starts a fresh replica from W0 in its set-up (outside the measurement) and its
 * tear-down fails the run if the replica diverged, because a diverged replica's step() is a no-op and
 * would be timed as free. {@link #samplesOnly} times the b Gaussian draws of one step by themselves.
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
  @Param({"1000:50:1", "1000:50:64", "4000:100:1"})
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

  /** The b Gaussian samples one step draws (b (d + 1) normal deviates), nothing else. */
  @Benchmark
  public double samplesOnly() {
    double eps = 0.0;
    for (int s = 0; s < batch; s++) {
      eps += samples.next(x);
    }
    return eps + x[0];
  }

  /** The memory traffic of one step: b reads of W and Theta, one read + write of W. */
  double streamPass() {
    for (int s = 0; s < batch; s++) {
      readPass(wStream, buffer);
      readPass(thetaStream, buffer);
    }
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

  /** bytes one step moves (see the class comment). */
  static long bytesPerStep(int d, int m, int r, int b) {
    return 8L * ((long) b * d * (m + r) + 2L * d * m);
  }
}
