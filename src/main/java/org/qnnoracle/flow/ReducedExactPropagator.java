package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;

/**
 * The exact propagator of {@link ExactPropagator} written in overlap coordinates, so it costs
 * O(r m^2 + m^3) per sub-step whatever d is. With W = Theta Q + W_perp, e^{A h} W = Theta e^{Lambda h} Q + W_perp
 * and W^T G(h) W = Q^T diag(g(h)) Q + h P, hence with K = I + 2 (h P + Q^T diag(g) Q) = L L^T:
 * Q' = e^{Lambda h} Q L^{-T}, P' = L^{-1} P L^{-T}. Same sub-step rule, same gauge as the d-space propagator.
 */
public final class ReducedExactPropagator {
  private ReducedExactPropagator() {}

  public static FlowState.Overlaps stepTau(double[] lambda, FlowState.Overlaps s, double h) {
    int r = lambda.length;
    double[] g = new double[r];
    double[] exp = new double[r];
    for (int j = 0; j < r; j++) {
      g[j] = RiccatiKernels.g(lambda[j], h);
      exp[j] = Math.exp(lambda[j] * h);
    }
    double[][] q = s.q();
    double[][] k = Dense.addScaled(Dense.scale(2.0 * h, s.p()), 2.0, Linalg.multTransA(q, Dense.scaleRows(g, q)));
    for (int i = 0; i < k.length; i++) {
      k[i][i] += 1.0;
    }
    double[][] l = Linalg.choleskyLower(k);
    double[][] qNext = Linalg.multInverseLowerTransposed(Dense.scaleRows(exp, q), l);
    double[][] pNext = Dense.symmetricPart(Linalg.multInverseLowerTransposed(Linalg.solveLower(l, s.p()), l));
    return new FlowState.Overlaps(s.t(), qNext, pNext);
  }

  public static FlowState.Overlaps advance(double[] lambda, FlowState.Overlaps s, double dt) {
    double remaining = FlowTime.tau(dt);
    double lambdaMax = 0.0;
    for (double l : lambda) {
      lambdaMax = Math.max(lambdaMax, l);
    }
    FlowState.Overlaps cur = s;
    while (remaining > 0.0) {
      double h = Math.min(remaining, ExactPropagator.maxTauStep(lambdaMax, cur.gram()));
      cur = stepTau(lambda, cur, h);
      remaining -= h;
    }
    return new FlowState.Overlaps(s.t() + dt, cur.q(), cur.p());
  }

  public static List<FlowState> trajectory(double[] lambda, FlowState.Overlaps initial, double[] times) {
    return trajectory(lambda, initial, times, FlowProgress.NONE);
  }

  public static List<FlowState> trajectory(
      double[] lambda, FlowState.Overlaps initial, double[] times, FlowProgress progress) {
    FlowTime.checkGrid(times);
    List<FlowState> out = new ArrayList<>(times.length);
    FlowState.Overlaps cur = initial;
    for (double next : times) {
      cur = advance(lambda, cur, next - cur.t());
      cur = new FlowState.Overlaps(next, cur.q(), cur.p());
      out.add(cur);
      progress.reached(out.size(), times.length, next);
    }
    return out;
  }
}
