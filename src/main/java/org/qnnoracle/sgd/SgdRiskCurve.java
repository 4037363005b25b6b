package org.qnnoracle.sgd;

import static org.qnnoracle.InvalidInputException.require;

import java.util.Arrays;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Seeds;

/**
 * The risk curve of ONE online-SGD replica against SGD time, samples and compute: the run of
 * {@link OnlineSgd} on the instance's teacher from the instance's W0 at a constant step size, with label noise 0,
 * recorded at the requested output steps. Its samples come from the stream "sgd-samples-0" of the seed, the
 * stream of replica 0 of {@link SgdRunner}, so the curve is the one {@code qnn-oracle sgd --replicas 1} writes for
 * the same instance, step size and batch (a test checks this).
 *
 * <p>Compute is counted in floating-point operations by {@link #flopsPerStep}, the one place that formula lives.
 */
public final class SgdRiskCurve {
  private SgdRiskCurve() {}

  /**
   * The curve at the output steps reached (all of them unless the replica diverged): step k, SGD time
   * t = k eta, samples n = k b, compute k {@link #flopsPerStep}, and the risk R = 2 |M - A|_F^2 from the
   * overlap coordinates ({@link OnlineSgd#snapshot}, no cancellation).
   *
   * @param risk0 the risk at step 0 (from W0 itself)
   * @param divergedAt the step after which the replica diverged, or -1
   * @param seconds wall time of the steps and snapshots
   */
  public record Curve(int d, int r, int m, int batch, double eta, long[] steps, double[] times, long[] samples,
      double[] flops, double[] risk, double risk0, long divergedAt, double seconds) {
    public Curve {
      steps = steps.clone();
      times = times.clone();
      samples = samples.clone();
      flops = flops.clone();
      risk = risk.clone();
    }

    @Override
    public long[] steps() {
      return steps.clone();
    }

    @Override
    public double[] times() {
      return times.clone();
    }

    @Override
    public long[] samples() {
      return samples.clone();
    }

    @Override
    public double[] flops() {
      return flops.clone();
    }

    @Override
    public double[] risk() {
      return risk.clone();
    }

    /** Output steps reached (fewer than requested when the replica diverged). */
    public int reached() {
      return risk.length;
    }

    public boolean diverged() {
      return divergedAt >= 0;
    }
  }

  /**
   * Floating-point operations of one online-SGD step at dimension d, width m, teacher rank r and batch b,
   * counted for the canonical teacher basis theta_j = e_j (the scenario's), with the batch as a matrix X (b x d):
   * <pre>
   *   forward   Z = X W                                       2 b d m
   *             f_i = |z_i|^2 - tr G                          2 b m
   *   labels    f*_i = sum_j lambda_j (x_ij^2 - 1), j &lt;= r    3 b r   (canonical: &lt;theta_j, x_i&gt; = x_ij)
   *   errors    e_i = f_i - f*_i, and their mean               2 b
   *   update    S = (2 eta / b) diag(e) Z                     b m
   *             W &lt;- (1 + 2 eta ebar) W - X^T S                2 b d m + 2 d m
   *             |W|_F^2 for the next step's tr G              2 d m
   * </pre>
   * i.e. 4 b d m + 3 b r + 3 b m + 4 d m + 2 b, about 4 b d m + 3 b r. This is the model's cost of a step (what a
   * GEMM implementation at the canonical basis performs, and what the source's compute axis counts), not the
   * instruction count of this project's {@link OnlineSgd}, which forms Theta^T x densely (2 b d r more for any
   * basis). The observables recorded at the output times are measurement, not training, and are not counted.
   */
  public static double flopsPerStep(long d, long m, long r, long b) {
    require(d >= 1 && m >= 1 && r >= 1 && b >= 1, "flopsPerStep needs d, m, r, b >= 1");
    double dd = d;
    double mm = m;
    double bb = b;
    return 4.0 * bb * dd * mm + 3.0 * bb * r + 3.0 * bb * mm + 4.0 * dd * mm + 2.0 * bb;
  }

  /**
   * Runs one replica from the instance's W0 at constant step size eta, batch b, without label noise, to the
   * last output step, recording the curve at every output step (strictly increasing, &gt;= 1). {@code progress}
   * hears of every step (done, total steps).
   */
  public static Curve run(Instance instance, double eta, int batch, long[] outputSteps, long seed,
      SgdProgress progress) {
    require(outputSteps.length >= 1, "at least one output step is required");
    for (int i = 0; i < outputSteps.length; i++) {
      require(outputSteps[i] >= 1 && (i == 0 || outputSteps[i] > outputSteps[i - 1]),
          "output steps must be >= 1 and strictly increasing");
    }
    long start = System.nanoTime();
    // Replica 0's stream of SgdRunner (SgdRunner.Plan#replicaSeed), so `sgd --replicas 1` reproduces this curve.
    SampleSource source = new GaussianSamples(Seeds.generator(Seeds.derive(seed, "sgd-samples-0")), 0.0);
    OnlineSgd sgd = new OnlineSgd(instance.teacher(), instance.w0(), new StepSchedule.Constant(eta), batch, source);
    double risk0 = sgd.snapshot().risk();
    int d = instance.d();
    int r = instance.r();
    int m = instance.m();
    double perStep = flopsPerStep(d, m, r, batch);
    long total = outputSteps[outputSteps.length - 1];
    int n = outputSteps.length;
    long[] steps = new long[n];
    double[] times = new double[n];
    long[] samples = new long[n];
    double[] flops = new double[n];
    double[] risk = new double[n];
    int reached = 0;
    for (long target : outputSteps) {
      while (sgd.steps() < target && !sgd.diverged()) {
        sgd.step();
        progress.reached(sgd.steps(), total);
      }
      if (sgd.diverged()) {
        break;
      }
      SgdSnapshot snap = sgd.snapshot();
      steps[reached] = snap.step();
      times[reached] = snap.t();
      samples[reached] = snap.samples();
      flops[reached] = snap.step() * perStep;
      risk[reached] = snap.risk();
      reached++;
    }
    return new Curve(d, r, m, batch, eta, Arrays.copyOf(steps, reached), Arrays.copyOf(times, reached),
        Arrays.copyOf(samples, reached), Arrays.copyOf(flops, reached), Arrays.copyOf(risk, reached), risk0,
        sgd.divergedAt(), (System.nanoTime() - start) / 1e9);
  }
}
