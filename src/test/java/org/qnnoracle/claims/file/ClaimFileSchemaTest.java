package org.qnnoracle.claims.file;

import static org.qnnoracle.JsonFiles.list;
import static org.qnnoracle.JsonFiles.read;
import static org.qnnoracle.JsonFiles.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.qnnoracle.JsonFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The claim-file JSON Schema (spec/schema/claim-file.schema.json) against the format it describes
 * (spec/claim-file.md), through an independent validator (networknt json-schema-validator), as
 * SchemaValidationTest does for the case and candidate schemas: the schema is a valid draft 2020-12 schema; every
 * committed claim file (test-data/claim-files/, the consumer project's claims/) passes, as do the other shapes the
 * format allows; and each rule refuses a document that breaks it, so a schema that had become permissive, or a rule
 * that never fires, fails here. Whether the reader also accepts each passing file is the loader's test.
 */
class ClaimFileSchemaTest {
  private static final Path SCHEMA = Path.of("spec", "schema", "claim-file.schema.json");
  private static final Path CLAIM_FILES = Path.of("test-data", "claim-files");
  private static final Path CONSUMER_CLAIMS = Path.of("src", "test", "resources", "consumer", "claims");
  private static Schema schema;

  @BeforeAll
  static void loadSchema() {
    schema = JsonFiles.schema(SCHEMA);
  }

  @Test
  void theSchemaIsADraft202012SchemaByTheMetaSchema() {
    assertThat(tree(read(SCHEMA)).path("$schema").asText()).isEqualTo(JsonFiles.DRAFT_2020_12);
    assertThat(JsonFiles.metaSchemaErrors(SCHEMA)).isEmpty();
  }

  // ------------------------------------------------------------------------------------- documents that pass

  /** test-data/claim-files/*.json (when the directory exists) and the consumer project's claims/*.json. */
  static Stream<Path> committedClaimFiles() {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(CLAIM_FILES)) {
      out.addAll(list(CLAIM_FILES));
    }
    out.addAll(list(CONSUMER_CLAIMS));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("committedClaimFiles")
  void everyCommittedClaimFilePasses(Path file) {
    assertThat(errors(read(file))).as("%s against %s", file, SCHEMA).isEmpty();
  }

  /**
   * .ci/run requires the consumer's build to report exactly these two tests, the first passing and the second
   * failing; a claim added to or renamed in claims/ without changing .ci/run would fail CI only there.
   */
  @Test
  void theConsumerStatesOneTrueAndOneFalseClaim() {
    List<Path> files = list(CONSUMER_CLAIMS);
    assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("my-claims.json");
    List<String> ids = new ArrayList<>();
    tree(read(files.get(0))).get("claims").forEach(c -> ids.add(c.get("id").asText()));
    assertThat(ids).containsExactly("MY-RISK-BOUND", "MY-WRONG-FLOOR");
  }

  /** Shapes the format allows that the committed files may not all use; each must pass. */
  static Stream<Arguments> allowedVariants() {
    return Stream.of(
        variant("flow over random instances, exact method", (f, c) -> {
          c.remove("model");
          c.put("method", "exact");
          c.putObject("instances").put("draw", "standard").put("seed", 3);
        }),
        variant("grid points mixing numbers and expressions", (f, c) -> gridWithout(c, "log")
            .putArray("points").add(1).add(2.5).add("50 + log(d / sigma0^2)")),
        variant("a uniform grid", (f, c) -> gridList(c, "uniform").add(10).add(100)),
        variant("a fit over a window in the grid's unit", (f, c) -> {
          c.put("quantifier", "fit");
          c.putObject("fit").put("of", "risk").putArray("window").add(10).add(1000);
        }),
        variant("a fit over the time-law window", (f, c) -> {
          c.put("quantifier", "fit");
          c.putObject("fit").put("of", "risk").put("window", "time-law");
        }),
        variant("every model member, integers in exponent form", (f, c) -> model(c).put("d", 1e15).put("r", 32)
            .put("m", 4096).put("alpha", 0.5).put("sigma0", 1).put("s2", 0.25).put("batch", 8).put("c", 0.05)
            .put("seed", 7)),
        variant("a scale replacing single model members", (f, c) -> c.putObject("scales").putObject("large")
            .putObject("model").put("d", 1e9)),
        variant("an effective-ode claim in samples", (f, c) -> {
          c.remove("method");
          c.put("route", "effective-ode");
          model(c).put("d", 200).put("c", 0.05).put("batch", 4);
          gridList(c, "log").add(100).add(1e6).add(20);
          grid(c).put("unit", "samples");
        }),
        variant("an sgd claim with replicas per scale", (f, c) -> {
          sgd(c);
          c.putObject("scales").putObject("small").put("replicas", 16);
        }),
        variant("no title and a tolerance of 0", (f, c) -> {
          c.remove("title");
          c.put("tolerance", 0);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowedVariants")
  void theSchemaAllows(Edit v) {
    ObjectNode file = base();
    v.change().accept(file, claim(file));
    assertThat(errors(file.toString())).as("%s: %s", v.what(), file).isEmpty();
  }

  // ------------------------------------------------------------------------------------- documents that fail

  /**
   * A change to a passing file, given the file and its claim. A breach breaks one rule: the validator must report it
   * at {@code where} (a JSON Pointer; "" is the top level) or below, in an error whose text names {@code mention}
   * (empty: anything). An allowed variant must leave the file valid ({@code where} and {@code mention} unused).
   */
  record Edit(String what, BiConsumer<ObjectNode, ObjectNode> change, String where, String mention) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Stream<Arguments> breaches() {
    return Stream.of(
        // the four the format's readers meet first
        breach("an unknown claim member", (f, c) -> c.put("tolerence", 1e-9), "/claims/0", "tolerence"),
        breach("a claim without assert", (f, c) -> c.remove("assert"), "/claims/0", "assert"),
        breach("route foo", (f, c) -> c.put("route", "foo"), "/claims/0/route", ""),
        breach("a grid with both points and log", (f, c) -> grid(c).putArray("points").add(5),
            "/claims/0/grid", ""),
        // the top level
        breach("another format", (f, c) -> f.put("format", "qnn-oracle-reference"), "/format", ""),
        breach("version 2", (f, c) -> f.put("version", 2), "/version", ""),
        breach("an unknown top-level member", (f, c) -> f.put("claim", 1), "", "claim"),
        breach("no claims", (f, c) -> f.putArray("claims"), "/claims", ""),
        // claim members
        breach("an id in lower case", (f, c) -> c.put("id", "my-risk-bound"), "/claims/0/id", ""),
        breach("an id of one word", (f, c) -> c.put("id", "RISK"), "/claims/0/id", ""),
        breach("a title of two lines", (f, c) -> c.put("title", "risk\nbound"), "/claims/0/title", ""),
        breach("a title ending in a line break", (f, c) -> c.put("title", "risk bound\n"), "/claims/0/title", ""),
        breach("a grid expression of two lines", (f, c) -> gridList(c, "points").add("50 +\nlog(d)"),
            "/claims/0/grid/points/0", ""),
        breach("an empty statement", (f, c) -> c.put("statement", " "), "/claims/0/statement", ""),
        breach("no source", (f, c) -> c.remove("source"), "/claims/0", "source"),
        breach("method implicit", (f, c) -> c.put("method", "implicit"), "/claims/0/method", ""),
        breach("method on the sgd route", (f, c) -> {
          sgd(c);
          c.put("method", "reduced");
        }, "/claims/0", "method"),
        breach("quantifier some", (f, c) -> c.put("quantifier", "some"), "/claims/0/quantifier", ""),
        breach("a negative tolerance", (f, c) -> c.put("tolerance", -1e-12), "/claims/0/tolerance", ""),
        breach("a tolerance as a string", (f, c) -> c.put("tolerance", "1e-12"), "/claims/0/tolerance", ""),
        breach("no toleranceReason", (f, c) -> c.remove("toleranceReason"), "/claims/0", "toleranceReason"),
        // model and instances
        breach("neither model nor instances", (f, c) -> c.remove("model"), "/claims/0", ""),
        breach("both model and instances", (f, c) -> {
          c.put("method", "exact");
          model(c).put("d", 12);
          c.putObject("instances").put("draw", "standard").put("seed", 0);
        }, "/claims/0", ""),
        breach("instances on the reduced method", (f, c) -> {
          c.remove("model");
          c.putObject("instances").put("draw", "standard").put("seed", 0);
        }, "/claims/0/method", ""),
        breach("instances of another draw", (f, c) -> {
          c.remove("model");
          c.put("method", "exact");
          c.putObject("instances").put("draw", "wide").put("seed", 0);
        }, "/claims/0/instances/draw", ""),
        breach("a model without r", (f, c) -> model(c).remove("r"), "/claims/0/model", "r"),
        breach("an unknown model member", (f, c) -> model(c).put("lambda", 1), "/claims/0/model", "lambda"),
        breach("d of 1.5", (f, c) -> model(c).put("d", 1.5), "/claims/0/model/d", ""),
        breach("d above 1e15", (f, c) -> model(c).put("d", 1e16), "/claims/0/model/d", ""),
        breach("d of 1000 on the exact method", (f, c) -> {
          c.put("method", "exact");
          model(c).put("d", 1000);
        }, "/claims/0/model/d", ""),
        breach("m of 0", (f, c) -> model(c).put("m", 0), "/claims/0/model/m", ""),
        breach("sigma0 of 0", (f, c) -> model(c).put("sigma0", 0), "/claims/0/model/sigma0", ""),
        breach("a negative noise variance", (f, c) -> model(c).put("s2", -1), "/claims/0/model/s2", ""),
        breach("an sgd claim without c", (f, c) -> {
          c.remove("method");
          c.put("route", "sgd");
          c.put("replicas", 8);
          c.put("falseAlarm", 1e-4);
          model(c).put("d", 64);
        }, "/claims/0/model", "c"),
        // sweep and scales
        breach("a sweep of strings", (f, c) -> c.putObject("sweep").putArray("alpha").add("1"),
            "/claims/0/sweep/alpha", ""),
        breach("a sweep over a non-member", (f, c) -> c.putObject("sweep").putArray("tau").add(1), "/claims/0/sweep",
            "tau"),
        breach("an empty sweep list", (f, c) -> c.putObject("sweep").putArray("m"), "/claims/0/sweep/m", ""),
        breach("a swept m of 1.5", (f, c) -> c.putObject("sweep").putArray("m").add(4).add(1.5),
            "/claims/0/sweep/m", ""),
        breach("scale huge", (f, c) -> c.putObject("scales").putObject("huge").putObject("sweep").putArray("m").add(4),
            "/claims/0/scales", "huge"),
        breach("a scale replacing the grid", (f, c) -> c.putObject("scales").putObject("small").set("grid",
            c.get("grid").deepCopy()), "/claims/0/scales/small", "grid"),
        breach("replicas at a scale of a flow claim", (f, c) -> c.putObject("scales").putObject("small")
            .put("replicas", 8), "/claims/0/scales/small", "replicas"),
        // grid
        breach("a grid without points, uniform or log", (f, c) -> gridWithout(c, "log"), "/claims/0/grid", ""),
        breach("grid unit tau", (f, c) -> grid(c).put("unit", "tau"), "/claims/0/grid/unit", ""),
        breach("a grid in samples on the flow route", (f, c) -> grid(c).put("unit", "samples"),
            "/claims/0", ""),
        breach("a log grid of two numbers", (f, c) -> gridList(c, "log").add(1).add(10), "/claims/0/grid/log", ""),
        breach("a log grid of 1.5 points", (f, c) -> gridList(c, "log").add(1).add(10).add(1.5),
            "/claims/0/grid/log", ""),
        breach("a uniform grid of 20000 points", (f, c) -> gridList(c, "uniform").add(10).add(20000),
            "/claims/0/grid/uniform", ""),
        breach("a grid point of 0", (f, c) -> gridList(c, "points").add(0), "/claims/0/grid/points", ""),
        breach("a grid point that is a list", (f, c) -> gridList(c, "points").addArray().add(1),
            "/claims/0/grid/points", ""),
        breach("an empty points list", (f, c) -> gridList(c, "points"), "/claims/0/grid/points", ""),
        // fit
        breach("quantifier fit without fit", (f, c) -> c.put("quantifier", "fit"), "/claims/0", "fit"),
        breach("fit with quantifier forall", (f, c) -> c.putObject("fit").put("of", "risk").put("window", "time-law"),
            "/claims/0", "fit"),
        breach("a fit of trM", (f, c) -> {
          c.put("quantifier", "fit");
          c.putObject("fit").put("of", "trM").put("window", "time-law");
        }, "/claims/0/fit/of", ""),
        breach("a fit window of three numbers", (f, c) -> {
          c.put("quantifier", "fit");
          c.putObject("fit").put("of", "risk").putArray("window").add(1).add(10).add(100);
        }, "/claims/0/fit/window", ""),
        // sgd: replicas and falseAlarm
        breach("an sgd claim without replicas", (f, c) -> {
          sgd(c);
          c.remove("replicas");
        }, "/claims/0", "replicas"),
        breach("an sgd claim without falseAlarm", (f, c) -> {
          sgd(c);
          c.remove("falseAlarm");
        }, "/claims/0", "falseAlarm"),
        breach("one replica", (f, c) -> {
          sgd(c);
          c.put("replicas", 1);
        }, "/claims/0/replicas", ""),
        breach("4097 replicas", (f, c) -> {
          sgd(c);
          c.put("replicas", 4097);
        }, "/claims/0/replicas", ""),
        breach("a falseAlarm of 0", (f, c) -> {
          sgd(c);
          c.put("falseAlarm", 0);
        }, "/claims/0/falseAlarm", ""),
        breach("a falseAlarm of 1", (f, c) -> {
          sgd(c);
          c.put("falseAlarm", 1);
        }, "/claims/0/falseAlarm", ""),
        breach("d of 5000 on sgd", (f, c) -> {
          sgd(c);
          model(c).put("d", 5000);
        }, "/claims/0/model/d", ""),
        breach("a swept d of 5000 on sgd", (f, c) -> {
          sgd(c);
          c.putObject("sweep").putArray("d").add(100).add(5000);
        }, "/claims/0/sweep/d", ""),
        breach("replicas on the flow route", (f, c) -> c.put("replicas", 8), "/claims/0", "replicas"),
        breach("falseAlarm on the flow route", (f, c) -> c.put("falseAlarm", 1e-4), "/claims/0", "falseAlarm"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breaches")
  void theSchemaRefuses(Edit b) {
    ObjectNode file = base();
    assertThat(errors(file.toString())).as("unchanged base").isEmpty();
    b.change().accept(file, claim(file));
    List<Error> errors = errors(file.toString());
    assertThat(errors).as("%s must be refused: %s", b.what(), file).isNotEmpty();
    // the refusal is at the changed member or below it, not elsewhere
    assertThat(errors).as("%s: errors %s", b.what(), errors).anySatisfy(e -> {
      assertThat(e.getInstanceLocation().toString()).startsWith(b.where());
      assertThat(e.toString()).contains(b.mention());
    });
  }

  // ----------------------------------------------------------------------------------------------- helpers

  /** A claim file holding only the consumer's MY-RISK-BOUND: a flow claim on the reduced method. */
  private static ObjectNode base() {
    ObjectNode file = tree(read(CONSUMER_CLAIMS.resolve("my-claims.json")));
    ArrayNode claims = (ArrayNode) file.get("claims");
    while (claims.size() > 1) {
      claims.remove(claims.size() - 1);
    }
    return file;
  }

  private static ObjectNode claim(ObjectNode file) {
    return (ObjectNode) file.get("claims").get(0);
  }

  private static Arguments variant(String what, BiConsumer<ObjectNode, ObjectNode> change) {
    return Arguments.of(new Edit(what, change, "", ""));
  }

  private static Arguments breach(String what, BiConsumer<ObjectNode, ObjectNode> change, String where,
      String mention) {
    return Arguments.of(new Edit(what, change, where, mention));
  }

  private static ObjectNode model(ObjectNode c) {
    return (ObjectNode) c.get("model");
  }

  private static ObjectNode grid(ObjectNode c) {
    return (ObjectNode) c.get("grid");
  }

  /** The claim's grid without {@code member}. */
  private static ObjectNode gridWithout(ObjectNode c, String member) {
    grid(c).remove(member);
    return grid(c);
  }

  /** A fresh empty list {@code member} in place of the claim's log grid, for the change to fill. */
  private static ArrayNode gridList(ObjectNode c, String member) {
    return gridWithout(c, "log").putArray(member);
  }

  /** The claim turned into a valid online-SGD claim (route sgd, c, replicas, falseAlarm, a grid in samples). */
  private static void sgd(ObjectNode c) {
    c.remove("method");
    c.put("route", "sgd");
    model(c).put("d", 200).put("r", 4).put("m", 4).put("c", 0.05);
    c.put("replicas", 64).put("falseAlarm", 1e-4);
    gridList(c, "log").add(100).add(1e5).add(10);
    grid(c).put("unit", "samples");
    c.put("assert", "abs(meanRisk - odeRisk) <= z seRisk + tol");
  }

  private static List<Error> errors(String json) {
    return schema.validate(json, InputFormat.JSON);
  }
}
