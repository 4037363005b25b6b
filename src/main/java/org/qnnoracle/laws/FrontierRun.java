package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.stats.LinearFit;

/**
 * One compute-frontier run (proofs-notes/scaling-laws.md, section 9): for each width the exact population flow's
 * risk from the model's random start (drawn in overlap coordinates, {@link ReducedStart}) and the additive model
 * with the corrected escape times of the same start, both as functions of the compute of online SGD at batch b and
 * step eta ({@link ComputeFrontier#computeForTime}); their lower envelopes over the widths; the envelopes'
 * exponents fitted over the window rule (learned directions J in [4, m_max / 2], so the largest width never
 * binds); and the derived local exponent ({@link ComputeFrontier#predict}) at the window's geometric middle.
 *
 * @param times the output times every width ran to (SGD time t = steps x eta)
 * @param widestAdditive the additive model of the widest width's start (its emergent curves)
 * @param flow the exact flow's envelope
 * @param additive the additive model's envelope on the same grid
 * @param prediction the derived frontier ({@link ComputeFrontier#predict}) at the window's geometric middle J
 * @param predictedExponent the derived exponent over the window ({@link ComputeFrontier#windowExponent})
 */
public record FrontierRun(
    long d, int r, double alpha, double sigma0, int batch, double eta, long seed, int[] widths, double[] times,
    AdditiveModel widestAdditive, List<ComputeFrontier.Curve> flowCurves, List<ComputeFrontier.Curve> additiveCurves,
    ComputeFrontier.Envelope flow, ComputeFrontier.Envelope additive, FitWindow window,
    LinearFit flowFit, LinearFit additiveFit, ComputeFrontier.Prediction prediction, double predictedExponent) {

  /** What a run reports while it goes: one flow per width. */
  public interface Listener {
    Listener NONE = new Listener() {
      @Override
      public FlowProgress widthStarted(int m, int index, int count) {
        return FlowProgress.NONE;
      }

      @Override
      public void widthFinished(int m, double seconds) {}
    };

    /** Width m (the index-th of count, from 1) starts; the returned progress hears its output times. */
    FlowProgress widthStarted(int m, int index, int count);

    void widthFinished(int m, double seconds);
  }

  /** The paper scenario's step at batch d (eta = c b / d = c = 0.02); it scales compute, not the exponents. */
  public static final double PAPER_ETA = 0.02;

  /** Output times per width, and compute points of the envelopes: about 30 per decade over these runs. */
  public static final int DEFAULT_POINTS = 160;

  public FrontierRun {
    widths = widths.clone();
    times = times.clone();
    flowCurves = List.copyOf(flowCurves);
    additiveCurves = List.copyOf(additiveCurves);
  }

  @Override
  public int[] widths() {
    return widths.clone();
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  /** Widths 2, 3, 4, 6, 8, 11, 16, .. (round(2^{k/2}), k >= 2, distinct) up to mMax: a grid sqrt 2 apart. */
  public static int[] widths(int mMax) {
    List<Integer> w = new ArrayList<>();
    for (int k = 2; ; k++) {
      int m = (int) Math.round(Math.pow(2.0, k / 2.0));
      if (m > mMax) {
        break;
      }
      if (w.isEmpty() || w.get(w.size() - 1) != m) {
        w.add(m);
      }
    }
    return w.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Runs every width on one time grid, from a tenth of the first leading escape time to twice the leading escape
   * time of the largest width's last direction, and builds both envelopes on the compute range of all widths.
   *
   * @param widths increasing widths, the largest at least 16 (a window J in [4, 8] at least) and at most r. Not
   *     modified.
   */
  public static FrontierRun run(long d, int r, int[] widths, double alpha, double sigma0, int batch, double eta,
      long seed, int points, Listener listener) {
    require(alpha > 0.5, "the frontier needs alpha > 1/2, got " + alpha);
    require(widths.length >= 2, "a frontier needs at least two widths");
    for (int i = 0; i < widths.length; i++) {
      require(widths[i] >= 1 && widths[i] <= r && (i == 0 || widths[i] > widths[i - 1]),
          "widths must increase within [1, r], got " + Arrays.toString(widths));
    }
    int mMax = widths[widths.length - 1];
    require(mMax >= 2 * FitWindow.MIN_J_HIGH, "the largest width must be at least " + 2 * FitWindow.MIN_J_HIGH
        + " (window J in [4, m_max / 2]), got " + mMax);
    require(points >= 40, "a frontier run needs at least 40 points, got " + points);
    double[] lambda = PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
    AdditiveModel leading = AdditiveModel.leading(lambda, mMax, sigma0, d);
    double tStart = 0.1 * leading.escapeTimes()[0];
    double tEnd = 2.0 * leading.escapeTimes()[mMax - 1];
    require(tStart > 0.0, "the start is too large for an escape-time law: m sigma0^2 / d must be below lambda_1");
    double[] times = FlowRiskCurve.logGrid(tStart, tEnd, points);
    List<ComputeFrontier.Curve> flowCurves = new ArrayList<>();
    List<ComputeFrontier.Curve> additiveCurves = new ArrayList<>();
    AdditiveModel widestModel = null;
    for (int k = 0; k < widths.length; k++) {
      int m = widths[k];
      long started = System.nanoTime();
      FlowProgress progress = listener.widthStarted(m, k + 1, widths.length);
      FlowState.Overlaps start = ReducedStart.sample(d, r, m, sigma0, seed);
      AdditiveModel model = AdditiveModel.corrected(lambda, EscapeTimes.availableOverlaps(start.q()),
          EscapeTimes.meanPerpendicular(start));
      double[] compute = new double[times.length];
      for (int i = 0; i < times.length; i++) {
        compute[i] = ComputeFrontier.computeForTime(times[i], eta, d, r, m, batch);
      }
      flowCurves.add(new ComputeFrontier.Curve(m, compute, FlowRiskCurve.risk(lambda, start, times, progress)));
      additiveCurves.add(new ComputeFrontier.Curve(m, compute, model.risk(times)));
      widestModel = model;
      listener.widthFinished(m, (System.nanoTime() - started) / 1e9);
    }
    // from the narrowest's start to the widest's end; at tEnd = 2 t_{m_max} every width has learned what it can,
    // so a curve is continued at its last value beyond its end (ComputeFrontier.Curve#riskAt)
    double lo = flowCurves.get(0).compute()[0];
    double[] widest = flowCurves.get(flowCurves.size() - 1).compute();
    double hi = widest[widest.length - 1];
    double[] grid = FlowRiskCurve.logGrid(lo, hi, points);
    ComputeFrontier.Envelope flow = ComputeFrontier.envelope(flowCurves, grid);
    ComputeFrontier.Envelope additive = ComputeFrontier.envelope(additiveCurves, grid);
    FitWindow window = FitWindow.between(lambda, FitWindow.J_LOW, mMax / 2);
    int jMid = (int) Math.round(Math.sqrt((double) window.jLow() * window.jHigh()));
    return new FrontierRun(d, r, alpha, sigma0, batch, eta, seed, widths, times, widestModel, flowCurves,
        additiveCurves, flow,
        additive, window, window.fit(grid, flow.risk()), window.fit(grid, additive.risk()),
        ComputeFrontier.predict(lambda, jMid, d, alpha, sigma0, batch),
        ComputeFrontier.windowExponent(lambda, window.jLow(), window.jHigh(), d, alpha, sigma0, batch));
  }
}
