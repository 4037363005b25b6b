package org.qnnoracle.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qnnoracle.JsonFiles.list;
import static org.qnnoracle.JsonFiles.read;
import static org.qnnoracle.JsonFiles.tree;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.qnnoracle.JsonFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.qnnoracle.InvalidInputException;

/**
 * The sweep JSON Schema (spec/schema/sweep.schema.json) against the reader, through an independent validator
 * (networknt json-schema-validator): the schema is a valid draft 2020-12 schema, every committed specification
 * passes both, each allowed shape passes both, and each breach is refused by both, so neither can drift into
 * accepting what the other refuses on these cases.
 */
class SweepSchemaTest {
  private static final Path SCHEMA = Path.of("spec", "schema", "sweep.schema.json");
  private static Schema schema;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadSchema() {
    schema = JsonFiles.schema(SCHEMA);
  }

  @Test
  void theSchemaIsADraft202012SchemaByTheMetaSchema() {
    assertThat(tree(read(SCHEMA)).path("$schema").asText()).isEqualTo(JsonFiles.DRAFT_2020_12);
    assertThat(JsonFiles.metaSchemaErrors(SCHEMA)).isEmpty();
  }

  static Stream<Path> committedSpecifications() {
    return list(Path.of("test-data", "sweeps")).stream();
  }

  @ParameterizedTest
  @MethodSource("committedSpecifications")
  void everyCommittedSpecificationPasses(Path file) {
    assertThat(schema.validate(read(file), InputFormat.JSON)).as(file.toString()).isEmpty();
  }

  private static String doc(String block) {
    return "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"name\": \"x\", \"tasks\": [" + block + "]}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "verify, all claims|{\"kind\": \"verify\", \"seeds\": \"1..3\"}",
    "verify, strided seeds and scales|{\"kind\": \"verify\", \"claims\": [\"FLOW-\"], \"seeds\": {\"from\": 5, \"count\": 3, \"stride\": 100000}, \"scale\": [\"small\", \"large\"]}",
    "verify, seed list|{\"kind\": \"verify\", \"claims\": \"FLOW-LOEWNER\", \"seeds\": [1, 9]}",
    "laws with beta|{\"kind\": \"laws\", \"law\": \"time\", \"d\": [10000, 1e6], \"beta\": 0.5, \"alpha\": [1, 1.5], \"sigma0\": 0.001, \"points\": 100, \"seeds\": 1}",
    "laws with m|{\"kind\": \"laws\", \"d\": 10000, \"r\": 32, \"m\": [16, 32], \"seeds\": \"1..2\"}",
    "sgd at batch d by c|{\"kind\": \"sgd\", \"d\": [40, 80], \"r\": 6, \"m\": 3, \"c\": [0.1, 0.2], \"batch\": \"d\", \"tMax\": 2, \"seed\": 1, \"replicas\": 2}",
    "sgd by eta and steps|{\"kind\": \"sgd\", \"d\": 40, \"beta\": 0.5, \"m\": 3, \"eta\": 0.001, \"steps\": 100, \"batch\": [1, 4], \"noise\": [0, 0.1], \"points\": 5, \"seed\": [1, 2]}",
  })
  void allowedShapesPassBoth(String name, String block) throws IOException {
    String text = doc(block);
    assertThat(schema.validate(text, InputFormat.JSON)).as(name).isEmpty();
    assertThat(SweepSpec.read(Files.writeString(dir.resolve("s.json"), text)).tasks()).as(name).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown kind|{\"kind\": \"fit\", \"seeds\": 1}",
    "no kind|{\"seeds\": 1}",
    "verify without seeds|{\"kind\": \"verify\"}",
    "verify with a misspelt member|{\"kind\": \"verify\", \"seed\": 1}",
    "verify with a bad scale|{\"kind\": \"verify\", \"seeds\": 1, \"scale\": \"huge\"}",
    "verify with seeds as words|{\"kind\": \"verify\", \"seeds\": \"one to ten\"}",
    "laws with r and beta|{\"kind\": \"laws\", \"d\": 100, \"r\": 16, \"beta\": 0.5, \"seeds\": 1}",
    "laws of another law|{\"kind\": \"laws\", \"law\": \"width\", \"d\": 100, \"r\": 16, \"seeds\": 1}",
    "laws with few points|{\"kind\": \"laws\", \"d\": 100, \"r\": 16, \"points\": 5, \"seeds\": 1}",
    "laws with an empty d|{\"kind\": \"laws\", \"d\": [], \"r\": 16, \"seeds\": 1}",
    "sgd without horizon|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"seed\": 1}",
    "sgd with both horizons|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"tMax\": 1, \"steps\": 5, \"seed\": 1}",
    "sgd with c and eta|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"c\": 0.1, \"eta\": 0.01, \"tMax\": 1, \"seed\": 1}",
    "sgd with a negative step|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"c\": -0.1, \"tMax\": 1, \"seed\": 1}",
    "sgd with zero replicas|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"tMax\": 1, \"seed\": 1, \"replicas\": 0}",
    "sgd with batch as a word|{\"kind\": \"sgd\", \"d\": 10, \"r\": 2, \"m\": 1, \"tMax\": 1, \"seed\": 1, \"batch\": \"m\"}",
  })
  void breachesAreRefusedByBoth(String name, String block) throws IOException {
    String text = doc(block);
    assertThat(schema.validate(text, InputFormat.JSON)).as(name).isNotEmpty();
    Path f = Files.writeString(dir.resolve("s.json"), text);
    assertThatThrownBy(() -> SweepSpec.read(f)).as(name).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void fileLevelBreachesAreRefusedByBoth() throws IOException {
    for (String text : new String[] {
      "{\"format\": \"qnn-oracle-sweep\", \"version\": 2, \"tasks\": [{\"kind\": \"verify\", \"seeds\": 1}]}",
      "{\"format\": \"qnn-oracle-claims\", \"version\": 1, \"tasks\": [{\"kind\": \"verify\", \"seeds\": 1}]}",
      "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": []}",
      "{\"format\": \"qnn-oracle-sweep\", \"version\": 1, \"tasks\": [{\"kind\": \"verify\", \"seeds\": 1}], \"extra\": 1}",
    }) {
      assertThat(schema.validate(text, InputFormat.JSON)).as(text).isNotEmpty();
      Path f = Files.writeString(dir.resolve("s.json"), text);
      assertThatThrownBy(() -> SweepSpec.read(f)).as(text).isInstanceOf(InvalidInputException.class);
    }
  }
}
