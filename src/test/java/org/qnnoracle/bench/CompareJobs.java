package org.qnnoracle.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.flow.OverlapClosedForm;
import org.qnnoracle.laws.ReducedStart;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.model.TeacherBasis;
import org.qnnoracle.sgd.GaussianSamples;
import org.qnnoracle.sgd.OnlineSgd;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The qnn-oracle half of the side-by-side comparison with NumPy/scipy ({@code src/test/resources/bench/
 * compare_numpy.py} runs this class in a child process and the same jobs in NumPy, and prints the ratios).
 * Not JMH: every job is timed the same simple way on both sides (warm-up for a while, then timed repetitions
 * until a minimum time and count are reached; the median repetition is reported), so the two columns of the
 * table are measured alike.
 *
 * <p>Usage: {@code CompareJobs [--warmup S] [--time S] [--min-reps N] [--dump DIR] JOB...}, JOB one of
 * <ul>
 *   <li>{@code gemm:N}: C = A B, n x n, row-major flat arrays through {@link Linalg#gemm}; 2 n^3 flops;</li>
 *   <li>{@code cholesky:N}: copy an SPD matrix, then {@link Linalg#choleskyInPlace}; n^3 / 3 flops (the copy
 *       is timed too, as NumPy's {@code linalg.cholesky} copies its input);</li>
 *   <li>{@code sgd:D:M:B:STEPS[:R]}: {@link OnlineSgd#step()} on a canonical teacher (theta_j = e_j), r = m
 *       unless given, alpha = 1, sigma0 = 0.5, eta = 0.05 / d, clean labels; one repetition is STEPS steps;</li>
 *   <li>{@code flow:D:R:M[:POINTS[:TMAX[:METHOD[:RTOL]]]]}: the flow command's computation, {@link
 *       FlowMethod#solve} then each output time's observables (risk, overlaps), on the instance {@code flow
 *       --d D --r R --m M --alpha 1} builds (Haar teacher, sigma0 = 1e-3, seed 1); defaults 100 points, t-max
 *       40, method exact;</li>
 *   <li>{@code closedform:D:R:M:POINTS[:THREADS]}: {@link OverlapClosedForm#risk} at POINTS log-spaced times
 *       in [0.1, 300] from the reduced start of (D, R, M), sigma0 = 1e-3, seed 1 (the paper-scale route);
 *       THREADS (default 1) time points run in parallel.</li>
 * </ul>
 * Each job prints one line {@code RESULT job=... key=value ...}; lines starting with {@code #} are comments.
 * With {@code --dump DIR}, flow and closedform jobs write their inputs and results as raw little-endian
 * doubles (row-major) under DIR, so the NumPy side solves the very same instance and compares accuracy.
 */
public final class CompareJobs {
  static final long SEED = 1L;

  private double warmupSeconds = 2.0;
  private double timeSeconds = 3.0;
  private int minReps = 3;
  private Path dumpDir;

  private CompareJobs() {}

  public static void main(String[] args) throws IOException {
    CompareJobs jobs = new CompareJobs();
    List<String> specs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> jobs.warmupSeconds = Double.parseDouble(args[++i]);
        case "--time" -> jobs.timeSeconds = Double.parseDouble(args[++i]);
        case "--min-reps" -> jobs.minReps = Integer.parseInt(args[++i]);
        case "--dump" -> jobs.dumpDir = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println("usage: CompareJobs [--warmup S] [--time S] [--min-reps N] [--dump DIR] JOB...\n"
              + "  JOB: gemm:N | cholesky:N | sgd:D:M:B:STEPS[:R] | flow:D:R:M[:POINTS[:TMAX[:METHOD[:RTOL]]]]"
              + " | closedform:D:R:M:POINTS[:THREADS]");
          return;
        }
        default -> specs.add(args[i]);
      }
    }
    if (jobs.dumpDir != null) {
      Files.createDirectories(jobs.dumpDir);
    }
    System.out.println("# linalg: " + Linalg.describe());
    System.out.println("# java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
        + ", " + Runtime.getRuntime().availableProcessors() + " processors");
    for (String env : List.of("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
      System.out.println("# " + env + "=" + System.getenv(env));
    }
    System.out.flush();
    for (String spec : specs) {
      String line = jobs.run(spec);
      System.out.println("RESULT " + line);
      System.out.flush();
    }
  }

  String run(String spec) throws IOException {
    String[] p = spec.split(":");
    return switch (p[0]) {
      case "gemm" -> gemm(Integer.parseInt(p[1]));
      case "cholesky" -> cholesky(Integer.parseInt(p[1]));
      case "sgd" -> sgd(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
          Integer.parseInt(p[4]), p.length > 5 ? Integer.parseInt(p[5]) : Integer.parseInt(p[2]));
      case "flow" -> flow(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
          p.length > 4 ? Integer.parseInt(p[4]) : 100, p.length > 5 ? Double.parseDouble(p[5]) : 40.0,
          p.length > 6 ? FlowMethod.parse(p[6]) : FlowMethod.EXACT, p.length > 7 ? Double.parseDouble(p[7]) : 1e-10);
      case "closedform" -> closedForm(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
          Integer.parseInt(p[4]), p.length > 5 ? Integer.parseInt(p[5]) : 1);
      default -> throw new IllegalArgumentException("unknown job '" + spec + "' (try --help)");
    };
  }

  // ----------------------------------------------------------------------------------------------------------

  String gemm(int n) {
    RandomGenerator rng = Seeds.generator(SEED, "compare-gemm");
    double[] a = uniform(rng, n * n);
    double[] b = uniform(rng, n * n);
    double[] c = new double[n * n];
    Timing t = time(() -> Linalg.gemm(false, false, n, n, n, 1.0, a, b, 0.0, c));
    return String.format(Locale.ROOT, "job=gemm n=%d %s gflops=%.3f", n, t, 2.0 * n * n * n / t.median / 1e9);
  }

  String cholesky(int n) {
    double[] k = spd(n);
    double[] a = new double[n * n];
    Timing t = time(() -> {
      System.arraycopy(k, 0, a, 0, k.length);
      Linalg.choleskyInPlace(n, a);
    });
    return String.format(Locale.ROOT, "job=cholesky n=%d %s gflops=%.3f", n, t, (double) n * n * n / 3.0 / t.median
        / 1e9);
  }

  /** Symmetric, entries uniform in [-1, 1) off the diagonal and n on it: SPD by Gershgorin. */
  static double[] spd(int n) {
    RandomGenerator rng = Seeds.generator(SEED, "compare-cholesky");
    double[] k = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = 2.0 * rng.nextDouble() - 1.0;
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
      k[i * n + i] = n;
    }
    return k;
  }

  String sgd(int d, int m, int batch, int steps, int r) {
    Instance instance = new ModelSpec(d, r, m, 1.0, Normalisation.L2, 0.5, TeacherBasis.CANONICAL, SEED).instance();
    StepSchedule schedule = new StepSchedule.Constant(0.05 / d);
    OnlineSgd[] replica = {null};
    Runnable fresh = () -> replica[0] = new OnlineSgd(instance.teacher(), instance.w0(), schedule, batch,
        new GaussianSamples(Seeds.generator(Seeds.derive(SEED, "sgd-samples-0")), 0.0));
    fresh.run();
    Timing t = time(() -> {
      OnlineSgd sgd = replica[0];
      for (int s = 0; s < steps; s++) {
        sgd.step();
      }
    });
    OnlineSgd sgd = replica[0];
    if (sgd.diverged() || !Double.isFinite(sgd.traceG())) {
      throw new IllegalStateException("sgd diverged at step " + sgd.divergedAt() + ": the timing is void");
    }
    double perStep = t.median / steps;
    return String.format(Locale.ROOT,
        "job=sgd d=%d m=%d b=%d r=%d steps=%d reps=%d sec_per_op=%.6e sec_min=%.6e steps_per_s=%.3f "
            + "total_steps=%d trace_g=%.6g",
        d, m, batch, r, steps, t.reps, perStep, t.min / steps, 1.0 / perStep, sgd.steps(), sgd.traceG());
  }

  String flow(int d, int r, int m, int points, double tMax, FlowMethod method, double rtol) throws IOException {
    Instance instance = ModelSpec.of(d, r, m, 1.0, 1e-3, SEED).instance();
    double[] times = FlowTime.uniformGrid(tMax, points);
    double[][] risks = {null};
    List<List<FlowState>> last = new ArrayList<>(List.of(List.of()));
    Timing t = time(() -> {
      List<FlowState> states = method.solve(instance, times, rtol);
      double[] risk = new double[states.size()];
      double overlapSum = 0.0;
      for (int i = 0; i < risk.length; i++) {
        FlowObservables obs = states.get(i).observables(instance.teacher());
        risk[i] = obs.risk();
        overlapSum += obs.directionOverlaps()[0];
      }
      if (!Double.isFinite(overlapSum)) {
        throw new IllegalStateException("non-finite overlaps");
      }
      risks[0] = risk;
      last.set(0, states);
    });
    String dumped = "";
    if (dumpDir != null) {
      String prefix = String.format(Locale.ROOT, "flow-%s-d%d-r%d-m%d-", method.cliName(), d, r, m);
      dump(prefix + "w0", instance.w0());
      dump(prefix + "theta", instance.teacher().theta());
      dump(prefix + "lambda", instance.teacher().lambda());
      dump(prefix + "times", times);
      dump(prefix + "risk", risks[0]);
      FlowState end = last.get(0).get(times.length - 1);
      if (end instanceof FlowState.Student s) {
        dump(prefix + "wfinal", s.w()); // M = W W^T; W is in the route's own gauge
      } else if (end.matrixOrNull() != null) {
        dump(prefix + "mfinal", end.matrixOrNull());
      } // the reduced route keeps overlaps only: nothing d-space to hand over
      dumped = " dump=" + dumpDir.resolve(prefix).toAbsolutePath();
    }
    double[] risk = risks[0];
    return String.format(Locale.ROOT,
        "job=flow d=%d r=%d m=%d points=%d tmax=%s method=%s rtol=%s %s risk0=%.10g risk_final=%.10g%s",
        d, r, m, points, num(tMax), method.cliName(), method.integrates() ? num(rtol) : "-", t, risk[0],
        risk[risk.length - 1], dumped);
  }

  String closedForm(int d, int r, int m, int points, int threads) throws IOException {
    double[] lambda = PowerLawSpectrum.lambdas(r, 1.0, Normalisation.L2);
    FlowState.Overlaps start = ReducedStart.sample(d, r, m, 1e-3, SEED);
    double[] times = new double[points];
    for (int i = 0; i < points; i++) {
      times[i] = points == 1 ? 300.0 : 0.1 * Math.pow(3000.0, (double) i / (points - 1));
    }
    double[][] risk = {null};
    Timing t = time(() -> risk[0] = OverlapClosedForm.risk(lambda, start, times, threads, FlowProgress.NONE));
    String dumped = "";
    if (dumpDir != null) {
      String prefix = String.format(Locale.ROOT, "closedform-d%d-r%d-m%d-", d, r, m);
      dump(prefix + "q0", start.q());
      dump(prefix + "p0", start.p());
      dump(prefix + "lambda", lambda);
      dump(prefix + "times", times);
      dump(prefix + "risk", risk[0]);
      dumped = " dump=" + dumpDir.resolve(prefix).toAbsolutePath();
    }
    return String.format(Locale.ROOT, "job=closedform d=%d r=%d m=%d points=%d threads=%d %s risk_final=%.10g%s",
        d, r, m, points, threads, t, risk[0][points - 1], dumped);
  }

  // ----------------------------------------------------------------------------------------------------------

  /** Median and best of the timed repetitions. */
  record Timing(int reps, double median, double min) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "reps=%d sec_per_op=%.6e sec_min=%.6e", reps, median, min);
    }
  }

  /**
   * Runs op for at least the warm-up time (at least once), then times repetitions until both the measuring
   * time and the minimum count are reached.
   */
  Timing time(Runnable op) {
    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    do {
      op.run();
    } while (System.nanoTime() < warmEnd);
    List<Double> seconds = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + (long) (timeSeconds * 1e9);
    do {
      long t0 = System.nanoTime();
      op.run();
      seconds.add((System.nanoTime() - t0) / 1e9);
    } while (seconds.size() < minReps || System.nanoTime() < end);
    double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    return new Timing(s.length, median, s[0]);
  }

  static double[] uniform(RandomGenerator rng, int len) {
    double[] a = new double[len];
    for (int i = 0; i < len; i++) {
      a[i] = 2.0 * rng.nextDouble() - 1.0;
    }
    return a;
  }

  static String num(double x) {
    return String.format(Locale.ROOT, "%.6g", x).replaceFirst("\\.?0+(e|$)", "$1");
  }

  private void dump(String name, double[][] a) throws IOException {
    int cols = a.length == 0 ? 0 : a[0].length;
    double[] flat = new double[a.length * cols];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, flat, i * cols, cols);
    }
    dump(name, flat);
  }

  /** Raw little-endian doubles, read back by numpy.fromfile(path, '<f8'). */
  private void dump(String name, double[] a) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(a);
    try (FileChannel ch = FileChannel.open(dumpDir.resolve(name + ".f64"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }
}
