package org.qnnoracle.sgd;

import static org.qnnoracle.InvalidInputException.require;

import java.util.Arrays;
import java.util.Locale;
import org.hipparchus.complex.Complex;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionNonSymmetric;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * Stability of the effective SGD dynamics with eta = c / d (proofs-notes/effective-dynamics.md, section 6).
 * Three predictions of the largest stable c:
 *
 * <ul>
 *   <li>{@link #bisectCriticalC}: bisection on c of "the effective ODE from the given (Q0, P0) stays bounded
 *       up to the horizon" (the ODE itself decides; horizon rule {@link #defaultHorizon});</li>
 *   <li>{@link #linearCriticalC}: the smallest c at which the learned fixed point loses linear stability
 *       (Jacobian of the (Q, P) right-hand side on the quotient by the rotation gauge W -&gt; W U); for
 *       m &gt;= r, s = 0 its large-d limit is the root of sum_i 2 u lambda_i / (1 - 4 u lambda_i) = 1, u = c / b
 *       ({@link #learnedModeCriticalC});</li>
 *   <li>{@link #perpendicularCriticalC}: the saddle-node at which the unlearned noise floor (Q = 0,
 *       P = p I_m, an invariant set) ceases to exist, in closed form at finite d, and
 *       {@link #perpendicularCriticalC(double[], int, int, int, double, double)}, its refinement for an
 *       initial perpendicular size p0 above the saddle-node.</li>
 * </ul>
 */
public final class EffectiveStability {
  private EffectiveStability() {}

  // ----------------------------------------------------------------------------------------------------
  // The perpendicular mode Q = 0, P = p I_m (closed form)

  /**
   * The coefficients of dp/dt = p (k a1 p^2 - (8 + 8 k sum lambda) p + k g1), k = 4 eta / b, on the invariant
   * set Q = 0, P = p I_m: a1 = (2d + 10) m + 8m + 8d + 32 + 4 (b - 1), g1 = (2d + 10) sum lambda^2 + s^2 (d + 1).
   */
  private record PerpCoefficients(double a1, double sumLambda, double g1) {
    static PerpCoefficients of(double[] lambda, int m, int d, int batch, double s2) {
      double sum = 0.0;
      double sum2 = 0.0;
      for (double l : lambda) {
        sum += l;
        sum2 += l * l;
      }
      double a1 = (2.0 * d + 10.0) * m + 8.0 * m + 8.0 * d + 32.0 + 4.0 * (batch - 1);
      double g1 = (2.0 * d + 10.0) * sum2 + s2 * (d + 1.0);
      return new PerpCoefficients(a1, sum, g1);
    }
  }

  /**
   * dp/dt of the effective ODE on the invariant set Q = 0, P = p I_m (the restriction of
   * {@link EffectiveDynamics#rhs}; written out here for the closed-form analysis and checked against it).
   */
  public static double perpendicularDrift(double[] lambda, int m, int d, int batch, double s2, double eta, double p) {
    PerpCoefficients k = PerpCoefficients.of(lambda, m, d, batch, s2);
    double kk = 4.0 * eta / batch;
    return p * (kk * k.a1 * p * p - (8.0 + 8.0 * kk * k.sumLambda) * p + kk * k.g1);
  }

  /**
   * The largest c (eta = c / d) for which the perpendicular mode has fixed points: the saddle-node
   * c_perp = d b / (sqrt(a1 g1) - 4 sum lambda); +infinity when the denominator is not positive. Large d:
   * b / sqrt(2 (m + 4) (2 sum lambda^2 + s^2)).
   */
  public static double perpendicularCriticalC(double[] lambda, int m, int d, int batch, double s2) {
    PerpCoefficients k = PerpCoefficients.of(lambda, m, d, batch, s2);
    double den = Math.sqrt(k.a1 * k.g1) - 4.0 * k.sumLambda;
    return den > 0.0 ? d * batch / den : Double.POSITIVE_INFINITY;
  }

  /** The position of the saddle-node, p_sn = sqrt(g1 / a1) (the double root at c_perp). */
  public static double perpendicularSaddleNode(double[] lambda, int m, int d, int batch, double s2) {
    PerpCoefficients k = PerpCoefficients.of(lambda, m, d, batch, s2);
    return Math.sqrt(k.g1 / k.a1);
  }

  /**
   * The largest c for which the perpendicular mode started at p0 stays bounded: c_perp when p0 &lt;= p_sn;
   * otherwise the c at which p0 is the upper (unstable) root, c = 2 d b p0 / (a1 p0^2 - 8 sum lambda p0 + g1)
   * (smaller than c_perp). For a random W0 with N(0, sigma0^2 / d) entries, p0 is about sigma0^2.
   */
  public static double perpendicularCriticalC(double[] lambda, int m, int d, int batch, double s2, double p0) {
    require(Double.isFinite(p0) && p0 >= 0.0, "p0 must be finite and >= 0, got " + p0);
    PerpCoefficients k = PerpCoefficients.of(lambda, m, d, batch, s2);
    double cPerp = perpendicularCriticalC(lambda, m, d, batch, s2);
    if (p0 <= Math.sqrt(k.g1 / k.a1) || !Double.isFinite(cPerp)) {
      return cPerp;
    }
    double den = k.a1 * p0 * p0 - 8.0 * k.sumLambda * p0 + k.g1;
    return Math.min(cPerp, 2.0 * d * batch * p0 / den);
  }

  // ----------------------------------------------------------------------------------------------------
  // Linear stability of the learned fixed point

  /**
   * The exact (finite-d) linear-stability limit of the learned fixed point M = A for m &gt;= r, s = 0
   * (proofs-notes/effective-dynamics.md, section 6.2). There B W = 0 and P = 0, the bracket has no term
   * linear in a perturbation of Q, and the P-block of the Jacobian is
   * L(X) = -4 (G X + X G) + k1 tr(G X) G + k2 G X G, G = diag(Lambda, 0), with
   * k1 = 4 eta (4d + 20) / b, k2 = 4 eta (8d + 28 + 4b) / b (learned columns; the spare columns of m &gt; r are
   * neutral or stable). Its diagonal part loses stability when sum_i k1 lambda_i / (8 - k2 lambda_i) = 1, the
   * entry X_ij (i != j) when k2 lambda_i lambda_j = 4 (lambda_i + lambda_j). Returns the smallest such
   * c = eta d. Large d: u = c / b solves sum_i 2 u lambda_i / (1 - 4 u lambda_i) = 1.
   */
  public static double learnedModeCriticalC(double[] lambda, int d, int batch) {
    double lmax = 0.0;
    for (double l : lambda) {
      require(l > 0.0, "the learned-mode formula needs lambda > 0, got " + l);
      lmax = Math.max(lmax, l);
    }
    double f1 = 4.0 * (4.0 * d + 20.0) / (batch * (double) d); // k1 = f1 c
    double f2 = 4.0 * (8.0 * d + 28.0 + 4.0 * batch) / (batch * (double) d); // k2 = f2 c
    // h(c) = sum f1 c l / (8 - f2 c l) - 1 increases from -1 to +infinity on (0, 8 / (f2 lmax)).
    double lo = 0.0;
    double hi = 8.0 / (f2 * lmax);
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      double h = -1.0;
      for (double l : lambda) {
        h += f1 * mid * l / (8.0 - f2 * mid * l);
      }
      if (h < 0.0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double c = 0.5 * (lo + hi);
    double[] sorted = lambda.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    if (n >= 2) {
      double li = sorted[n - 1];
      double lj = sorted[n - 2];
      c = Math.min(c, 4.0 * (li + lj) / (f2 * li * lj));
    }
    return c;
  }

  /**
   * The linearisation of the effective ODE at a fixed point: the fixed point (Newton-polished), its residual
   * |F| (max abs), the eigenvalues of the Jacobian on the quotient by the rotation gauge (the gauge tangent
   * W -&gt; W S, S skew, is an invariant subspace of zero eigenvalues), the gauge dimension removed and the
   * largest real part.
   */
  public record Linearisation(
      FlowState.Overlaps fixedPoint, double residual, Complex[] eigenvalues, int gaugeDimension,
      double maxRealPart) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "Linearisation(residual=%.2e, gauge=%d, maxRe=%.6g, %d eigenvalues)",
          residual, gaugeDimension, maxRealPart, eigenvalues.length);
    }
  }

  /** The population optimum used as the first guess: Q = [diag(sqrt lambda_1..k), 0], P = 0, k = min(m, r). */
  public static FlowState.Overlaps learnedGuess(double[] lambda, int m) {
    int r = lambda.length;
    double[][] q = new double[r][m];
    for (int j = 0; j < Math.min(r, m); j++) {
      q[j][j] = Math.sqrt(Math.max(lambda[j], 0.0));
    }
    return new FlowState.Overlaps(0.0, q, new double[m][m]);
  }

  /**
   * Finds the fixed point of {@code dyn} (constant eta) near {@code guess} by Newton's method with a
   * gauge-aware pseudo-inverse, and linearises there. Returns null when Newton does not converge
   * (the fixed point has disappeared or is far from the guess).
   */
  public static Linearisation linearise(EffectiveDynamics dyn, FlowState.Overlaps guess) {
    int r = Dense.rows(guess.q());
    int m = Dense.cols(guess.q());
    Coordinates x = new Coordinates(r, m);
    double[] y = x.pack(guess.q(), guess.p());
    double scale = Math.max(1.0, Dense.frobeniusNorm(guess.q()) + Dense.frobeniusNorm(guess.p()));
    double res = Double.POSITIVE_INFINITY;
    for (int it = 0; it < 50; it++) {
      double[] f = x.rhs(dyn, y);
      res = maxAbs(f);
      if (!Double.isFinite(res)) {
        return null;
      }
      if (res < 1e-14 * scale) {
        break;
      }
      double[][] j = x.jacobian(dyn, y);
      double[] step = pseudoSolve(j, f, 1e-9);
      double stepNorm = maxAbs(step);
      for (int i = 0; i < y.length; i++) {
        y[i] -= step[i];
      }
      if (stepNorm < 1e-15 * scale) {
        res = maxAbs(x.rhs(dyn, y));
        break;
      }
    }
    if (!(res < 1e-10 * scale)) {
      return null;
    }
    double[][] j = x.jacobian(dyn, y);
    double[][] tangent = x.gaugeTangent(y);
    Complex[] ev;
    int gauge = 0;
    if (tangent.length == 0) {
      ev = eigenvalues(new Array2DRowRealMatrix(j, false));
    } else {
      // Orthonormal basis of the gauge tangent (rank by SVD), then of its complement.
      RealMatrix t = new Array2DRowRealMatrix(tangent, false).transpose();
      SingularValueDecomposition svd = new SingularValueDecomposition(t);
      double[] sv = svd.getSingularValues();
      for (double s : sv) {
        if (s > 1e-8 * sv[0]) {
          gauge++;
        }
      }
      RealMatrix basis = svd.getU().getSubMatrix(0, y.length - 1, 0, gauge - 1);
      RealMatrix proj = basis.multiply(basis.transpose());
      RealMatrix comp = identity(y.length).subtract(proj);
      EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(comp);
      double[] w = eig.getEigenvalues();
      int k = 0;
      RealMatrix vc = new Array2DRowRealMatrix(y.length, y.length - gauge);
      for (int i = 0; i < w.length && k < y.length - gauge; i++) {
        if (w[i] > 0.5) {
          vc.setColumnVector(k++, eig.getEigenvector(i));
        }
      }
      RealMatrix jq = vc.transpose().multiply(new Array2DRowRealMatrix(j, false)).multiply(vc);
      ev = eigenvalues(jq);
    }
    double maxRe = Double.NEGATIVE_INFINITY;
    for (Complex c : ev) {
      maxRe = Math.max(maxRe, c.getReal());
    }
    double[][][] qp = x.unpack(y);
    return new Linearisation(new FlowState.Overlaps(0.0, qp[0], qp[1]), res, ev, gauge, maxRe);
  }

  /**
   * The smallest c (eta = c / d) at which the learned fixed point loses linear stability: continuation in c
   * from the population optimum ({@link #learnedGuess}) on a grid of {@code cStep} up to {@code cMax}, then
   * bisection to relative {@code relTol}. A fixed point that Newton no longer finds (or finds on another
   * branch) counts as lost: for m &lt; r the branch ends in a fold. Eigenvalues
   * with real part below {@code 1e-7 * 8 lambda_max} count as stable (the neutral modes of m &gt; r, s = 0).
   * Returns +infinity when stable up to cMax.
   */
  public static double linearCriticalC(double[] lambda, int m, int d, int batch, double s2, double cStep,
      double cMax, double relTol) {
    require(cStep > 0.0 && cMax > 0.0 && relTol > 0.0, "cStep, cMax and relTol must be > 0");
    double lmax = 0.0;
    for (double l : lambda) {
      lmax = Math.max(lmax, l);
    }
    double neutral = 1e-7 * 8.0 * lmax;
    FlowState.Overlaps guess = learnedGuess(lambda, m);
    double cStable = 0.0;
    double cLost = Double.NaN;
    for (double c = cStep; c <= cMax * (1 + 1e-12); c += cStep) {
      Linearisation lin = linearise(EffectiveDynamics.scaledEta(lambda, d, batch, s2, c), guess);
      if (lost(lin, guess, neutral, lambda)) {
        cLost = c;
        break;
      }
      cStable = c;
      guess = lin.fixedPoint();
    }
    if (Double.isNaN(cLost)) {
      return Double.POSITIVE_INFINITY;
    }
    FlowState.Overlaps stableGuess = guess;
    while (cLost - cStable > relTol * cLost) {
      double c = 0.5 * (cStable + cLost);
      Linearisation lin = linearise(EffectiveDynamics.scaledEta(lambda, d, batch, s2, c), stableGuess);
      if (lost(lin, stableGuess, neutral, lambda)) {
        cLost = c;
      } else {
        cStable = c;
        stableGuess = lin.fixedPoint();
      }
    }
    return 0.5 * (cStable + cLost);
  }

  /**
   * The branch is lost when Newton finds no fixed point, when the one it finds is unstable, or when it has
   * jumped to another branch: Q Q^T (gauge-invariant) moved by more than |Lambda|_F / 2 from the previous
   * fixed point (for m &lt; r the branch ends in a fold, beyond which Newton can land on W = 0 or elsewhere).
   */
  private static boolean lost(Linearisation lin, FlowState.Overlaps previous, double neutral, double[] lambda) {
    if (lin == null || lin.maxRealPart() > neutral) {
      return true;
    }
    double lambdaNorm = 0.0;
    for (double l : lambda) {
      lambdaNorm += l * l;
    }
    double[][] now = Linalg.multTransB(lin.fixedPoint().q(), lin.fixedPoint().q());
    double[][] before = Linalg.multTransB(previous.q(), previous.q());
    return Dense.frobeniusDistance(now, before) > 0.5 * Math.sqrt(lambdaNorm);
  }

  // ----------------------------------------------------------------------------------------------------
  // Bisection on the ODE from an initial condition

  /**
   * The horizon rule for "stays bounded": T = (2 ln d + 2 |ln(tr G0 / m)| + 10) / lambda_k with lambda_k the
   * k-th largest coefficient, k = min(m, r). The learning of direction k takes about
   * ln(sqrt(lambda_k d) / |q0|) / (4 lambda_k) (overlap growth e^{4 lambda_k t} from |q0| ~ sigma0 / sqrt d);
   * the rule is at least 8 times that, and beyond it the run sits at the learned state (or its noise floor),
   * whose stability is the linear criterion. Blow-ups from a slow bottleneck just above the critical c can
   * take longer; the bisection's bracket is therefore "bounded up to T" versus "diverged before T".
   */
  public static double defaultHorizon(double[] lambda, int m, int d, FlowState.Overlaps init) {
    double[] sorted = lambda.clone();
    Arrays.sort(sorted);
    int k = Math.min(m, lambda.length);
    double lk = sorted[sorted.length - k];
    require(lk > 0.0, "the horizon rule needs lambda_min(m, r) > 0");
    double tr = EffectiveDynamics.traceGram(init.q(), init.p()) / m;
    double logTr = tr > 0.0 ? Math.abs(Math.log(tr)) : 0.0;
    return (2.0 * Math.log(Math.max(d, Math.E)) + 2.0 * logTr + 10.0) / lk;
  }

  /**
   * The bisection's answer: the largest c found bounded up to the horizon, the smallest found to diverge,
   * the horizon, the ODE runs made, and the divergence time at {@code unstable}.
   */
  public record CriticalC(double stable, double unstable, double horizon, int runs, double divergenceTimeAtUnstable) {
    public double estimate() {
      return 0.5 * (stable + unstable);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "c_crit in (%.6g, %.6g] (horizon T = %.4g, %d runs, t_div(%.4g) = %.4g)",
          stable, unstable, horizon, runs, unstable, divergenceTimeAtUnstable);
    }
  }

  /**
   * Bisection on c of "the effective ODE with eta = c / d from {@code init} stays bounded (tr G below the
   * blow-up threshold, {@link EffectiveDynamics#BLOW_UP_FACTOR}) up to {@code horizon}": starts from
   * {@code cStart}, doubles or halves until the answer changes, then bisects to relative width
   * {@code relTol}. Integrator tolerance {@code rtol}.
   */
  public static CriticalC bisectCriticalC(double[] lambda, int d, int batch, double s2, FlowState.Overlaps init,
      double horizon, double cStart, double relTol, double rtol) {
    require(Double.isFinite(horizon) && horizon > 0.0, "horizon must be > 0, got " + horizon);
    require(Double.isFinite(cStart) && cStart > 0.0, "cStart must be > 0, got " + cStart);
    require(relTol > 0.0 && relTol < 1.0, "relTol must be in (0, 1), got " + relTol);
    double[] times = {horizon};
    int runs = 0;
    double lo;
    double hi;
    double tHi;
    EffectiveTrajectory first = EffectiveDynamics.scaledEta(lambda, d, batch, s2, cStart).solve(init, times, rtol);
    runs++;
    if (first.diverged()) {
      hi = cStart;
      tHi = first.divergenceTime();
      lo = cStart / 2.0;
      while (true) {
        EffectiveTrajectory t = EffectiveDynamics.scaledEta(lambda, d, batch, s2, lo).solve(init, times, rtol);
        runs++;
        if (!t.diverged()) {
          break;
        }
        hi = lo;
        tHi = t.divergenceTime();
        lo /= 2.0;
        require(lo > 1e-12, "the effective ODE diverges for every c tried down to 1e-12");
      }
    } else {
      lo = cStart;
      hi = cStart * 2.0;
      while (true) {
        EffectiveTrajectory t = EffectiveDynamics.scaledEta(lambda, d, batch, s2, hi).solve(init, times, rtol);
        runs++;
        if (t.diverged()) {
          tHi = t.divergenceTime();
          break;
        }
        lo = hi;
        hi *= 2.0;
        require(hi < 1e12, "the effective ODE stays bounded for every c tried up to 1e12");
      }
    }
    while (hi - lo > relTol * hi) {
      double mid = 0.5 * (lo + hi);
      EffectiveTrajectory t = EffectiveDynamics.scaledEta(lambda, d, batch, s2, mid).solve(init, times, rtol);
      runs++;
      if (t.diverged()) {
        hi = mid;
        tHi = t.divergenceTime();
      } else {
        lo = mid;
      }
    }
    return new CriticalC(lo, hi, horizon, runs, tHi);
  }

  // ----------------------------------------------------------------------------------------------------
  // All predictions at once

  /**
   * The predictions of the largest stable c = eta d for one setting (proofs-notes/effective-dynamics.md,
   * section 6.6): {@code linear}, the
   * learned fixed point's linear-stability limit (closed form for m &gt;= r, s = 0, else numerical);
   * {@code perpendicular} and {@code perpendicularFromInit}, the noise-floor saddle-node and its refinement
   * for p0 = tr P0 / m; {@code fromInit}, the bisection of the ODE from (Q0, P0) with the default horizon.
   * Measured (proofs-notes/effective-dynamics.md section 7): from a small init (sigma0 &lt;= 0.3) fromInit
   * equals linear to 1e-3 relative for m &lt;= r and lies between perpendicular and linear for m &gt; r; from
   * sigma0 = 1 it is perpendicularFromInit to a few per cent.
   */
  public record Prediction(double linear, double perpendicular, double perpendicularFromInit, CriticalC fromInit) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "linear %.6g, perpendicular %.6g (from p0: %.6g), from init %s",
          linear, perpendicular, perpendicularFromInit, fromInit);
    }
  }

  public static Prediction predict(double[] lambda, int d, int batch, double s2, FlowState.Overlaps init) {
    int m = Dense.cols(init.q());
    double linear = m >= lambda.length && s2 == 0.0
        ? learnedModeCriticalC(lambda, d, batch)
        : linearCriticalC(lambda, m, d, batch, s2, 0.01 * batch, 10.0 * batch, 1e-5);
    double perp = perpendicularCriticalC(lambda, m, d, batch, s2);
    double p0 = Math.max(Dense.trace(init.p()) / m, 0.0);
    double perpInit = perpendicularCriticalC(lambda, m, d, batch, s2, p0);
    double start = Math.min(linear, perpInit);
    if (!Double.isFinite(start)) {
      start = batch * 0.1;
    }
    CriticalC fromInit = bisectCriticalC(lambda, d, batch, s2, init, defaultHorizon(lambda, m, d, init), start,
        1e-3, 1e-9);
    return new Prediction(linear, perp, perpInit, fromInit);
  }

  // ----------------------------------------------------------------------------------------------------
  // Helpers

  /** Reduced coordinates: the r m entries of Q and the m (m + 1) / 2 upper-triangular entries of P. */
  private record Coordinates(int r, int m) {
    int size() {
      return r * m + m * (m + 1) / 2;
    }

    double[] pack(double[][] q, double[][] p) {
      double[] y = new double[size()];
      int k = Dense.flattenInto(q, y, 0);
      for (int i = 0; i < m; i++) {
        for (int j = i; j < m; j++) {
          y[k++] = 0.5 * (p[i][j] + p[j][i]);
        }
      }
      return y;
    }

    double[][][] unpack(double[] y) {
      double[][] q = Dense.unflatten(y, 0, r, m);
      double[][] p = new double[m][m];
      int k = r * m;
      for (int i = 0; i < m; i++) {
        for (int j = i; j < m; j++) {
          p[i][j] = y[k];
          p[j][i] = y[k];
          k++;
        }
      }
      return new double[][][] {q, p};
    }

    double[] rhs(EffectiveDynamics dyn, double[] y) {
      double[][][] qp = unpack(y);
      EffectiveDynamics.Derivative f = dyn.rhs(0.0, qp[0], qp[1]);
      return pack(f.dq(), f.dp());
    }

    /** Central differences, step 1e-6 times max(|y_i|, 1e-3 * max |y|). */
    double[][] jacobian(EffectiveDynamics dyn, double[] y) {
      int n = y.length;
      double ymax = Math.max(maxAbs(y), 1e-12);
      double[][] j = new double[n][n];
      for (int c = 0; c < n; c++) {
        double h = 1e-6 * Math.max(Math.abs(y[c]), 1e-3 * ymax);
        double[] yp = y.clone();
        double[] ym = y.clone();
        yp[c] += h;
        ym[c] -= h;
        double[] fp = rhs(dyn, yp);
        double[] fm = rhs(dyn, ym);
        for (int i = 0; i < n; i++) {
          j[i][c] = (fp[i] - fm[i]) / (2.0 * h);
        }
      }
      return j;
    }

    /** The gauge tangent vectors (Q S, P S - S P) for the skew generators S = e_a e_b^T - e_b e_a^T, a &lt; b. */
    double[][] gaugeTangent(double[] y) {
      double[][][] qp = unpack(y);
      int count = m * (m - 1) / 2;
      double[][] out = new double[count][];
      int k = 0;
      for (int a = 0; a < m; a++) {
        for (int b = a + 1; b < m; b++) {
          double[][] s = new double[m][m];
          s[a][b] = 1.0;
          s[b][a] = -1.0;
          double[][] dq = Linalg.mult(qp[0], s);
          double[][] dp = Dense.subtract(Linalg.mult(qp[1], s), Linalg.mult(s, qp[1]));
          out[k++] = pack(dq, dp);
        }
      }
      return out;
    }
  }

  private static double maxAbs(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s = Math.max(s, Math.abs(x));
    }
    return Double.isNaN(s) ? Double.NaN : s;
  }

  /**
   * Eigenvalues of a general matrix. Hipparchus' Schur iteration was seen to fail ("convergence failed") on
   * the exactly neutral blocks of m &gt; r (d = 1e6, r = 3, m = 6); an orthogonal similarity with a fixed
   * random rotation keeps the spectrum and changes the rounding, and is tried before giving up.
   */
  private static Complex[] eigenvalues(RealMatrix a) {
    RealMatrix cur = a;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(20_261_128L);
    for (int attempt = 0; ; attempt++) {
      try {
        return new EigenDecompositionNonSymmetric(cur).getEigenvalues();
      } catch (org.hipparchus.exception.MathIllegalStateException e) {
        if (attempt == 3) {
          throw e;
        }
        int n = a.getRowDimension();
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < n; k++) {
            g[i][k] = rng.nextDouble() - 0.5;
          }
        }
        RealMatrix o = new org.hipparchus.linear.QRDecomposition(new Array2DRowRealMatrix(g, false)).getQ();
        cur = o.transpose().multiply(a).multiply(o);
      }
    }
  }

  private static RealMatrix identity(int n) {
    RealMatrix id = new Array2DRowRealMatrix(n, n);
    for (int i = 0; i < n; i++) {
      id.setEntry(i, i, 1.0);
    }
    return id;
  }

  /** Least-squares solution of J x = f with singular values below relCut * s_max dropped. */
  private static double[] pseudoSolve(double[][] j, double[] f, double relCut) {
    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(j, false));
    double[] s = svd.getSingularValues();
    RealMatrix u = svd.getU();
    RealMatrix v = svd.getV();
    double[] x = new double[j[0].length];
    for (int k = 0; k < s.length; k++) {
      if (s[k] <= relCut * s[0]) {
        continue;
      }
      double coef = 0.0;
      for (int i = 0; i < f.length; i++) {
        coef += u.getEntry(i, k) * f[i];
      }
      coef /= s[k];
      for (int i = 0; i < x.length; i++) {
        x[i] += coef * v.getEntry(i, k);
      }
    }
    return x;
  }
}
