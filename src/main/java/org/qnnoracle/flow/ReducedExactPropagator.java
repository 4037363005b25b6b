package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.ode.OdeGridSolver;

/**
 * The exact propagator of {@link ExactPropagator} written in overlap coordinates, so it costs
 * O(r m^2 + m^3) per sub-step whatever d is. With W = Theta Q + W_perp, e^{A h} W = Theta e^{Lambda h} Q + W_perp
 * and W^T G(h) W = Q^T diag(g(h)) Q + h P, hence with K = I + 2 (h P + Q^T diag(g) Q) = L L^T:
 * Q' = e^{Lambda h} Q L^{-T}, P' = L^{-1} P L^{-T}. Same sub-step rule, same gauge as the d-space propagator.
 *
 * <p>A sub-step is two rank-m updates (G = P + Q^T Q for the step rule, and K), one Cholesky factorisation and
 * three triangular solves, on flat row-major arrays allocated once per {@link #advance} or {@link #trajectory}
 * call: about 2 r m^2 + 7/3 m^3 flops.
 */
public final class ReducedExactPropagator {
  private ReducedExactPropagator() {}

  public static FlowState.Overlaps stepTau(double[] lambda, FlowState.Overlaps s, double h) {
    Stepper st = new Stepper(lambda, s);
    st.step(h);
    return st.state(s.t());
  }

  public static FlowState.Overlaps advance(double[] lambda, FlowState.Overlaps s, double dt) {
    Stepper st = new Stepper(lambda, s);
    st.advance(FlowTime.tau(dt));
    return st.state(s.t() + dt);
  }

  public static List<FlowState> trajectory(double[] lambda, FlowState.Overlaps initial, double[] times) {
    return trajectory(lambda, initial, times, FlowProgress.NONE);
  }

  public static List<FlowState> trajectory(
      double[] lambda, FlowState.Overlaps initial, double[] times, FlowProgress progress) {
    OdeGridSolver.checkGrid(times);
    List<FlowState> out = new ArrayList<>(times.length);
    Stepper st = new Stepper(lambda, initial);
    double t = initial.t();
    for (double next : times) {
      st.advance(FlowTime.tau(next - t));
      t = next;
      out.add(st.state(next));
      progress.reached(out.size(), times.length, next);
    }
    return out;
  }

  /** (Q, P) and the scratch of a sub-step, flat and row-major, allocated once. */
  private static final class Stepper {
    final double[] lambda;
    final double lambdaMax;
    final int r;
    final int m;
    final double[] q;
    final double[] p;
    final double[] gram;
    final double[] scaled;
    final double[] k;
    final double[] sqrtG;
    final double[] exp;

    Stepper(double[] lambda, FlowState.Overlaps s) {
      this.lambda = lambda;
      double max = 0.0;
      for (double l : lambda) {
        max = Math.max(max, l);
      }
      lambdaMax = max;
      r = lambda.length;
      m = Dense.cols(s.q());
      q = Linalg.flat(s.q());
      p = Linalg.flat(s.p());
      gram = new double[m * m];
      scaled = new double[r * m];
      k = new double[m * m];
      sqrtG = new double[r];
      exp = new double[r];
    }

    void advance(double tau) {
      double remaining = tau;
      while (remaining > 0.0) {
        // G = P + Q^T Q sets the step (ExactPropagator's rule)
        System.arraycopy(p, 0, gram, 0, m * m);
        Linalg.syrkTransA(m, r, 1.0, q, 1.0, gram);
        double h = Math.min(remaining, ExactPropagator.maxTauStep(lambdaMax,
            ExactPropagator.maxAbsRowSum(m, gram)));
        step(h);
        remaining -= h;
      }
    }

    void step(double h) {
      for (int j = 0; j < r; j++) {
        sqrtG[j] = Math.sqrt(RiccatiKernels.g(lambda[j], h));
        exp[j] = Math.exp(lambda[j] * h);
      }
      // K = I + 2 (h P + Q^T diag(g) Q), both summands PSD (g > 0): no cancellation
      for (int i = 0; i < m * m; i++) {
        k[i] = 2.0 * h * p[i];
      }
      scaleRows(sqrtG, q, scaled);
      Linalg.syrkTransA(m, r, 2.0, scaled, 1.0, k);
      for (int i = 0; i < m; i++) {
        k[i * m + i] += 1.0;
      }
      Linalg.choleskyInPlace(m, k);
      // Q' = e^{Lambda h} Q L^{-T}, P' = L^{-1} P L^{-T} (symmetrised)
      scaleRows(exp, q, q);
      Linalg.multInverseLowerTransposedInPlace(r, m, q, k);
      Linalg.solveLowerInPlace(m, m, k, p);
      Linalg.multInverseLowerTransposedInPlace(m, m, p, k);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < i; j++) {
          double s = 0.5 * (p[i * m + j] + p[j * m + i]);
          p[i * m + j] = s;
          p[j * m + i] = s;
        }
      }
    }

    private void scaleRows(double[] v, double[] a, double[] out) {
      for (int i = 0; i < r; i++) {
        double vi = v[i];
        for (int j = 0; j < m; j++) {
          out[i * m + j] = vi * a[i * m + j];
        }
      }
    }

    FlowState.Overlaps state(double t) {
      return new FlowState.Overlaps(t, Dense.unflatten(q, 0, r, m), Dense.unflatten(p, 0, m, m));
    }
  }
}
