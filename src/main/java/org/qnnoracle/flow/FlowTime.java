package org.qnnoracle.flow;

import static org.qnnoracle.InvalidInputException.require;

/**
 * Gradient-flow time t versus the Riccati time tau = 4t in which the exact solution is written
 * (dM/dtau = A M + M A - 2 M^2). Public APIs take t; propagators work in tau.
 */
public final class FlowTime {
  public static final double TAU_PER_T = 4.0;

  private FlowTime() {}

  public static double tau(double t) {
    return TAU_PER_T * t;
  }

  /** {@code points} equally spaced times 0 .. tMax inclusive. */
  public static double[] uniformGrid(double tMax, int points) {
    require(Double.isFinite(tMax) && tMax >= 0.0, "t-max must be a finite number >= 0, got " + tMax);
    require(points >= 2, "points must be at least 2, got " + points);
    double[] grid = new double[points];
    for (int i = 0; i < points; i++) {
      grid[i] = tMax * i / (points - 1);
    }
    grid[points - 1] = tMax;
    return grid;
  }
}
