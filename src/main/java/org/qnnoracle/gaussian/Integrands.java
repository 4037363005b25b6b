package org.qnnoracle.gaussian;

import java.math.BigInteger;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.model.Hermite;

/**
 * The integrands of the Gaussian identities, written once over any {@link PolynomialRing}: expanded into
 * exact polynomials by the Java engine, into Symja expressions by the Symja route. They are built from
 * the definitions (the model's f, f*, labels, and the SGD step itself), never from a closed form.
 *
 * <p>Variable layout for b samples in dimension d: sample i (0-based) is x_i = (g_{i d}, ...,
 * g_{i d + d - 1}); its label noise is eps_i = s g_{b d + i}.
 */
public final class Integrands {
  private Integrands() {}

  /** The d x 1 column of variables of sample i. */
  public static <P> RingMatrix<P> sample(PolynomialRing<P> ring, int d, int i) {
    return RingMatrix.build(d, 1, (k, c) -> ring.variable(i * d + k));
  }

  /** The label noise eps_i = s g_{b d + i} of sample i of a batch of b. */
  public static <P> P labelNoise(PolynomialRing<P> ring, P s, int d, int batch, int i) {
    return ring.multiply(s, ring.variable(batch * d + i));
  }

  /** x^T S x - tr S: the centred quadratic form, f for S = M and f* for S = A. */
  public static <P> P centredQuadratic(RingMatrices<P> alg, RingMatrix<P> s, RingMatrix<P> x) {
    P q = alg.multiply(alg.transpose(x), alg.multiply(s, x)).get(0, 0);
    return alg.minus(q, alg.trace(s));
  }

  /** Q(x) = x x^T - I. */
  public static <P> RingMatrix<P> centredOuter(RingMatrices<P> alg, RingMatrix<P> x) {
    return alg.subtract(alg.multiply(x, alg.transpose(x)), alg.identity(x.rows()));
  }

  /** He_k(z) from the exact integer coefficients of {@link Hermite#coefficients}. */
  public static <P> P hermite(Ring<P> ring, int k, P z) {
    BigInteger[] c = Hermite.coefficients(k);
    P result = ring.zero();
    P power = ring.one();
    for (BigInteger ci : c) {
      result = ring.add(result, ring.multiply(ring.fromRational(new BigFraction(ci)), power));
      power = ring.multiply(power, z);
    }
    return result;
  }

  /** He_j(z) He_k(z) for z = g_0. */
  public static <P> P hermiteProduct(PolynomialRing<P> ring, int j, int k) {
    P z = ring.variable(0);
    return ring.multiply(hermite(ring, j, z), hermite(ring, k, z));
  }

  /** He2(&lt;u,x&gt;) He2(&lt;v,x&gt;). */
  public static <P> P he2Pair(RingMatrices<P> alg, RingMatrix<P> u, RingMatrix<P> v) {
    PolynomialRing<P> ring = polynomialRing(alg);
    RingMatrix<P> x = sample(ring, u.rows(), 0);
    P ux = alg.frobeniusInner(u, x);
    P vx = alg.frobeniusInner(v, x);
    return ring.multiply(hermite(ring, 2, ux), hermite(ring, 2, vx));
  }

  /** (f - f*)^2 with f = x^T M x - tr M, f* = x^T A x - tr A. */
  public static <P> P squaredError(RingMatrices<P> alg, RingMatrix<P> m, RingMatrix<P> teacher) {
    RingMatrix<P> x = sample(polynomialRing(alg), m.rows(), 0);
    P e = alg.minus(centredQuadratic(alg, m, x), centredQuadratic(alg, teacher, x));
    return alg.times(e, e);
  }

  /** (x^T B x - tr B) Q(x). */
  public static <P> RingMatrix<P> linearMomentIntegrand(RingMatrices<P> alg, RingMatrix<P> b) {
    RingMatrix<P> x = sample(polynomialRing(alg), b.rows(), 0);
    return alg.scale(centredQuadratic(alg, b, x), centredOuter(alg, x));
  }

  /** (f - y) grad_W f = (f - f* - eps) 2 Q(x) W, with M = W W^T and eps = s g_d. */
  public static <P> RingMatrix<P> gradientIntegrand(RingMatrices<P> alg, RingMatrix<P> w,
      RingMatrix<P> teacher, P s) {
    PolynomialRing<P> ring = polynomialRing(alg);
    int d = w.rows();
    RingMatrix<P> x = sample(ring, d, 0);
    P e = residual(alg, w, teacher, x, labelNoise(ring, s, d, 1, 0));
    return alg.scale(alg.times(ring.integer(2), e), alg.multiply(centredOuter(alg, x), w));
  }

  /** (x^T B x - tr B - eps)^2 Q(x) M Q(x), eps = s g_d: T(B, M) at s = 0 and T'(B, M) otherwise. */
  public static <P> RingMatrix<P> noiseMomentIntegrand(RingMatrices<P> alg, RingMatrix<P> b,
      RingMatrix<P> m, P s) {
    PolynomialRing<P> ring = polynomialRing(alg);
    int d = b.rows();
    RingMatrix<P> x = sample(ring, d, 0);
    P e = alg.minus(centredQuadratic(alg, b, x), labelNoise(ring, s, d, 1, 0));
    RingMatrix<P> qx = centredOuter(alg, x);
    return alg.scale(alg.times(e, e), alg.multiply(qx, alg.multiply(m, qx)));
  }

  /**
   * One online-SGD step from W on b fresh samples, straight from the definition:
   * W' = W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W with e_i = f(x_i; W) - y_i, y_i = f*(x_i) + eps_i.
   */
  public static <P> RingMatrix<P> sgdStep(RingMatrices<P> alg, RingMatrix<P> w, RingMatrix<P> teacher,
      P eta, int batch, P s) {
    PolynomialRing<P> ring = polynomialRing(alg);
    int d = w.rows();
    RingMatrix<P> sum = alg.scale(ring.zero(), alg.identity(d));
    for (int i = 0; i < batch; i++) {
      RingMatrix<P> x = sample(ring, d, i);
      P e = residual(alg, w, teacher, x, labelNoise(ring, s, d, batch, i));
      sum = alg.add(sum, alg.scale(e, centredOuter(alg, x)));
    }
    P step = ring.multiply(ring.multiply(ring.integer(-2), eta), ring.fraction(1, batch));
    return alg.add(w, alg.scale(step, alg.multiply(sum, w)));
  }

  /**
   * The step operator P = I - (2 eta / b) sum_i e_i Q(x_i), with the residuals e_i computed from M alone
   * (e_i = x_i^T (M - A) x_i - tr(M - A) - eps_i): one step is W' = P W, hence M' = P M P, so M is a
   * Markov chain on its own. Same variable layout as {@link #sgdStep}.
   */
  public static <P> RingMatrix<P> stepOperator(RingMatrices<P> alg, RingMatrix<P> m, RingMatrix<P> teacher,
      P eta, int batch, P s) {
    PolynomialRing<P> ring = polynomialRing(alg);
    int d = m.rows();
    RingMatrix<P> b = alg.subtract(m, teacher);
    RingMatrix<P> sum = alg.scale(ring.zero(), alg.identity(d));
    for (int i = 0; i < batch; i++) {
      RingMatrix<P> x = sample(ring, d, i);
      P e = alg.minus(centredQuadratic(alg, b, x), labelNoise(ring, s, d, batch, i));
      sum = alg.add(sum, alg.scale(e, centredOuter(alg, x)));
    }
    P step = ring.multiply(ring.multiply(ring.integer(-2), eta), ring.fraction(1, batch));
    return alg.add(alg.identity(d), alg.scale(step, sum));
  }

  /** e = f(x; W) - f*(x) - eps. */
  private static <P> P residual(RingMatrices<P> alg, RingMatrix<P> w, RingMatrix<P> teacher,
      RingMatrix<P> x, P eps) {
    RingMatrix<P> m = alg.multiply(w, alg.transpose(w));
    P f = centredQuadratic(alg, m, x);
    P fStar = centredQuadratic(alg, teacher, x);
    return alg.minus(alg.minus(f, fStar), eps);
  }

  private static <P> PolynomialRing<P> polynomialRing(RingMatrices<P> alg) {
    if (alg.ring() instanceof PolynomialRing<P> p) {
      return p;
    }
    throw new IllegalArgumentException("integrands need a polynomial ring, got " + alg.ring());
  }
}
