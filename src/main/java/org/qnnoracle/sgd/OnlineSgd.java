package org.qnnoracle.sgd;

import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Teacher;

/**
 * One replica of online (one-pass) SGD on the student of spec/model.md: each step draws b fresh samples
 * (x_i, eps_i) and applies
 * <pre>
 *   W &lt;- W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W = (1 + 2 eta ebar) W - (2 eta / b) sum_i e_i x_i z_i^T,
 * </pre>
 * e_i = f(x_i; W) - y_i, y_i = f*(x_i) + eps_i, z_i = W^T x_i, ebar the batch mean of e_i.
 *
 * <p>Batch b &gt; 1: the step is three products through {@link Linalg} on the batch X (b x d, row i = x_i, drawn
 * in order from the source): Z = X W (b x m), U = X Theta (b x r) for the teacher, and the update
 * W &lt;- (1 + 2 eta ebar) W - (2 eta / b) X^T E as one GEMM, E = diag(e) Z (the rows of Z scaled in place);
 * then tr G = |W|_F^2 (the -tr M centring of f) in one pass over W. Batch b = 1: the same formula as fused
 * vectorisable loops (z = W^T x and the rank-one update each in one pass over W), nothing allocated per step.
 * Cost O(b d (m + r)) per step, never a d x d matrix. When the teacher basis is canonical (Theta = the first
 * r columns of I, detected exactly in the constructor) the labels come from the first r coordinates of x,
 * f*(x) = sum_j lambda_j x_j^2 - tr A, at O(b r): the same numbers as Theta^T x, which is exact for that Theta.
 * Observables (Q, P, risk) cost O(d r m + d m^2) and are computed only when asked for. W, Theta and X are
 * stored flat and row-major.
 *
 * <p>The numbers depend on the summation order of the products, hence on the backend and on the sizes (which
 * pick the kernel, see {@link Linalg}); on one machine and backend the same seed gives the same bits.
 *
 * <p>Divergence is a result: after a step whose W is non-finite or whose |W|_F^2 exceeds
 * {@link #DIVERGENCE_FACTOR} times max(1, |W0|_F^2, sum lambda), the replica stops and records the step.
 */
public final class OnlineSgd {
  /** |W|_F^2 beyond this factor of its natural scale means the run has left every basin: it diverged. */
  public static final double DIVERGENCE_FACTOR = 1e8;

  private final int d;
  private final int m;
  private final int r;
  private final int batch;
  private final double[] lambda;
  private final double traceA;
  private final double[] theta;
  /** Theta is exactly the first r columns of the identity: labels from x's first r coordinates. */
  private final boolean canonical;
  private final double[] w;
  private final Teacher teacher;
  private final StepSchedule schedule;
  private final SampleSource source;
  private final double divergenceLimit;

  /** The batch X, b x d row-major (for b = 1 it is x itself). */
  private final double[] xs;
  /** Z = X W (b x m); scaled in place to E = diag(e) Z before the update. */
  private final double[] zs;
  /** U = X Theta (b x r), for b &gt; 1 and a basis that is not canonical; else null. */
  private final double[] us;
  /** A source row for b &gt; 1 (see {@link SampleSource#next(double[], int, double[])}); else null. */
  private final double[] row;
  /** The label noises eps_i, then the residuals e_i. */
  private final double[] e;
  /** Theta^T x for b = 1. */
  private final double[] u;

  private double traceG;
  private long step;
  private double time;
  /** Kahan compensation of the running sum of step sizes, so t stays exact to round-off over 1e9 steps. */
  private double timeCompensation;
  private long divergedAt = -1;

  public OnlineSgd(Teacher teacher, double[][] w0, StepSchedule schedule, int batch, SampleSource source) {
    this(teacher, w0, schedule, batch, source, true);
  }

  /**
   * {@code canonicalShortcut = false} forces the general teacher route (products with Theta) even for a canonical
   * basis; tests use it to check that the shortcut gives the same numbers.
   */
  OnlineSgd(Teacher teacher, double[][] w0, StepSchedule schedule, int batch, SampleSource source,
      boolean canonicalShortcut) {
    InvalidInputException.require(batch >= 1, "batch size must be at least 1, got " + batch);
    InvalidInputException.require(w0.length == teacher.d(), "W0 has " + w0.length + " rows, the teacher d = "
        + teacher.d());
    this.teacher = teacher;
    this.d = teacher.d();
    this.r = teacher.r();
    this.m = w0[0].length;
    this.batch = batch;
    this.lambda = teacher.lambda().clone();
    double tr = 0.0;
    for (double l : lambda) {
      tr += l;
    }
    this.traceA = tr;
    this.theta = new double[d * r];
    this.w = new double[d * m];
    double[][] th = teacher.theta();
    double g0 = 0.0;
    for (int i = 0; i < d; i++) {
      System.arraycopy(th[i], 0, theta, i * r, r);
      System.arraycopy(w0[i], 0, w, i * m, m);
      for (int j = 0; j < m; j++) {
        g0 += w0[i][j] * w0[i][j];
      }
    }
    this.canonical = canonicalShortcut && isCanonical(theta, d, r);
    this.traceG = g0;
    this.schedule = schedule;
    this.source = source;
    double sumLambda = 0.0;
    for (double l : lambda) {
      sumLambda += Math.abs(l);
    }
    this.divergenceLimit = DIVERGENCE_FACTOR * Math.max(1.0, Math.max(g0, sumLambda));
    this.xs = new double[batch * d];
    this.zs = new double[batch * m];
    this.us = batch > 1 && !canonical ? new double[batch * r] : null;
    this.row = batch > 1 ? new double[d] : null;
    this.e = new double[batch];
    this.u = new double[r];
  }

  /** Whether theta (d x r, row-major) is exactly the first r columns of the identity. */
  static boolean isCanonical(double[] theta, int d, int r) {
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < r; j++) {
        if (theta[i * r + j] != (i == j ? 1.0 : 0.0)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether the labels take the canonical-basis shortcut (Theta = the first r columns of I). */
  public boolean canonicalTeacher() {
    return canonical;
  }

  /** One SGD step on b fresh samples; a no-op once the replica has diverged. */
  public void step() {
    if (divergedAt >= 0) {
      return;
    }
    double eta = schedule.eta(step);
    double g = batch == 1 ? singleSampleStep(eta) : batchStep(eta);
    traceG = g;
    double y = eta - timeCompensation;
    double sum = time + y;
    timeCompensation = (sum - time) - y;
    time = sum;
    step++;
    if (!(g <= divergenceLimit)) {
      divergedAt = step;
    }
  }

  /** b = 1: fused loops, one pass over W (and Theta) forward, one for the update and |W|_F^2. */
  private double singleSampleStep(double eta) {
    double[] x = xs;
    double[] z = zs;
    double eps = source.next(x);
    java.util.Arrays.fill(z, 0.0);
    if (canonical) {
      for (int i = 0; i < d; i++) {
        double xi = x[i];
        int wo = i * m;
        for (int j = 0; j < m; j++) {
          z[j] += xi * w[wo + j];
        }
      }
      System.arraycopy(x, 0, u, 0, r);
    } else {
      java.util.Arrays.fill(u, 0.0);
      for (int i = 0; i < d; i++) {
        double xi = x[i];
        int wo = i * m;
        for (int j = 0; j < m; j++) {
          z[j] += xi * w[wo + j];
        }
        int to = i * r;
        for (int j = 0; j < r; j++) {
          u[j] += xi * theta[to + j];
        }
      }
    }
    double f = -traceG;
    for (int j = 0; j < m; j++) {
      f += z[j] * z[j];
    }
    double fStar = -traceA;
    for (int j = 0; j < r; j++) {
      fStar += lambda[j] * u[j] * u[j];
    }
    double e0 = f - fStar - eps;
    double keep = 1.0 + 2.0 * eta * e0;
    double c0 = 2.0 * eta * e0;
    double g = 0.0;
    // one fused pass: the same roundings (keep w, c z, their difference) and the same order of the |W|_F^2 sum as
    // three separate loops, and measured 10-25% faster at (1000, 50) and (4000, 100)
    for (int i = 0; i < d; i++) {
      int wo = i * m;
      double c = c0 * x[i];
      for (int j = 0; j < m; j++) {
        double v = keep * w[wo + j] - c * z[j];
        w[wo + j] = v;
        g += v * v;
      }
    }
    return g;
  }

  /** b &gt; 1: Z = X W, U = X Theta (or x's first coordinates), then W as one GEMM; returns |W|_F^2. */
  private double batchStep(double eta) {
    for (int s = 0; s < batch; s++) {
      e[s] = source.next(xs, s * d, row);
    }
    Linalg.gemm(false, false, batch, m, d, 1.0, xs, w, 0.0, zs);
    if (!canonical) {
      Linalg.gemm(false, false, batch, r, d, 1.0, xs, theta, 0.0, us);
    }
    double ebar = 0.0;
    for (int s = 0; s < batch; s++) {
      int zo = s * m;
      double f = -traceG;
      for (int j = 0; j < m; j++) {
        f += zs[zo + j] * zs[zo + j];
      }
      double[] labels = canonical ? xs : us;
      int uo = canonical ? s * d : s * r;
      double fStar = -traceA;
      for (int j = 0; j < r; j++) {
        double v = labels[uo + j];
        fStar += lambda[j] * v * v;
      }
      double es = f - fStar - e[s];
      e[s] = es;
      ebar += es;
      for (int j = 0; j < m; j++) {
        zs[zo + j] *= es;
      }
    }
    ebar /= batch;
    double keep = 1.0 + 2.0 * eta * ebar;
    double rate = 2.0 * eta / batch;
    // W <- keep W - rate X^T E
    Linalg.gemm(true, false, d, m, batch, -rate, xs, zs, keep, w);
    double g = 0.0;
    for (double v : w) {
      g += v * v;
    }
    return g;
  }

  /** Runs steps until {@code targetStep} (or divergence). */
  public void runTo(long targetStep) {
    while (step < targetStep && divergedAt < 0) {
      step();
    }
  }

  /** Steps taken so far. */
  public long steps() {
    return step;
  }

  /** SGD time t = sum of the step sizes taken. */
  public double time() {
    return time;
  }

  public long samples() {
    return step * batch;
  }

  public boolean diverged() {
    return divergedAt >= 0;
  }

  /** The step after which divergence was detected, or -1. */
  public long divergedAt() {
    return divergedAt;
  }

  public int batch() {
    return batch;
  }

  /** |W|_F^2 = tr G after the last step. */
  public double traceG() {
    return traceG;
  }

  /** A copy of W (d x m). */
  public double[][] weights() {
    return Dense.unflatten(w, 0, d, m);
  }

  /** Q = Theta^T W (r x m). */
  public double[][] overlaps() {
    return Dense.unflatten(overlapsFlat(), 0, r, m);
  }

  /** Q = Theta^T W, r x m row-major: one GEMM, or the first r rows of W (exactly) for a canonical basis. */
  private double[] overlapsFlat() {
    double[] q = new double[r * m];
    if (canonical) {
      System.arraycopy(w, 0, q, 0, r * m);
    } else {
      Linalg.gemm(true, false, r, m, d, 1.0, theta, w, 0.0, q);
    }
    return q;
  }

  /**
   * The observables now, from Q and P = W_perp^T W_perp with W_perp = W - Theta Q formed first (one GEMM, or
   * W with its first r rows set to zero for a canonical basis, which is exactly the same matrix), so the risk
   * has no cancellation (spec/model.md); P by one SYRK. The same projection as {@link Teacher#project}, kept
   * here on the simulator's flat row-major storage: it runs at every output step of every replica, and its
   * SYRK and canonical shortcut need not give the same last bits as the 2-d route, and the golden SGD data
   * (test-data/) record the bits of this one.
   */
  public SgdSnapshot snapshot() {
    double[] q = overlapsFlat();
    double[] perp = w.clone();
    if (canonical) {
      java.util.Arrays.fill(perp, 0, r * m, 0.0);
    } else {
      Linalg.gemm(false, false, d, m, r, -1.0, theta, q, 1.0, perp);
    }
    double[] p = new double[m * m];
    Linalg.syrkTransA(m, d, 1.0, perp, 0.0, p);
    return new SgdSnapshot(step, samples(), FlowObservables.fromOverlaps(time, lambda,
        Dense.unflatten(q, 0, r, m), Dense.unflatten(p, 0, m, m)));
  }

  public Teacher teacher() {
    return teacher;
  }
}
