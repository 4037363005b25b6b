package org.qnnoracle.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.qnnoracle.flow.ExactPropagator;
import org.qnnoracle.flow.FlowEquations;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.OverlapClosedForm;
import org.qnnoracle.flow.ReducedExactPropagator;
import org.qnnoracle.laws.ReducedStart;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.Orthonormal;
import org.qnnoracle.model.PowerLawSpectrum;
import org.qnnoracle.model.Teacher;

/**
 * The paper's scale (d, r, m) = (3200, 2400, 2400), alpha = 1, sigma0 = 1e-3, seed 1: the risk curve at 100
 * log-spaced times t in [0.1, 300] by {@link OverlapClosedForm} (one shot per time, no sub-steps) against
 * the unit costs of the routes that must march: one sub-step of {@link ReducedExactPropagator} (it needs at
 * least lambda_max tau_max ~ 940 of them), one exact d-space sub-step, one right-hand side of the student form
 * (a DormandPrince853 step costs 12). Multiply by the step counts in README "Paper scale" to get the totals.
 *
 * <p>Single-shot: each operation takes seconds to minutes. Needs a large heap (the closed form about 0.5 GB per
 * thread, the d-space operations a few GB). Run e.g.
 * {@code mvn -Pbench test-compile exec:exec -Dbench.args="PaperScaleBenchmark -f 1"}; {@code -p threads=2} runs
 * the closed form's time points two at a time (default 1: one at a time, the native BLAS using every core,
 * which measured fastest; README "Paper scale").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx24g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class PaperScaleBenchmark {
  static final int D = 3200;
  static final int R = 2400;
  static final int M = 2400;
  static final double SIGMA0 = 1e-3;
  static final long SEED = 1L;
  static final int POINTS = 100;
  static final double T_MIN = 0.1;
  static final double T_MAX = 300.0;

  @Param({"1"})
  public int threads;

  double[] lambda;
  FlowState.Overlaps start;
  double[] times;
  Teacher teacher;
  double[][] w0;

  @Setup(Level.Trial)
  public void setUp() {
    lambda = PowerLawSpectrum.lambdas(R, 1.0, Normalisation.L2);
    start = ReducedStart.sample(D, R, M, SIGMA0, SEED);
    times = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      times[i] = T_MIN * Math.pow(T_MAX / T_MIN, (double) i / (POINTS - 1));
    }
    // the d-space unit costs do not depend on Theta's orientation: the canonical basis avoids a 3200 x 2400 QR
    teacher = new Teacher(Orthonormal.canonical(D, R), lambda);
    Random rng = new Random(SEED);
    w0 = new double[D][M];
    for (double[] row : w0) {
      for (int j = 0; j < M; j++) {
        row[j] = rng.nextGaussian() * SIGMA0 / Math.sqrt(D);
      }
    }
  }

  @Benchmark
  public double[] closedFormCurve() {
    return OverlapClosedForm.risk(lambda, start, times, threads, FlowProgress.NONE);
  }

  @Benchmark
  public FlowState.Overlaps reducedSubStep() {
    return ReducedExactPropagator.stepTau(lambda, start, 1.0 / lambda[0]);
  }

  @Benchmark
  public double[][] exactDSpaceSubStep() {
    return ExactPropagator.stepTau(teacher, w0, 1.0 / lambda[0]);
  }

  @Benchmark
  public double[][] studentFormRhs() {
    return FlowEquations.studentRhs(teacher, w0);
  }
}
