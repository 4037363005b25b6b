package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qnnoracle.reference.ReferenceFixtures.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check}: verdicts and exit codes on hand-made cases; every unreadable input exits 2 with one line. */
class CliCheckTest {
  private static final long SEED = 7_001L;

  @TempDir
  Path tmp;

  private Path flowCaseFile() {
    return writeCase(tmp, sealed(flowCase("flow-small")));
  }

  private CliRun check(Path caseFile, Path candidate, Path report) {
    return report == null
        ? CliRun.of("check", "--case", caseFile.toString(), "--candidate", candidate.toString())
        : CliRun.of("check", "--case", caseFile.toString(), "--candidate", candidate.toString(), "--report",
            report.toString());
  }

  @Test
  void passingFlowCandidateWritesTheTableAndReports() throws IOException {
    Path report = tmp.resolve("report");
    CliRun run = check(flowCaseFile(), write(tmp, "cand.json", flowCandidate("flow-small")), report);
    assertThat(run.exit()).as(run.err()).isZero();
    System.out.println(run.out());
    assertThat(run.outLines().get(0))
        .isEqualTo("case flow-small (flow); candidate: hand-made test candidate; precision float64");
    assertThat(run.outLines().get(1)).containsSubsequence("quantity", "test", "worst", "bound", "status", "where");
    assertThat(run.out()).contains("overlaps").contains("tolerance").contains("PASS");
    assertThat(run.outLines().get(run.outLines().size() - 1)).isEqualTo("check: PASS (3 of 3 quantities)");
    assertThat(CliRun.listing(report)).containsExactly("check.json", "check.md");
    JsonNode json = JSON.readTree(report.resolve("check.json").toFile());
    assertThat(json.get("case").asText()).isEqualTo("flow-small");
    assertThat(json.get("implementation").asText()).isEqualTo("hand-made test candidate");
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.get("quantities")).hasSize(3);
    assertThat(json.get("quantities").get(1).get("quantity").asText()).isEqualTo("overlaps");
    assertThat(json.get("quantities").get(1).get("status").asText()).isEqualTo("PASS");
    assertThat(Files.readString(report.resolve("check.md"))).contains("| overlaps | tolerance |")
        .contains("PASS (3 of 3 quantities)");
  }

  @Test
  void justOutsideTheToleranceFailsWithExitOne() throws IOException {
    ObjectNode cand = flowCandidate("flow-small");
    double e = FLOW_TRACE[1];
    ((ArrayNode) cand.get("quantities").get("traceM")).set(1, DoubleNode.valueOf(e + 1.01 * allowed(e)));
    Path report = tmp.resolve("report");
    CliRun run = check(flowCaseFile(), write(tmp, "cand.json", cand), report);
    assertThat(run.exit()).as(run.err()).isEqualTo(Console.EXIT_CLAIM_FAILED);
    assertThat(run.out()).contains("FAIL").contains("traceM[1]: candidate ");
    assertThat(run.outLines().get(run.outLines().size() - 1))
        .isEqualTo("check: FAIL (1 of 3 quantities failed: traceM)");
    JsonNode json = JSON.readTree(report.resolve("check.json").toFile());
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("quantities").get(2).get("worstIndex").get(0).asInt()).isEqualTo(1);
  }

  @Test
  void identityExactAndStatisticalCases() {
    Path idCase = writeCase(tmp, sealed(identityCase("id-small")));
    CliRun exact = check(idCase, write(tmp, "id.json", identityCandidateStrings("id-small")), null);
    assertThat(exact.exit()).as(exact.err()).isZero();
    assertThat(exact.out()).contains("exact").contains("all 4 elements equal");

    ObjectNode off = identityCandidateStrings("id-small");
    ((ObjectNode) off.get("quantities")).put("risk", "8/7");
    CliRun wrong = check(idCase, write(tmp, "id-off.json", off), null);
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.out()).contains("risk: candidate 8/7, expected 8/9");

    System.out.println("CliCheckTest statistical candidate seed: " + SEED);
    Path statCase = writeCase(tmp, sealed(statisticalCase("stat-small")));
    CliRun same = check(statCase, write(tmp, "s.json", statisticalCandidate("stat-small", SEED, 60, 0)), null);
    assertThat(same.exit()).as(same.out()).isZero();
    assertThat(same.out()).contains("statistical").contains("3.66").contains("60 replicas");
    CliRun shifted = check(statCase, write(tmp, "s2.json", statisticalCandidate("stat-small", SEED, 60, 6)), null);
    assertThat(shifted.exit()).as(shifted.out()).isEqualTo(1);
    assertThat(shifted.out()).contains("check: FAIL (1 of 1 quantities failed: meanRisk)");
  }

  /** Runs check with a candidate (or case) edited by {@code edit}; expects exit 2, one line, no report. */
  private String rejected(Path caseFile, Path candidate) {
    Path report = tmp.resolve("report-rejected");
    CliRun run = check(caseFile, candidate, report);
    run.assertUsageError("check");
    assertThat(report).doesNotExist();
    return run.errLines().get(0);
  }

  private String rejectedCandidate(Consumer<ObjectNode> edit) {
    ObjectNode cand = flowCandidate("flow-small");
    edit.accept(cand);
    return rejected(flowCaseFile(), write(tmp, "cand.json", cand));
  }

  @Test
  void everyUnreadableInputExitsTwoWithOneLineAndNoReport() {
    Path caseFile = flowCaseFile();
    Path goodCand = write(tmp, "good.json", flowCandidate("flow-small"));
    String p = "qnn-oracle: error: ";

    String text = flowCandidate("flow-small").toString();
    assertThat(rejected(caseFile, writeText(tmp, "trunc.json", text.substring(0, text.length() / 2))))
        .isEqualTo(p + tmp.resolve("trunc.json") + ": the file ends before the JSON is complete (truncated?)");
    String caseText = sealed(flowCase("flow-small")).toPrettyString();
    Path truncCase = writeText(mkdir(tmp.resolve("t")),
        "flow-small.json", caseText.substring(0, caseText.length() - 40));
    assertThat(rejected(truncCase, goodCand))
        .isEqualTo(p + truncCase + ": the file ends before the JSON is complete (truncated?)");

    assertThat(rejectedCandidate(c -> c.put("format", "qnn-oracle-result")))
        .endsWith("cand.json: format is \"qnn-oracle-result\", expected \"qnn-oracle-candidate\"");
    assertThat(rejectedCandidate(c -> c.put("formatVersion", 3)))
        .endsWith("cand.json: formatVersion is 3; this checker reads versions 1 and 2");
    assertThat(rejectedCandidate(c -> c.put("precision", "float16")))
        .endsWith("cand.json: precision is \"float16\", expected float64 or float32");
    assertThat(rejectedCandidate(c -> c.put("precision", "float32")))
        .endsWith("cand.json: precision is float32, but case flow-small has format version 1, which gives no "
            + "float32 tolerances; check against the version-2 case");
    assertThat(rejectedCandidate(c -> c.put("case", "flow-big")))
        .endsWith("cand.json: case is \"flow-big\", but the case file is \"flow-small\"");
    assertThat(rejectedCandidate(c -> ((ObjectNode) c.get("quantities")).remove("risk")))
        .endsWith("cand.json: quantities.risk is missing (the case expects risk, overlaps, traceM)");
    assertThat(rejectedCandidate(c -> ((ObjectNode) c.get("quantities")).put("loss", 0.5)))
        .endsWith("cand.json: quantities.loss is not a quantity of case flow-small (the case expects risk, "
            + "overlaps, traceM)");
    assertThat(rejectedCandidate(c -> ((ArrayNode) c.get("quantities").get("overlaps")).remove(0)))
        .endsWith("cand.json: quantities.overlaps has 2 rows, the case expects 3");
    assertThat(rejectedCandidate(c -> ((ArrayNode) c.get("quantities").get("overlaps").get(1)).remove(0)))
        .endsWith("cand.json: quantities.overlaps[1] has 1 entries, the case expects 2");
    assertThat(rejectedCandidate(c -> ((ArrayNode) c.get("quantities").get("risk")).set(2, TextNode.valueOf("NaN"))))
        .endsWith("cand.json: quantities.risk[2] is \"NaN\": not a finite number");
    assertThat(rejectedCandidate(c -> ((ArrayNode) c.get("quantities").get("overlaps").get(0)).setNull(1)))
        .contains("cand.json: quantities.overlaps[0][1] is null: not a finite number");
    assertThat(rejected(caseFile, writeText(tmp, "big.json", text.replace("4.5", "1e999"))))
        .endsWith("big.json: quantities.risk[0] is Infinity: not a finite number (outside the double range)");

    // case file: wrong format, wrong version, edited value (checksum), missing file
    ObjectNode wrongFormat = flowCase("flow-small");
    wrongFormat.put("format", "qnn-oracle-candidate");
    Path wf = writeCase(mkdir(tmp.resolve("wf")), sealed(wrongFormat));
    assertThat(rejected(wf, goodCand)).endsWith("format is \"qnn-oracle-candidate\", expected "
        + "\"qnn-oracle-reference\" (is this a case file?)");
    ObjectNode v3 = flowCase("flow-small");
    v3.put("formatVersion", 3);
    assertThat(rejected(writeCase(mkdir(tmp.resolve("v3")), sealed(v3)), goodCand))
        .endsWith("formatVersion is 3; this checker reads versions 1 and 2");
    ObjectNode v2 = flowCase("flow-small");
    v2.put("formatVersion", 2);
    assertThat(rejected(writeCase(mkdir(tmp.resolve("v2")), sealed(v2)), goodCand))
        .endsWith("difficulty is missing");
    ObjectNode v1With32 = flowCase("flow-small");
    ((ObjectNode) v1With32.get("expected").get("risk")).putObject("float32");
    assertThat(rejected(writeCase(mkdir(tmp.resolve("v1f")), sealed(v1With32)), goodCand))
        .endsWith("expected.risk.float32 is a version-2 member, but formatVersion is 1");
    ObjectNode edited = sealed(flowCase("flow-small"));
    ((ArrayNode) edited.get("expected").get("risk").get("values")).set(0, DoubleNode.valueOf(4.25));
    Path ed = writeCase(mkdir(tmp.resolve("ed")), edited);
    assertThat(rejected(ed, goodCand)).startsWith(p + ed + ": checksum mismatch: the file says sha256:")
        .endsWith("(the case was edited or corrupted; regenerate it)");
    Path none = tmp.resolve("no-such-case.json");
    assertThat(rejected(none, goodCand)).isEqualTo(p + "case file '" + none + "' does not exist");
    assertThat(rejected(caseFile, tmp.resolve("nope.json")))
        .isEqualTo(p + "candidate file '" + tmp.resolve("nope.json") + "' does not exist");
  }

  @Test
  void missingOptionsAndHelp() {
    CliRun.of("check", "--candidate", "x.json").assertUsageError("check");
    CliRun help = CliRun.of("check", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--case=FILE", "--candidate=FILE", "--report=DIR", "check.json", "check.md",
        "Example:", "qnn-oracle check --case test-data/cases/", "Exit codes: 0", "riskReplicas");
    assertThat(CliRun.of("--help").out()).contains("check");
  }

  private static Path mkdir(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
