package org.qnnoracle.experiments;

import org.qnnoracle.flow.ClosedFormRiccati;
import org.qnnoracle.flow.ExactPropagator;
import org.qnnoracle.flow.FlowEquations;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Spectral;
import org.qnnoracle.linalg.Linalg;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.qnnoracle.model.Teacher;

/**
 * The measurable form of each invariant of the population flow, one place each, shared by the claims
 * registry and the property tests. Every function returns a number that is &gt;= 0 (or small) when the
 * property holds, so callers compare it with a tolerance and print it when it fails.
 */
public final class FlowChecks {
  private FlowChecks() {}

  /**
   * M(t) from a PSD starting point M0, via its eigen-factor and the exact propagator. Eigenvalues at
   * round-off level ({@link Spectral#roundOffCutoff}) are dropped: M0 is taken to have its numerical rank.
   * Keeping them was measured to fake Loewner violations up to 0.089 (d = 10, rank 4 &lt; r = 6, lambda tau
   * up to 50), because the flow grows a sqrt(eps)-sized column along an uncovered teacher direction.
   */
  public static double[][] evolvePsd(Teacher teacher, double[][] m0, double t) {
    double[][] w0 = Spectral.psdFactor(m0, Spectral.roundOffCutoff(m0.length));
    if (Dense.cols(w0) == 0) {
      return Dense.zeros(m0.length, m0.length);
    }
    double[][] w = ExactPropagator.advance(teacher, w0, t);
    return Dense.symmetricPart(Linalg.multTransB(w, w));
  }

  /**
   * Loewner gap of {@code lower <= upper}: lambda_min(upper - lower) / (|lower|_F + |upper|_F). Non-negative
   * when the order holds; a violation shows as a negative number well above round-off in size.
   */
  public static double loewnerGap(double[][] lower, double[][] upper) {
    double scale = Dense.frobeniusNorm(lower) + Dense.frobeniusNorm(upper);
    double min = Spectral.minEigenvalue(Dense.subtract(upper, lower));
    return scale == 0.0 ? min : min / scale;
  }

  /** Population loss without label noise, L(W) = |W W^T - A|_F^2 (= risk / 2). */
  public static double populationLoss(Teacher teacher, double[][] w) {
    return 0.5 * org.qnnoracle.model.Risk.ofStudent(teacher, w);
  }

  /** |grad L|_F^2 = 16 |(M - A) W|_F^2 with (M - A) W = W (W^T W) - A W. */
  public static double gradientNormSquared(Teacher teacher, double[][] w) {
    double[][] g = FlowEquations.residualTimesStudent(teacher, w);
    return 16.0 * Dense.frobeniusInner(g, g);
  }

  /**
   * dL/dt along the flow at W by a 5-point central difference of L over the exact propagator with step
   * {@code delta}; truncation error O(delta^4 L^(5)), round-off O(eps L / delta).
   */
  public static double lossRateByFiniteDifference(Teacher teacher, double[][] w, double delta) {
    // Move back first: W(t - 2 delta) is not reachable from W(t) by a forward propagator, so differences
    // are taken around t + 2 delta instead and the centre is W(t + 2 delta).
    double[][] w0 = w;
    double[][] w1 = ExactPropagator.advance(teacher, w0, delta);
    double[][] w2 = ExactPropagator.advance(teacher, w1, delta);
    double[][] w3 = ExactPropagator.advance(teacher, w2, delta);
    double[][] w4 = ExactPropagator.advance(teacher, w3, delta);
    double l0 = populationLoss(teacher, w0);
    double l1 = populationLoss(teacher, w1);
    double l3 = populationLoss(teacher, w3);
    double l4 = populationLoss(teacher, w4);
    return (l0 - 8.0 * l1 + 8.0 * l3 - l4) / (12.0 * delta);
  }

  /**
   * Relative error of the finite-difference rate against -|grad L|^2, or null where the difference cannot
   * resolve the rate: L nearly stationary, or round-off in L dominating. M - A is known to an absolute
   * a = 10 eps (tr M + |A|_F), so L = |M - A|^2 to 2 sqrt(L) a + a^2, and the stencil divides that by
   * 12 delta / 18; such cases are skipped when that exceeds 1e-9 |dL/dt|.
   */
  public static Double descentRateError(Teacher teacher, double[][] w) {
    double trG = Dense.trace(Linalg.multTransA(w, w));
    double rate = 8.0 * (teacher.lambdaMax() + trG);
    double delta = 1e-3 / rate;
    double loss = populationLoss(teacher, w);
    double formula = -gradientNormSquared(teacher, w);
    double a = 10.0 * Math.ulp(1.0) * (trG + Math.sqrt(teacher.frobeniusNormSquared()));
    double roundOff = 1.5 * (2.0 * Math.sqrt(loss) * a + a * a) / delta;
    if (Math.abs(formula) < 1e-3 * rate * loss || roundOff > 1e-9 * Math.abs(formula)) {
      return null;
    }
    // the 5-point stencil is centred at W(t + 2 delta): compare with the formula there
    double[][] centre = ExactPropagator.advance(teacher, w, 2 * delta);
    double fd = lossRateByFiniteDifference(teacher, w, delta);
    double exact = -gradientNormSquared(teacher, centre);
    return Math.abs(fd - exact) / Math.abs(exact);
  }

  /**
   * max(-lambda_min, |d - k smallest eigenvalues|) / |M|_F, or +infinity when the k-th largest eigenvalue
   * has fallen below 1e-7 |M|_F (rank lost).
   */
  public static double psdRankDefect(double[][] m, int k) {
    double[] ev = Spectral.eigenvaluesAscending(m);
    double norm = Dense.frobeniusNorm(m);
    int d = ev.length;
    double defect = Math.max(0.0, -ev[0]) / norm;
    for (int i = 0; i < d - k; i++) {
      defect = Math.max(defect, Math.abs(ev[i]) / norm);
    }
    if (ev[d - k] < 1e-7 * norm) {
      return Double.POSITIVE_INFINITY;
    }
    return defect;
  }

  /** -loewnerGap(M(t), M'(t)): positive only when the evolved pair is out of order. */
  public static double loewnerViolation(Teacher teacher, double[][] lower, double[][] upper, double t) {
    return -loewnerGap(evolvePsd(teacher, lower, t), evolvePsd(teacher, upper, t));
  }

  /** |M(t) - N(t)^{-1}|_F / |M(t)|_F with N from the closed form of the linear equation. */
  public static double inverseLinearDefect(Teacher teacher, double[][] m0, double t) {
    double tau = FlowTime.tau(t);
    int d = m0.length;
    double[] lambda = teacher.lambda();
    double[][] theta = teacher.theta();
    int r = lambda.length;
    // e^{-A tau} = I + Theta diag(e^{-lambda tau} - 1) Theta^T
    double[] eMinus = new double[r];
    // 2 int_0^tau e^{-2 A s} ds = 2 tau I + Theta diag((1 - e^{-2 lambda tau}) / lambda - 2 tau) Theta^T
    double[] integral = new double[r];
    for (int j = 0; j < r; j++) {
      eMinus[j] = Math.expm1(-lambda[j] * tau);
      integral[j] = lambda[j] == 0.0 ? 0.0 : -Math.expm1(-2.0 * lambda[j] * tau) / lambda[j] - 2.0 * tau;
    }
    double[][] expMinusA = Dense.addScaled(Dense.identity(d), 1.0, Linalg.multTransB(Linalg.mult(theta, diag(eMinus)), theta));
    double[][] n0 = new LUDecomposition(new Array2DRowRealMatrix(m0))
        .getSolver().getInverse().getData();
    double[][] n = Linalg.mult(expMinusA, Linalg.mult(n0, expMinusA));
    double[][] j2 = Linalg.multTransB(Linalg.mult(theta, diag(integral)), theta);
    for (int p = 0; p < d; p++) {
      j2[p][p] += 2.0 * tau;
    }
    n = Dense.symmetricPart(Dense.addScaled(n, 1.0, j2));
    double[][] mFromN = new LUDecomposition(new Array2DRowRealMatrix(n))
        .getSolver().getInverse().getData();
    double[][] m = evolvePsd(teacher, m0, t);
    return Dense.frobeniusDistance(m, mFromN) / Dense.frobeniusNorm(m);
  }

  private static double[][] diag(double[] v) {
    double[][] a = new double[v.length][v.length];
    for (int i = 0; i < v.length; i++) {
      a[i][i] = v[i];
    }
    return a;
  }

  /** max(|rhs(A_S)|_F / |A|_F^2, |M(t) - A_S|_F / |A|_F) from M0 = A_S. */
  public static double fixedPointDefect(Teacher teacher, int[] s, double t) {
    double[][] a = teacher.matrixA();
    double[][] as = teacher.partialSum(s);
    double normA2 = teacher.frobeniusNormSquared();
    double residual = Dense.frobeniusNorm(FlowEquations.riccatiRhs(a, as)) / normA2;
    // factor of A_S: columns sqrt(lambda_j) theta_j, j in S
    double[][] w = new double[teacher.d()][Math.max(1, s.length)];
    for (int c = 0; c < s.length; c++) {
      double sq = Math.sqrt(teacher.lambda()[s[c]]);
      for (int p = 0; p < teacher.d(); p++) {
        w[p][c] = sq * teacher.theta()[p][s[c]];
      }
    }
    double[][] wt = ExactPropagator.advance(teacher, w, t);
    double drift = Dense.frobeniusDistance(Linalg.multTransB(wt, wt), as) / Math.sqrt(normA2);
    return Math.max(residual, drift);
  }

  /** |Phi_{t+s}(M0) - Phi_t(Phi_s(M0))|_F / |Phi_{t+s}(M0)|_F with the one-shot closed form. */
  public static double semigroupDefectClosedForm(Teacher teacher, double[][] w0, double s, double t) {
    double[][] direct = ClosedFormRiccati.matrixAt(teacher, w0, s + t);
    double[][] ms = ClosedFormRiccati.matrixAt(teacher, w0, s);
    double[][] ws = Spectral.psdFactor(ms, Spectral.roundOffCutoff(ms.length));
    double[][] composed = ClosedFormRiccati.matrixAt(teacher, ws, t);
    return Dense.frobeniusDistance(direct, composed) / Dense.frobeniusNorm(direct);
  }

  /** The same defect for the stable propagator (W W^T compared, the gauges differ). */
  public static double semigroupDefectPropagator(Teacher teacher, double[][] w0, double s, double t) {
    double[][] direct = ExactPropagator.advance(teacher, w0, s + t);
    double[][] composed = ExactPropagator.advance(teacher, ExactPropagator.advance(teacher, w0, s), t);
    double[][] md = Linalg.multTransB(direct, direct);
    return Dense.frobeniusDistance(md, Linalg.multTransB(composed, composed)) / Dense.frobeniusNorm(md);
  }
  /** The k largest eigenvalues of P_perp M P_perp (= those of W_perp^T W_perp), descending. */
  public static double[] excessEigenvalues(Teacher teacher, double[][] w, int k) {
    double[] ev = Spectral.eigenvaluesAscending(teacher.project(w).p());
    double[] top = new double[k];
    for (int i = 0; i < k; i++) {
      top[i] = ev[ev.length - 1 - i];
    }
    return top;
  }

  /**
   * The k largest eigenvalues, descending, of the Schur complement S = M22 - M21 M11^{-1} M12 of the
   * span(Theta) block of M = W W^T (requires Q = Theta^T W of full row rank r). In overlap terms
   * S = W_perp Pi W_perp^T with Pi = I - Q^T (Q Q^T)^{-1} Q the projector onto null(Q), so its nonzero
   * spectrum is that of the m x m matrix Pi P Pi, P = W_perp^T W_perp.
   */
  public static double[] schurComplementSpectrum(Teacher teacher, double[][] w, int k) {
    Teacher.Projection qp = teacher.project(w);
    double[][] q = qp.q();
    double[][] y = Linalg.solveLower(Linalg.choleskyLower(Linalg.multTransB(q, q)), q);
    double[][] pi = Dense.subtract(Dense.identity(Dense.cols(q)), Linalg.multTransA(y, y));
    double[] ev = Spectral.eigenvaluesAscending(Linalg.mult(pi, Linalg.mult(qp.p(), pi)));
    double[] top = new double[k];
    for (int i = 0; i < k; i++) {
      top[i] = ev[ev.length - 1 - i];
    }
    return top;
  }
}
