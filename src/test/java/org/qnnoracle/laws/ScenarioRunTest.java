package org.qnnoracle.laws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.model.Instance;
import org.qnnoracle.sgd.SgdProgress;
import org.qnnoracle.sgd.SgdRiskCurve;
import org.qnnoracle.sgd.SgdRunner;
import org.qnnoracle.sgd.StepSchedule;

/**
 * The scenario's pieces that need no ODE: one start for SGD, the effective ODE and the flow; the SGD curve is
 * replica 0 of {@link SgdRunner} (what {@code sgd --replicas 1} writes); the output grid; the compute count; the
 * scenario's validation.
 */
class ScenarioRunTest {
  private static Scenario small(int m) {
    return new Scenario("t", "test", 60, 45, m, 1.0, 1e-3, 60, 0.02, 7, 30, 30.0, 50);
  }

  @Test
  void theOdeStartIsSgdsW0InOverlapCoordinates() {
    Scenario sc = small(45);
    Instance inst = sc.model(sc.m()).instance();
    FlowState.Overlaps s0 = ScenarioRun.canonicalStart(inst.w0(), sc.r());
    // Against the generic projection Q0 = Theta^T W0, P0 = W_perp^T W_perp (dense products, BLAS): equal to
    // round-off, relative 1e-14 of |P0| ~ sigma0^2 (the products have d = 60 terms of one sign pattern each).
    FlowState.Overlaps generic = FlowMethod.initialOverlaps(inst);
    for (int a = 0; a < sc.r(); a++) {
      assertThat(s0.q()[a]).containsExactly(generic.q()[a]);
    }
    double pScale = sc.sigma0() * sc.sigma0();
    for (int j = 0; j < sc.m(); j++) {
      for (int k = 0; k < sc.m(); k++) {
        assertThat(Math.abs(s0.p()[j][k] - generic.p()[j][k])).isLessThanOrEqualTo(1e-14 * pScale);
        assertThat(s0.p()[j][k]).isEqualTo(s0.p()[k][j]);
      }
    }
    // The same point to the last bit: the start's risk is the SGD replica's R(0).
    double odeRisk0 = FlowObservables.fromOverlaps(0.0, sc.lambda(), s0.q(), s0.p()).risk();
    SgdRiskCurve.Curve curve = SgdRiskCurve.run(inst, sc.eta(), sc.batch(), new long[] {1}, sc.seed(),
        SgdProgress.NONE);
    assertThat(curve.risk0()).isEqualTo(odeRisk0);
  }

  @Test
  void theSgdCurveIsReplicaZeroOfTheRunner() {
    Scenario sc = small(20);
    Instance inst = sc.model(sc.m()).instance();
    long[] steps = {1, 5, 40, 200};
    SgdRiskCurve.Curve curve = SgdRiskCurve.run(inst, sc.eta(), sc.batch(), steps, sc.seed(), SgdProgress.NONE);
    SgdRunner.Plan plan = new SgdRunner.Plan(inst, new StepSchedule.Constant(sc.eta()), sc.batch(), 0.0, steps, 1,
        sc.seed());
    SgdRunner.Replica rep = SgdRunner.run(plan, 1, SgdProgress.NONE).get(0);
    assertThat(curve.reached()).isEqualTo(4);
    for (int i = 0; i < steps.length; i++) {
      assertThat(curve.risk()[i]).isEqualTo(rep.snapshots().get(i).risk());
      assertThat(curve.samples()[i]).isEqualTo(steps[i] * sc.batch());
      assertThat(curve.flops()[i]).isEqualTo(steps[i] * SgdRiskCurve.flopsPerStep(60, 20, 45, 60));
    }
  }

  @Test
  void flopsAreFourBdmPlusThreeBrAndTheSmallTerms() {
    // The paper's step at m = 256: 4 b d m = 1.048576e10 dominates; 3 b r = 2.304e7.
    double f = SgdRiskCurve.flopsPerStep(3200, 256, 2400, 3200);
    assertThat(f).isEqualTo(4.0 * 3200 * 3200 * 256 + 3.0 * 3200 * 2400 + 3.0 * 3200 * 256 + 4.0 * 3200 * 256
        + 2.0 * 3200);
    assertThat(f / (4.0 * 3200 * 3200 * 256)).isBetween(1.0, 1.003);
  }

  @Test
  void outputStepsAreDistinctAndSpanTheHorizon() {
    Scenario sc = small(45);
    long[] steps = ScenarioRun.outputSteps(sc);
    assertThat(steps.length).isBetween(3, sc.points());
    for (int i = 1; i < steps.length; i++) {
      assertThat(steps[i]).isGreaterThan(steps[i - 1]);
    }
    assertThat(steps[steps.length - 1]).isEqualTo(Math.round(sc.tMax() / sc.eta()));
    assertThat(steps[0] * sc.eta()).isCloseTo(sc.firstOutputTime(), org.assertj.core.data.Offset.offset(sc.eta()));
  }

  @Test
  void invalidScenariosAreRefused() {
    List<Runnable> bad = List.of(
        () -> small(0),
        () -> small(8), // fit window needs min(m, r) >= 16
        () -> small(100_000), // r m^2 > 5e9
        () -> new Scenario("t", "", 60, 45, 45, 1.0, 1e-3, 60, 0.0, 7, 30, 30.0, 0), // c = 0: no SGD
        () -> new Scenario("t", "", 60, 45, 45, 1.0, 1e-3, 60, 0.02, 7, 30, 30.0, 44), // full width < r
        () -> new Scenario("t", "", 60, 45, 45, 1.0, 1e-3, 60, 0.02, 7, 30, 0.1, 0), // tMax before t_1 / 4
        () -> new Scenario("t", "", 60, 45, 45, 1.0, 1e-3, 60, 0.02, 7, 30, 1e9, 0)); // 5e10 steps
    for (Runnable r : bad) {
      assertThatThrownBy(r::run).isInstanceOf(InvalidInputException.class);
    }
    Scenario noFull = new Scenario("t", "", 60, 45, 45, 1.0, 1e-3, 60, 0.02, 7, 30, 30.0, 0);
    assertThatThrownBy(() -> ScenarioRun.check(noFull, new ScenarioRun.Options(true, null, 1)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no full-width part");
  }
}
