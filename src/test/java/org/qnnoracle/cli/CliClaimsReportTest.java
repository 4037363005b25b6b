package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimsReport;
import org.qnnoracle.claims.Measurement;
import org.qnnoracle.claims.Scale;

/** ClaimsReport rendering, on fabricated results (its test lives here with the command that uses it). */
class CliClaimsReportTest {
  private static final Instant WHEN = Instant.parse("2025-03-04T05:06:07.891Z");

  private static ClaimResult result(String id, Measurement m) {
    return new ClaimResult(CliVerifyTest.claim(id, s -> m), Scale.LARGE, m, 1234);
  }

  private final ClaimsReport report = new ClaimsReport(List.of(
      result("TEST-OK", Measurement.atMost(1e-12, 1e-9, "fine")),
      result("TEST-INF", Measurement.atMost(Double.POSITIVE_INFINITY, 1e-9, "overflowed | badly")),
      result("TEST-NAN", Measurement.failure("check threw IllegalStateException: x"))),
      Scale.LARGE, "9.9.9", WHEN);

  @Test
  void jsonIsStrictAndNonFiniteNumbersAreNull() throws IOException {
    JsonNode root = new ObjectMapper().readTree(report.toJson());
    assertThat(root.get("generated").asText()).isEqualTo("2025-03-04T05:06:07Z");
    assertThat(root.get("version").asText()).isEqualTo("9.9.9");
    assertThat(root.get("scale").asText()).isEqualTo("large");
    assertThat(root.get("passed").asBoolean()).isFalse();
    JsonNode claims = root.get("claims");
    assertThat(claims.get(0).get("measured").asDouble()).isEqualTo(1e-12);
    assertThat(claims.get(1).get("measured").isNull()).isTrue();
    assertThat(claims.get(1).get("bound").asDouble()).isEqualTo(1e-9);
    assertThat(claims.get(2).get("measured").isNull()).isTrue();
    assertThat(claims.get(2).get("bound").isNull()).isTrue();
    assertThat(claims.get(0).get("millis").asLong()).isEqualTo(1234);
    assertThat(fieldNames(claims.get(0))).containsExactly("id", "title", "statement", "source", "tolerance",
        "toleranceReason", "tests", "measured", "bound", "status", "millis", "detail");
  }

  @Test
  void markdownHasHeaderTableAndFailureDetails() {
    String md = report.toMarkdown();
    assertThat(md).contains("Scale: large").contains("2025-03-04T05:06:07Z").contains("1 of 3 claims passed")
        .contains("**FAIL**");
    // The table: header, rule, one row per claim, each with the same number of unescaped separators.
    List<String> rows = md.lines().filter(l -> l.startsWith("| ")).toList();
    assertThat(rows).hasSize(4);
    assertThat(rows.get(1)).contains("| TEST-OK |").contains("1.00e-12").contains("PASS").contains("1.23 s");
    assertThat(rows.get(2)).contains("Infinity").contains("FAIL");
    assertThat(rows.get(3)).contains("NaN");
    // Two failure sections with their detail; the pipe in a detail stays inside its code block.
    assertThat(md).contains("### TEST-INF").contains("### TEST-NAN").doesNotContain("### TEST-OK")
        .contains("```\noverflowed | badly\n```");
  }

  @Test
  void writesBothFilesThroughTheGivenSink() throws IOException {
    Map<Path, String> written = new LinkedHashMap<>();
    report.writeTo(Path.of("dir"), written::put);
    assertThat(written).containsOnlyKeys(Path.of("dir", "claims.json"), Path.of("dir", "report.md"));
  }

  @Test
  void pipesInTitlesAreEscaped() {
    ClaimsReport r = new ClaimsReport(List.of(new ClaimResult(
        new org.qnnoracle.claims.Claim("TEST-PIPE", "|M - A|_F^2 <= x", "s", 
            org.qnnoracle.claims.ClaimSource.classical("c"), "t", "r", List.of(), s -> null),
        Scale.SMALL, Measurement.atMost(0, 1, "d"), 0)), Scale.SMALL, "1", WHEN);
    String row = r.toMarkdown().lines().filter(l -> l.startsWith("| TEST-PIPE")).findFirst().orElseThrow();
    assertThat(row).contains("\\|M - A\\|\\_F^2 \\<= x");
    assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(7);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
