package org.qnnoracle.flow;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.linalg.LinalgBackend;
import org.qnnoracle.linalg.Spectral;
import org.qnnoracle.stats.Parallel;

/**
 * The exact flow's risk curve in overlap coordinates, in one shot per output time, for m &gt;= r
 * (proofs-notes/exact-flow.md, section "Closed form in overlap coordinates for m &gt;= r").
 *
 * <p>With C = I + 2 tau P0 = Lc Lc^T, B = Q0 Lc^{-T}, Pt = Lc^{-1} P0 Lc^{-T}, S = B B^T (r x r, SPD when Q0 has
 * full row rank r, which needs m &gt;= r), e = e^{-lambda tau}, h = (1 - e^{-2 lambda tau}) / lambda (2 tau at 0):
 * <pre>
 *   Theta^T M Theta = (diag(e) S^{-1} diag(e) + diag(h))^{-1}                        (no overflow, tends to Lambda)
 *   J = diag(e) S^{-1} B,  Y = (Theta^T M Theta) J,  cross = tr(Y Pt Y^T)
 *   N^{-1} = (I - B^T S^{-1} B) + J^T (Theta^T M Theta) J,  perp = tr((Pt N^{-1})^2)
 *   R = 2 (|Theta^T M Theta - Lambda|_F^2 + 2 cross + perp)
 * </pre>
 * Everything is invariant under the rotation (Q0, P0) -&gt; (Q0 V, V^T P0 V), so P0 = V diag(p) V^T is diagonalised
 * once (LAPACK) and every time point works in its eigenbasis: C, Lc and Pt are diagonal, B = Q0 V diag(c)^{-1/2}
 * with c = 1 + 2 tau p, Pt = diag(p / c), and only the k eigen-directions with p &gt; 0 (k = rank P0 &lt;= d - r)
 * enter the cross and perpendicular terms: with the split Q0 V = [Q_N, Q_K], S = Q_N Q_N^T + B_K B_K^T, the first
 * part formed once. Per time, on BLAS-3 kernels (Cholesky, triangular solves, SPD inverse, one product, two
 * rank-k updates): S (r^2 k), Cholesky and inverse of S and of Theta^T M Theta's inverse (2 r^3), J_K (2 r^2 k),
 * Z_K = Lf^{-1} J_K and Y_K = Lf^{-T} Z_K with Lf the Cholesky factor of (Theta^T M Theta)^{-1} (2 r^2 k), the
 * k x k block of N^{-1} = Z^T Z (+ I - Bh^T Bh, Bh = Ls^{-1} B, for m &gt; r) (r k^2, and r^2 k + r k^2 for Bh):
 * 2 r^3 + 5 r^2 k + r k^2 flops, 8 n^3 at r = m = k = n, 5e10 at the paper's (r, k) = (2400, 800). Each piece
 * is a product of positive (semi)definite factors: the only subtraction is I - Bh^T Bh, the projector on the
 * null space of Q0 (absent, and skipped, when m = r). P0's eigenvalues within the eigensolver's round-off of 0
 * ({@link Spectral#roundOffCutoff} times the largest) are its null space and are set to 0.
 *
 * <p>Time points are independent (no sub-stepping). {@link #evaluate} runs them on a given number of Java threads,
 * each with its own workspace allocated once (nothing of size r^2 is allocated per time point). With the native
 * BLAS, which is multi-threaded itself, one time point at a time was the fastest at the paper's scale (README,
 * "Paper scale"), so on that backend {@link #evaluate} runs them one at a time whatever {@code threads} says.
 */
public final class OverlapClosedForm {
  private OverlapClosedForm() {}

  /** One output time: the risk R = 2 |M - A|_F^2 and the per-direction overlaps theta_j^T M theta_j. */
  public record Point(double t, double risk, double[] directionOverlaps) {}

  /** The risk at each output time; see {@link #evaluate}. */
  public static double[] risk(double[] lambda, FlowState.Overlaps start, double[] times, int threads,
      FlowProgress progress) {
    List<Point> points = evaluate(lambda, start, times, threads, progress);
    double[] out = new double[points.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = points.get(i).risk();
    }
    return out;
  }

  /** How many time points {@link #evaluate} computes at once when given {@code threads}: 1 on the native BLAS. */
  public static int concurrentPoints(int threads) {
    return Linalg.backend().kind() == LinalgBackend.Kind.NATIVE ? 1 : threads;
  }

  /**
   * Risk and per-direction overlaps at gradient-flow times {@code times} (each &gt;= start.t(), any order),
   * computed independently, at most {@code threads} at once; {@code progress} hears of each finished time (in
   * completion order, which with threads &gt; 1 need not be the order of {@code times}). The numbers do not
   * depend on {@code threads}.
   */
  public static List<Point> evaluate(double[] lambda, FlowState.Overlaps start, double[] times, int threads,
      FlowProgress progress) {
    require(times.length >= 1, "at least one output time is required");
    for (double t : times) {
      require(Double.isFinite(t) && t >= start.t(),
          "output times must be finite and >= the start time " + start.t() + ", got " + t);
    }
    require(threads >= 1, "threads must be at least 1, got " + threads);
    Start prepared = Start.of(lambda, start);
    AtomicInteger done = new AtomicInteger();
    // one workspace per concurrently running time point, reused by the next one on that thread
    Queue<Workspace> idle = new ConcurrentLinkedQueue<>();
    List<Callable<Point>> work = new ArrayList<>(times.length);
    for (double t : times) {
      work.add(() -> {
        Workspace ws = idle.poll();
        if (ws == null) {
          ws = new Workspace(prepared.r, prepared.m, prepared.k);
        }
        Point p;
        try {
          p = prepared.at(t, FlowTime.tau(t - start.t()), ws);
        } finally {
          idle.add(ws);
        }
        synchronized (progress) {
          progress.reached(done.incrementAndGet(), times.length, t);
        }
        return p;
      });
    }
    // The native BLAS is multi-threaded itself: one time point at a time with every core in its kernels was the
    // fastest at the paper's scale (proofs-notes/exact-flow.md, section 12); the Java BLAS is single-threaded, so
    // there the time points share the threads. The numbers do not depend on this choice.
    return Parallel.runAll(work, concurrentPoints(threads), "overlap-closed-form");
  }

  /** Scratch arrays of one time point (flat, row-major). */
  private static final class Workspace {
    final double[] s;
    final double[] f;
    final double[] bk;
    final double[] yk;
    final double[] bh;
    final double[] nInv;
    final double[] pt;
    final double[] e;
    final double[] h;

    Workspace(int r, int m, int k) {
      s = new double[r * r];
      f = new double[r * r];
      bk = new double[r * k];
      yk = new double[r * k];
      bh = m > r ? new double[r * k] : null;
      nInv = new double[k * k];
      pt = new double[k];
      e = new double[r];
      h = new double[r];
    }
  }

  /**
   * What every time point shares, in the eigenbasis of P0: lambda, sN = Q_N Q_N^T (r x r) over the null
   * directions of P0, Q_K = Q0 V_K (r x k) and the k positive eigenvalues p of P0.
   */
  private static final class Start {
    final double[] lambda;
    final int r;
    final int m;
    final int k;
    final double[] sN;
    final double[] qK;
    final double[] p;

    private Start(double[] lambda, int m, double[] sN, double[] qK, double[] p) {
      this.lambda = lambda;
      this.r = lambda.length;
      this.m = m;
      this.k = p.length;
      this.sN = sN;
      this.qK = qK;
      this.p = p;
    }

    static Start of(double[] lambda, FlowState.Overlaps s) {
      int r = lambda.length;
      double[][] q = s.q();
      require(q.length == r, "Q0 must have r = " + r + " rows (one per teacher direction), got " + q.length);
      int m = Dense.cols(q);
      require(m >= r, "the overlap closed form needs m >= r (Q0 of full row rank r), got m = " + m + " < r = " + r
          + "; use the reduced exact propagator");
      require(s.p().length == m && Dense.cols(s.p()) == m, "P0 must be m x m = " + m + " x " + m);
      for (double l : lambda) {
        require(Double.isFinite(l) && l >= 0.0, "teacher coefficients must be finite and >= 0, got " + l);
      }
      require(Dense.allFinite(q) && Dense.allFinite(s.p()), "Q0 and P0 must be finite");
      double[] q0 = Linalg.flat(q);
      double[] sN = new double[r * r];
      double[][] p0 = Dense.symmetricPart(s.p());
      if (Dense.frobeniusNorm(p0) == 0.0) {
        Linalg.syrk(r, m, 1.0, q0, 0.0, sN);
        return new Start(lambda.clone(), m, sN, new double[0], new double[0]);
      }
      // P0 = V diag(p) V^T, p ascending, row a of v the eigenvector of p_a. P0 is PSD: eigenvalues within the
      // eigensolver's round-off of 0 (|p| <= Spectral.roundOffCutoff(m) p_max) are its null space and are set to 0
      // (the convention of FlowChecks' refactoring); a clearly negative one means P0 is not PSD.
      double[] v = Linalg.flat(p0);
      double[] ev = new double[m];
      Linalg.symmetricEigenInPlace(m, v, ev, true);
      double cutoff = Spectral.roundOffCutoff(m) * Math.max(ev[m - 1], 0.0);
      require(ev[0] >= -cutoff, "I + 2 tau P0 is not positive definite (P0 must be PSD; its smallest eigenvalue is "
          + ev[0] + ", its largest " + ev[m - 1] + ")");
      int nNull = 0;
      while (nNull < m && ev[nNull] <= cutoff) {
        nNull++;
      }
      int k = m - nNull;
      // Q0 V = [Q_N, Q_K]: Q0 times the transposed rows of v (the eigenvectors are contiguous rows of v)
      double[] qK = new double[r * k];
      double[] vK = java.util.Arrays.copyOfRange(v, nNull * m, m * m);
      Linalg.gemm(false, true, r, k, m, 1.0, q0, vK, 0.0, qK);
      if (nNull > 0) {
        double[] qN = new double[r * nNull];
        Linalg.gemm(false, true, r, nNull, m, 1.0, q0, java.util.Arrays.copyOf(v, nNull * m), 0.0, qN);
        Linalg.syrk(r, nNull, 1.0, qN, 0.0, sN);
      }
      return new Start(lambda.clone(), m, sN, qK, java.util.Arrays.copyOfRange(ev, nNull, m));
    }

    Point at(double t, double tau, Workspace w) {
      // C = diag(c), c = 1 + 2 tau p: B_K = Q_K diag(c)^{-1/2}, Pt = diag(p / c); S = Q_N Q_N^T + B_K B_K^T
      for (int a = 0; a < k; a++) {
        double c = 1.0 + 2.0 * tau * p[a];
        w.pt[a] = p[a] / c;
        double isq = 1.0 / Math.sqrt(c);
        for (int i = 0; i < r; i++) {
          w.bk[i * k + a] = qK[i * k + a] * isq;
        }
      }
      double[] s = w.s;
      System.arraycopy(sN, 0, s, 0, r * r);
      if (k > 0) {
        Linalg.syrk(r, k, 1.0, w.bk, 1.0, s);
      }
      cholesky(r, s, "Q0 C^{-1} Q0^T is not numerically positive definite: Q0 (r x m) must have full row rank r");
      if (w.bh != null && k > 0) {
        // Bh_K = Ls^{-1} B_K: the rows of Bh = Ls^{-1} B are orthonormal, I - Bh^T Bh the projector on null(B)
        System.arraycopy(w.bk, 0, w.bh, 0, r * k);
        Linalg.solveLowerInPlace(r, k, s, w.bh);
      }
      Linalg.inverseFromCholeskyInPlace(r, s);
      double[] e = w.e;
      double[] h = w.h;
      for (int j = 0; j < r; j++) {
        e[j] = Math.exp(-lambda[j] * tau);
        h[j] = lambda[j] == 0.0 ? 2.0 * tau : -Math.expm1(-2.0 * lambda[j] * tau) / lambda[j];
      }
      // (Theta^T M Theta)^{-1} = E^{-1} S^{-1} E^{-1} + diag(h) = Lf Lf^T; e may underflow to 0, where h ~ 1/lambda
      double[] f = w.f;
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < r; j++) {
          f[i * r + j] = e[i] * s[i * r + j] * e[j];
        }
        f[i * r + i] += h[i];
      }
      cholesky(r, f, "E^{-1} S^{-1} E^{-1} + diag(h) is not numerically positive definite");
      double cross = 0.0;
      double perp = 0.0;
      if (k > 0) {
        // J_K = diag(e) S^{-1} B_K (into yk), Z_K = Lf^{-1} J_K (into bk), Y_K = Theta^T M Theta J_K = Lf^{-T} Z_K
        double[] z = w.bk;
        double[] y = w.yk;
        Linalg.gemm(false, false, r, k, r, 1.0, s, z, 0.0, y);
        for (int i = 0; i < r; i++) {
          double ei = e[i];
          for (int a = 0; a < k; a++) {
            y[i * k + a] *= ei;
          }
        }
        System.arraycopy(y, 0, z, 0, r * k);
        Linalg.solveLowerInPlace(r, k, f, z);
        System.arraycopy(z, 0, y, 0, r * k);
        Linalg.solveLowerTransposedInPlace(r, k, f, y);
        // 2 tr(Q P Q^T) term: tr(Y Pt Y^T) = sum_a pt_a |column a of Y|^2
        for (int i = 0; i < r; i++) {
          for (int a = 0; a < k; a++) {
            double x = y[i * k + a];
            cross += w.pt[a] * x * x;
          }
        }
        // tr P^2 term: tr((Pt N^{-1})^2) = sum_ac pt_a pt_c (N^{-1}_ac)^2 over the K block,
        // N^{-1} = (I - Bh^T Bh) + Z^T Z (the projector only for m > r)
        double[] nInv = w.nInv;
        if (w.bh != null) {
          Linalg.syrkTransA(k, r, -1.0, w.bh, 0.0, nInv);
          for (int a = 0; a < k; a++) {
            nInv[a * k + a] += 1.0;
          }
          Linalg.syrkTransA(k, r, 1.0, z, 1.0, nInv);
        } else {
          Linalg.syrkTransA(k, r, 1.0, z, 0.0, nInv);
        }
        for (int a = 0; a < k; a++) {
          for (int c = 0; c < k; c++) {
            double x = nInv[a * k + c];
            perp += w.pt[a] * w.pt[c] * x * x;
          }
        }
      }
      // Theta^T M Theta = (Lf Lf^T)^{-1}
      Linalg.inverseFromCholeskyInPlace(r, f);
      double theta = 0.0;
      double[] overlaps = new double[r];
      for (int i = 0; i < r; i++) {
        overlaps[i] = f[i * r + i];
        for (int j = 0; j < r; j++) {
          double x = f[i * r + j] - (i == j ? lambda[i] : 0.0);
          theta += x * x;
        }
      }
      return new Point(t, 2.0 * (theta + 2.0 * cross + perp), overlaps);
    }
  }

  private static void cholesky(int n, double[] a, String whatFailed) {
    try {
      Linalg.choleskyInPlace(n, a);
    } catch (ArithmeticException e) {
      throw new InvalidInputException(whatFailed + " (" + e.getMessage() + ")");
    }
  }
}
