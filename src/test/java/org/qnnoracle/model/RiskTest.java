package org.qnnoracle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.qnnoracle.flow.ExactPropagator;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.quicktheories.QuickTheory;

/** The risk R = 2 |M - A|_F^2: the overlap formula, its precision at tiny risk, its normalisation, its meaning. */
class RiskTest {
  private static final long QT_SEED = org.qnnoracle.PropertyTesting.QT_SEED;
  private static final double EPS = Math.ulp(1.0);

  @Test
  void overlapFormulaEqualsMatrixFormula() {
    System.out.println("QuickTheories seed " + QT_SEED + " for overlapFormulaEqualsMatrixFormula (100 examples)");
    QuickTheory.qt().withFixedSeed(QT_SEED).withExamples(100).withShrinkCycles(0)
        .forAll(longs().between(1L, 1L << 40), doubles().between(0.0, 20.0), doubles().between(-3.0, 3.0))
        .checkAssert((seed, lambdaTau, logScale) -> {
          // a random instance, moved along its flow (to reach the small-risk regime) and rescaled by e^logScale
          Instance inst = RandomInstances.draw(seed, RandomInstances.Family.standard(12));
          Teacher teacher = inst.teacher();
          double[][] w = Dense.scale(Math.exp(logScale),
              ExactPropagator.advance(teacher, inst.w0(), lambdaTau / (4.0 * teacher.lambdaMax())));
          double[][] m = Linalg.multTransB(w, w);
          double[][] a = teacher.matrixA();
          double fromOverlaps = Risk.ofStudent(teacher, w);
          double fromMatrices = Risk.fromMatrices(m, a);
          double scale = Dense.frobeniusNorm(m) + Dense.frobeniusNorm(a);
          // Round-off: both evaluate M - A (explicitly or blockwise) with entries accurate to ~d eps (|M| + |A|),
          // so R = 2 |M - A|^2 is known to ~4 |M - A| d eps (|M| + |A|) <= 4 d eps (|M| + |A|)^2; 10x margin
          // (measured worst over 3000 such draws: 4.9 d eps (|M| + |A|)^2).
          // A wrong cross term (factor 2 on tr(Q P Q^T)) or a missing block is an O(R) error.
          assertThat(Math.abs(fromOverlaps - fromMatrices))
              .as("seed=%d lambda_max*tau=%s scale=e^%s: overlaps %s vs matrices %s", seed, lambdaTau, logScale,
                  fromOverlaps, fromMatrices)
              .isLessThanOrEqualTo(40.0 * inst.d() * EPS * scale * scale);
        });
  }

  /** 2 |W W^T - Theta diag(lambda) Theta^T|_F^2 in exact decimal arithmetic on the stored doubles. */
  private static double exactRisk(Teacher teacher, double[][] w) {
    int d = teacher.d();
    int m = Dense.cols(w);
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        BigDecimal e = BigDecimal.ZERO;
        for (int c = 0; c < m; c++) {
          e = e.add(new BigDecimal(w[i][c]).multiply(new BigDecimal(w[k][c])));
        }
        for (int j = 0; j < teacher.r(); j++) {
          e = e.subtract(new BigDecimal(teacher.lambda()[j])
              .multiply(new BigDecimal(teacher.theta()[i][j])).multiply(new BigDecimal(teacher.theta()[k][j])));
        }
        sum = sum.add(e.multiply(e));
      }
    }
    return 2.0 * sum.doubleValue();
  }

  @Test
  void overlapFormulaKeepsRelativePrecisionAtTinyRisk() {
    // W = Theta diag(sqrt lambda) + 1e-9 E: M - A ~ 1e-9, R ~ 1e-18 while every O(1) term is ~1
    long seed = 20_261_128L;
    System.out.println("tiny-risk instance seed " + seed);
    Instance inst = RandomInstances.withShape(10, 4, 4, 1.0, 1.0, seed);
    Teacher teacher = inst.teacher();
    RandomGenerator rng = Seeds.generator(seed, "tiny-risk-perturbation");
    double[][] w = new double[10][4];
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 4; j++) {
        w[i][j] = Math.sqrt(teacher.lambda()[j]) * teacher.theta()[i][j] + 1e-9 * rng.nextGaussian();
      }
    }
    double exact = exactRisk(teacher, w);
    double overlap = Risk.ofStudent(teacher, w);
    // the textbook expansion tr G^2 - 2 tr(Q^T Lambda Q) + sum lambda^2, cancelling O(1) terms to ~1e-18
    double[][] q = teacher.overlaps(w);
    double[][] g = Linalg.multTransA(w, w);
    double naive = Dense.frobeniusInner(g, g) - 2.0 * Dense.frobeniusInner(q, Dense.scaleRows(teacher.lambda(), q))
        + teacher.frobeniusNormSquared();
    naive *= 2.0;
    double overlapRel = Math.abs(overlap - exact) / exact;
    double naiveRel = Math.abs(naive - exact) / exact;
    System.out.printf(Locale.ROOT, "tiny risk: exact %.6g, overlap formula rel. error %.3g, naive expansion %.3g (rel. error %.3g)%n",
        exact, overlapRel, naive, naiveRel);
    assertThat(exact).as("the risk is tiny").isBetween(1e-19, 1e-15);
    // 1e-6: Q = Theta^T W is rounded at eps |Q| ~ 1e-16 absolute, so the 1e-9 entries of Q Q^T - Lambda carry
    // a relative 1e-7 error (and Theta^T Theta = I only to ~1e-16): R, their sum of squares, to ~2e-7
    assertThat(overlapRel).isLessThanOrEqualTo(1e-6);
    // the naive expansion is left with its O(eps) cancellation error ~1e-16, a hundred times R itself
    assertThat(naiveRel).isGreaterThan(1e-2);
  }

  @Test
  void zeroStudentHasNormalisedRiskOne() {
    for (int r : new int[] {1, 3, 7}) {
      Teacher teacher = Teacher.of(ModelSpec.of(9, r, 2, 1.3, 0.5, 7L));
      double risk = Risk.ofStudent(teacher, new double[9][2]);
      // l2 normalisation: |A|_F^2 = 1, so R(0) = 2 |A|_F^2 = 2 and the normalised risk is exactly 1 up to
      // the r-term sums of lambda^2 (a few eps)
      assertThat(Math.abs(risk - 2.0)).as("R(0), r=%d", r).isLessThanOrEqualTo(8 * r * EPS);
      assertThat(Math.abs(Risk.normalised(risk, teacher) - 1.0)).as("normalised R(0), r=%d", r)
          .isLessThanOrEqualTo(8 * r * EPS);
      assertThat(Risk.fromMatrices(Dense.zeros(9, 9), teacher.matrixA())).isCloseTo(risk, org.assertj.core.data.Offset.offset(8 * r * EPS));
    }
  }
}
