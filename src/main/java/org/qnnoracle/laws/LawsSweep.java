package org.qnnoracle.laws;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.flow.FlowProgress;

/**
 * The {@code laws} sweep as one computation: the time law at each (d, r, m) of the plan, the width floor at the
 * widest run's (d, r) for each width, and optionally the sample law of online SGD. The listener hears each part
 * start and end, so a caller can print a table as soon as its part is done and report progress on the long ones.
 */
public final class LawsSweep {
  private LawsSweep() {}

  /**
   * Default widths (not given by the user) whose floor run is estimated above this many seconds are skipped,
   * with a note through {@link Listener#widthSkipped}: the default sweep stays a few minutes long.
   */
  public static final double DEFAULT_FLOOR_BUDGET_S = 30.0;

  /** One time-law run of the sweep. */
  public record Run(long d, int r, int m) {}

  /**
   * What to compute.
   *
   * @param runs the time-law runs, in the order they are run; the widest (largest r) also hosts the width floor
   * @param widths the widths of the width floor, each below the widest run's r
   * @param widthsGiven whether the user chose the widths (then none is skipped for its cost)
   * @param sampleLaw the sample law's settings, or null for none
   * @param budgets the sample law's c and n ranges ({@link SampleLawRun#budgets}), or null with {@code sampleLaw}
   */
  public record Plan(double alpha, double sigma0, long seed, int points, List<Run> runs, int[] widths,
      boolean widthsGiven, SampleLawRun.Settings sampleLaw, SampleLawRun.Budgets budgets) {
    public Plan {
      runs = List.copyOf(runs);
      widths = widths.clone();
    }

    /** The run with the largest r (the first of them): the width floor runs at its d and r. */
    public Run widest() {
      Run widest = runs.get(0);
      for (Run run : runs) {
        if (run.r() > widest.r()) {
          widest = run;
        }
      }
      return widest;
    }
  }

  /**
   * The width floor at (d, r): for each width w, the flow's risk at {@link WidthFloor#time} against the tail sum
   * 2 sum_{j &gt; w} lambda_j^2.
   */
  public record Floors(long d, int r, double[] lambda, int[] widths, double[] times, double[] risks,
      double[] tails) {}

  /**
   * What the sweep computed.
   *
   * @param floors null when no width was run
   * @param sampleLaw null when the plan has no sample law
   */
  public record Result(List<TimeLaw> timeLaws, Floors floors, SampleLawRun sampleLaw) {}

  /** Told as the sweep goes; every method has a default that does nothing. */
  public interface Listener extends SampleLawRun.Listener {
    /** A time-law run starts; the returned progress receives its output times. */
    default FlowProgress timeLawStarted(Run run) {
      return FlowProgress.NONE;
    }

    /** A time-law run has finished. */
    default void timeLawFinished(TimeLaw run) {}

    /** Every time-law run has finished (before the width floor and the sample law, which take longer). */
    default void timeLawsFinished(List<TimeLaw> runs) {}

    /** A default width was skipped because its floor run would take about {@code seconds}. */
    default void widthSkipped(int w, double seconds, int r) {}

    /** The floor run at width w starts, to flow time t; the returned progress receives its output times. */
    default FlowProgress floorStarted(int w, double t, long d, int r) {
      return FlowProgress.NONE;
    }

    /** The floor run at width w has finished. */
    default void floorFinished(int w) {}

    /** Every floor run has finished. */
    default void floorsFinished(Floors floors) {}
  }

  /**
   * Runs the plan.
   *
   * @param plan what to compute. Not modified.
   * @param listener told of each part. Not modified.
   */
  public static Result run(Plan plan, Listener listener) {
    List<TimeLaw> runs = new ArrayList<>();
    for (Run rs : plan.runs()) {
      FlowProgress progress = listener.timeLawStarted(rs);
      TimeLaw run = TimeLaw.run(rs.d(), rs.r(), rs.m(), plan.alpha(), plan.sigma0(), plan.seed(), plan.points(),
          progress);
      listener.timeLawFinished(run);
      runs.add(run);
    }
    listener.timeLawsFinished(List.copyOf(runs));
    Floors floors = floors(plan, listener);
    SampleLawRun sample = plan.sampleLaw() == null ? null
        : SampleLawRun.run(plan.sampleLaw(), plan.budgets(), listener);
    return new Result(List.copyOf(runs), floors, sample);
  }

  private static Floors floors(Plan plan, Listener listener) {
    Run widest = plan.widest();
    double[] lambda = ScalingLaws.lambdas(widest.r(), plan.alpha());
    List<Integer> ws = new ArrayList<>();
    for (int w : plan.widths()) {
      double seconds = WidthFloor.estimatedSeconds(lambda, w, plan.sigma0(), widest.d());
      if (!plan.widthsGiven() && seconds > DEFAULT_FLOOR_BUDGET_S) {
        listener.widthSkipped(w, seconds, widest.r());
        continue;
      }
      ws.add(w);
    }
    if (ws.isEmpty()) {
      return null;
    }
    int[] widths = ws.stream().mapToInt(Integer::intValue).toArray();
    double[] times = new double[widths.length];
    double[] risks = new double[widths.length];
    double[] tails = new double[widths.length];
    for (int i = 0; i < widths.length; i++) {
      int w = widths[i];
      times[i] = WidthFloor.time(lambda, w, plan.sigma0(), widest.d());
      FlowProgress progress = listener.floorStarted(w, times[i], widest.d(), widest.r());
      risks[i] = WidthFloor.risk(lambda, widest.d(), w, plan.sigma0(), plan.seed(), progress);
      listener.floorFinished(w);
      tails[i] = ScalingLaws.tailRisk(lambda, w);
    }
    Floors floors = new Floors(widest.d(), widest.r(), lambda, widths, times, risks, tails);
    listener.floorsFinished(floors);
    return floors;
  }
}
