package org.qnnoracle.reference;

import static org.qnnoracle.JsonFiles.read;
import static org.qnnoracle.JsonFiles.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schemas of spec/schema (draft 2020-12, spec/reference-format.md "JSON Schemas") against the files they
 * describe, through an independent validator (networknt json-schema-validator): the schemas are themselves valid
 * draft 2020-12 schemas; every committed case, the candidate fixtures and the NumPy example's candidates pass; the
 * version-2 members (built here onto the committed cases, since none is committed yet) pass where version 2
 * allows them; and each rule the schemas encode refuses a document that breaks it, so a schema that had become
 * permissive (or a rule that never fires) fails here. A document accepted by the schema is also read by
 * {@link CaseFile} / {@link CandidateFile}, so the schema is not stricter than the checker on real files.
 */
class SchemaValidationTest {
  private static final Path CASES = Path.of("test-data", "cases");
  private static final Path CASE_SCHEMA = Path.of("spec", "schema", "reference-case.schema.json");
  private static final Path CANDIDATE_SCHEMA = Path.of("spec", "schema", "candidate.schema.json");
  private static final Path CANDIDATES = Path.of("src", "test", "resources", "candidates");
  private static final Path NUMPY = Path.of("src", "test", "resources", "examples", "numpy", "qnn_candidate.py");
  private static final String DRAFT_2020_12 = org.qnnoracle.JsonFiles.DRAFT_2020_12;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Certified in version 2: these kinds need certification and certifiedDigits (spec, version 2). */
  private static final List<String> CERTIFIED_KINDS = List.of("flow", "effective", "sgd-replay");

  private static final SchemaRegistry REGISTRY = org.qnnoracle.JsonFiles.SCHEMAS;
  private static Schema caseSchema;
  private static Schema candidateSchema;

  @TempDir
  Path tmp;

  @BeforeAll
  static void loadSchemas() {
    caseSchema = REGISTRY.getSchema(read(CASE_SCHEMA), InputFormat.JSON);
    candidateSchema = REGISTRY.getSchema(read(CANDIDATE_SCHEMA), InputFormat.JSON);
  }

  // ------------------------------------------------------------------------------------------------ the schemas

  @Test
  void theSchemasAreDraft202012SchemasByTheMetaSchema() {
    Schema meta = REGISTRY.getSchema(SchemaLocation.of(DRAFT_2020_12));
    for (Path p : List.of(CASE_SCHEMA, CANDIDATE_SCHEMA)) {
      assertThat(tree(read(p)).path("$schema").asText()).as("%s declares its dialect", p).isEqualTo(DRAFT_2020_12);
      assertThat(meta.validate(read(p), InputFormat.JSON)).as("%s against the 2020-12 meta-schema", p).isEmpty();
    }
    // the meta-schema check can fail: a keyword with a value of the wrong type, and a negative count
    assertThat(meta.validate("{\"type\": \"matrix\"}", InputFormat.JSON)).isNotEmpty();
    assertThat(meta.validate("{\"minItems\": -1}", InputFormat.JSON)).isNotEmpty();
  }

  // ------------------------------------------------------------------------------------- documents that pass

  static Stream<Path> committedCases() {
    return list(CASES);
  }

  @ParameterizedTest
  @MethodSource("committedCases")
  void everyCommittedCasePasses(Path file) {
    assertThat(errors(caseSchema, read(file))).as("%s against %s", file, CASE_SCHEMA).isEmpty();
    assertThat(CaseFile.read(file).id()).as("the checker reads it too").isNotEmpty();
  }

  @Test
  void theCommittedCasesAndTheFixturesCoverEveryKind() {
    TreeSet<String> caseKinds = new TreeSet<>();
    committedCases().forEach(p -> caseKinds.add(tree(read(p)).path("kind").asText()));
    assertThat(caseKinds).containsExactlyInAnyOrderElementsOf(CaseFile.KINDS);
    TreeSet<String> fixtureKinds = new TreeSet<>();
    candidateFixtures().forEach(p -> fixtureKinds.add(caseOf(p).kind()));
    assertThat(fixtureKinds).containsExactlyInAnyOrderElementsOf(CaseFile.KINDS);
  }

  static Stream<Path> candidateFixtures() {
    return list(CANDIDATES);
  }

  @ParameterizedTest
  @MethodSource("candidateFixtures")
  void everyCandidateFixturePasses(Path file) {
    assertThat(errors(candidateSchema, read(file))).as("%s against %s", file, CANDIDATE_SCHEMA).isEmpty();
    assertThat(CandidateFile.read(file, caseOf(file)).quantities()).as("the checker reads it too").isNotEmpty();
  }

  /** The candidates the NumPy example writes (one case of each kind), when python3 with numpy is installed. */
  @Test
  void theNumpyExampleCandidatesPass() throws Exception {
    assumeThat(pythonWithNumpy()).as("python3 with numpy").isTrue();
    TreeSet<String> kinds = new TreeSet<>();
    for (Path c : committedCases().toList()) {
      String kind = tree(read(c)).path("kind").asText();
      if (!kinds.add(kind)) {
        continue;
      }
      Path out = tmp.resolve(c.getFileName());
      List<String> cmd = new ArrayList<>(List.of("python3", NUMPY.toString(), c.toString(), out.toString()));
      if (kind.equals("statistical")) {
        cmd.addAll(List.of("--replicas", "8")); // the shape of riskReplicas is what is judged here, not the mean
      }
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", c, log).isZero();
      assertThat(errors(candidateSchema, read(out))).as("NumPy candidate for %s", c).isEmpty();
      assertThat(CandidateFile.read(out, CaseFile.read(c)).caseId()).isEqualTo(CaseFile.read(c).id());
    }
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(CaseFile.KINDS);
  }

  @ParameterizedTest
  @MethodSource("committedCases")
  void theVersion2MembersPassInVersion2(Path file) {
    ObjectNode v2 = version2(tree(read(file)));
    assertThat(errors(caseSchema, v2.toString())).as("%s as version 2", file).isEmpty();
    String kind = v2.get("kind").asText();
    if (!CERTIFIED_KINDS.contains(kind)) {
      // identity and statistical cases may leave certification out in version 2
      v2.remove("certification");
      assertThat(errors(caseSchema, v2.toString())).as("%s as version 2 without certification", file).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("candidateFixtures")
  void aCandidateMayDeclareItsPrecisionInVersion1And2(Path file) {
    for (int version : new int[] {1, 2}) {
      for (String precision : new String[] {"float64", "float32"}) {
        ObjectNode c = tree(read(file));
        c.put("formatVersion", version).put("precision", precision);
        assertThat(errors(candidateSchema, c.toString())).as("%s v%d %s", file, version, precision).isEmpty();
      }
    }
  }

  // ------------------------------------------------------------------------------------- documents that fail

  /**
   * A change to a passing document that breaks one rule; the validator must report it at {@code where} (a JSON
   * Pointer; "" is the top level) or below, in an error whose text names {@code mention} (empty: anything).
   */
  private record Breach(String what, String file, boolean version2, Consumer<ObjectNode> change, String where,
      String mention) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Stream<Arguments> caseBreaches() {
    return Stream.of(
        breach("a flow case without inputs.theta", "flow-m-lt-r", false,
            c -> inputs(c).remove("theta"), "/inputs", "theta"),
        breach("an sgd-replay case without its samples", "sgd-replay-b1", false,
            c -> inputs(c).remove("samples"), "/inputs", "samples"),
        breach("an identity case with eta as a number, not a rational string", "identity-d2-b1", false,
            c -> inputs(c).put("eta", 0.1), "/inputs/eta"),
        breach("a rational with denominator 0", "identity-d2-b1", false,
            c -> inputs(c).put("s2", "1/0"), "/inputs/s2"),
        breach("an unknown input member", "effective-b1", false,
            c -> inputs(c).put("sigma", 1.0), "/inputs", "sigma"),
        breach("an unknown kind", "flow-m-lt-r", false, c -> c.put("kind", "flux"), "/kind"),
        breach("an unknown format version", "flow-m-lt-r", false, c -> c.put("formatVersion", 3), "/formatVersion"),
        breach("a case id with capitals", "flow-m-lt-r", false, c -> c.put("id", "Flow-M-LT-R"), "/id"),
        breach("a checksum in upper-case hex", "flow-m-lt-r", false,
            c -> c.put("checksum", c.get("checksum").asText().toUpperCase(Locale.ROOT)
                .replace("SHA256:", "sha256:")), "/checksum"),
        breach("a checksum of 63 hex digits", "flow-m-lt-r", false,
            c -> c.put("checksum", c.get("checksum").asText().substring(0, 70)), "/checksum"),
        breach("a float32 block in a version-1 case", "flow-m-lt-r", false,
            c -> quantity(c, "risk").set("float32", float32()), "/expected/risk", "float32"),
        breach("certifiedDigits in a version-1 case", "effective-b1", false,
            c -> quantity(c, "risk").put("certifiedDigits", 15), "/expected/risk", "certifiedDigits"),
        breach("difficulty in a version-1 case", "flow-m-lt-r", false,
            c -> c.set("difficulty", difficulty()), "", "difficulty"),
        breach("a version-2 case without difficulty", "flow-m-lt-r", true, c -> c.remove("difficulty"), "", "difficulty"),
        breach("a certified version-2 sgd-replay quantity without certifiedDigits", "sgd-replay-b1", true,
            c -> quantity(c, "overlaps").remove("certifiedDigits"), "/expected/overlaps", "certifiedDigits"),
        breach("a version-2 identity quantity without its float32 block", "identity-d2-b1", true,
            c -> quantity(c, "risk").remove("float32"), "/expected/risk", "float32"),
        breach("certifiedDigits above 17", "effective-b1", true,
            c -> quantity(c, "risk").put("certifiedDigits", 18), "/expected/risk/certifiedDigits"),
        breach("a float32 tolerance that is negative", "effective-b1", true,
            c -> ((ObjectNode) quantity(c, "risk").get("float32").get("tolerance")).put("relative", -1e-6),
            "/expected/risk/float32/tolerance/relative"),
        breach("an unknown difficulty grade", "flow-m-lt-r", true,
            c -> ((ObjectNode) c.get("difficulty")).put("grade", "hard"), "/difficulty/grade"),
        breach("exact values in a flow case", "flow-m-lt-r", false,
            c -> quantity(c, "traceM").put("exact", true), "/expected/traceM"),
        breach("an exact identity quantity holding numbers", "identity-d2-b1", false,
            c -> quantity(c, "risk").put("values", 0.5), "/expected/risk/values"),
        breach("a deterministic quantity without tolerance", "sgd-replay-b1", false,
            c -> quantity(c, "risk").remove("tolerance"), "/expected/risk", "tolerance"),
        breach("a negative absolute tolerance", "sgd-replay-b1", false,
            c -> ((ObjectNode) quantity(c, "risk").get("tolerance")).put("absolute", -1e-12),
            "/expected/risk/tolerance/absolute"),
        breach("an empty reason", "flow-m-lt-r", false,
            c -> quantity(c, "risk").put("reason", "  "), "/expected/risk/reason"),
        breach("statistical extras in a flow quantity", "flow-m-lt-r", false,
            c -> quantity(c, "risk").put("replicas", 10), "/expected/risk", "replicas"),
        breach("a statistical meanRisk without standardError", "statistical-b1", false,
            c -> quantity(c, "meanRisk").remove("standardError"), "/expected/meanRisk", "standardError"),
        breach("a statistical case expecting risk besides meanRisk", "statistical-b1", false,
            c -> ((ObjectNode) c.get("expected")).set("risk", quantity(c, "meanRisk").deepCopy()), "/expected", "risk"),
        breach("a falseAlarm of 1", "statistical-b1", false,
            c -> quantity(c, "meanRisk").put("falseAlarm", 1.0), "/expected/meanRisk/falseAlarm"),
        breach("a quantity name the kind does not have", "flow-m-lt-r", false,
            c -> ((ObjectNode) c.get("expected")).set("energy", quantity(c, "risk").deepCopy()), "/expected", "energy"),
        breach("a vector quantity whose values are nested one level too deep", "flow-m-lt-r", false,
            c -> {
              ArrayNode wrapped = JSON.createArrayNode();
              wrapped.add(quantity(c, "risk").get("values"));
              quantity(c, "risk").set("values", wrapped);
            }, "/expected/risk/values"),
        breach("a non-finite value written as a string", "flow-m-lt-r", false,
            c -> ((ArrayNode) quantity(c, "traceM").get("values")).set(0, JSON.getNodeFactory().textNode("NaN")),
            "/expected/traceM/values"),
        breach("a shape of rank 1 on overlaps", "flow-m-lt-r", false,
            c -> ((ArrayNode) quantity(c, "overlaps").get("shape")).remove(1), "/expected/overlaps"),
        breach("an unknown top-level member", "flow-m-lt-r", false, c -> c.put("seed", 1), "", "seed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caseBreaches")
  void theCaseSchemaRefuses(Breach b) {
    ObjectNode c = tree(read(CASES.resolve(b.file() + ".json")));
    c = b.version2() ? version2(c) : version1(c);
    assertThat(errors(caseSchema, c.toString())).as("unchanged %s", b.file()).isEmpty();
    b.change().accept(c);
    assertRefused(caseSchema, c, b);
  }

  static Stream<Arguments> candidateBreaches() {
    return Stream.of(
        breach("precision float16", "flow-m-lt-r", false, c -> c.put("precision", "float16"), "/precision"),
        breach("a candidate of format version 3", "flow-m-lt-r", false,
            c -> c.put("formatVersion", 3), "/formatVersion"),
        breach("a case file's format", "flow-m-lt-r", false,
            c -> c.put("format", "qnn-oracle-reference"), "/format"),
        breach("a candidate without implementation", "effective-b1", false,
            c -> c.remove("implementation"), "", "implementation"),
        breach("riskReplicas with one replica", "statistical-b1", false,
            c -> {
              ArrayNode replicas = (ArrayNode) c.get("quantities").get("riskReplicas");
              while (replicas.size() > 1) {
                replicas.remove(replicas.size() - 1);
              }
            },
            "/quantities/riskReplicas"),
        breach("meanRisk instead of riskReplicas", "statistical-b1", false,
            c -> {
              ObjectNode q = (ObjectNode) c.get("quantities");
              q.set("meanRisk", q.remove("riskReplicas").get(0));
            }, "/quantities", "meanRisk"),
        breach("an exact quantity mixing rational strings and numbers", "identity-d2-b1", false,
            c -> ((ArrayNode) c.get("quantities").get("stepDrift").get(0)).set(0, JSON.getNodeFactory().numberNode(3.5)),
            "/quantities/stepDrift"),
        breach("a risk given as the string NaN", "sgd-replay-b1", false,
            c -> ((ArrayNode) c.get("quantities").get("risk")).set(2, JSON.getNodeFactory().textNode("NaN")),
            "/quantities/risk"),
        breach("a null where a number belongs", "effective-b1", false,
            c -> ((ArrayNode) c.get("quantities").get("risk")).set(0, JSON.getNodeFactory().nullNode()),
            "/quantities/risk"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("candidateBreaches")
  void theCandidateSchemaRefuses(Breach b) {
    ObjectNode c = tree(read(CANDIDATES.resolve(b.file() + ".json")));
    assertThat(errors(candidateSchema, c.toString())).as("unchanged %s", b.file()).isEmpty();
    b.change().accept(c);
    assertRefused(candidateSchema, c, b);
  }

  private static void assertRefused(Schema schema, ObjectNode changed, Breach b) {
    List<Error> errors = errors(schema, changed.toString());
    assertThat(errors).as("%s must be refused", b.what()).isNotEmpty();
    // the refusal is at the changed member or below it (JSON Pointer; "" is the top level), not elsewhere
    assertThat(errors).as("%s: errors %s", b.what(), errors)
        .anySatisfy(e -> {
          assertThat(e.getInstanceLocation().toString()).startsWith(b.where());
          assertThat(e.toString()).contains(b.mention());
        });
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private static Arguments breach(String what, String file, boolean version2, Consumer<ObjectNode> change,
      String where) {
    return breach(what, file, version2, change, where, "");
  }

  private static Arguments breach(String what, String file, boolean version2, Consumer<ObjectNode> change,
      String where, String mention) {
    return Arguments.of(new Breach(what, file, version2, change, where, mention));
  }

  /**
   * {@code c} with the version-2 members added as format version 2 defines them: difficulty;
   * certification for the certified kinds; certifiedDigits (certified kinds) and a float32 block (deterministic
   * kinds) on every quantity. The numbers are placeholders of the right type; they are not judged here.
   */
  private static ObjectNode version2(ObjectNode c) {
    String kind = c.get("kind").asText();
    c.put("formatVersion", 2);
    c.set("difficulty", difficulty());
    if (CERTIFIED_KINDS.contains(kind)) {
      ObjectNode cert = JSON.createObjectNode();
      cert.putArray("routes").add("two independent high-precision routes").add("a second integrator family");
      cert.put("note", "placeholder written by SchemaValidationTest");
      c.set("certification", cert);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = c.get("expected").fields(); it.hasNext(); ) {
      ObjectNode q = (ObjectNode) it.next().getValue();
      if (CERTIFIED_KINDS.contains(kind)) {
        q.put("certifiedDigits", 17);
      }
      if (!kind.equals("statistical")) {
        q.set("float32", float32());
      }
    }
    return c;
  }

  /** {@code c} as a version-1 case (a no-op on today's cases; strips the version-2 members once they exist). */
  private static ObjectNode version1(ObjectNode c) {
    c.put("formatVersion", 1);
    c.remove(List.of("difficulty", "certification"));
    c.get("expected").forEach(q -> ((ObjectNode) q).remove(List.of("certifiedDigits", "float32")));
    return c;
  }

  private static ObjectNode difficulty() {
    ObjectNode d = JSON.createObjectNode();
    d.put("grade", "average").put("reason", "placeholder written by SchemaValidationTest");
    return d;
  }

  private static ObjectNode float32() {
    ObjectNode f = JSON.createObjectNode();
    f.putObject("tolerance").put("absolute", 1e-6).put("relative", 1e-4);
    f.put("reason", "placeholder written by SchemaValidationTest");
    return f;
  }

  private static ObjectNode inputs(ObjectNode c) {
    return (ObjectNode) c.get("inputs");
  }

  private static ObjectNode quantity(ObjectNode c, String name) {
    return (ObjectNode) c.get("expected").get(name);
  }

  private static List<Error> errors(Schema schema, String json) {
    return schema.validate(json, InputFormat.JSON);
  }

  private static CaseFile caseOf(Path candidate) {
    return CaseFile.read(CASES.resolve(tree(read(candidate)).get("case").asText() + ".json"));
  }

  private static Stream<Path> list(Path dir) {
    return org.qnnoracle.JsonFiles.list(dir).stream();
  }


  private static boolean pythonWithNumpy() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
