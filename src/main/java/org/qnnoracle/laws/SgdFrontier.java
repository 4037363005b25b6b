package org.qnnoracle.laws;

import static org.qnnoracle.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.TeacherBasis;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRiskCurve;
import org.qnnoracle.stats.LinearFit;

/**
 * The compute frontier measured on online SGD itself (proofs-notes/scaling-laws.md, section 9, the SGD route): for
 * each width one replica of online SGD at batch b = d and step eta from the model's random start (teacher basis
 * e_1..e_r, {@link SgdRiskCurve}), the effective ODE of SGD at the same batch and step and the exact population flow,
 * both from the overlaps (Q0, P0) of the same W0; all
 * against the compute of SGD (steps x {@link SgdRiskCurve#flopsPerStep}), their lower envelopes over the widths and
 * the envelopes' exponents over the window rule of {@link FrontierRun} (learned J in [4, m_max / 2]).
 *
 * @param steps the SGD output steps (distinct, increasing), the same for every width
 * @param times t = steps x eta
 */
public record SgdFrontier(int d, int r, double alpha, double sigma0, double eta, long seed, int[] widths,
    long[] steps, double[] times, List<ComputeFrontier.Curve> sgdCurves, List<ComputeFrontier.Curve> effectiveCurves,
    List<ComputeFrontier.Curve> flowCurves, ComputeFrontier.Envelope sgd, ComputeFrontier.Envelope effective,
    ComputeFrontier.Envelope flow, FitWindow window, LinearFit sgdFit, LinearFit effectiveFit, LinearFit flowFit,
    double seconds) {

  /** What a run reports while it goes: one SGD replica per width. */
  public interface Listener {
    Listener NONE = (m, index, count, lastStep) -> SgdProgress.NONE;

    /** Width m (the index-th of count) starts its SGD run to step lastStep; the returned progress hears it. */
    SgdProgress widthStarted(int m, int index, int count, long lastStep);
  }

  public SgdFrontier {
    widths = widths.clone();
    steps = steps.clone();
    times = times.clone();
    sgdCurves = List.copyOf(sgdCurves);
    effectiveCurves = List.copyOf(effectiveCurves);
    flowCurves = List.copyOf(flowCurves);
  }

  @Override
  public int[] widths() {
    return widths.clone();
  }

  @Override
  public long[] steps() {
    return steps.clone();
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  /**
   * Runs SGD and the flow for every width on one grid of SGD steps: log-spaced times from a tenth of the first
   * leading escape time to twice the widest width's last leading escape time, rounded to whole steps.
   *
   * @param widths increasing, the largest at least 16 and at most r. Not modified.
   */
  public static SgdFrontier run(int d, int r, int[] widths, double alpha, double sigma0, double eta, long seed,
      int points, Listener listener) {
    long start = System.nanoTime();
    require(alpha > 0.5, "the frontier needs alpha > 1/2, got " + alpha);
    require(eta > 0.0 && Double.isFinite(eta), "eta must be > 0, got " + eta);
    int mMax = widths[widths.length - 1];
    require(mMax >= 2 * FitWindow.MIN_J_HIGH && mMax <= r, "the largest width must be in [16, r], got " + mMax);
    double[] lambda = PowerLawSpectrum.lambdas(r, alpha, Normalisation.L2);
    AdditiveModel leading = AdditiveModel.leading(lambda, mMax, sigma0, d);
    long[] steps = FlowRiskCurve.stepGrid(0.1 * leading.escapeTimes()[0], 2.0 * leading.escapeTimes()[mMax - 1],
        points, eta);
    double[] times = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      times[i] = steps[i] * eta;
    }
    List<ComputeFrontier.Curve> sgdCurves = new ArrayList<>();
    List<ComputeFrontier.Curve> effectiveCurves = new ArrayList<>();
    List<ComputeFrontier.Curve> flowCurves = new ArrayList<>();
    EffectiveDynamics dyn = EffectiveDynamics.constantEta(lambda, d, d, 0.0, eta);
    for (int k = 0; k < widths.length; k++) {
      int m = widths[k];
      Instance instance = new ModelSpec(d, r, m, alpha, Normalisation.L2, sigma0, TeacherBasis.CANONICAL, seed)
          .instance();
      SgdRiskCurve.Curve curve = SgdRiskCurve.run(instance, eta, d, steps,
          seed, listener.widthStarted(m, k + 1, widths.length, steps[steps.length - 1]));
      require(!curve.diverged(), "online SGD diverged at width " + m + " (step " + curve.divergedAt()
          + "): eta = " + eta + " is too large");
      FlowState.Overlaps s0 = ScenarioRun.canonicalStart(instance.w0(), r);
      double[] compute = curve.flops();
      sgdCurves.add(new ComputeFrontier.Curve(m, compute, curve.risk()));
      EffectiveTrajectory traj = dyn.solve(s0, times, ScenarioRun.ODE_RTOL, FlowProgress.NONE);
      require(!traj.diverged(), "the effective ODE diverged at width " + m + ": eta = " + eta + " is too large");
      double[] eff = new double[times.length];
      for (int i = 0; i < eff.length; i++) {
        eff[i] = traj.observables().get(i).risk();
      }
      effectiveCurves.add(new ComputeFrontier.Curve(m, compute, eff));
      flowCurves.add(new ComputeFrontier.Curve(m, compute, FlowRiskCurve.risk(lambda, s0, times,
          FlowProgress.NONE)));
    }
    double lo = sgdCurves.get(0).compute()[0];
    double[] widest = sgdCurves.get(sgdCurves.size() - 1).compute();
    double[] grid = FlowRiskCurve.logGrid(lo, widest[widest.length - 1], points);
    ComputeFrontier.Envelope sgd = ComputeFrontier.envelope(sgdCurves, grid);
    ComputeFrontier.Envelope effective = ComputeFrontier.envelope(effectiveCurves, grid);
    ComputeFrontier.Envelope flow = ComputeFrontier.envelope(flowCurves, grid);
    FitWindow window = FitWindow.between(lambda, FitWindow.J_LOW, mMax / 2);
    return new SgdFrontier(d, r, alpha, sigma0, eta, seed, widths, steps, times, sgdCurves, effectiveCurves,
        flowCurves, sgd, effective, flow, window, window.fit(grid, sgd.risk()), window.fit(grid, effective.risk()),
        window.fit(grid, flow.risk()), (System.nanoTime() - start) / 1e9);
  }
}
