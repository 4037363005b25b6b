package org.qnnoracle.flow;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
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
 * Every time point is independent (no sub-stepping), costs about 14 r^3 flops at r = m (8 r^3 with P0 = 0), and the points run in
 * parallel. Each piece is a product of positive (semi)definite factors: the only subtraction is
 * I - B^T S^{-1} B, the projector on the null space of Q0 (absent, and skipped, when m = r).
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

  /**
   * Risk and per-direction overlaps at gradient-flow times {@code times} (each &gt;= start.t(), any order),
   * computed independently on {@code threads} threads; {@code progress} hears of each finished time (in
   * completion order, which with threads &gt; 1 need not be the order of {@code times}).
   */
  public static List<Point> evaluate(double[] lambda, FlowState.Overlaps start, double[] times, int threads,
      FlowProgress progress) {
    Start prepared = Start.of(lambda, start);
    require(times.length >= 1, "at least one output time is required");
    for (double t : times) {
      require(Double.isFinite(t) && t >= start.t(),
          "output times must be finite and >= the start time " + start.t() + ", got " + t);
    }
    require(threads >= 1, "threads must be at least 1, got " + threads);
    AtomicInteger done = new AtomicInteger();
    List<Callable<Point>> work = new ArrayList<>(times.length);
    for (double t : times) {
      work.add(() -> {
        Point p = prepared.at(t, FlowTime.tau(t - start.t()));
        synchronized (progress) {
          progress.reached(done.incrementAndGet(), times.length, t);
        }
        return p;
      });
    }
    return Parallel.runAll(work, threads, "overlap-closed-form");
  }

  /** What every time point shares: lambda, Q0, P0 (validated once). */
  private record Start(double[] lambda, double[][] q0, double[][] p0, boolean perpendicular) {
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
      double[][] p0 = Dense.symmetricPart(s.p());
      return new Start(lambda.clone(), q, p0, Dense.frobeniusNorm(p0) > 0.0);
    }

    Point at(double t, double tau) {
      int r = lambda.length;
      int m = p0.length;
      // C = I + 2 tau P0 = Lc Lc^T (SPD, cond <= 1 + 2 tau |P0|): B = Q0 Lc^{-T}, Pt = Lc^{-1} P0 Lc^{-T}.
      // (P0 is not diagonalised once instead: Hipparchus' symmetric eigensolver fails to converge on the
      // paper-scale P0, rank d - r = 800 of 2400.)
      double[][] b;
      double[][] pt;
      if (perpendicular) {
        double[][] c = Dense.scale(2.0 * tau, p0);
        for (int i = 0; i < m; i++) {
          c[i][i] += 1.0;
        }
        double[][] lc = cholesky(c, "I + 2 tau P0 is not positive definite (P0 must be PSD)");
        b = Dense.transpose(Linalg.solveLower(lc, Dense.transpose(q0)));
        pt = Dense.symmetricPart(Linalg.solveLower(lc, Dense.transpose(Linalg.solveLower(lc, p0))));
      } else {
        b = q0;
        pt = null;
      }
      double[][] sInv = Linalg.inverseFromCholesky(cholesky(Linalg.gramOfRows(b),
          "Q0 C^{-1} Q0^T is not numerically positive definite: Q0 (r x m) must have full row rank r"));
      double[] e = new double[r];
      double[] h = new double[r];
      for (int j = 0; j < r; j++) {
        e[j] = Math.exp(-lambda[j] * tau);
        h[j] = lambda[j] == 0.0 ? 2.0 * tau : -Math.expm1(-2.0 * lambda[j] * tau) / lambda[j];
      }
      // Theta^T M Theta = (E^{-1} S^{-1} E^{-1} + diag(h))^{-1}; e may underflow to 0, where h ~ 1/lambda dominates
      double[][] fh = new double[r][r];
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < r; j++) {
          fh[i][j] = e[i] * sInv[i][j] * e[j];
        }
        fh[i][i] += h[i];
      }
      double[][] mtt = Linalg.inverseFromCholesky(cholesky(fh,
          "E^{-1} S^{-1} E^{-1} + diag(h) is not numerically positive definite"));
      double theta = 0.0;
      double[] overlaps = new double[r];
      for (int i = 0; i < r; i++) {
        overlaps[i] = mtt[i][i];
        for (int j = 0; j < r; j++) {
          double x = mtt[i][j] - (i == j ? lambda[i] : 0.0);
          theta += x * x;
        }
      }
      double cross = 0.0;
      double perp = 0.0;
      if (perpendicular) {
        double[][] sInvB = Linalg.mult(sInv, b);
        double[][] j = Dense.scaleRows(e, sInvB);
        double[][] y = Linalg.mult(mtt, j);
        // 2 tr(Q P Q^T) term: tr(Y Pt Y^T) = <Pt, Y^T Y>
        cross = Dense.frobeniusInner(pt, Linalg.symmetricMultTransA(y, y));
        double[][] nInv = Linalg.symmetricMultTransA(j, y);
        if (m > r) {
          // + the projector on null(B): I - B^T S^{-1} B (zero when m = r, so not formed there)
          double[][] range = Linalg.symmetricMultTransA(b, sInvB);
          for (int a = 0; a < m; a++) {
            for (int c = 0; c < m; c++) {
              nInv[a][c] += (a == c ? 1.0 : 0.0) - range[a][c];
            }
          }
        }
        // tr P^2 term: tr((Pt N^{-1})^2) = sum_ac Z_ac Z_ca with Z = Pt N^{-1}
        double[][] z = Linalg.mult(pt, nInv);
        for (int a = 0; a < m; a++) {
          for (int c = 0; c < m; c++) {
            perp += z[a][c] * z[c][a];
          }
        }
      }
      return new Point(t, 2.0 * (theta + 2.0 * cross + perp), overlaps);
    }
  }

  private static double[][] cholesky(double[][] k, String whatFailed) {
    try {
      return Linalg.choleskyLower(k);
    } catch (ArithmeticException e) {
      throw new InvalidInputException(whatFailed + " (" + e.getMessage() + ")");
    }
  }
}
