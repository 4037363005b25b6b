package org.qnnoracle.experiments;

import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.gaussian.GaussianPolynomial;
import org.qnnoracle.gaussian.IdentityCase;
import org.qnnoracle.gaussian.Integrands;
import org.qnnoracle.gaussian.RingMatrices;
import org.qnnoracle.gaussian.RingMatrix;

/**
 * The algebra of one SGD step (proofs-notes/gaussian-moments.md, section 6.1, "The step is a congruence
 * of M"), checked as an identity of polynomials in the samples and the label noise, so for every
 * realisation at once: W' = P W with P built from M = W W^T alone ({@link Integrands#stepOperator}),
 * hence M' = P M P. A check (equal or not), so it lives with the experiments; the step and P are computed
 * by {@link Integrands}.
 */
public final class SgdStepAlgebra {
  private SgdStepAlgebra() {}

  /**
   * True when, on the rational case c (inputs W and A, the first step size, c's batch and noise), the
   * step of {@link Integrands#sgdStep} equals P W and W'W'^T equals P M P, as exact polynomials.
   */
  public static boolean isMarkovInM(IdentityCase<BigFraction> c) {
    return isMarkovInM(c, c.etas().get(0));
  }

  /** As {@link #isMarkovInM(IdentityCase)}, with P built at the step size {@code etaOfP} (for controls). */
  public static boolean isMarkovInM(IdentityCase<BigFraction> c, BigFraction etaOfP) {
    RingMatrices<GaussianPolynomial> alg = new RingMatrices<>(GaussianPolynomial.RING);
    IdentityCase<GaussianPolynomial> p = c.map(GaussianPolynomial::constant);
    RingMatrix<GaussianPolynomial> w = p.input("W");
    RingMatrix<GaussianPolynomial> m = alg.multiply(w, alg.transpose(w));
    RingMatrix<GaussianPolynomial> w1 =
        Integrands.sgdStep(alg, w, p.input("A"), p.etas().get(0), p.batch(), p.noise());
    RingMatrix<GaussianPolynomial> step = Integrands.stepOperator(alg, m, p.input("A"),
        GaussianPolynomial.constant(etaOfP), p.batch(), p.noise());
    return w1.equals(alg.multiply(step, w))
        && alg.multiply(w1, alg.transpose(w1)).equals(alg.multiply(step, alg.multiply(m, step)));
  }
}
