package org.qnnoracle.sgd;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.InvalidInputException;

/**
 * Output steps of an SGD run and their SGD times t_k = sum_{i &lt; k} eta_i (exactly k eta at constant eta),
 * and the one place where steps and times are converted into each other (the {@code sgd} command, the runner's
 * callers and the experiments all use it), so every route is compared at the same times.
 *
 * @param steps the output steps, non-decreasing; not copied (treat as read-only)
 * @param times the SGD time of each output step; not copied (treat as read-only)
 */
public record StepGrid(long[] steps, double[] times) {
  public StepGrid {
    require(steps.length == times.length, "a step grid needs one time per step");
  }

  /** The number of output steps. */
  public int size() {
    return steps.length;
  }

  /** The last output time. */
  public double end() {
    return times[times.length - 1];
  }

  /**
   * {@code intervals + 1} output steps spread evenly over [0, tMax] for the constant step eta: step k is the
   * step nearest to time tMax k / intervals, and its time is exactly step * eta.
   */
  public static StepGrid even(double eta, double tMax, int intervals) {
    require(intervals >= 1 && tMax > 0.0 && eta > 0.0, "grid needs intervals >= 1, tMax > 0, eta > 0");
    double[] wanted = new double[intervals + 1];
    for (int k = 0; k <= intervals; k++) {
      wanted[k] = tMax * k / intervals;
    }
    StepSchedule schedule = new StepSchedule.Constant(eta);
    long[] steps = stepsForTimes(schedule, wanted);
    return new StepGrid(steps, timesOfSteps(schedule, steps));
  }

  /**
   * Output steps 0, ..., total at {@code points} evenly spaced places (rounded; repeats dropped: more points than
   * steps give every step once). What {@code sgd --steps K --points N} and a sweep's sgd tasks write.
   */
  public static long[] evenSteps(long total, int points) {
    long[] grid = new long[points];
    for (int i = 0; i < points; i++) {
      grid[i] = Math.round((double) total * i / (points - 1));
    }
    return java.util.Arrays.stream(grid).distinct().toArray();
  }

  /**
   * The output steps of {@code points} evenly spaced SGD times from 0 to tMax ({@link #stepsForTimes}; repeats
   * dropped). What {@code sgd --t-max T --points N} and a sweep's sgd tasks write.
   */
  public static long[] stepsForUniformTimes(StepSchedule schedule, double tMax, int points) {
    return java.util.Arrays.stream(stepsForTimes(schedule, org.qnnoracle.flow.FlowTime.uniformGrid(tMax, points)))
        .distinct().toArray();
  }

  /**
   * The first step k at which the SGD time t_k = sum_{i &lt; k} eta_i reaches each requested time (times
   * non-decreasing, &gt;= 0; not modified). For a constant step this is round(t / eta).
   */
  public static long[] stepsForTimes(StepSchedule schedule, double[] times) {
    long[] steps = new long[times.length];
    if (schedule instanceof StepSchedule.Constant c) {
      for (int i = 0; i < times.length; i++) {
        steps[i] = Math.round(times[i] / c.eta0());
      }
      return steps;
    }
    long k = 0;
    double t = 0.0;
    for (int i = 0; i < times.length; i++) {
      while (t + 0.5 * schedule.eta(k) < times[i]) {
        t += schedule.eta(k);
        k++;
        if (k > Long.MAX_VALUE / 4) {
          throw new InvalidInputException("time " + times[i] + " is not reached by the schedule");
        }
      }
      steps[i] = k;
    }
    return steps;
  }

  /**
   * The SGD time t_k = sum_{i &lt; k} eta_i at each output step (steps non-decreasing; not modified): exactly
   * k eta for a constant step, a running sum otherwise.
   */
  public static double[] timesOfSteps(StepSchedule schedule, long[] steps) {
    double[] t = new double[steps.length];
    if (schedule instanceof StepSchedule.Constant c) {
      for (int i = 0; i < steps.length; i++) {
        t[i] = steps[i] * c.eta0();
      }
      return t;
    }
    double sum = 0.0;
    long k = 0;
    for (int i = 0; i < steps.length; i++) {
      while (k < steps[i]) {
        sum += schedule.eta(k++);
      }
      t[i] = sum;
    }
    return t;
  }
}
