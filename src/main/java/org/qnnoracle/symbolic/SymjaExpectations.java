package org.qnnoracle.symbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hipparchus.fraction.BigFraction;
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.gaussian.IdentityCase;
import org.qnnoracle.gaussian.RingMatrices;
import org.qnnoracle.gaussian.RingMatrix;
import org.qnnoracle.symbolic.SymjaSession.SymbolicException;

/**
 * The Symja exact route: a second exact engine for the Gaussian expectations of
 * {@link GaussianIdentity}, independent of the Java Wick engine ({@code GaussianPolynomial}). The same
 * generic integrands are printed as Symja input by {@link SymjaRing}; Symja expands each entry into
 * monomials in g_0, g_1, ... and every monomial is replaced by its moment, E[g^e] = (e - 1)!! for even e
 * and 0 for odd e (independent standard normals, so the moment of a monomial is the product of the
 * one-dimensional moments). All expansion and moment arithmetic happens inside Symja; Java only builds
 * the strings and reads back the result.
 *
 * <p>Two moment substitutions are available ({@link MomentRule}): replacing the powers g_i^k by
 * rules on the expanded polynomial (the default: measured 2 to 4 times faster on the largest entries),
 * and the CoefficientRules form. Both run inside Symja and agree; the tests check that they do.
 *
 * <p>The HERMITE identity does not use the Java Hermite recurrence: He_k is built from Symja's
 * physicists' HermiteH as He_k(z) = 2^(-k/2) H_k(z / sqrt 2), checked to expand to a polynomial with
 * rational coefficients.
 *
 * <p>Three uses: {@link #expectations} (exact values on a rational instance), {@link #agree} (those
 * values against the Java engine, exactly), and {@link #prove} (the identity as a polynomial identity in
 * the symbolic entries of the instance at a fixed dimension: E[integrand] - closed form expands to 0).
 */
public final class SymjaExpectations {

  /** How the monomials of the expanded integrand are replaced by their Gaussian moments, in Symja. */
  public enum MomentRule {
    /** {@code Expand(p) /. {g0^k_Integer :> If(OddQ(k), 0, Factorial2(k - 1)), g0 -> 0, ...}}. */
    REPLACE_POWERS,
    /**
     * {@code Total(Map(Function(r, r[[2]] * Times @@ Map(Function(e, If(OddQ(e), 0,
     * Factorial2(e - 1))), r[[1]])), CoefficientRules(Expand(p), {g0, ...})))}.
     */
    COEFFICIENT_RULES
  }

  /** Outcome of a symbolic proof of one identity at one dimension and batch. */
  public record SymbolicProof(GaussianIdentity identity, int d, int batch, boolean withNoise,
      boolean holds, int entriesChecked, long millis, String detail) {}

  /** Outcome of comparing the Java Wick engine with the Symja route on one rational instance. */
  public record AgreementResult(boolean agrees, int entriesCompared, long javaMillis, long symjaMillis,
      String detail) {}

  /** Name of the Symja function of the COEFFICIENT_RULES moment substitution. */
  private static final String COEFFICIENT_MOMENTS = "qnnCoefficientMoments";

  private static final Map<Integer, List<BigFraction>> HERMITE_CACHE = new ConcurrentHashMap<>();

  private final SymjaSession session;
  private final SymjaRing ring = SymjaRing.INSTANCE;
  private final RingMatrices<String> alg = new RingMatrices<>(SymjaRing.INSTANCE);
  private final MomentRule momentRule;
  private boolean coefficientMomentsDefined;

  /** The Symja route on the JVM's one Symja session with the default moment rule. */
  public SymjaExpectations() {
    this(MomentRule.REPLACE_POWERS);
  }

  public SymjaExpectations(MomentRule momentRule) {
    this.session = SymjaSession.get();
    this.momentRule = momentRule;
  }

  public MomentRule momentRule() {
    return momentRule;
  }

  // ---------------------------------------------------------------------------------------------
  // Expectations on rational instances
  // ---------------------------------------------------------------------------------------------

  /**
   * The Gaussian expectation of every entry of every integrand of g on the rational instance c,
   * computed in Symja; keyed and shaped as {@link GaussianIdentity#wickExpectations}.
   *
   * @throws SymbolicException if Symja does not reduce an entry to an exact rational
   */
  public Map<String, RingMatrix<BigFraction>> expectations(GaussianIdentity g,
      IdentityCase<BigFraction> c) {
    Map<String, RingMatrix<String>> integrands = integrands(g, c.map(ring::fromRational));
    int variables = g.variables(c.d(), c.batch());
    Map<String, RingMatrix<BigFraction>> out = new LinkedHashMap<>();
    integrands.forEach((name, m) -> out.put(name,
        m.map(entry -> session.evalRational(expectationInput(entry, variables)))));
    return out;
  }

  /**
   * The integrands of g over Symja strings: {@link GaussianIdentity#integrands} for every identity but
   * HERMITE, whose He_j(g0) He_k(g0) entries are built from Symja's HermiteH ({@link #hermite}).
   */
  public Map<String, RingMatrix<String>> integrands(GaussianIdentity g, IdentityCase<String> c) {
    if (g != GaussianIdentity.HERMITE) {
      return g.integrands(alg, c);
    }
    // the Java integrands name the one output; reuse the name so the maps line up entry for entry
    String name = g.integrands(alg, c).keySet().iterator().next();
    int n = GaussianIdentity.HERMITE_MAX + 1;
    List<String> he = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      he.add(hermite(k, ring.variable(0)));
    }
    Map<String, RingMatrix<String>> out = new LinkedHashMap<>();
    out.put(name, RingMatrix.build(n, n, (j, k) -> ring.multiply(he.get(j), he.get(k))));
    return out;
  }

  /**
   * The Symja input whose value is E[p] for p a polynomial in g0 ... g(variables - 1), with the
   * configured {@link MomentRule}.
   */
  public String expectationInput(String p, int variables) {
    return switch (momentRule) {
      case REPLACE_POWERS -> "(Expand(" + p + ") /. " + momentRules(variables) + ")";
      case COEFFICIENT_RULES -> {
        defineCoefficientMoments();
        yield COEFFICIENT_MOMENTS + "(Expand(" + p + "), " + ring.variableList(variables) + ")";
      }
    };
  }

  /** The rule list replacing g_i^k by (k - 1)!! (k even) or 0 (k odd), and a bare g_i by 0. */
  static String momentRules(int variables) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < variables; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("g").append(i).append("^k_Integer :> If(OddQ(k), 0, Factorial2(k - 1)), g").append(i)
          .append(" -> 0");
    }
    return sb.append('}').toString();
  }

  private void defineCoefficientMoments() {
    synchronized (session) {
      if (!coefficientMomentsDefined) {
        session.eval(COEFFICIENT_MOMENTS + "(p_, v_) := Total(Map(Function(r, r[[2]]*Times @@ "
            + "Map(Function(e, If(OddQ(e), 0, Factorial2(e - 1))), r[[1]])), CoefficientRules(p, v)))");
        coefficientMomentsDefined = true;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Hermite polynomials from Symja's HermiteH
  // ---------------------------------------------------------------------------------------------

  /**
   * The coefficients of the probabilists' He_k, lowest power first, from Symja's physicists' HermiteH:
   * He_k(z) = 2^(-k/2) HermiteH(k, z / Sqrt(2)), expanded. Independent of the Java recurrence of
   * {@code org.qnnoracle.model.Hermite}.
   *
   * @throws SymbolicException unless the expansion is a polynomial in z of degree k with rational
   *     coefficients
   */
  public static List<BigFraction> hermiteCoefficients(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("Hermite degree must be >= 0, got " + k);
    }
    return HERMITE_CACHE.computeIfAbsent(k, SymjaExpectations::hermiteFromSymja);
  }

  private static List<BigFraction> hermiteFromSymja(int k) {
    SymjaSession s = SymjaSession.get();
    String he = "Expand(2^(-" + k + "/2)*HermiteH(" + k + ", qnnz/Sqrt(2)))";
    synchronized (s) {
      String isPolynomial = s.eval("PolynomialQ(" + he + ", qnnz)");
      if (!"True".equals(isPolynomial)) {
        throw new SymbolicException("2^(-k/2) HermiteH(k, z/Sqrt(2)) at k = " + k
            + " is not a polynomial in z: " + s.evalAbbreviated(he, 300));
      }
      List<BigFraction> c = s.evalRationalList("CoefficientList(" + he + ", qnnz)");
      if (c.size() != k + 1) {
        throw new SymbolicException("He_" + k + " from HermiteH has degree " + (c.size() - 1));
      }
      return List.copyOf(c);
    }
  }

  /** He_k(z) as a Symja string over the ring, from {@link #hermiteCoefficients}. */
  public String hermite(int k, String z) {
    String result = ring.zero();
    String power = ring.one();
    for (BigFraction c : hermiteCoefficients(k)) {
      result = ring.add(result, ring.multiply(ring.fromRational(c), power));
      power = ring.multiply(power, z);
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Agreement with the Java engine
  // ---------------------------------------------------------------------------------------------

  /**
   * The Java Wick engine and this route on the same rational instance: every entry must agree exactly
   * (BigFraction equality). Timings of both engines are reported.
   */
  public AgreementResult agree(GaussianIdentity g, IdentityCase<BigFraction> c) {
    long t0 = System.nanoTime();
    Map<String, RingMatrix<BigFraction>> java = g.wickExpectations(c);
    long t1 = System.nanoTime();
    Map<String, RingMatrix<BigFraction>> symja = expectations(g, c);
    long t2 = System.nanoTime();
    return compare(java, symja, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
  }

  /**
   * Exact comparison of two sets of expectations keyed by output name (the Java engine's first): same
   * names, same shapes, equal entries. The detail names the first difference.
   */
  public static AgreementResult compare(Map<String, RingMatrix<BigFraction>> java,
      Map<String, RingMatrix<BigFraction>> symja, long javaMillis, long symjaMillis) {
    if (!java.keySet().equals(symja.keySet())) {
      return new AgreementResult(false, 0, javaMillis, symjaMillis,
          "outputs differ: java " + java.keySet() + ", symja " + symja.keySet());
    }
    int compared = 0;
    int differing = 0;
    String first = null;
    for (Map.Entry<String, RingMatrix<BigFraction>> e : java.entrySet()) {
      RingMatrix<BigFraction> a = e.getValue();
      RingMatrix<BigFraction> b = symja.get(e.getKey());
      if (a.rows() != b.rows() || a.cols() != b.cols()) {
        return new AgreementResult(false, compared, javaMillis, symjaMillis, e.getKey() + ": shapes differ, "
            + a.rows() + "x" + a.cols() + " and " + b.rows() + "x" + b.cols());
      }
      for (int i = 0; i < a.rows(); i++) {
        for (int j = 0; j < a.cols(); j++) {
          compared++;
          if (!a.get(i, j).equals(b.get(i, j))) {
            differing++;
            if (first == null) {
              first = e.getKey() + " (" + i + ", " + j + "): java " + a.get(i, j) + ", symja "
                  + b.get(i, j);
            }
          }
        }
      }
    }
    String detail = differing == 0
        ? "all " + compared + " entries equal exactly"
        : differing + " of " + compared + " entries differ; first " + first;
    return new AgreementResult(differing == 0, compared, javaMillis, symjaMillis, detail);
  }

  // ---------------------------------------------------------------------------------------------
  // Symbolic proofs
  // ---------------------------------------------------------------------------------------------

  /**
   * Whether {@link #prove}(g, d, batch, withNoise) on the default symbolic instance is expected to
   * finish in about 10 s or less on one core. Measured with Symja 3.0.0, noise on (noise off is 10 to
   * 30 % faster), whole proof over all entries; the first figure in a JVM where Symja has already run a
   * few proofs (as in the test suite), the second in a fresh JVM (JIT cold). d = 1 is under 0.3 s
   * everywhere; "m = 1" marks the drifts' default student width from d = 3 on.
   *
   * <pre>
   * identity               d=2             d=3                      d=4
   * HERMITE                0.1 s / 0.3 s (no dimension)
   * HE2_PAIR               0.01 / 0.04 s   0.01 / 0.1 s             0.04 / 0.4 s
   * RISK                   0.01 / 0.14 s   0.04 / 0.5 s             0.09 / 0.9 s
   * LINEAR_MOMENT          0.01 / 0.08 s   0.02 / 0.2 s             0.04 / 0.6 s
   * GRADIENT (m = d)       0.03 / 0.4 s    0.2 / 1.4 s              0.7 / 2.8 s
   * NOISE_MOMENT           0.1 / 0.5 s     1.0 / 1.9 s              7.4 / 11.6 s
   * LABELLED_NOISE_MOMENT  0.1 / 0.5 s     1.2 / 2.1 s              8.1 / 10.6 s
   * STEP_DRIFT b=1         1.8 / 5.1 s     4.9 / 7.9 s (m=1)        32 / 41 s (m=1)   not feasible
   * STEP_DRIFT b=2         6.6 / 7.9 s     21 / 28 s (m=1)          not feasible
   * OVERLAP_DRIFT b=1      1.5 / 2.5 s     0.9 / 3.4 s (m=1)        3.5 / 7.0 s (m=1)
   * OVERLAP_DRIFT b=2      5.4 / 10.0 s    3.2 / 5.0 s (m=1)        14 / 19 s (m=1)   not feasible
   * </pre>
   *
   * At d = 3 with m = d the drifts take over a minute (OVERLAP_DRIFT b=1, m = r = 3: 56 s warm); with
   * m = 2, STEP_DRIFT b=1 takes 24 s and OVERLAP_DRIFT b=1 (r = 2) 9.6 s warm, 14.5 s cold; hence the
   * narrower default student there.
   */
  public static boolean symbolicFeasible(GaussianIdentity g, int d, int batch) {
    if (d < 1 || batch < 1) {
      return false;
    }
    return switch (g) {
      case HERMITE -> true;
      case HE2_PAIR, RISK, LINEAR_MOMENT, GRADIENT, NOISE_MOMENT, LABELLED_NOISE_MOMENT -> d <= 4;
      case STEP_DRIFT -> batch == 1 ? d <= 3 : batch == 2 && d <= 2;
      case OVERLAP_DRIFT -> batch == 1 ? d <= 4 : batch == 2 && d <= 3;
    };
  }

  /**
   * Student width m (columns of W) of the default symbolic instance: m = d, except for the drifts from
   * d = 3 on, where m = 1 (m = d there is out of reach: see {@link #symbolicFeasible}).
   */
  public static int defaultStudentWidth(GaussianIdentity g, int d) {
    boolean drift = g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT;
    return drift && d >= 3 ? 1 : d;
  }

  /** Teacher rank r of the default symbolic instance (OVERLAP_DRIFT only): r = d, Theta = I_d. */
  public static int defaultTeacherRank(int d) {
    return d;
  }

  /**
   * The fully symbolic instance of g at dimension d with the default student width and teacher rank
   * ({@link #defaultStudentWidth}, {@link #defaultTeacherRank}).
   */
  public IdentityCase<String> symbolicCase(GaussianIdentity g, int d, int batch, boolean withNoise) {
    return symbolicCase(g, d, batch, withNoise, defaultStudentWidth(g, d), defaultTeacherRank(d));
  }

  /**
   * The fully symbolic instance of g: every input entry a free symbol. Symmetric matrices share the
   * symbol of (i, j) and (j, i), named with i <= j (b01 is both B[0][1] and B[1][0]); general matrices
   * (W, d x m) have an independent symbol per entry (w01 = W[0][1]); vectors u0, u1, ...; Lambda is
   * diagonal with symbols lam0, lam1, .... For OVERLAP_DRIFT the frame Theta must be orthonormal for the
   * closed form to hold, so it is not symbolic: Theta is the first r columns of the identity (the teacher
   * along the coordinate axes, A = diag(lam0, ..., lam(r-1), 0, ...)); by the rotation invariance of the
   * Gaussian this is no loss for the Theta-dependence, but the proof is of that instance. One symbolic
   * step size {@code eta} (the closed forms are polynomials in eta, so one symbol covers every step
   * size); the noise standard deviation is the symbol {@code sd}, or 0 without noise.
   *
   * @param m student width (columns of W; GRADIENT, STEP_DRIFT, OVERLAP_DRIFT)
   * @param r teacher rank (OVERLAP_DRIFT), 1 <= r <= d
   */
  public IdentityCase<String> symbolicCase(GaussianIdentity g, int d, int batch, boolean withNoise,
      int m, int r) {
    if (d < 1 || d > 9 || m < 1 || m > 9 || r < 1 || r > d || batch < 1) {
      throw new IllegalArgumentException("symbolic instances need 1 <= d, m <= 9, 1 <= r <= d and "
          + "batch >= 1; got d = " + d + ", m = " + m + ", r = " + r + ", batch = " + batch);
    }
    Map<String, RingMatrix<String>> in = new LinkedHashMap<>();
    switch (g) {
      case HERMITE -> { }
      case HE2_PAIR -> {
        in.put("u", RingMatrix.build(d, 1, (i, j) -> ring.symbol("u" + i)));
        in.put("v", RingMatrix.build(d, 1, (i, j) -> ring.symbol("v" + i)));
      }
      case RISK -> {
        in.put("M", symmetric("m", d));
        in.put("A", symmetric("a", d));
      }
      case LINEAR_MOMENT -> in.put("B", symmetric("b", d));
      case GRADIENT, STEP_DRIFT -> {
        in.put("W", general("w", d, m));
        in.put("A", symmetric("a", d));
      }
      case NOISE_MOMENT, LABELLED_NOISE_MOMENT -> {
        in.put("B", symmetric("b", d));
        in.put("M", symmetric("m", d));
      }
      case OVERLAP_DRIFT -> {
        in.put("W", general("w", d, m));
        in.put("Theta", RingMatrix.build(d, r, (i, j) -> i.equals(j) ? ring.one() : ring.zero()));
        in.put("Lambda", RingMatrix.build(r, r,
            (i, j) -> i.equals(j) ? ring.symbol("lam" + i) : ring.zero()));
      }
    }
    boolean drift = g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT;
    List<String> etas = drift ? List.of(ring.symbol("eta")) : List.of();
    String noise = withNoise ? ring.symbol("sd") : ring.zero();
    return new IdentityCase<>(d, drift ? batch : 1, in, etas, noise);
  }

  private RingMatrix<String> symmetric(String prefix, int d) {
    return RingMatrix.build(d, d,
        (i, j) -> ring.symbol(prefix + Math.min(i, j) + Math.max(i, j)));
  }

  private RingMatrix<String> general(String prefix, int rows, int cols) {
    return RingMatrix.build(rows, cols, (i, j) -> ring.symbol(prefix + i + j));
  }

  /**
   * Proves g at dimension d as a polynomial identity in the entries of the default symbolic instance
   * ({@link #symbolicCase(GaussianIdentity, int, int, boolean)}): for every entry,
   * Expand(E[integrand] - closed form) == 0, with the closed forms of {@link GaussianIdentity#closedForms}
   * over Symja strings.
   */
  public SymbolicProof prove(GaussianIdentity g, int d, int batch, boolean withNoise) {
    return check(g, symbolicCase(g, d, batch, withNoise), null);
  }

  /** As {@link #prove(GaussianIdentity, int, int, boolean)} with a given student width and rank. */
  public SymbolicProof prove(GaussianIdentity g, int d, int batch, boolean withNoise, int m, int r) {
    return check(g, symbolicCase(g, d, batch, withNoise, m, r), null);
  }

  /**
   * Checks E[integrand] - claimed == 0 (after Expand) for every entry of the symbolic case c, where
   * claimed are the closed forms to test (null: g's own {@link GaussianIdentity#closedForms}). A claim
   * with a wrong coefficient is reported as not holding, with the first non-zero residual.
   */
  public SymbolicProof check(GaussianIdentity g, IdentityCase<String> c,
      Map<String, RingMatrix<String>> claimed) {
    long t0 = System.nanoTime();
    Map<String, RingMatrix<String>> closed = claimed != null ? claimed : g.closedForms(alg, c);
    Map<String, RingMatrix<String>> integrands = integrands(g, c);
    boolean withNoise = !ring.zero().equals(c.noise());
    if (!integrands.keySet().equals(closed.keySet())) {
      return new SymbolicProof(g, c.d(), c.batch(), withNoise, false, 0, millisSince(t0),
          "outputs differ: integrands " + integrands.keySet() + ", closed forms " + closed.keySet());
    }
    int variables = g.variables(c.d(), c.batch());
    int checked = 0;
    for (Map.Entry<String, RingMatrix<String>> e : integrands.entrySet()) {
      RingMatrix<String> p = e.getValue();
      RingMatrix<String> q = closed.get(e.getKey());
      if (p.rows() != q.rows() || p.cols() != q.cols()) {
        return new SymbolicProof(g, c.d(), c.batch(), withNoise, false, checked, millisSince(t0),
            e.getKey() + ": shapes differ");
      }
      for (int i = 0; i < p.rows(); i++) {
        for (int j = 0; j < p.cols(); j++) {
          String residual = session.evalAbbreviated(
              "Expand(" + expectationInput(p.get(i, j), variables) + " - " + q.get(i, j) + ")", 200);
          checked++;
          if (!"0".equals(residual)) {
            return new SymbolicProof(g, c.d(), c.batch(), withNoise, false, checked, millisSince(t0),
                e.getKey() + " (" + i + ", " + j + "): E[integrand] - closed form = " + residual);
          }
        }
      }
    }
    return new SymbolicProof(g, c.d(), c.batch(), withNoise, true, checked, millisSince(t0),
        describe(g, c) + ": Expand(E[integrand] - closed form) = 0 in all " + checked + " entries");
  }

  private static String describe(GaussianIdentity g, IdentityCase<String> c) {
    StringBuilder sb = new StringBuilder(g.cliName()).append(" at d = ").append(c.d());
    if (c.inputs().containsKey("W")) {
      sb.append(", m = ").append(c.input("W").cols());
    }
    if (g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT) {
      sb.append(", batch ").append(c.batch()).append(", symbolic eta");
    }
    if (g == GaussianIdentity.OVERLAP_DRIFT) {
      sb.append(", r = ").append(c.input("Theta").cols())
          .append(", Theta = first r columns of I (teacher along the coordinate axes)");
    }
    if (!"(0)".equals(c.noise())) {
      sb.append(", symbolic noise sd");
    } else if (g == GaussianIdentity.GRADIENT || g == GaussianIdentity.LABELLED_NOISE_MOMENT
        || g == GaussianIdentity.STEP_DRIFT || g == GaussianIdentity.OVERLAP_DRIFT) {
      sb.append(", no noise");
    }
    return sb.toString();
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

}
