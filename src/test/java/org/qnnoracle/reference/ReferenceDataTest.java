package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.Version;
import org.qnnoracle.cli.Console;
import org.qnnoracle.cli.Main;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowObservables;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.gaussian.DoubleMatrices;
import org.qnnoracle.gaussian.GaussianFormulas;
import org.qnnoracle.gaussian.Rationals;
import org.qnnoracle.gaussian.RingMatrix;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.linalg.LinalgBackend;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.sgd.EffectiveDynamics;
import org.qnnoracle.sgd.EffectiveTrajectory;

/**
 * The golden cases of test-data/cases (spec/reference-format.md): they are exactly what the code produces,
 * their checksums hold, and an independent route reproduces their expected values within their tolerances.
 */
class ReferenceDataTest {
  private static final Path CASES = Path.of("test-data", "cases");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGENERATE = "after a deliberate change of the cases or of the code behind "
      + "them, regenerate with 'java -jar target/qnn-oracle.jar reference generate' (or 'mvn -q compile "
      + "exec:java -Dexec.mainClass=org.qnnoracle.cli.Main -Dexec.args=\"reference generate\"') and commit "
      + "test-data/cases";

  @TempDir
  Path tmp;

  /**
   * The whole generator, certification included (about 5 minutes on 2 cores: the flow cases are integrated in Dfp to
   * lambda tau = 1000 at a relative 1e-29), must write the committed files byte for byte. The default build checks
   * the parts separately: {@link #committedCasesAreTheBuiltCasesWithCertifiedValues} and CertifiedCasesTest.
   */
  @Tag("heavy")
  @Test
  void committedCasesAreWhatTheCodeProduces() throws IOException {
    Path out = tmp.resolve("cases");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
      exit = Main.run(o, e, "reference", "generate", "--out", out.toString());
    }
    assertThat(exit).as("exit; stderr: %s", stderr).isZero();
    List<String> all = stdout.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(all.get(0)).startsWith("# id");
    List<String> lines = all.subList(1, all.size());
    assertThat(lines).hasSize(ReferenceCases.catalogue().size());
    for (int i = 0; i < lines.size(); i++) {
      ReferenceCases.Entry entry = ReferenceCases.catalogue().get(i);
      assertThat(lines.get(i).split("\\s+")).as("line %s", lines.get(i))
          .containsExactly(entry.id(), entry.kind(), Long.toString(Files.size(out.resolve(entry.id() + ".json"))),
              "bytes");
    }
    assertThat(listing(CASES)).as("files in %s; %s", CASES, REGENERATE).isEqualTo(listing(out));
    for (String name : listing(out)) {
      byte[] committed = Files.readAllBytes(CASES.resolve(name));
      byte[] produced = Files.readAllBytes(out.resolve(name));
      if (!java.util.Arrays.equals(committed, produced)) {
        throw new AssertionError(CASES.resolve(name) + " differs from what the code produces ("
            + firstDifference(new String(committed, StandardCharsets.UTF_8),
                new String(produced, StandardCharsets.UTF_8))
            + "); " + REGENERATE);
      }
    }
  }

  /**
   * Each committed case is the double-precision build of its catalogue entry with, for the certified kinds, the
   * certificate published: equal member for member once the certified values, certifiedDigits, certification and
   * checksum are set aside; and the double-precision values lie within the case's own tolerance of the certified
   * ones. Prints per quantity the digits of agreement (LRE) of the double-precision route with the certified values:
   * its own error, measured.
   */
  @Test
  void committedCasesAreTheBuiltCasesWithCertifiedValues() throws IOException {
    List<ObjectNode> built = Linalg.withBackend(LinalgBackend.Kind.JAVA, ReferenceCases::all);
    for (ObjectNode b : built) {
      String id = b.get("id").asText();
      ObjectNode committed = read(id + ".json");
      if (!CaseCertification.certifies(b.get("kind").asText())) {
        assertThat(ReferenceCases.render(b)).as("%s; %s", id, REGENERATE)
            .isEqualTo(Files.readString(CASES.resolve(id + ".json"), StandardCharsets.UTF_8));
        continue;
      }
      assertThat(committed.has("certification")).as("%s is certified", id).isTrue();
      assertThat(ReferenceCases.render(withoutCertifiedValues(committed))).as("%s apart from its certified values; %s",
          id, REGENERATE).isEqualTo(ReferenceCases.render(withoutCertifiedValues(b)));
      b.get("expected").fields().forEachRemaining(q -> {
        double[] doubles = flattenValues(q.getValue().get("values"));
        JsonNode certified = committed.get("expected").get(q.getKey());
        within(id, q.getKey(), certified, doubles);
        double[] expected = flattenValues(certified.get("values"));
        double[] lre = new double[doubles.length];
        double largest = java.util.Arrays.stream(expected).map(Math::abs).max().orElse(0.0);
        double aboveFloor = Lre.DOUBLE_CAP;
        for (int i = 0; i < lre.length; i++) {
          lre[i] = Lre.of(doubles[i], expected[i], Lre.DOUBLE_CAP);
          if (Math.abs(expected[i]) > 1e-12 * largest) {
            aboveFloor = Math.min(aboveFloor, lre[i]);
          }
        }
        java.util.Arrays.sort(lre);
        System.out.printf(Locale.ROOT, "%-22s %-12s double-precision route vs certified: LRE min %.1f median %.1f, "
            + "min %.1f above 1e-12 of the largest%n", id, q.getKey(), lre[0], lre[lre.length / 2], aboveFloor);
      });
    }
  }

  /** A case without checksum, certification, certifiedDigits and values: what certification does not touch. */
  private static ObjectNode withoutCertifiedValues(ObjectNode c) {
    ObjectNode s = c.deepCopy();
    s.remove(List.of(CanonicalJson.CHECKSUM_FIELD, "certification"));
    s.get("expected").forEach(q -> ((ObjectNode) q).remove(List.of("certifiedDigits", "values")));
    return s;
  }

  /**
   * The golden data is built on the pure-Java backend; the fast route is whatever backend this JVM runs (native
   * OpenBLAS in CI). Derived bound: zero. Every case is tiny (d, r, m &lt;= 8), so every product is far below
   * Linalg.SMALL_PRODUCT and every factorisation below order 8, where the facade runs the Java kernels on either
   * backend; the fast route must then give the same bits. A larger case that reaches native kernels fails here and
   * must state its own round-off bound instead.
   */
  @Test
  void theFastRouteBuildsTheGoldenCasesBitForBit() {
    System.out.println("fast route: " + Linalg.describe());
    List<ObjectNode> golden = Linalg.withBackend(LinalgBackend.Kind.JAVA, ReferenceCases::all);
    List<ObjectNode> fast = ReferenceCases.all();
    for (int i = 0; i < golden.size(); i++) {
      String produced = ReferenceCases.render(fast.get(i));
      String committed = ReferenceCases.render(golden.get(i));
      if (!committed.equals(produced)) {
        throw new AssertionError(golden.get(i).get("id").asText() + ": the " + Linalg.describe()
            + " route differs from the pure-Java build (" + firstDifference(committed, produced) + ")");
      }
    }
  }

  @Test
  void aBadOutputDirectoryIsOneErrorLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
      exit = Main.run(o, e, "reference", "generate", "--out", file.resolve("sub").toString());
    }
    assertThat(exit).isEqualTo(Console.EXIT_USAGE);
    List<String> err = stderr.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(err.get(0)).startsWith("qnn-oracle: error: cannot use");
    assertThat(err).hasSizeBetween(1, 2);
    assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void everyCaseHasAValidChecksum() throws IOException {
    List<String> names = listing(CASES);
    assertThat(names).hasSize(ReferenceCases.catalogue().size());
    for (String name : names) {
      ObjectNode c = read(name);
      assertThat(c.get("checksum").asText()).as("checksum of %s", name).isEqualTo(CanonicalJson.checksum(c))
          .matches("sha256:[0-9a-f]{64}");
      assertThat(c.get("id").asText() + ".json").isEqualTo(name);
      assertThat(c.get("id").asText()).matches("[a-z0-9-]+");
      assertThat(c.get("format").asText()).isEqualTo("qnn-oracle-reference");
      assertThat(c.get("formatVersion").asInt()).isEqualTo(CaseFile.FORMAT_VERSION);
      assertThat(c.get("generator").get("version").asText()).isEqualTo(Version.CURRENT);
      assertThat(Files.size(CASES.resolve(name))).as("size of %s", name).isLessThan(300_000);
      c.get("expected").fields().forEachRemaining(q -> assertThat(shapeOf(q.getValue().get("values")))
          .as("shape of %s.%s", name, q.getKey()).isEqualTo(ints(q.getValue().get("shape"))));
    }
    ObjectNode c = read("flow-m-eq-r.json");
    ((ObjectNode) c.get("inputs")).withArray("times").set(1, JSON.getNodeFactory().numberNode(0.1));
    assertThat(CanonicalJson.checksum(c)).isNotEqualTo(c.get("checksum").asText());
  }

  @Test
  void casesAgreeWithAnIndependentRoute() throws IOException {
    for (ReferenceCases.Entry e : ReferenceCases.catalogue()) {
      ObjectNode c = read(e.id() + ".json");
      switch (e.kind()) {
        case "identity" -> checkIdentity(c);
        case "flow" -> checkFlow(c);
        case "sgd-replay" -> checkSgdReplay(c);
        case "effective" -> checkEffective(c);
        case "statistical" -> checkStatistical(c);
        default -> throw new AssertionError("unknown kind " + e.kind());
      }
    }
  }

  // ----------------------------------------------------------------------------------------------------

  private static void checkIdentity(ObjectNode c) {
    JsonNode in = c.get("inputs");
    RingMatrix<BigFraction> m = rationalMatrix(in.get("M"));
    RingMatrix<BigFraction> a = rationalMatrix(in.get("A"));
    BigFraction eta = rational(in.get("eta").asText());
    BigFraction s2 = rational(in.get("s2").asText());
    int batch = in.get("batch").asInt();
    // Double evaluation of the closed forms.
    DoubleMatrices dm = DoubleMatrices.INSTANCE;
    double[][] md = Rationals.toDouble(m);
    double[][] ad = Rationals.toDouble(a);
    double[][] bd = dm.subtract(md, ad);
    double[][] t = GaussianFormulas.labelledNoiseMoment(dm, bd, md, s2.doubleValue());
    double[][] drift = GaussianFormulas.stepDriftOfM(dm, md, ad, eta.doubleValue(), batch, s2.doubleValue());
    double risk = GaussianFormulas.riskMoment(dm, md, ad);
    JsonNode ex = c.get("expected");
    String id = c.get("id").asText();
    within(id, "noiseMoment", ex.get("noiseMoment"), flatten(t));
    within(id, "stepDrift", ex.get("stepDrift"), flatten(drift));
    within(id, "risk", ex.get("risk"), new double[] {risk});
    // And the expected strings are the exact rational values of the written inputs.
    assertThat(ex.get("risk").get("values").asText())
        .isEqualTo(ReferenceCases.rational(GaussianFormulas.riskMoment(Rationals.MATRICES, m, a)));
  }

  private static void checkFlow(ObjectNode c) {
    JsonNode in = c.get("inputs");
    Teacher teacher = new Teacher(matrix(in.get("theta")), vector(in.get("lambda")));
    Instance inst = Instance.of(teacher, matrix(in.get("w0")));
    List<FlowObservables> obs = new ArrayList<>();
    for (FlowState s : FlowMethod.DP853.solve(inst, vector(in.get("times")), 1e-13)) {
      obs.add(s.observables(teacher));
    }
    checkTrajectory(c, obs);
  }

  private static void checkTrajectory(ObjectNode c, List<FlowObservables> obs) {
    String id = c.get("id").asText();
    JsonNode ex = c.get("expected");
    within(id, "risk", ex.get("risk"), obs.stream().mapToDouble(FlowObservables::risk).toArray());
    if (ex.has("overlaps")) {
      within(id, "overlaps", ex.get("overlaps"),
          obs.stream().flatMapToDouble(o -> java.util.Arrays.stream(o.directionOverlaps())).toArray());
      within(id, "traceM", ex.get("traceM"), obs.stream().mapToDouble(FlowObservables::traceM).toArray());
    }
  }

  /** The step as plain d x d matrices: P = I - (2 eta / b) sum_i e_i (x_i x_i^T - I), M' = P M P. */
  private static void checkSgdReplay(ObjectNode c) {
    JsonNode in = c.get("inputs");
    int d = in.get("d").asInt();
    int b = in.get("batch").asInt();
    double eta = in.get("eta").asDouble();
    double[] lambda = vector(in.get("lambda"));
    double[][] theta = matrix(in.get("theta"));
    double[][] w0 = matrix(in.get("w0"));
    double[][] samples = matrix(in.get("samples"));
    double[][] a = new double[d][d];
    double[][] m = new double[d][d];
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < d; q++) {
        for (int j = 0; j < lambda.length; j++) {
          a[p][q] += theta[p][j] * lambda[j] * theta[q][j];
        }
        for (int j = 0; j < w0[0].length; j++) {
          m[p][q] += w0[p][j] * w0[q][j];
        }
      }
    }
    List<double[]> obs = new ArrayList<>();
    long step = 0;
    int next = 0;
    for (JsonNode target : in.get("outputSteps")) {
      for (; step < target.asLong(); step++) {
        double[][] pm = identity(d);
        for (int i = 0; i < b; i++) {
          double[] row = samples[next++];
          double e = quadraticForm(m, row, d) - trace(m) - (quadraticForm(a, row, d) - trace(a)) - row[d];
          for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
              pm[p][q] -= 2.0 * eta / b * e * (row[p] * row[q] - (p == q ? 1.0 : 0.0));
            }
          }
        }
        m = mult(mult(pm, m), pm);
      }
      double[] o = new double[2 + lambda.length];
      double[][] diff = new double[d][d];
      double fro = 0.0;
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < d; q++) {
          diff[p][q] = m[p][q] - a[p][q];
          fro += diff[p][q] * diff[p][q];
        }
      }
      o[0] = 2.0 * fro;
      o[1] = trace(m);
      for (int j = 0; j < lambda.length; j++) {
        double[] tj = new double[d];
        for (int p = 0; p < d; p++) {
          tj[p] = theta[p][j];
        }
        o[2 + j] = quadraticForm(m, tj, d);
      }
      obs.add(o);
    }
    assertThat(next).as("samples used").isEqualTo(samples.length);
    String id = c.get("id").asText();
    JsonNode ex = c.get("expected");
    within(id, "risk", ex.get("risk"), obs.stream().mapToDouble(o -> o[0]).toArray());
    within(id, "traceM", ex.get("traceM"), obs.stream().mapToDouble(o -> o[1]).toArray());
    within(id, "overlaps", ex.get("overlaps"),
        obs.stream().flatMapToDouble(o -> java.util.Arrays.stream(o, 2, o.length)).toArray());
  }

  private static void checkEffective(ObjectNode c) {
    JsonNode in = c.get("inputs");
    Teacher teacher = new Teacher(matrix(in.get("theta")), vector(in.get("lambda")));
    Instance inst = Instance.of(teacher, matrix(in.get("w0")));
    EffectiveTrajectory traj = EffectiveDynamics.constantEta(teacher.lambda(), in.get("d").asInt(),
        in.get("batch").asInt(), in.get("s2").asDouble(), in.get("eta").asDouble())
        .solve(inst, vector(in.get("times")), 1e-9);
    assertThat(traj.diverged()).isFalse();
    checkTrajectory(c, traj.observables());
  }

  private static void checkStatistical(ObjectNode c) {
    JsonNode in = c.get("inputs");
    Teacher teacher = new Teacher(matrix(in.get("theta")), vector(in.get("lambda")));
    long[] steps = new long[in.get("outputSteps").size()];
    for (int k = 0; k < steps.length; k++) {
      steps[k] = in.get("outputSteps").get(k).asLong();
    }
    long otherSeed = c.get("generator").get("seed").asLong() + 1;
    double[][] ms = ReferenceCases.meanAndStandardError(ReferenceCases.statisticalRisks(teacher,
        in.get("m").asInt(), in.get("sigma0").asDouble(), in.get("eta").asDouble(), in.get("batch").asInt(),
        in.get("noise").asDouble(), steps, in.get("replicas").asInt(), otherSeed));
    JsonNode q = c.get("expected").get("meanRisk");
    double[] mean = vector(q.get("values"));
    double[] se = vector(q.get("standardError"));
    double threshold = new NormalDistribution().inverseCumulativeProbability(
        1.0 - q.get("falseAlarm").asDouble() / (2.0 * steps.length));
    double maxZ = 0.0;
    for (int k = 0; k < steps.length; k++) {
      maxZ = Math.max(maxZ, Math.abs(ms[0][k] - mean[k]) / Math.hypot(ms[1][k], se[k]));
    }
    System.out.printf(Locale.ROOT, "%s: independent rerun (seed %d): max |z| = %.3f (threshold %.3f)%n",
        c.get("id").asText(), otherSeed, maxZ, threshold);
    assertThat(maxZ).as("max |z| of an independent rerun").isLessThanOrEqualTo(threshold);
  }

  /** Every element within absolute + relative |expected|; prints the worst element's share of its tolerance. */
  private static void within(String id, String name, JsonNode q, double[] candidate) {
    double[] expected = flattenValues(q.get("values"));
    double abs = q.get("tolerance").get("absolute").asDouble();
    double rel = q.get("tolerance").get("relative").asDouble();
    assertThat(candidate).as("%s.%s length", id, name).hasSameSizeAs(expected);
    double worst = 0.0;
    double worstRel = 0.0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(candidate[i] - expected[i]);
      worst = Math.max(worst, diff / (abs + rel * Math.abs(expected[i])));
      if (Math.abs(expected[i]) > 1e-6) {
        worstRel = Math.max(worstRel, diff / Math.abs(expected[i]));
      }
      assertThat(diff).as("%s.%s[%d]: expected %s, independent route %s", id, name, i, expected[i], candidate[i])
          .isLessThanOrEqualTo(abs + rel * Math.abs(expected[i]));
    }
    System.out.printf(Locale.ROOT,
        "%-22s %-12s worst error %.3g of tolerance; worst relative %.3g (|expected| > 1e-6)%n",
        id, name, worst, worstRel);
  }

  // ----------------------------------------------------------------------------------------------------

  private static String firstDifference(String committed, String produced) {
    List<String> a = committed.lines().toList();
    List<String> b = produced.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "(end of file)";
      String y = i < b.size() ? b.get(i) : "(end of file)";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": committed '" + abbreviate(x) + "', produced '" + abbreviate(y) + "'";
      }
    }
    return "line ends or final newline differ";
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= 120 ? t : t.substring(0, 117) + "...";
  }

  private static ObjectNode read(String name) throws IOException {
    return (ObjectNode) JSON.readTree(CASES.resolve(name).toFile());
  }

  private static List<String> listing(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Integer> shapeOf(JsonNode v) {
    List<Integer> shape = new ArrayList<>();
    while (v.isArray()) {
      shape.add(v.size());
      v = v.get(0);
    }
    return shape;
  }

  private static List<Integer> ints(JsonNode a) {
    List<Integer> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asInt()));
    return out;
  }

  private static double[] flattenValues(JsonNode v) {
    List<Double> out = new ArrayList<>();
    flattenInto(v, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flattenInto(JsonNode v, List<Double> out) {
    if (v.isArray()) {
      v.forEach(x -> flattenInto(x, out));
    } else if (v.isTextual()) {
      out.add(rational(v.asText()).doubleValue());
    } else {
      out.add(v.asDouble());
    }
  }

  private static double[] flatten(double[][] a) {
    return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static BigFraction rational(String s) {
    return JsonInput.rational(s);
  }

  private static RingMatrix<BigFraction> rationalMatrix(JsonNode rows) {
    return RingMatrix.build(rows.size(), rows.get(0).size(), (i, j) -> rational(rows.get(i).get(j).asText()));
  }

  private static double[] vector(JsonNode a) {
    return JsonInput.doubles(a);
  }

  private static double[][] matrix(JsonNode rows) {
    return JsonInput.doubleRows(rows);
  }

  private static double[][] identity(int d) {
    double[][] id = new double[d][d];
    for (int i = 0; i < d; i++) {
      id[i][i] = 1.0;
    }
    return id;
  }

  private static double trace(double[][] a) {
    double t = 0.0;
    for (int i = 0; i < a.length; i++) {
      t += a[i][i];
    }
    return t;
  }

  private static double quadraticForm(double[][] a, double[] x, int d) {
    double s = 0.0;
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < d; q++) {
        s += x[p] * a[p][q] * x[q];
      }
    }
    return s;
  }

  private static double[][] mult(double[][] x, double[][] y) {
    int n = x.length;
    double[][] z = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < n; j++) {
          z[i][j] += x[i][k] * y[k][j];
        }
      }
    }
    return z;
  }
}
