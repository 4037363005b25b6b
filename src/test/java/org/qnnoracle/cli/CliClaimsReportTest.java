package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimsReport;
import org.qnnoracle.claims.Measurement;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.PngRenderer;
import org.qnnoracle.plot.Series;

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
        "toleranceReason", "falseAlarmRate", "tests", "measured", "bound", "status", "millis", "detail", "figures");
    assertThat(claims.get(0).get("falseAlarmRate").asDouble())
        .isEqualTo(CliVerifyTest.claim("TEST-X", s -> null).falseAlarmRate());
    assertThat(claims.get(0).get("figures").isArray()).isTrue();
    assertThat(claims.get(0).get("figures")).isEmpty();
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
    assertThat(md).as("no figures, no section").doesNotContain("## Figures").doesNotContain("![");
  }

  @Test
  void writesBothFilesThroughTheGivenSink() throws IOException {
    Map<Path, String> written = new LinkedHashMap<>();
    report.writeTo(Path.of("dir"), written::put);
    assertThat(written).containsOnlyKeys(Path.of("dir", "claims.json"), Path.of("dir", "report.md"));
  }

  private static Figure figure(String stem, String caption) {
    return Figure.logLog(stem, "Risk [R(t)] vs time", "time t", "risk", List.of(
        Series.line("flow", new double[] {1, 10, 100}, new double[] {1, 0.3, 0.1}),
        Series.dashed("slope -1/2", new double[] {1, 100}, new double[] {1, 0.1})), caption);
  }

  private static final ClaimsReport WITH_FIGURES = new ClaimsReport(List.of(
      result("TEST-PLAIN", Measurement.atMost(0.1, 1, "no figure")),
      result("TEST-DRAWN", Measurement.atMost(0.1, 1, "drawn").withFigures(
          List.of(figure("risk-vs-time", "Slope *close* to -1/2."), figure("second", "")))),
      result("TEST-FAILED-DRAWN", Measurement.atMost(2, 1, "too big").withFigures(List.of(figure("third", ""))))),
      Scale.SMALL, "1", WHEN);

  @Test
  void figuresAreWrittenAsPngsUnderPlots() throws IOException {
    Map<Path, String> text = new LinkedHashMap<>();
    Map<Path, byte[]> binary = new LinkedHashMap<>();
    List<Path> order = new java.util.ArrayList<>();
    WITH_FIGURES.writeTo(Path.of("dir"), (f, c) -> {
      order.add(f);
      text.put(f, c);
    }, (f, b) -> {
      order.add(f);
      binary.put(f, b);
    });
    assertThat(text).containsOnlyKeys(Path.of("dir", "claims.json"), Path.of("dir", "report.md"));
    assertThat(binary).containsOnlyKeys(Path.of("dir", "plots", "risk-vs-time.png"),
        Path.of("dir", "plots", "second.png"), Path.of("dir", "plots", "third.png"));
    for (byte[] png : binary.values()) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(img).isNotNull();
      assertThat(img.getWidth()).isEqualTo(PngRenderer.DEFAULT_WIDTH);
    }
    // The pictures first, the Markdown that links them last.
    assertThat(order.get(order.size() - 1)).isEqualTo(Path.of("dir", "report.md"));
  }

  @Test
  void markdownEmbedsFiguresUnderTheirClaimWithCaptions() {
    String md = WITH_FIGURES.toMarkdown();
    assertThat(md).contains("## Figures")
        .contains("### TEST-DRAWN: fabricated claim TEST-DRAWN (PASS)")
        .contains("### TEST-FAILED-DRAWN: fabricated claim TEST-FAILED-DRAWN (FAIL)")
        .doesNotContain("### TEST-PLAIN")
        .contains("![Risk \\[R(t)\\] vs time](plots/risk-vs-time.png)\n\nSlope \\*close\\* to -1/2.\n")
        .contains("](plots/second.png)").contains("](plots/third.png)");
    String section = md.substring(md.indexOf("## Figures"));
    assertThat(section.indexOf("### TEST-DRAWN")).isLessThan(section.indexOf("plots/risk-vs-time.png"));
    assertThat(section.indexOf("plots/second.png")).isLessThan(section.indexOf("### TEST-FAILED-DRAWN"));
    assertThat(section.indexOf("### TEST-FAILED-DRAWN")).isLessThan(section.indexOf("plots/third.png"));
  }

  @Test
  void jsonListsEachClaimsFigureFiles() throws IOException {
    JsonNode claims = new ObjectMapper().readTree(WITH_FIGURES.toJson()).get("claims");
    assertThat(claims.get(0).get("figures")).isEmpty();
    assertThat(claims.get(1).get("figures")).extracting(JsonNode::asText)
        .containsExactly("plots/risk-vs-time.png", "plots/second.png");
    assertThat(claims.get(2).get("figures")).extracting(JsonNode::asText).containsExactly("plots/third.png");
  }

  @Test
  void duplicateStemsAcrossClaimsAreAnError() {
    List<ClaimResult> results = List.of(
        result("TEST-A", Measurement.atMost(0, 1, "a").withFigures(List.of(figure("same", "")))),
        result("TEST-B", Measurement.atMost(0, 1, "b").withFigures(List.of(figure("same", "")))));
    assertThatThrownBy(() -> new ClaimsReport(results, Scale.SMALL, "1", WHEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'same'").hasMessageContaining("TEST-A").hasMessageContaining("TEST-B");
    assertThatThrownBy(() -> Measurement.atMost(0, 1, "c").withFigures(List.of(figure("x", ""), figure("x", ""))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
  }

  @Test
  void textOnlySinkRefusesAReportWithFigures() {
    assertThatThrownBy(() -> WITH_FIGURES.writeTo(Path.of("dir"), (f, c) -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("BinarySink");
  }

  @Test
  void measurementKeepsItsFourArgumentForm() {
    Measurement m = new Measurement(1, 2, true, "d");
    assertThat(m.figures()).isEmpty();
    assertThat(Measurement.failure("x").figures()).isEmpty();
    Measurement drawn = m.withFigures(List.of(figure("f", "")));
    assertThat(drawn.figures()).extracting(Figure::stem).containsExactly("f");
    assertThat(List.of(drawn.measured(), drawn.bound())).containsExactly(1.0, 2.0);
    assertThat(drawn.detail()).isEqualTo("d");
  }

  @Test
  void pipesInTitlesAreEscaped() {
    ClaimsReport r = new ClaimsReport(List.of(new ClaimResult(
        new org.qnnoracle.claims.Claim("TEST-PIPE", "|M - A|_F^2 <= x", "s", 
            org.qnnoracle.claims.ClaimSource.classical("c"), 1.0, "t", "r", List.of(), s -> null, 0.0),
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
