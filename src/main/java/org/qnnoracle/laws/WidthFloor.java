package org.qnnoracle.laws;

import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;

/**
 * The width law at one width w &lt; r: the flow from the model's random start at width w, run until the slowest
 * mode of the approach to the top-w solution has relaxed, against the floor 2 sum_{j &gt; w} lambda_j^2
 * ({@link ScalingLaws#tailRisk}).
 */
public final class WidthFloor {
  private WidthFloor() {}

  /**
   * t_w (leading escape time) + 20 / (8 (lambda_w - lambda_{w+1})): the gap mode has relaxed by e^-20.
   *
   * @param lambda the teacher's spectrum, r &gt; w values. Not modified.
   */
  public static double time(double[] lambda, int w, double sigma0, long d) {
    double mu0 = EscapeTimes.meanInitialOverlap(w, sigma0, d);
    return Math.max(0.0, EscapeTimes.leading(lambda[w - 1], mu0)) + 20.0 / (8.0 * (lambda[w - 1] - lambda[w]));
  }

  /**
   * Estimated work of a floor run: sub-steps (tau lambda_1) times 2 (r w^2 + w^3).
   *
   * @param lambda the teacher's spectrum, r &gt; w values. Not modified.
   */
  public static double work(double[] lambda, int w, double sigma0, long d) {
    double t = time(lambda, w, sigma0, d);
    double substeps = 4.0 * t * lambda[0] + 1.0;
    return substeps * 2.0 * ((double) lambda.length * w * w + (double) w * w * w);
  }

  /** Measured throughput of the reduced propagator in the units of {@link #work} (2-core machine). */
  public static final double WORK_PER_SECOND = 3e8;

  /**
   * {@link #work} in seconds at {@link #WORK_PER_SECOND}.
   *
   * @param lambda the teacher's spectrum, r &gt; w values. Not modified.
   */
  public static double estimatedSeconds(double[] lambda, int w, double sigma0, long d) {
    return work(lambda, w, sigma0, d) / WORK_PER_SECOND;
  }

  /**
   * The flow's risk at {@link #time} from the random start of (d, r = lambda.length, w, sigma0, seed) in overlap
   * coordinates ({@link ReducedStart}).
   *
   * @param lambda the teacher's spectrum, r &gt; w values. Not modified.
   */
  public static double risk(double[] lambda, long d, int w, double sigma0, long seed, FlowProgress progress) {
    double t = time(lambda, w, sigma0, d);
    FlowState.Overlaps s0 = ReducedStart.sample(d, lambda.length, w, sigma0, seed);
    return FlowRiskCurve.risk(lambda, s0, new double[] {t}, progress)[0];
  }
}
