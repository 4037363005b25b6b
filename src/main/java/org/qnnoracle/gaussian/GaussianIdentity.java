package org.qnnoracle.gaussian;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.hipparchus.fraction.BigFraction;

/**
 * The Gaussian identities of proofs-notes/gaussian-moments.md. Each one knows how to draw a random
 * rational instance, its integrands (from the definitions, {@link Integrands}) and its closed forms
 * ({@link GaussianFormulas}); the two exact engines (Java Wick, Symja) take expectations of the same
 * integrands independently, and a Monte Carlo route samples them in doubles.
 */
public enum GaussianIdentity {
  HERMITE("hermite", "E[He_j(z) He_k(z)] = k! delta_jk, for 0 <= j, k <= " + GaussianIdentity.HERMITE_MAX,
      "the (j, k) entry is He_j He_k with He_k from its exact integer recurrence"),
  HE2_PAIR("he2-pair", "E[He2(<u,x>) He2(<v,x>)] = 2 <u,v>^2 + (|u|^2 - 1)(|v|^2 - 1)",
      "u, v arbitrary vectors (not unit), so both terms are exercised"),
  RISK("risk", "E[(f - f*)^2] = 2 |M - A|_F^2",
      "f = x^T M x - tr M, f* = x^T A x - tr A for symmetric M, A"),
  LINEAR_MOMENT("linear-moment", "E[(x^T B x - tr B) Q(x)] = 2 B",
      "Q(x) = x x^T - I, B symmetric"),
  GRADIENT("gradient", "E[(f - y) grad_W f] = 4 (M - A) W, grad_W f = 2 Q(x) W",
      "y = f* + eps with eps ~ N(0, s^2), M = W W^T"),
  NOISE_MOMENT("noise-moment", "T(B, M) = E[(x^T B x - tr B)^2 Q M Q] = 2 tr(B^2) tr(M) I + 8 tr(B^2 M) I "
      + "+ 2 tr(B^2) M + 8 tr(BM) B + 8 tr(M) B^2 + 16 BMB + 8 (B^2 M + M B^2)",
      "B, M symmetric (M not required to be PSD: the identity is polynomial in the entries)"),
  LABELLED_NOISE_MOMENT("labelled-noise-moment",
      "T'(B, M) = E[(x^T B x - tr B - eps)^2 Q M Q] = T(B, M) + s^2 (M + tr(M) I)",
      "eps ~ N(0, s^2) independent of x"),
  STEP_DRIFT("step-drift", "E[M' - M | M] = -4 eta (BM + MB) + 4 eta^2 [T'(B, M)/b + (1 - 1/b) 4 BMB]",
      "M' = W'W'^T after one online-SGD step on b fresh samples from W; checked at two step sizes, "
          + "which fixes both coefficients of the quadratic in eta"),
  OVERLAP_DRIFT("overlap-drift", "E[Q' - Q] = -4 eta (QG - Lambda Q), E[G' - G] = -8 eta (G^2 - Q^T Lambda Q) "
      + "+ 4 eta^2 [W^T T'(B, I) W / b + (1 - 1/b) 4 W^T B^2 W], the bracket written in (Q, G)",
      "Q = Theta^T W, G = W^T W, A = Theta Lambda Theta^T with Theta an exactly orthonormal rational "
          + "frame (Cayley transform)");

  /** Largest Hermite index of the HERMITE identity: degree 2 * 6 = 12 in one variable. */
  public static final int HERMITE_MAX = 6;

  private final String cliName;
  private final String statement;
  private final String instanceNote;

  GaussianIdentity(String cliName, String statement, String instanceNote) {
    this.cliName = cliName;
    this.statement = statement;
    this.instanceNote = instanceNote;
  }

  /** The name used by {@code derive --identity}. */
  public String cliName() {
    return cliName;
  }

  public String statement() {
    return statement;
  }

  public String instanceNote() {
    return instanceNote;
  }

  /** Number of Gaussian variables the integrand uses at dimension d and batch b. */
  public int variables(int d, int batch) {
    return switch (this) {
      case HERMITE -> 1;
      case HE2_PAIR, RISK, LINEAR_MOMENT, NOISE_MOMENT -> d;
      case GRADIENT, LABELLED_NOISE_MOMENT -> d + 1;
      case STEP_DRIFT, OVERLAP_DRIFT -> batch * (d + 1);
    };
  }

  /** True for the identities whose integrand contains the label noise eps ~ N(0, s^2). */
  public boolean usesNoise() {
    return this == GRADIENT || this == LABELLED_NOISE_MOMENT || this == STEP_DRIFT || this == OVERLAP_DRIFT;
  }

  /** True for the one-step drifts, which depend on the batch size b. */
  public boolean usesBatch() {
    return this == STEP_DRIFT || this == OVERLAP_DRIFT;
  }

  public static GaussianIdentity byCliName(String name) {
    for (GaussianIdentity g : values()) {
      if (g.cliName.equals(name)) {
        return g;
      }
    }
    return null;
  }

  /**
   * A random rational instance at dimension d with the given batch size (used only by the drifts) and
   * noise switched on or off. Student widths and teacher ranks vary with d so that m < r, m = r and
   * m > r all occur across d = 1..4.
   */
  public IdentityCase<BigFraction> draw(RandomGenerator rng, int d, int batch, boolean withNoise) {
    Map<String, RingMatrix<BigFraction>> in = new LinkedHashMap<>();
    BigFraction s = withNoise ? new BigFraction(1 + rng.nextInt(3), 1 + rng.nextInt(3)) : BigFraction.ZERO;
    List<BigFraction> etas = List.of();
    int m = 1 + rng.nextInt(Math.min(d, 3));
    switch (this) {
      case HERMITE -> { }
      case HE2_PAIR -> {
        in.put("u", Rationals.randomMatrix(rng, d, 1));
        in.put("v", Rationals.randomMatrix(rng, d, 1));
      }
      case RISK -> {
        in.put("M", Rationals.randomSymmetric(rng, d));
        in.put("A", Rationals.randomSymmetric(rng, d));
      }
      case LINEAR_MOMENT -> in.put("B", Rationals.randomSymmetric(rng, d));
      case GRADIENT, STEP_DRIFT -> {
        in.put("W", Rationals.randomMatrix(rng, d, m));
        in.put("A", Rationals.randomSymmetric(rng, d));
      }
      case NOISE_MOMENT, LABELLED_NOISE_MOMENT -> {
        in.put("B", Rationals.randomSymmetric(rng, d));
        in.put("M", Rationals.randomSymmetric(rng, d));
      }
      case OVERLAP_DRIFT -> {
        int r = 1 + rng.nextInt(d);
        in.put("W", Rationals.randomMatrix(rng, d, m));
        in.put("Theta", Rationals.randomOrthonormalColumns(rng, d, r));
        BigFraction[] lambda = new BigFraction[r];
        for (int j = 0; j < r; j++) {
          lambda[j] = new BigFraction(1 + rng.nextInt(6), 1 + rng.nextInt(4));
        }
        in.put("Lambda", Rationals.diagonal(lambda));
      }
    }
    if (this == STEP_DRIFT || this == OVERLAP_DRIFT) {
      // 1/k with k in 2..6 and 2/k with k odd in 7..11 are never equal, so two distinct step sizes pin both
      // coefficients of the quadratic in eta.
      etas = List.of(new BigFraction(1, 2 + rng.nextInt(5)), new BigFraction(2, 7 + 2 * rng.nextInt(3)));
    }
    int b = (this == STEP_DRIFT || this == OVERLAP_DRIFT) ? batch : 1;
    return new IdentityCase<>(d, b, in, etas, s);
  }

  /** The integrands, by output name, over any polynomial ring. */
  public <P> Map<String, RingMatrix<P>> integrands(RingMatrices<P> alg, IdentityCase<P> c) {
    Map<String, RingMatrix<P>> out = new LinkedHashMap<>();
    PolynomialRing<P> ring = (PolynomialRing<P>) alg.ring();
    switch (this) {
      case HERMITE -> out.put("E[He_j He_k]", RingMatrix.build(HERMITE_MAX + 1, HERMITE_MAX + 1,
          (j, k) -> Integrands.hermiteProduct(ring, j, k)));
      case HE2_PAIR -> out.put("E[He2 He2]", scalar(Integrands.he2Pair(alg, c.input("u"), c.input("v"))));
      case RISK -> out.put("E[(f - f*)^2]", scalar(Integrands.squaredError(alg, c.input("M"), c.input("A"))));
      case LINEAR_MOMENT -> out.put("E[(x^T B x - tr B) Q(x)]", Integrands.linearMomentIntegrand(alg, c.input("B")));
      case GRADIENT -> out.put("E[(f - y) grad_W f]",
          Integrands.gradientIntegrand(alg, c.input("W"), c.input("A"), c.noise()));
      case NOISE_MOMENT -> out.put("T(B, M)",
          Integrands.noiseMomentIntegrand(alg, c.input("B"), c.input("M"), ring.zero()));
      case LABELLED_NOISE_MOMENT -> out.put("T'(B, M)",
          Integrands.noiseMomentIntegrand(alg, c.input("B"), c.input("M"), c.noise()));
      case STEP_DRIFT -> {
        RingMatrix<P> w = c.input("W");
        RingMatrix<P> m = alg.multiply(w, alg.transpose(w));
        for (int i = 0; i < c.etas().size(); i++) {
          RingMatrix<P> w1 = Integrands.sgdStep(alg, w, c.input("A"), c.etas().get(i), c.batch(), c.noise());
          out.put("E[M' - M] at eta_" + (i + 1), alg.subtract(alg.multiply(w1, alg.transpose(w1)), m));
        }
      }
      case OVERLAP_DRIFT -> {
        RingMatrix<P> w = c.input("W");
        RingMatrix<P> theta = c.input("Theta");
        RingMatrix<P> teacher = alg.multiply(theta, alg.multiply(c.input("Lambda"), alg.transpose(theta)));
        for (int i = 0; i < c.etas().size(); i++) {
          RingMatrix<P> w1 = Integrands.sgdStep(alg, w, teacher, c.etas().get(i), c.batch(), c.noise());
          RingMatrix<P> dw = alg.subtract(w1, w);
          out.put("E[Q' - Q] at eta_" + (i + 1), alg.multiply(alg.transpose(theta), dw));
          out.put("E[G' - G] at eta_" + (i + 1), alg.subtract(alg.multiply(alg.transpose(w1), w1),
              alg.multiply(alg.transpose(w), w)));
        }
      }
    }
    return out;
  }

  /** The closed forms, by the same output names, over any ring. */
  public <P> Map<String, RingMatrix<P>> closedForms(RingMatrices<P> a, IdentityCase<P> c) {
    Map<String, RingMatrix<P>> out = new LinkedHashMap<>();
    Ring<P> ring = a.ring();
    switch (this) {
      case HERMITE -> out.put("E[He_j He_k]", RingMatrix.build(HERMITE_MAX + 1, HERMITE_MAX + 1,
          (j, k) -> ring.fromRational(new BigFraction(GaussianFormulas.hermiteInnerProduct(j, k)))));
      case HE2_PAIR -> out.put("E[He2 He2]", scalar(GaussianFormulas.he2PairMoment(a, c.input("u"), c.input("v"))));
      case RISK -> out.put("E[(f - f*)^2]", scalar(GaussianFormulas.riskMoment(a, c.input("M"), c.input("A"))));
      case LINEAR_MOMENT -> out.put("E[(x^T B x - tr B) Q(x)]", GaussianFormulas.linearMoment(a, c.input("B")));
      case GRADIENT -> out.put("E[(f - y) grad_W f]",
          GaussianFormulas.populationGradient(a, c.input("W"), c.input("A")));
      case NOISE_MOMENT -> out.put("T(B, M)", GaussianFormulas.noiseMoment(a, c.input("B"), c.input("M")));
      case LABELLED_NOISE_MOMENT -> out.put("T'(B, M)", GaussianFormulas.labelledNoiseMoment(
          a, c.input("B"), c.input("M"), ring.multiply(c.noise(), c.noise())));
      case STEP_DRIFT -> {
        RingMatrix<P> w = c.input("W");
        RingMatrix<P> m = a.multiply(w, a.transpose(w));
        for (int i = 0; i < c.etas().size(); i++) {
          out.put("E[M' - M] at eta_" + (i + 1), GaussianFormulas.stepDriftOfM(a, m, c.input("A"),
              c.etas().get(i), c.batch(), ring.multiply(c.noise(), c.noise())));
        }
      }
      case OVERLAP_DRIFT -> {
        RingMatrix<P> w = c.input("W");
        RingMatrix<P> q = a.multiply(a.transpose(c.input("Theta")), w);
        RingMatrix<P> g = a.multiply(a.transpose(w), w);
        RingMatrix<P> lambda = c.input("Lambda");
        for (int i = 0; i < c.etas().size(); i++) {
          P eta = c.etas().get(i);
          out.put("E[Q' - Q] at eta_" + (i + 1), GaussianFormulas.stepDriftOfOverlap(a, q, g, lambda, eta));
          out.put("E[G' - G] at eta_" + (i + 1), GaussianFormulas.stepDriftOfGram(a, q, g, lambda, c.d(),
              eta, c.batch(), ring.multiply(c.noise(), c.noise())));
        }
      }
    }
    return out;
  }

  /** Expectations of the integrands by the Java Wick engine, exactly. */
  public Map<String, RingMatrix<BigFraction>> wickExpectations(IdentityCase<BigFraction> c) {
    RingMatrices<GaussianPolynomial> alg = new RingMatrices<>(GaussianPolynomial.RING);
    Map<String, RingMatrix<BigFraction>> out = new LinkedHashMap<>();
    integrands(alg, c.map(GaussianPolynomial::constant))
        .forEach((k, v) -> out.put(k, v.map(GaussianPolynomial::expectation)));
    return out;
  }

  /** Closed forms in exact rationals. */
  public Map<String, RingMatrix<BigFraction>> exactClosedForms(IdentityCase<BigFraction> c) {
    return closedForms(Rationals.MATRICES, c);
  }

  private static <P> RingMatrix<P> scalar(P p) {
    return RingMatrix.build(1, 1, (i, j) -> p);
  }
}
