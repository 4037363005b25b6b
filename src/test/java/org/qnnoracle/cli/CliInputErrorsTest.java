package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qnnoracle.reference.ReferenceFixtures.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input files and output paths, as users met them: each is refused with exit 2 and one line in our own
 * words (no Java exception or Jackson text, no "[Source: ...]" dump, no temporary file name, under 200
 * characters), before any output exists; running out of memory is a one-line hint with exit 4.
 */
class CliInputErrorsTest {
  @TempDir
  Path tmp;

  /** The refusal contract; returns the error line. */
  private static String refused(CliRun run, String command) {
    run.assertUsageError(command);
    String line = run.errLines().get(0);
    assertThat(line).as("the error line")
        .doesNotContain("Exception").doesNotContain("com.fasterxml").doesNotContain("[Source:")
        .doesNotContain("JsonReadFeature").doesNotContain("`").doesNotContain("byte[]").doesNotContain(".tmp")
        .hasSizeLessThan(200);
    return line;
  }

  private static final String E = "qnn-oracle: error: ";

  /** A file of {@code size} bytes that costs no disk: a sparse file of zeros. */
  private static Path sparse(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    return file;
  }

  // ---------------------------------------------------------------------------------------------- check

  private Path flowCaseFile() {
    return writeCase(tmp, sealed(flowCase("flow-small")));
  }

  private String checkRefused(Path caseFile, Path candidate) {
    Path report = tmp.resolve("report");
    String line = refused(CliRun.of("check", "--case", caseFile.toString(), "--candidate", candidate.toString(),
        "--report", report.toString()), "check");
    assertThat(report).doesNotExist();
    return line;
  }

  @Test
  void aGarbageFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws IOException {
    // 200 MB: parsed whole this took 478 MB of heap and, at -Xmx64m, ended as "internal error: OutOfMemoryError"
    Path big = sparse(tmp.resolve("big.json"), 200L << 20);
    assertThat(checkRefused(flowCaseFile(), big))
        .isEqualTo(E + big + ": 200 MB is larger than the largest valid candidate file (limit 16 MB)");
    Path bigCase = sparse(Files.createDirectories(tmp.resolve("c")).resolve("flow-small.json"), (16L << 20) + 1);
    assertThat(checkRefused(bigCase, write(tmp, "cand.json", flowCandidate("flow-small"))))
        .isEqualTo(E + bigCase + ": 16 MB (16777217 bytes) is larger than the largest valid case file (limit 16 MB)");
  }

  @Test
  void nanInACandidateIsNamedWithItsLineAndColumn() {
    Path cand = writeText(tmp, "cand.json", "{\n  \"format\": \"qnn-oracle-candidate\",\n  \"formatVersion\": NaN\n}");
    assertThat(checkRefused(flowCaseFile(), cand))
        .isEqualTo(E + cand + " line 3, column 20: NaN is not allowed (write numbers only)");
    Path inf = writeText(tmp, "inf.json", "{\"format\": -Infinity}");
    assertThat(checkRefused(flowCaseFile(), inf))
        .isEqualTo(E + inf + " line 1, column 12: -Infinity is not allowed (write numbers only)");
  }

  @Test
  void aTruncatedFileIsCalledTruncated() {
    String text = flowCandidate("flow-small").toPrettyString();
    // cut inside an array: Jackson's message then carried a "[Source: (byte[])..." dump of the whole file
    Path cand = writeText(tmp, "cand.json", text.substring(0, text.indexOf("0.75") + 4));
    assertThat(checkRefused(flowCaseFile(), cand))
        .isEqualTo(E + cand + ": the file ends before the JSON is complete (truncated?)");
    String caseText = sealed(flowCase("flow-small")).toPrettyString();
    Path truncCase = writeText(mkdir(tmp.resolve("t")), "flow-small.json", caseText.substring(0, 200));
    assertThat(checkRefused(truncCase, cand))
        .isEqualTo(E + truncCase + ": the file ends before the JSON is complete (truncated?)");
    // cut inside a number or a word: Jackson calls it a malformed number or token, but it is the end of the file
    Path inNumber = writeText(tmp, "n.json", text.substring(0, text.indexOf("0.75") + 2));
    assertThat(checkRefused(flowCaseFile(), inNumber))
        .isEqualTo(E + inNumber + ": the file ends before the JSON is complete (truncated?)");
    Path inWord = writeText(tmp, "w.json", "{\"format\": tr\n");
    assertThat(checkRefused(flowCaseFile(), inWord))
        .isEqualTo(E + inWord + ": the file ends before the JSON is complete (truncated?)");
  }

  @Test
  void aBinaryFileIsNotText() throws IOException {
    Path cand = tmp.resolve("cand.json");
    Files.write(cand, new byte[] {'{', '"', 'a', (byte) 0xFF, (byte) 0xFE, 0, 1});
    assertThat(checkRefused(flowCaseFile(), cand)).isEqualTo(E + cand + ": not a text file (byte 4 is not UTF-8)");
    Files.write(cand, new byte[] {0, 0, 0, '{'});
    assertThat(checkRefused(flowCaseFile(), cand)).isEqualTo(E + cand + ": not a text file (byte 1 is a NUL byte)");
    Files.write(cand, "{}".getBytes(StandardCharsets.UTF_16));
    assertThat(checkRefused(flowCaseFile(), cand)).contains("UTF-16").contains("save it as UTF-8");
  }

  static Stream<Arguments> malformedJson() {
    return Stream.of(
        Arguments.of("{\"format\": 1,}", "line 1, column 14: a comma before '}' (a trailing comma is not allowed)"),
        Arguments.of("[1, 2,]", "line 1, column 7: a comma before ']' (a trailing comma is not allowed)"),
        Arguments.of("{'format': 1}", "line 1, column 2: member names need double quotes, not single quotes"),
        Arguments.of("{\"format\": 'x'}", "line 1, column 12: strings need double quotes, not single quotes"),
        Arguments.of("// note\n{}", "comments are not allowed in JSON"),
        Arguments.of("{\"a\": 1, \"a\": 2}", "line 1, column 10: 'a' is given twice"),
        Arguments.of("{} {}", "line 1, column 4: there is more after the end of the JSON value"),
        Arguments.of("{\"a\": 01}", "a number may not start with 0"),
        Arguments.of("{\"a\": +1}", "line 1, column 7: a number may not start with '+'"),
        Arguments.of("{\"a\": 1.}", "line 1, column 9: a malformed number"),
        Arguments.of("{\"a\": \"x\ny\"}", "a string holds a raw control character"),
        Arguments.of("{\"a\": \"\\q\"}", "a string holds an invalid escape sequence"),
        Arguments.of("{\"a\": [1}", "line 1, column 9: '}' does not match the open bracket (expected ']')"),
        Arguments.of("{\"a\": True}", "line 1, column 7: 'True' is not a JSON value"),
        Arguments.of("{\"a\" 1}", "line 1, column 6: expected ':' after the member name, found '1'"),
        Arguments.of("{\"a\": 1 \"b\": 2}", "line 1, column 9: expected ',' or '}' after a member, found '\"'"),
        Arguments.of("[".repeat(1500), "the JSON is nested too deep (more than 1000 levels)"),
        Arguments.of("{\"a\": " + "1".repeat(1500) + "}", "a number has more than 1000 digits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedJson")
  void malformedJsonIsSaidInOurWords(String text, String expected) {
    Path cand = writeText(tmp, "cand.json", text);
    assertThat(checkRefused(flowCaseFile(), cand)).startsWith(E + cand).contains(expected);
  }

  @Test
  void longNamesInACandidateAreCutShort() {
    var cand = flowCandidate("flow-small");
    ((com.fasterxml.jackson.databind.node.ObjectNode) cand.get("quantities")).put("x".repeat(5000), 1);
    assertThat(checkRefused(flowCaseFile(), write(tmp, "cand.json", cand)))
        .contains("quantities.xxxxxxxxxxxxxxxx").contains("... is not a quantity of case flow-small");
  }

  // ----------------------------------------------------------------------------------------- sgd --replay

  private String replayRefused(Path replay) {
    Path out = tmp.resolve("out.csv");
    String line = refused(CliRun.of("sgd", "--d", "4", "--r", "2", "--m", "2", "--alpha", "1", "--steps", "2",
        "--replay", replay.toString(), "--out", out.toString()), "sgd");
    assertThat(out).doesNotExist();
    return line;
  }

  @Test
  void aBinaryReplayFileIsNotText() throws IOException {
    // "Input length = 1" was the JDK decoder's whole explanation
    Path replay = tmp.resolve("replay.csv");
    byte[] good = "1,2,3,4,0.1\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[good.length + 3];
    System.arraycopy(good, 0, bytes, 0, good.length);
    bytes[good.length] = (byte) 0xC3; // a two-byte lead followed by no continuation byte
    bytes[good.length + 1] = '(';
    bytes[good.length + 2] = '\n';
    Files.write(replay, bytes);
    assertThat(replayRefused(replay)).isEqualTo(E + replay + ": not a text file (byte 13 is not UTF-8)");
    Files.write(replay, new byte[] {'1', ',', 0, '\n'});
    assertThat(replayRefused(replay)).isEqualTo(E + replay + ": not a text file (byte 3 is a NUL byte)");
  }

  @Test
  void replayFilesThatAreNotSampleFiles() throws IOException {
    Path dir = mkdir(tmp.resolve("dir"));
    assertThat(replayRefused(dir)).isEqualTo(E + "replay file '" + dir + "' is a directory");
    Path missing = tmp.resolve("missing.csv");
    assertThat(replayRefused(missing)).isEqualTo(E + "replay file '" + missing + "' does not exist");
    // one line of 1 MB (no line breaks): refused at its length bound, not read whole
    Path oneLine = Files.writeString(tmp.resolve("one-line.csv"), "1".repeat(1 << 20));
    assertThat(replayRefused(oneLine)).startsWith(E + oneLine + ":1: the line is longer than 1524 bytes");
    Path words = Files.writeString(tmp.resolve("words.csv"), "1,2,3," + "x".repeat(500) + ",0.1\n");
    assertThat(replayRefused(words)).endsWith(":1: column 4 is not a number: '" + "x".repeat(37) + "...'");
  }

  // ------------------------------------------------------------------------------------ laws --scenario

  private String scenarioRefused(String scenario) {
    Path out = tmp.resolve("never");
    String line = refused(CliRun.of("laws", "--scenario", scenario, "--out", out.toString()), "laws");
    assertThat(out).doesNotExist();
    return line;
  }

  @Test
  void malformedScenarioFilesAreSaidInOurWords() throws IOException {
    Path f = tmp.resolve("s.json");
    Files.write(f, new byte[] {'{', (byte) 0x80});
    assertThat(scenarioRefused(f.toString())).isEqualTo(E + "scenario '" + f + "': not a text file (byte 2 is not "
        + "UTF-8)");
    Files.writeString(f, "{\"name\": \"x\",\n \"d\": NaN}");
    assertThat(scenarioRefused(f.toString()))
        .isEqualTo(E + "scenario '" + f + "' line 2, column 7: NaN is not allowed (write numbers only)");
    Files.writeString(f, "{\"name\": \"x\", \"d\": [3");
    assertThat(scenarioRefused(f.toString()))
        .isEqualTo(E + "scenario '" + f + "': the file ends before the JSON is complete (truncated?)");
    sparse(f, 200L << 20);
    assertThat(scenarioRefused(f.toString()))
        .isEqualTo(E + f + ": 200 MB is larger than the largest valid scenario file (limit 1 MB)");
    assertThat(scenarioRefused("")).isEqualTo(E + "--scenario must name a scenario file or 'paper'; got ''");
  }

  @Test
  void longValuesInAScenarioAreCutShort() throws IOException {
    Path f = tmp.resolve("s.json");
    String base = "\"description\": \"\", \"d\": 60, \"r\": 45, \"m\": 45, \"alpha\": 1, \"sigma0\": 0.001, "
        + "\"batch\": 60, \"c\": 0.02, \"seed\": 1, \"points\": 30, \"tMax\": 30";
    Files.writeString(f, "{\"name\": \"" + "n".repeat(10_000) + "\", " + base + "}");
    assertThat(scenarioRefused(f.toString())).contains("'name' must be one line of at most 80 characters");
    Files.writeString(f, "{\"name\": \"x\", " + base.replace("\"d\": 60", "\"d\": \"" + "6".repeat(10_000) + "\"")
        + "}");
    assertThat(scenarioRefused(f.toString())).contains("'d' must be a whole number, got \"666");
    Files.writeString(f, "{\"name\": \"x\", \"" + "k".repeat(10_000) + "\": 1, " + base + "}");
    assertThat(scenarioRefused(f.toString())).contains("unknown field 'kkk");
  }

  // ------------------------------------------------------------------------------------------ output paths

  @Test
  void anEmptyOutputPathNamesTheOption() {
    // Path.of("") is the current directory: --out '' (an unset shell variable) wrote there or failed with
    // "cannot write '': it is a directory"
    assertThat(refused(CliRun.of("sgd", "--d", "4", "--r", "2", "--m", "2", "--alpha", "1", "--steps", "1",
        "--out", ""), "sgd")).isEqualTo(E + "--out must name a file; got ''");
    assertThat(refused(CliRun.of("check", "--case", "x.json", "--candidate", "y.json", "--report", " "), "check"))
        .isEqualTo(E + "--report must name a directory; got ' '");
    assertThat(refused(CliRun.of("laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--out", ""),
        "laws")).isEqualTo(E + "--out must name a directory; got ''");
    assertThat(refused(CliRun.of("check", "--case", "", "--candidate", "y.json"), "check"))
        .isEqualTo(E + "--case must name a file; got ''");
    assertThat(refused(CliRun.of("verify", "--report", ""), "verify"))
        .isEqualTo(E + "--report must name a directory; got ''");
  }

  @Test
  void aDirectoryThatRefusesNewFilesIsRefusedBeforeTheRun() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    // was "NoSuchFileException (/proc/.x.csv.1171071508891284677.tmp)", after the whole computation
    assertThat(refused(CliRun.of("flow", "--d", "5", "--r", "2", "--m", "2", "--alpha", "1", "--out",
        "/proc/x.csv"), "flow"))
        .isEqualTo(E + "cannot write '/proc/x.csv': directory '/proc' is not writable (it does not accept new files)");
    assertThat(refused(CliRun.of("laws", "--alpha", "1", "--d-list", "1e3", "--r-list", "24", "--out",
        "/proc/qnn-out"), "laws")).isEqualTo(E + "cannot use '/proc/qnn-out' as output directory: directory '/proc' "
        + "is not writable (it does not accept new files)");
  }

  // ---------------------------------------------------------------------------------------- out of memory

  private static VerifyCommand throwing(Throwable t) {
    return new VerifyCommand(prefix -> {
      if (t instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) t;
    });
  }

  @Test
  void runningOutOfMemoryIsAOneLineHintWithItsOwnExitCode() {
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    String hint = "qnn-oracle: out of memory (heap limit " + heapMb + " MB); give Java more with -Xmx "
        + "(e.g. java -Xmx8g -jar ...) or reduce the problem size";
    // thrown by the command itself: an Error passes picocli and reaches Main.run
    CliRun direct = CliRun.of(throwing(new OutOfMemoryError("Java heap space")), "verify", "--report",
        tmp.toString());
    assertThat(direct.exit()).isEqualTo(Console.EXIT_OUT_OF_MEMORY).isEqualTo(4);
    assertThat(direct.errLines()).containsExactly(hint);
    // wrapped by a thread pool: reaches CliErrors as the cause of an exception
    CliRun wrapped = CliRun.of(throwing(new IllegalStateException(new OutOfMemoryError("Java heap space"))),
        "verify", "--report", tmp.toString());
    assertThat(wrapped.exit()).isEqualTo(Console.EXIT_OUT_OF_MEMORY);
    assertThat(wrapped.errLines()).containsExactly(hint);
    CliRun stack = CliRun.of(throwing(new StackOverflowError()), "verify", "--report", tmp.toString());
    assertThat(stack.exit()).isEqualTo(Console.EXIT_OUT_OF_MEMORY);
    assertThat(stack.errLines()).hasSize(1).first().asString().startsWith("qnn-oracle: out of stack space; give "
        + "Java more with -Xss");
    assertThat(CliRun.of("--help").out().replaceAll("\\s+", " ")).contains("4 out of memory");
  }

  @Test
  void theOutOfMemoryLineNamesTheResource() {
    assertThat(CliErrors.exhaustedMessage(new OutOfMemoryError("unable to create native thread: possibly out of "
        + "memory or process/resource limits reached"), 1L << 30)).startsWith("out of memory for new threads; use "
        + "fewer threads (--threads)");
    assertThat(CliErrors.exhaustedMessage(new OutOfMemoryError("Metaspace"), 1L << 30))
        .startsWith("out of memory (Metaspace; heap limit 1024 MB); give Java more with -Xmx");
    assertThat(CliErrors.exhaustedMessage(new OutOfMemoryError(), 64L << 20))
        .startsWith("out of memory (heap limit 64 MB); give Java more with -Xmx");
    // an ordinary exception is not exhaustion, even with an Error-like message
    assertThat(CliErrors.exhaustion(new IllegalStateException("OutOfMemoryError"))).isNull();
  }

  private static Path mkdir(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
