package org.qnnoracle.symbolic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.gaussian.IdentityCase;
import org.qnnoracle.gaussian.RingMatrices;
import org.qnnoracle.gaussian.RingMatrix;
import org.qnnoracle.model.Hermite;
import org.qnnoracle.model.Seeds;
import org.qnnoracle.symbolic.SymjaExpectations.AgreementResult;
import org.qnnoracle.symbolic.SymjaExpectations.MomentRule;
import org.qnnoracle.symbolic.SymjaExpectations.SymbolicProof;
import org.qnnoracle.symbolic.SymjaSession.SymbolicException;

/**
 * The Symja exact route against the Java Wick engine, the symbolic proofs, and negative controls. One
 * class, so Symja starts once. The default run (about 45 s) covers every identity at d = 1..4 on random
 * rational instances with noise on and off, batch 1 and 2 for the drifts, except where Symja is slow
 * ({@link #isHeavy}: STEP_DRIFT at d = 4, batch 2 takes 20 to 40 s in Symja against 0.2 to 0.6 s in
 * Java), which runs only under -Pheavy, as does the whole feasible set of symbolic proofs
 * ({@link SymjaExpectations#symbolicFeasible}, about a minute); the default run proves a cheap
 * representative subset. Timings are printed to stdout.
 */
class SymjaExpectationsTest {
  private static final SymjaExpectations SYMJA = new SymjaExpectations();
  private static final SymjaRing RING = SymjaRing.INSTANCE;
  private static final RingMatrices<String> ALG = new RingMatrices<>(RING);

  // ---------------------------------------------------------------------------------------------
  // The ring
  // ---------------------------------------------------------------------------------------------

  @Test
  void ringPrintsParenthesisedSymjaInput() {
    assertThat(RING.fromRational(new BigFraction(-6, 8))).isEqualTo("(-3/4)");
    assertThat(RING.fromRational(new BigFraction(5))).isEqualTo("(5)");
    assertThat(RING.variable(3)).isEqualTo("g3");
    assertThat(RING.add(RING.variable(0), RING.integer(2))).isEqualTo("(g0+(2))");
    assertThat(RING.subtract(RING.variable(0), RING.variable(1))).isEqualTo("(g0-g1)");
    assertThat(RING.multiply(RING.variable(0), RING.fraction(1, 3))).isEqualTo("(g0*(1/3))");
    // exact shortcuts with the literal 0 and 1 only
    assertThat(RING.multiply(RING.zero(), RING.variable(0))).isEqualTo("(0)");
    assertThat(RING.multiply(RING.one(), RING.variable(0))).isEqualTo("g0");
    assertThat(RING.add(RING.zero(), RING.variable(0))).isEqualTo("g0");
    assertThat(RING.subtract(RING.zero(), RING.variable(0))).isEqualTo("((0)-g0)");
    assertThat(RING.symbol("b01")).isEqualTo("b01");
    assertThat(RING.variableList(3)).isEqualTo("{g0,g1,g2}");
    assertThatThrownBy(() -> RING.symbol("g1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RING.symbol("e")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RING.symbol("b_1")).isInstanceOf(IllegalArgumentException.class);
    String p = RING.multiply(RING.subtract(RING.variable(0), RING.fraction(1, 2)), RING.variable(0));
    assertThat(SymjaSession.get().eval("Expand(" + p + ")")).isEqualTo("-g0/2+g0^2");
  }

  @Test
  void momentRulesGiveTheGaussianMoments() {
    SymjaSession s = SymjaSession.get();
    // E[g0^4 g1^2] = 3, E[g0^6] = 15, odd moments vanish, constants pass through
    assertThat(s.evalRational(SYMJA.expectationInput("(g0^4*g1^2 + 2*g0^6 + g0*g1^2 + g1^3 + 7/3)", 2)))
        .isEqualTo(new BigFraction(106, 3)); // 3 + 2 * 15 + 7/3
    SymjaExpectations byCoefficientRules = new SymjaExpectations(MomentRule.COEFFICIENT_RULES);
    assertThat(s.evalRational(byCoefficientRules.expectationInput("((g0 - 1/2)^2*(g1^2 + 3))", 2)))
        .isEqualTo(new BigFraction(5)); // E[(g0 - 1/2)^2] E[g1^2 + 3] = (5/4) 4
    // a symbol left in the result is not a rational: refused, not truncated
    assertThatThrownBy(() -> s.evalRational(SYMJA.expectationInput("(sd*g0^2)", 1)))
        .isInstanceOf(SymbolicException.class).hasMessageContaining("sd");
    assertThat(s.evalRationalList("CoefficientList(1 - 3*z + z^2/2, z)"))
        .containsExactly(BigFraction.ONE, new BigFraction(-3), new BigFraction(1, 2));
    assertThatThrownBy(() -> s.evalRationalList("CoefficientList(1 + a*z, z)"))
        .isInstanceOf(SymbolicException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Hermite from HermiteH
  // ---------------------------------------------------------------------------------------------

  @Test
  void hermiteHConversionGivesExactlyOurHeCoefficients() {
    for (int k = 0; k <= 8; k++) {
      BigInteger[] ours = Hermite.coefficients(k);
      List<BigFraction> expected = new ArrayList<>();
      for (BigInteger c : ours) {
        expected.add(new BigFraction(c));
      }
      assertThat(SymjaExpectations.hermiteCoefficients(k)).as("He_%d", k).isEqualTo(expected);
    }
    assertThat(SymjaExpectations.hermiteCoefficients(4)).containsExactly(new BigFraction(3),
        BigFraction.ZERO, new BigFraction(-6), BigFraction.ZERO, BigFraction.ONE);
  }

  // ---------------------------------------------------------------------------------------------
  // Agreement with the Java Wick engine on random rational instances
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> rationalCases() {
    return rationalCases(false);
  }

  static Stream<Arguments> heavyRationalCases() {
    return rationalCases(true);
  }

  /** The (identity, d, batch, noise) grid, split into the default part and the heavy remainder. */
  private static Stream<Arguments> rationalCases(boolean heavy) {
    List<Arguments> out = new ArrayList<>();
    for (GaussianIdentity g : GaussianIdentity.values()) {
      boolean drift = g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT;
      for (int d = 1; d <= (g == GaussianIdentity.HERMITE ? 1 : 4); d++) {
        for (int batch = 1; batch <= (drift ? 2 : 1); batch++) {
          for (boolean noise : new boolean[] {true, false}) {
            if (isHeavy(g, d, batch, noise) == heavy) {
              out.add(Arguments.of(g, d, batch, noise));
            }
          }
        }
      }
    }
    return out.stream();
  }

  /**
   * The slow corner of the grid, run only under -Pheavy: STEP_DRIFT at d = 4 with batch 2 (20 to 40 s
   * in Symja), and the noise-on half of the drifts at d = 4 and at d = 3 with batch 2 (3 to 12 s each;
   * their noise-off halves, 3 to 4 s each, stay in the default run).
   */
  private static boolean isHeavy(GaussianIdentity g, int d, int batch, boolean noise) {
    if (g == GaussianIdentity.STEP_DRIFT && d == 4 && batch == 2) {
      return true;
    }
    boolean drift = g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT;
    return drift && noise && (d == 4 || (d == 3 && batch == 2));
  }

  private static long seed(GaussianIdentity g, int d, int batch, boolean noise) {
    return 1_000L * g.ordinal() + 100L * d + 10L * batch + (noise ? 1 : 0);
  }

  @ParameterizedTest(name = "{0} d={1} batch={2} noise={3}")
  @MethodSource("rationalCases")
  void symjaEqualsTheJavaWickEngineExactly(GaussianIdentity g, int d, int batch, boolean noise) {
    assertAgreement(g, d, batch, noise);
  }

  @Tag("heavy")
  @ParameterizedTest(name = "{0} d={1} batch={2} noise={3}")
  @MethodSource("heavyRationalCases")
  void symjaEqualsTheJavaWickEngineExactlyOnTheSlowCases(GaussianIdentity g, int d, int batch,
      boolean noise) {
    assertAgreement(g, d, batch, noise);
  }

  private static void assertAgreement(GaussianIdentity g, int d, int batch, boolean noise) {
    IdentityCase<BigFraction> c = g.draw(Seeds.generator(seed(g, d, batch, noise)), d, batch, noise);
    AgreementResult r = SYMJA.agree(g, c);
    System.out.printf("agree %-22s d=%d batch=%d noise=%-5s entries=%3d java=%5d ms symja=%6d ms%n",
        g, d, batch, noise, r.entriesCompared(), r.javaMillis(), r.symjaMillis());
    assertThat(r.agrees()).as(r.detail()).isTrue();
    assertThat(r.entriesCompared()).isPositive();
  }

  @Test
  void bothMomentRulesAgree() {
    SymjaExpectations byCoefficientRules = new SymjaExpectations(MomentRule.COEFFICIENT_RULES);
    for (GaussianIdentity g : List.of(GaussianIdentity.NOISE_MOMENT, GaussianIdentity.STEP_DRIFT,
        GaussianIdentity.HERMITE)) {
      IdentityCase<BigFraction> c = g.draw(Seeds.generator(77), 2, 2, true);
      assertThat(byCoefficientRules.expectations(g, c)).isEqualTo(SYMJA.expectations(g, c));
    }
  }

  @Test
  void aWrongRationalValueIsDetected() {
    GaussianIdentity g = GaussianIdentity.LABELLED_NOISE_MOMENT;
    IdentityCase<BigFraction> c = g.draw(Seeds.generator(5), 2, 1, true);
    Map<String, RingMatrix<BigFraction>> java = g.wickExpectations(c);
    Map<String, RingMatrix<BigFraction>> symja = SYMJA.expectations(g, c);
    assertThat(SymjaExpectations.compare(java, symja, 0, 0).agrees()).isTrue();

    Map<String, RingMatrix<BigFraction>> wrong = new LinkedHashMap<>();
    symja.forEach((k, m) -> wrong.put(k, RingMatrix.build(m.rows(), m.cols(),
        (i, j) -> i == 1 && j == 0 ? m.get(i, j).add(new BigFraction(1, 1000)) : m.get(i, j))));
    AgreementResult r = SymjaExpectations.compare(java, wrong, 0, 0);
    assertThat(r.agrees()).isFalse();
    assertThat(r.entriesCompared()).isEqualTo(4);
    assertThat(r.detail()).contains("1 of 4 entries differ").contains("(1, 0)");
  }

  // ---------------------------------------------------------------------------------------------
  // Symbolic proofs
  // ---------------------------------------------------------------------------------------------

  /** A cheap representative of each identity: about 15 s in all. */
  static Stream<Arguments> quickProofs() {
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of(GaussianIdentity.HERMITE, 1, 1, false));
    for (int d = 1; d <= 4; d++) {
      out.add(Arguments.of(GaussianIdentity.HE2_PAIR, d, 1, false));
      out.add(Arguments.of(GaussianIdentity.RISK, d, 1, false));
      out.add(Arguments.of(GaussianIdentity.LINEAR_MOMENT, d, 1, false));
    }
    for (int d = 1; d <= 3; d++) {
      out.add(Arguments.of(GaussianIdentity.GRADIENT, d, 1, d != 2));
    }
    for (int d = 1; d <= 2; d++) {
      out.add(Arguments.of(GaussianIdentity.NOISE_MOMENT, d, 1, false));
      out.add(Arguments.of(GaussianIdentity.LABELLED_NOISE_MOMENT, d, 1, true));
    }
    out.add(Arguments.of(GaussianIdentity.LABELLED_NOISE_MOMENT, 2, 1, false));
    out.add(Arguments.of(GaussianIdentity.STEP_DRIFT, 1, 1, true));
    out.add(Arguments.of(GaussianIdentity.STEP_DRIFT, 1, 2, false));
    out.add(Arguments.of(GaussianIdentity.STEP_DRIFT, 2, 1, true));
    out.add(Arguments.of(GaussianIdentity.OVERLAP_DRIFT, 1, 2, true));
    out.add(Arguments.of(GaussianIdentity.OVERLAP_DRIFT, 2, 1, true));
    out.add(Arguments.of(GaussianIdentity.OVERLAP_DRIFT, 3, 1, false));
    return out.stream();
  }

  /** Every feasible (identity, d, batch) at d = 1..4, noise on: about a minute and a half. */
  static Stream<Arguments> feasibleProofs() {
    List<Arguments> out = new ArrayList<>();
    for (GaussianIdentity g : GaussianIdentity.values()) {
      boolean drift = g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT;
      for (int d = 1; d <= (g == GaussianIdentity.HERMITE ? 1 : 4); d++) {
        for (int batch = 1; batch <= (drift ? 2 : 1); batch++) {
          if (SymjaExpectations.symbolicFeasible(g, d, batch)) {
            out.add(Arguments.of(g, d, batch, true));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} d={1} batch={2} noise={3}")
  @MethodSource("quickProofs")
  void provesTheIdentitySymbolically(GaussianIdentity g, int d, int batch, boolean noise) {
    assertProof(g, d, batch, noise);
  }

  @Tag("heavy")
  @ParameterizedTest(name = "{0} d={1} batch={2} noise={3}")
  @MethodSource("feasibleProofs")
  void provesTheWholeFeasibleSet(GaussianIdentity g, int d, int batch, boolean noise) {
    SymbolicProof p = assertProof(g, d, batch, noise);
    // the feasibility table promises about 10 s; leave room for a slower machine
    assertThat(p.millis()).isLessThan(30_000);
  }

  private static SymbolicProof assertProof(GaussianIdentity g, int d, int batch, boolean noise) {
    assertThat(SymjaExpectations.symbolicFeasible(g, d, batch)).isTrue();
    SymbolicProof p = SYMJA.prove(g, d, batch, noise);
    System.out.printf("prove %-22s d=%d batch=%d noise=%-5s entries=%3d %6d ms  %s%n", g, d, batch, noise,
        p.entriesChecked(), p.millis(), p.detail());
    assertThat(p.holds()).as(p.detail()).isTrue();
    assertThat(p.entriesChecked()).isPositive();
    return p;
  }

  @Test
  void symbolicCaseHasTheDocumentedShape() {
    IdentityCase<String> c = SYMJA.symbolicCase(GaussianIdentity.OVERLAP_DRIFT, 3, 2, true, 2, 2);
    assertThat(c.input("W").get(2, 1)).isEqualTo("w21");
    assertThat(c.input("Theta")).isEqualTo(RingMatrix.build(3, 2, (i, j) -> i.equals(j) ? "(1)" : "(0)"));
    assertThat(c.input("Lambda").get(1, 1)).isEqualTo("lam1");
    assertThat(c.input("Lambda").get(0, 1)).isEqualTo("(0)");
    assertThat(c.etas()).containsExactly("eta");
    assertThat(c.noise()).isEqualTo("sd");
    assertThat(c.batch()).isEqualTo(2);
    IdentityCase<String> n = SYMJA.symbolicCase(GaussianIdentity.NOISE_MOMENT, 3, 1, false);
    assertThat(n.input("B").get(0, 2)).isEqualTo("b02").isEqualTo(n.input("B").get(2, 0));
    assertThat(n.noise()).isEqualTo("(0)");
    assertThat(SymjaExpectations.defaultStudentWidth(GaussianIdentity.STEP_DRIFT, 3)).isEqualTo(1);
    assertThat(SymjaExpectations.defaultStudentWidth(GaussianIdentity.GRADIENT, 3)).isEqualTo(3);
    assertThat(SymjaExpectations.symbolicFeasible(GaussianIdentity.NOISE_MOMENT, 4, 1)).isTrue();
    assertThat(SymjaExpectations.symbolicFeasible(GaussianIdentity.STEP_DRIFT, 3, 2)).isFalse();
    assertThat(SymjaExpectations.symbolicFeasible(GaussianIdentity.STEP_DRIFT, 4, 1)).isFalse();
    assertThat(SymjaExpectations.symbolicFeasible(GaussianIdentity.OVERLAP_DRIFT, 4, 2)).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // Negative controls of the symbolic check
  // ---------------------------------------------------------------------------------------------

  @Test
  void aWrongCoefficientInTheClosedFormIsReportedAsNotHolding() {
    // T(B, M) with 15 BMB instead of 16 BMB
    GaussianIdentity g = GaussianIdentity.NOISE_MOMENT;
    IdentityCase<String> c = SYMJA.symbolicCase(g, 2, 1, false);
    Map<String, RingMatrix<String>> right = g.closedForms(ALG, c);
    RingMatrix<String> b = c.input("B");
    RingMatrix<String> bmb = ALG.multiply(b, ALG.multiply(c.input("M"), b));
    Map<String, RingMatrix<String>> wrong = new LinkedHashMap<>();
    right.forEach((k, m) -> wrong.put(k, ALG.subtract(m, bmb)));
    SymbolicProof p = SYMJA.check(g, c, wrong);
    System.out.println("negative control (15 BMB): " + p.detail());
    assertThat(p.holds()).isFalse();
    assertThat(p.entriesChecked()).isEqualTo(1);
    assertThat(p.detail()).contains("T(B, M) (0, 0)").contains("b0");
    assertThat(SYMJA.check(g, c, right).holds()).isTrue();
  }

  @Test
  void theBatchSizeOfTheClosedFormMatters() {
    // the batch-2 integrand against the batch-1 closed form: the (1 - 1/b) 4 BMB term is missing
    GaussianIdentity g = GaussianIdentity.STEP_DRIFT;
    IdentityCase<String> c2 = SYMJA.symbolicCase(g, 1, 2, true);
    IdentityCase<String> c1 = SYMJA.symbolicCase(g, 1, 1, true);
    SymbolicProof p = SYMJA.check(g, c2, g.closedForms(ALG, c1));
    System.out.println("negative control (batch): " + p.detail());
    assertThat(p.holds()).isFalse();
    assertThat(p.detail()).contains("eta^2");
  }

  @Test
  void theOverlapDriftNeedsAnOrthonormalFrame() {
    // Theta = (2): not orthonormal, so A = Theta Lambda Theta^T is not what the overlap formula assumes
    GaussianIdentity g = GaussianIdentity.OVERLAP_DRIFT;
    IdentityCase<String> c = SYMJA.symbolicCase(g, 1, 1, false);
    Map<String, RingMatrix<String>> in = new LinkedHashMap<>(c.inputs());
    in.put("Theta", RingMatrix.build(1, 1, (i, j) -> RING.integer(2)));
    IdentityCase<String> skewed = new IdentityCase<>(c.d(), c.batch(), in, c.etas(), c.noise());
    SymbolicProof p = SYMJA.check(g, skewed, null);
    System.out.println("negative control (Theta = 2): " + p.detail());
    assertThat(p.holds()).isFalse();
    assertThat(SYMJA.check(g, c, null).holds()).isTrue();
  }
}
