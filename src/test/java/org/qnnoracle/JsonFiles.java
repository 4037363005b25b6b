package org.qnnoracle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The JSON files tests read: committed cases, candidates, claim files and schemas. */
public final class JsonFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The dialect every schema of spec/schema declares. */
  public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
  /** The independent validator (networknt json-schema-validator) the schema tests use. */
  public static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private JsonFiles() {}

  /** The schema in {@code file}, ready to validate documents. */
  public static Schema schema(Path file) {
    return SCHEMAS.getSchema(read(file), InputFormat.JSON);
  }

  /** What the draft 2020-12 meta-schema finds wrong with the schema in {@code file} (empty: a valid schema). */
  public static List<Error> metaSchemaErrors(Path file) {
    return SCHEMAS.getSchema(SchemaLocation.of(DRAFT_2020_12)).validate(read(file), InputFormat.JSON);
  }

  /** The *.json files of {@code dir}, sorted by name. */
  public static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode tree(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
