package org.qnnoracle.claims;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of a verify run in two forms: {@value #JSON_FILE} for machines and {@value #MARKDOWN_FILE}
 * for people. Rendering is separate from writing so callers choose how files are written (the command
 * line replaces them atomically) and tests can inspect the text directly.
 *
 * <p>claims.json is strict JSON: a non-finite measured value or bound (a check that failed before it
 * could measure anything reports NaN) is written as {@code null}, never as the invalid tokens NaN or
 * Infinity; the claim's detail line says what happened.
 */
public final class ClaimsReport {
  public static final String JSON_FILE = "claims.json";
  public static final String MARKDOWN_FILE = "report.md";
  public static final String TOOL = "qnn-oracle";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ClaimResult> results;
  private final Scale scale;
  private final String version;
  private final Instant generated;

  /** How a report file reaches the disk; the command line passes an atomic writer. */
  @FunctionalInterface
  public interface FileSink {
    void write(Path file, String content) throws IOException;
  }

  /**
   * @param results the claims' outcomes, in report order
   * @param scale the scale they ran at
   * @param version the tool version recorded in the report
   * @param generated when the run happened (recorded to the second, in UTC)
   */
  public ClaimsReport(List<ClaimResult> results, Scale scale, String version, Instant generated) {
    this.results = List.copyOf(results);
    this.scale = Objects.requireNonNull(scale, "scale");
    this.version = Objects.requireNonNull(version, "version");
    this.generated = generated.truncatedTo(ChronoUnit.SECONDS);
  }

  public List<ClaimResult> results() {
    return results;
  }

  /** True when every claim passed (vacuously true for an empty run; callers refuse empty selections). */
  public boolean passed() {
    return results.stream().allMatch(ClaimResult::passed);
  }

  public long passCount() {
    return results.stream().filter(ClaimResult::passed).count();
  }

  /** Writes {@value #JSON_FILE} and {@value #MARKDOWN_FILE} into {@code dir} through {@code writer}. */
  public void writeTo(Path dir, FileSink writer) throws IOException {
    writer.write(dir.resolve(JSON_FILE), toJson());
    writer.write(dir.resolve(MARKDOWN_FILE), toMarkdown());
  }

  /** claims.json: tool, version, scale, generated, passed, and one object per claim. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("tool", TOOL);
    root.put("version", version);
    root.put("scale", scale.label());
    root.put("generated", timestamp());
    root.put("passed", passed());
    ArrayNode claims = root.putArray("claims");
    for (ClaimResult r : results) {
      Claim c = r.claim();
      ObjectNode o = claims.addObject();
      o.put("id", c.id());
      o.put("title", c.title());
      o.put("statement", c.statement());
      o.put("source", c.source().label());
      o.put("tolerance", c.tolerance());
      o.put("toleranceReason", c.toleranceReason());
      ArrayNode tests = o.putArray("tests");
      c.tests().forEach(tests::add);
      putFinite(o, "measured", r.measurement().measured());
      putFinite(o, "bound", r.measurement().bound());
      o.put("status", r.status());
      o.put("millis", r.millis());
      o.put("detail", r.measurement().detail());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      // A tree of strings, numbers and booleans always serialises; reaching this is a bug.
      throw new IllegalStateException("cannot serialise the claims report", e);
    }
  }

  private static void putFinite(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) {
      o.put(field, value);
    } else {
      o.putNull(field);
    }
  }

  /** report.md: a header with scale, date and pass count, the results table, then each failure's detail. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(TOOL).append(" claims report\n\n");
    md.append("- Version: ").append(version).append('\n');
    md.append("- Scale: ").append(scale.label()).append('\n');
    md.append("- Generated: ").append(timestamp()).append('\n');
    md.append("- Result: ").append(passCount()).append(" of ").append(results.size())
        .append(" claims passed (").append(passed() ? "**PASS**" : "**FAIL**").append(")\n\n");
    md.append("| ID | Claim | Measured | Bound | Status | Time |\n");
    md.append("|----|-------|---------:|------:|:------:|-----:|\n");
    for (ClaimResult r : results) {
      md.append("| ").append(r.claim().id())
          .append(" | ").append(escape(r.claim().title()))
          .append(" | ").append(number(r.measurement().measured()))
          .append(" | ").append(number(r.measurement().bound()))
          .append(" | ").append(r.status())
          .append(" | ").append(seconds(r.millis()))
          .append(" |\n");
    }
    List<ClaimResult> failed = results.stream().filter(r -> !r.passed()).toList();
    if (!failed.isEmpty()) {
      md.append("\n## Failed claims\n");
      for (ClaimResult r : failed) {
        Claim c = r.claim();
        md.append("\n### ").append(c.id()).append(": ").append(escape(c.title())).append("\n\n");
        md.append("- Statement: ").append(escape(c.statement())).append('\n');
        md.append("- Source: ").append(escape(c.source().label())).append('\n');
        md.append("- Tolerance: ").append(escape(c.tolerance())).append('\n');
        md.append("- Measured ").append(number(r.measurement().measured()))
            .append(" against bound ").append(number(r.measurement().bound())).append("\n\n");
        String fence = r.measurement().detail().contains("```") ? "~~~~" : "```";
        md.append(fence).append('\n').append(r.measurement().detail()).append('\n').append(fence).append('\n');
      }
    }
    return md.toString();
  }

  /** The number format of every report and table: three significant digits (NaN stays "NaN"). */
  public static String number(double x) {
    return String.format(Locale.ROOT, "%.3g", x);
  }

  /** Run time of a claim for people: seconds with two decimals. */
  public static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private String timestamp() {
    return DateTimeFormatter.ISO_INSTANT.format(generated);
  }

  /**
   * Claim titles are plain text with mathematical ASCII (|M - A|_F^2, lambda_j, [0, A]); escape the
   * characters Markdown would read as table separators, emphasis, links or HTML.
   */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (char ch : text.replaceAll("\\s*\\R\\s*", " ").toCharArray()) {
      if ("\\`*_|<>[]".indexOf(ch) >= 0) {
        sb.append('\\');
      }
      sb.append(ch);
    }
    return sb.toString();
  }
}
