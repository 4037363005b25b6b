package org.qnnoracle.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hipparchus.fraction.BigFraction;
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
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.gaussian.IdentityCase;
import org.qnnoracle.gaussian.RingMatrix;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.symbolic.SymjaExpectations;

/**
 * The two exact engines on the same job: E[(x^T B x - tr B)^2 Q M Q] = T(B, M), every entry, for one
 * random rational (B, M) at d = 3 and d = 4. Read the Symja figure as a ratio against {@code javaWick}
 * at the same d, measured in the same run.
 *
 * <p>Run: {@code mvn -Pbench test-compile exec:exec -Dbench.args="GaussianBenchmark"}. Symja's one-off
 * start-up (about 2 s) happens in the trial set-up, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 4, timeUnit = TimeUnit.SECONDS)
public class GaussianBenchmark {
  @Param({"3", "4"})
  int d;

  private IdentityCase<BigFraction> instance;
  private SymjaExpectations symja;

  @Setup(Level.Trial)
  public void setUp() {
    symja = new SymjaExpectations();
    instance = GaussianIdentity.NOISE_MOMENT.draw(Seeds.generator(1L, "bench-T"), d, 1, false);
    Map<String, RingMatrix<BigFraction>> java = GaussianIdentity.NOISE_MOMENT.wickExpectations(instance);
    // Both engines must give the same exact answer, or the comparison is meaningless.
    if (!java.equals(symja.expectations(GaussianIdentity.NOISE_MOMENT, instance))) {
      throw new IllegalStateException("Java engine and Symja disagree on T(B, M) at d = " + d);
    }
  }

  @Benchmark
  public Map<String, RingMatrix<BigFraction>> javaWick() {
    return GaussianIdentity.NOISE_MOMENT.wickExpectations(instance);
  }

  @Benchmark
  public Map<String, RingMatrix<BigFraction>> symja() {
    return symja.expectations(GaussianIdentity.NOISE_MOMENT, instance);
  }
}
