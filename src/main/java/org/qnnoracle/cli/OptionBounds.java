package org.qnnoracle.cli;

import java.util.Locale;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowMethod;

/**
 * The bounds on the size and horizon options of every command, in one place, checked before any work: a run
 * that cannot finish is refused in milliseconds with the reason, instead of running for minutes and ending in
 * OutOfMemoryError ({@code flow --points 100000000} once ran for ten minutes and took 6.4 GB, while
 * {@code sgd} refused the same number). Each option has its own range; on top of that the memory a run will
 * hold is estimated from all of them together (the d x m and d x r matrices, one state per output time, the
 * output rows) and compared with the Java heap ({@link Runtime#maxMemory}, set by {@code java -Xmx}), since
 * no single option's range can say whether d = 20000 and --points 1000 fit together.
 *
 * <p>The estimates count the arrays that grow with the options and live together (with the JVM's array
 * headers: a double[rows][cols] is rows + 1 arrays); small and short-lived temporaries are covered by the
 * heap share left free. They are estimates to refuse the impossible, not to predict the peak to the byte.
 */
final class OptionBounds {
  /**
   * Most output times of one curve ({@code flow}, {@code sgd}, {@code laws}): 1e5 rows resolve any curve far
   * beyond what a plot or a fit can use, and the bound keeps a mistyped count from being the run.
   */
  static final int MAX_POINTS = 100_000;

  /** Most SGD replicas of one run: the spread over replicas is resolved long before. */
  static final int MAX_REPLICAS = 10_000;

  /** Most threads: far above any machine this runs on, low enough to refuse a mistyped count. */
  static final int MAX_THREADS = 1024;

  /** Most samples one SGD run may draw (steps x batch): 1e12 is days of computing at any d. */
  static final double MAX_SGD_SAMPLES = 1e12;

  /**
   * Share of the heap the counted arrays may take. The rest is for what is not counted: the temporaries of
   * one step or one output time, the collector's working room, the classes of the program.
   */
  static final double HEAP_SHARE = 0.75;

  private OptionBounds() {}

  /** {@code option} (a number of output times) in min..{@link #MAX_POINTS}. */
  static void requirePoints(String option, int points, int min) {
    InvalidInputException.require(points >= min && points <= MAX_POINTS,
        option + " must be in " + min + ".." + MAX_POINTS + ", got " + points);
  }

  /** --replicas in 1..{@link #MAX_REPLICAS}. */
  static void requireReplicas(int replicas) {
    InvalidInputException.require(replicas >= 1 && replicas <= MAX_REPLICAS,
        "--replicas must be in 1.." + MAX_REPLICAS + ", got " + replicas);
  }

  /** --threads, when given, in 1..{@link #MAX_THREADS}. */
  static void requireThreads(Integer threads) {
    InvalidInputException.require(threads == null || (threads >= 1 && threads <= MAX_THREADS),
        "--threads must be in 1.." + MAX_THREADS + ", got " + threads);
  }

  /** The threads a run uses: --threads, or one per processor. */
  static int threads(Integer threads) {
    return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
  }

  /**
   * A horizon (the last output time) must be positive, with the same rule and message in every command: a zero
   * horizon produces only the starting point, a negative one nothing at all.
   */
  static void requirePositiveHorizon(String option, double value) {
    InvalidInputException.require(value > 0.0, option + " must be > 0, got " + Console.fmt(value));
  }

  /** Bytes of a double[rows][cols]: each row an array with a 16-byte header, plus the array of row references. */
  static double matrixBytes(double rows, double cols) {
    return 16.0 + 8.0 * rows + rows * (16.0 + 8.0 * cols);
  }

  /** Bytes of a flat double[n]. */
  static double arrayBytes(double n) {
    return 16.0 + 8.0 * n;
  }

  /**
   * {@code flow}: the instance (Theta d x r, built through an r x d copy for a Haar basis, and W0 d x m), one
   * state per output time (W, d x m, for the student forms; M, d x d, for the matrix forms and the closed form;
   * (Q, P), r x m and m x m, for the reduced forms; the integrators keep a flat copy of each besides), the
   * integrators' stages, and the CSV rows (3 + r numbers each).
   */
  static void requireFlowFits(FlowMethod method, int d, int r, int m, int points) {
    Memory mem = new Memory("flow", "lower --points, --d, --r or --m, or choose another --method");
    mem.add("the teacher basis Theta and the start W0", 2 * matrixBytes(d, r) + matrixBytes(d, m));
    double state;
    double flat;
    String what;
    switch (method) {
      case EXACT, DP853, GBS -> {
        state = matrixBytes(d, m);
        flat = d * (double) m;
        what = String.format(Locale.ROOT, "W, d x m = %d x %d", d, m);
      }
      case DP853_M, GBS_M, CLOSED_FORM -> {
        state = matrixBytes(d, d);
        flat = d * (double) d;
        what = String.format(Locale.ROOT, "M, d x d = %d x %d", d, d);
        // A = Theta diag(lambda) Theta^T and the closed form's product before symmetrisation, d x d each
        mem.add("d x d temporaries", 2 * matrixBytes(d, d));
      }
      default -> {
        state = matrixBytes(r, m) + matrixBytes(m, m);
        flat = (double) r * m + (double) m * m;
        what = String.format(Locale.ROOT, "(Q, P), r x m + m x m = %d x %d + %d x %d", r, m, m, m);
      }
    }
    boolean integrates = method.integrates();
    mem.add(String.format(Locale.ROOT, "%d output states of %s", points, what),
        points * (state + (integrates ? arrayBytes(flat) : 0.0)));
    // Hipparchus keeps about 20 state-sized vectors for DormandPrince853 (13 stages, the interpolator) and
    // more for Gragg-Bulirsch-Stoer (its extrapolation table); the exact propagators a few.
    mem.add("the solver's work arrays", (integrates ? 40 : 4) * arrayBytes(flat));
    mem.add(String.format(Locale.ROOT, "%d CSV rows of %d numbers", points, 3 + r),
        points * (arrayBytes(3.0 + r) + 16.0) + 2 * arrayBytes(points));
    mem.require();
  }

  /** The sizes of one {@code sgd} run (or of the sample-law runs of {@code laws --sgd}). */
  record SgdSize(int d, int r, int m, int batch, int concurrent, int replicas, int points, boolean effective,
      double replaySamples) {}

  /**
   * Online SGD: the instance, each running replica's arrays (its own Theta and W, flat, W's perpendicular part
   * for a snapshot, the batch X (b x d) and its products (b x m, b x r)), the snapshots every replica keeps at
   * every output time (Theta^T M Theta and Theta^T M^2 Theta, r x r each), the effective ODE's and the flow's
   * states beside them, the samples of a replay file, and the CSV rows.
   */
  static void requireSgdFits(String command, SgdSize s) {
    Memory mem = new Memory(command, "lower --points, --replicas, --threads, --batch, --d, --r or --m");
    double d = s.d();
    double r = s.r();
    double m = s.m();
    double b = s.batch();
    mem.add("the teacher basis Theta and the start W0", 2 * matrixBytes(d, r) + matrixBytes(d, m));
    mem.add(String.format(Locale.ROOT, "%d replica%s running at once, each with Theta, W and a batch of %d x %d",
        s.concurrent(), s.concurrent() == 1 ? "" : "s", s.batch(), s.d()),
        s.concurrent() * (arrayBytes(d * r) + 2 * arrayBytes(d * m) + arrayBytes(b * d) + arrayBytes(b * m)
            + arrayBytes(b * r) + 2 * arrayBytes(d)));
    double observables = 2 * matrixBytes(r, r) + 64.0;
    mem.add(String.format(Locale.ROOT, "%d replica%s x %d output times of r x r overlaps (r = %d)", s.replicas(),
        s.replicas() == 1 ? "" : "s", s.points(), s.r()), (double) s.replicas() * s.points() * observables);
    if (s.effective()) {
      mem.add("the effective ODE and the flow at every output time",
          2.0 * s.points() * (observables + matrixBytes(r, m) + matrixBytes(m, m)));
    }
    if (s.replaySamples() > 0) {
      mem.add(String.format(Locale.ROOT, "%.3g replayed samples of %d numbers", s.replaySamples(), s.d() + 1),
          s.replaySamples() * (arrayBytes(d + 1) + 8.0));
    }
    mem.add(String.format(Locale.ROOT, "%d CSV rows", s.points()),
        2.0 * s.points() * (arrayBytes(12 + 2 * r) + 16.0));
    mem.require();
  }

  /**
   * A {@code laws} time-law or width-floor run in overlap coordinates: the start (Q0 r x m, P0 m x m), one state
   * (Q, P) per output time, and the propagator's work arrays (a few r x m and m x m).
   */
  static void requireOverlapFlowFits(String what, long d, int r, int m, int points) {
    Memory mem = new Memory("laws", "lower --points, --beta (or --r-list), --m or --widths");
    double state = matrixBytes(r, m) + matrixBytes(m, m);
    mem.add(String.format(Locale.ROOT, "%s at d = %d: %d output states (Q, P), r x m + m x m = %d x %d + %d x %d",
        what, d, points, r, m, m, m), (points + 1.0) * state);
    mem.add("the propagator's work arrays", 4 * (arrayBytes((double) r * m) + arrayBytes((double) m * m)));
    mem.require();
  }

  /** Sums the counted arrays of one run and refuses it, naming the largest part, when they exceed the heap. */
  static final class Memory {
    private final String command;
    private final String advice;
    private double total;
    private String largest = "";
    private double largestBytes;

    Memory(String command, String advice) {
      this.command = command;
      this.advice = advice;
    }

    Memory add(String what, double bytes) {
      total += bytes;
      if (bytes > largestBytes) {
        largestBytes = bytes;
        largest = what;
      }
      return this;
    }

    double total() {
      return total;
    }

    void require() {
      long heap = Runtime.getRuntime().maxMemory();
      InvalidInputException.require(total <= HEAP_SHARE * heap, String.format(Locale.ROOT,
          "%s would need about %s of memory (%s of it for %s), more than the %s it may use (%.0f%% of the "
              + "Java heap of %s, set by java -Xmx); %s",
          command, bytes(total), bytes(largestBytes), largest, bytes(HEAP_SHARE * heap), 100 * HEAP_SHARE,
          bytes(heap), advice));
    }
  }

  /** 1.5 GB, 320 MB, 12 kB: three significant digits, decimal units. */
  static String bytes(double n) {
    String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
    int u = 0;
    while (n >= 1000 && u < units.length - 1) {
      n /= 1000;
      u++;
    }
    return (u == 0 ? String.format(Locale.ROOT, "%.0f", n) : String.format(Locale.ROOT, "%.3g", n)) + " " + units[u];
  }
}
