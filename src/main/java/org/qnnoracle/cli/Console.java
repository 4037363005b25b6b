package org.qnnoracle.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.qnnoracle.sgd.SgdProgress;

/**
 * What every command shares on the console: the exit codes, the number format of the stderr lines and the
 * progress bar. A leaf: it imports no command, so commands share these without importing one another.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_CLAIM_FAILED} a verified claim failed,
 * {@value #EXIT_USAGE} bad input (arguments, values, a run too large to finish) or unusable output (an output
 * location, or standard output that cannot be written: a full disk, a closed pipe), {@value #EXIT_INTERNAL} a bug,
 * {@value #EXIT_OUT_OF_MEMORY} out of memory (heap or stack; the message says how to give Java more).
 */
public final class Console {
  public static final int EXIT_OK = 0;
  public static final int EXIT_CLAIM_FAILED = 1;
  /** A computation that could not complete (e.g. an integrator hit NaN); same code as a failed claim. */
  public static final int EXIT_FAILED = 1;
  /** Invalid arguments or input, a run refused as too large, an unusable output path or standard output. */
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INTERNAL = 3;
  /** Out of memory (or stack): not a bug, a run too large for the JVM's limits; distinct so scripts can retry. */
  public static final int EXIT_OUT_OF_MEMORY = 4;

  private Console() {}

  /** Up to six significant digits without trailing zeros: 50, 0.001, 1e-12 (for the stderr lines). */
  static String fmt(double x) {
    String s = String.format(Locale.ROOT, "%.6g", x);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e).replaceFirst("e([+-])0*(\\d)", "e$1$2").replace("e+", "e");
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceFirst("\\.?0+$", "");
    }
    return mantissa + exponent;
  }

  /** A progress bar on stderr for runs longer than two seconds, refreshed at most once a second. */
  static final class ProgressBar implements SgdProgress {
    private final PrintWriter err;
    private final long start;
    private final String prefix;
    private final String unit;
    private long lastReport;
    private boolean shown;

    /**
     * A bar whose lines start with {@code prefix + ": "} and count {@code unit} (e.g. "laws", "output times"),
     * timed from {@code start} (System.nanoTime()).
     */
    ProgressBar(PrintWriter err, long start, String prefix, String unit) {
      this.err = err;
      this.start = start;
      this.prefix = prefix;
      this.unit = unit;
      this.lastReport = start;
    }

    @Override
    public synchronized void reached(long done, long total) {
      long now = System.nanoTime();
      if (done >= total || now - start < 2_000_000_000L || now - lastReport < 1_000_000_000L) {
        return;
      }
      lastReport = now;
      shown = true;
      double frac = (double) done / total;
      int filled = (int) Math.round(30 * frac);
      double elapsed = (now - start) / 1e9;
      err.println(String.format(Locale.ROOT, "%s: [%s%s] %3.0f%% %d/%d %s, %.1f s, about %.0f s left",
          prefix, "#".repeat(filled), " ".repeat(30 - filled), 100 * frac, done, total, unit, elapsed,
          elapsed * (1 - frac) / Math.max(frac, 1e-9)));
      err.flush();
    }

    synchronized void finish() {
      if (shown) {
        err.println(String.format(Locale.ROOT, "%s: [%s] 100%%, %.1f s", prefix, "#".repeat(30),
            (System.nanoTime() - start) / 1e9));
        err.flush();
      }
    }
  }
}
