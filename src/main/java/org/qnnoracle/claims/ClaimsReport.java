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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.plot.Figure;
import org.qnnoracle.plot.PngRenderer;

/**
 * The outcome of a verify run in two forms: {@value #JSON_FILE} for machines and {@value #MARKDOWN_FILE}
 * for people. Rendering is separate from writing so callers choose how files are written (the command
 * line replaces them atomically) and tests can inspect the text directly.
 *
 * <p>claims.json is strict JSON: a non-finite measured value or bound (a check that failed before it
 * could measure anything reports NaN) is written as {@code null}, never as the invalid tokens NaN or
 * Infinity; the claim's detail line says what happened.
 *
 * <p>A claim's figures ({@link Measurement#figures}) are written as {@value #PLOTS_DIR}/&lt;stem&gt;.png
 * beside the two files, listed per claim in claims.json and shown in report.md. Stems are unique across
 * the whole report: two claims drawing the same file would silently overwrite each other's picture.
 */
public final class ClaimsReport {
  public static final String JSON_FILE = "claims.json";
  public static final String MARKDOWN_FILE = "report.md";
  public static final String TOOL = "qnn-oracle";
  /** Subdirectory of the report directory holding the figures. */
  public static final String PLOTS_DIR = "plots";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ClaimResult> results;
  private final Scale scale;
  private final long baseSeed;
  private final String version;
  private final Instant generated;

  /** How a report file reaches the disk; the command line passes an atomic writer. */
  @FunctionalInterface
  public interface FileSink {
    void write(Path file, String content) throws IOException;
  }

  /**
   * How a figure's PNG reaches the disk; the command line passes an atomic writer that also creates the
   * {@value #PLOTS_DIR} directory, which only exists when some claim drew a figure.
   */
  @FunctionalInterface
  public interface BinarySink {
    void write(Path file, byte[] content) throws IOException;
  }

  /**
   * @param results the claims' outcomes, in report order
   * @param scale the scale they ran at
   * @param version the tool version recorded in the report
   * @param generated when the run happened (recorded to the second, in UTC)
   * @throws IllegalArgumentException when two claims have a figure with the same file stem (a bug in the
   *     claims, named with both IDs)
   */
  public ClaimsReport(List<ClaimResult> results, Scale scale, String version, Instant generated) {
    this(results, scale, BaseSeed.current(), version, generated);
  }

  /**
   * As {@link #ClaimsReport(List, Scale, String, Instant)} for a run at base seed {@code baseSeed} (recorded
   * in both files: it names every random draw of the run).
   */
  public ClaimsReport(List<ClaimResult> results, Scale scale, long baseSeed, String version, Instant generated) {
    this.results = List.copyOf(results);
    this.scale = Objects.requireNonNull(scale, "scale");
    this.baseSeed = baseSeed;
    this.version = Objects.requireNonNull(version, "version");
    this.generated = generated.truncatedTo(ChronoUnit.SECONDS);
    Map<String, String> owner = new HashMap<>();
    for (ClaimResult r : this.results) {
      for (Figure f : r.measurement().figures()) {
        String previous = owner.putIfAbsent(f.stem(), r.claim().id());
        if (previous != null) {
          throw new IllegalArgumentException("figure file stem '" + f.stem() + "' is used by claims " + previous
              + " and " + r.claim().id() + "; each figure needs its own stem");
        }
      }
    }
  }

  /** Where a figure lies relative to the report directory: {@code plots/<stem>.png} (always with '/'). */
  public static String plotPath(Figure figure) {
    return PLOTS_DIR + "/" + figure.fileName();
  }

  /** Every claim's figures, in report order. */
  public List<Figure> figures() {
    return results.stream().flatMap(r -> r.measurement().figures().stream()).toList();
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

  /**
   * Writes {@value #JSON_FILE} and {@value #MARKDOWN_FILE} into {@code dir} through {@code writer}, for a
   * report without figures.
   *
   * @throws IllegalStateException when some claim has figures: use {@link #writeTo(Path, FileSink, BinarySink)}
   */
  public void writeTo(Path dir, FileSink writer) throws IOException {
    writeTo(dir, writer, (file, bytes) -> {
      throw new IllegalStateException("the report has figures (" + file.getFileName()
          + "); writeTo needs a BinarySink for them");
    });
  }

  /**
   * Writes every figure as {@value #PLOTS_DIR}/&lt;stem&gt;.png through {@code pngWriter}, then
   * {@value #JSON_FILE} and {@value #MARKDOWN_FILE} through {@code writer}. All figures are rendered before
   * the first file is written, so a rendering failure changes nothing on disk; report.md comes last, after
   * the pictures it links.
   */
  public void writeTo(Path dir, FileSink writer, BinarySink pngWriter) throws IOException {
    Map<Path, byte[]> pngs = new LinkedHashMap<>();
    for (Figure f : figures()) {
      pngs.put(dir.resolve(PLOTS_DIR).resolve(f.fileName()), PngRenderer.render(f));
    }
    for (Map.Entry<Path, byte[]> png : pngs.entrySet()) {
      pngWriter.write(png.getKey(), png.getValue());
    }
    writer.write(dir.resolve(JSON_FILE), toJson());
    writer.write(dir.resolve(MARKDOWN_FILE), toMarkdown());
  }

  /**
   * claims.json: tool, version, scale, seed (the base seed), linearAlgebra (the BLAS/LAPACK backend), generated, passed, and one object per claim; a claim's "figures" is
   * the array of its PNGs' paths relative to the report directory (empty when it drew none).
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("tool", TOOL);
    root.put("version", version);
    root.put("scale", scale.label());
    root.put("seed", baseSeed);
    root.put("linearAlgebra", Linalg.describe());
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
      o.put("falseAlarmRate", c.falseAlarmRate());
      ArrayNode tests = o.putArray("tests");
      c.tests().forEach(tests::add);
      putFinite(o, "measured", r.measurement().measured());
      putFinite(o, "bound", r.measurement().bound());
      o.put("status", r.status());
      o.put("millis", r.millis());
      o.put("detail", r.measurement().detail());
      ArrayNode figures = o.putArray("figures");
      r.measurement().figures().forEach(f -> figures.add(plotPath(f)));
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

  /**
   * report.md: a header with scale, date and pass count, the results table, each failure's detail, then
   * the figures under their claim's heading, each image followed by its caption.
   */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(TOOL).append(" claims report\n\n");
    md.append("- Version: ").append(version).append('\n');
    md.append("- Scale: ").append(scale.label()).append('\n');
    md.append("- Base seed: ").append(baseSeed).append(" (rerun with `verify --seed ").append(baseSeed)
        .append("`)\n");
    md.append("- Linear algebra: ").append(Linalg.describe()).append('\n');
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
    List<ClaimResult> drawn = results.stream().filter(r -> !r.measurement().figures().isEmpty()).toList();
    if (!drawn.isEmpty()) {
      md.append("\n## Figures\n");
      for (ClaimResult r : drawn) {
        md.append("\n### ").append(r.claim().id()).append(": ").append(escape(r.claim().title()))
            .append(" (").append(r.status()).append(")\n");
        for (Figure f : r.measurement().figures()) {
          md.append("\n![").append(escape(f.title())).append("](").append(plotPath(f)).append(")\n");
          if (!f.caption().isBlank()) {
            md.append("\n").append(escape(f.caption().strip())).append('\n');
          }
        }
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
