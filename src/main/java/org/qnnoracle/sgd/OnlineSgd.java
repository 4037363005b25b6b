package org.qnnoracle.sgd;

import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.model.Teacher;

/**
 * One replica of online (one-pass) SGD on the student of spec/model.md: each step draws b fresh samples
 * (x_i, eps_i) and applies
 * <pre>
 *   W &lt;- W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W = (1 + 2 eta ebar) W - (2 eta / b) sum_i e_i x_i z_i^T,
 * </pre>
 * e_i = f(x_i; W) - y_i, y_i = f*(x_i) + eps_i, z_i = W^T x_i, ebar the batch mean of e_i.
 *
 * <p>Cost: O(b d (m + r)) per step (z_i = W^T x_i and Theta^T x_i for the teacher), never a d x d matrix,
 * and one pass over W for the update, which also refreshes |W|_F^2 = tr G (the -tr M centring of f).
 * Observables (Q, P, risk) cost O(d r m + d m^2) and are computed only when asked for. W and Theta are
 * stored flat and row-major (coordinate i holds W[i][0..m-1]), so every loop runs over contiguous memory.
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
  private final double[] w;
  private final Teacher teacher;
  private final StepSchedule schedule;
  private final SampleSource source;
  private final double divergenceLimit;

  private final double[][] xs;
  private final double[][] zs;
  private final double[] e;
  private final double[] u;

  private double traceG;
  private long step;
  private double time;
  /** Kahan compensation of the running sum of step sizes, so t stays exact to round-off over 1e9 steps. */
  private double timeCompensation;
  private long divergedAt = -1;

  public OnlineSgd(Teacher teacher, double[][] w0, StepSchedule schedule, int batch, SampleSource source) {
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
    this.traceG = g0;
    this.schedule = schedule;
    this.source = source;
    double sumLambda = 0.0;
    for (double l : lambda) {
      sumLambda += Math.abs(l);
    }
    this.divergenceLimit = DIVERGENCE_FACTOR * Math.max(1.0, Math.max(g0, sumLambda));
    this.xs = new double[batch][d];
    this.zs = new double[batch][m];
    this.e = new double[batch];
    this.u = new double[r];
  }

  /** One SGD step on b fresh samples; a no-op once the replica has diverged. */
  public void step() {
    if (divergedAt >= 0) {
      return;
    }
    double eta = schedule.eta(step);
    double ebar = 0.0;
    for (int s = 0; s < batch; s++) {
      double[] x = xs[s];
      double eps = source.next(x);
      double[] z = zs[s];
      java.util.Arrays.fill(z, 0.0);
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
      double f = -traceG;
      for (int j = 0; j < m; j++) {
        f += z[j] * z[j];
      }
      double fStar = -traceA;
      for (int j = 0; j < r; j++) {
        fStar += lambda[j] * u[j] * u[j];
      }
      e[s] = f - fStar - eps;
      ebar += e[s];
    }
    ebar /= batch;
    double keep = 1.0 + 2.0 * eta * ebar;
    double rate = 2.0 * eta / batch;
    double g = 0.0;
    for (int i = 0; i < d; i++) {
      int wo = i * m;
      for (int j = 0; j < m; j++) {
        w[wo + j] *= keep;
      }
      for (int s = 0; s < batch; s++) {
        double c = rate * e[s] * xs[s][i];
        double[] z = zs[s];
        for (int j = 0; j < m; j++) {
          w[wo + j] -= c * z[j];
        }
      }
      for (int j = 0; j < m; j++) {
        g += w[wo + j] * w[wo + j];
      }
    }
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
    double[][] out = new double[d][m];
    for (int i = 0; i < d; i++) {
      System.arraycopy(w, i * m, out[i], 0, m);
    }
    return out;
  }

  /** Q = Theta^T W (r x m). */
  public double[][] overlaps() {
    double[][] q = new double[r][m];
    for (int i = 0; i < d; i++) {
      int to = i * r;
      int wo = i * m;
      for (int a = 0; a < r; a++) {
        double t = theta[to + a];
        if (t == 0.0) {
          continue;
        }
        double[] qa = q[a];
        for (int j = 0; j < m; j++) {
          qa[j] += t * w[wo + j];
        }
      }
    }
    return q;
  }

  /**
   * The observables now, from Q and P = W_perp^T W_perp with W_perp = W - Theta Q computed row by row,
   * so the risk has no cancellation (spec/model.md).
   */
  public SgdSnapshot snapshot() {
    double[][] q = overlaps();
    double[][] p = new double[m][m];
    double[] row = new double[m];
    for (int i = 0; i < d; i++) {
      int to = i * r;
      int wo = i * m;
      System.arraycopy(w, wo, row, 0, m);
      for (int a = 0; a < r; a++) {
        double t = theta[to + a];
        if (t == 0.0) {
          continue;
        }
        double[] qa = q[a];
        for (int j = 0; j < m; j++) {
          row[j] -= t * qa[j];
        }
      }
      for (int j = 0; j < m; j++) {
        double rj = row[j];
        if (rj == 0.0) {
          continue;
        }
        double[] pj = p[j];
        for (int k = 0; k < m; k++) {
          pj[k] += rj * row[k];
        }
      }
    }
    return new SgdSnapshot(step, samples(), FlowObservables.fromOverlaps(time, lambda, q, p));
  }

  public Teacher teacher() {
    return teacher;
  }
}
