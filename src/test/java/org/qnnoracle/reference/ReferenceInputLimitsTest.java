package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;

/**
 * The size limits on case and candidate files: far above every valid file (so the limit never refuses real data)
 * and enforced before a byte is read (so a huge file costs nothing).
 */
class ReferenceInputLimitsTest {
  @TempDir
  Path tmp;

  @Test
  void everyGoldenCaseIsFarBelowTheCaseLimit() throws IOException {
    List<Path> cases;
    try (Stream<Path> s = Files.list(Path.of("test-data", "cases"))) {
      cases = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(cases).isNotEmpty();
    for (Path c : cases) {
      // the limit's comment says a hundred times the largest case still fits
      assertThat(Files.size(c) * 100).as(c.toString()).isLessThan(JsonInput.MAX_CASE_BYTES);
    }
  }

  @Test
  void aStatisticalCandidateOfAHundredThousandReplicasFits() {
    // riskReplicas rows of K = 4 numbers at full precision, pretty-printed: about 30 bytes a number
    long bytes = 100_000L * 4 * 30;
    assertThat(bytes).isLessThan(JsonInput.MAX_CANDIDATE_BYTES);
  }

  @Test
  void aFileOverTheLimitIsRefusedWithItsSizeAndTheLimit() throws IOException {
    Path big = tmp.resolve("big.json");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(JsonInput.MAX_CANDIDATE_BYTES + (3L << 20) / 2); // 17.5 MB, sparse: no disk used
    }
    CaseFile c = CaseFile.parse(ReferenceFixtures.sealed(ReferenceFixtures.flowCase("flow-small")).toString(),
        "case.json", null);
    assertThatThrownBy(() -> CandidateFile.read(big, c)).isInstanceOf(InvalidInputException.class)
        .hasMessage(big + ": 17.5 MB is larger than the largest valid candidate file (limit 16 MB)");
    assertThatThrownBy(() -> CaseFile.read(big)).isInstanceOf(InvalidInputException.class)
        .hasMessage(big + ": 17.5 MB is larger than the largest valid case file (limit 16 MB)");
  }

  @Test
  void sizesAreRoundedDownSoAFileOverTheLimitNeverReadsAsUnderIt() {
    assertThat(InputFiles.megabytes(16L << 20)).isEqualTo("16 MB");
    assertThat(InputFiles.megabytes((16L << 20) + 1)).isEqualTo("16 MB");
    assertThat(InputFiles.megabytes(200L << 20)).isEqualTo("200 MB");
    assertThat(InputFiles.megabytes(1L << 19)).isEqualTo("0.5 MB");
    assertThat(InputFiles.tooLarge(Path.of("x.json"), "case", (16L << 20) + 1, 16L << 20))
        .isEqualTo("x.json: 16 MB (16777217 bytes) is larger than the largest valid case file (limit 16 MB)");
  }

  @Test
  void theUtf8CheckFollowsTheStandard() {
    assertThat(InputFiles.notText("plain ascii, é, €, 𝄞".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isNull();
    // overlong encoding of '/', a surrogate, above U+10FFFF, a lone continuation byte, a cut sequence
    assertThat(InputFiles.notText(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})).contains("byte 2 is not UTF-8");
    assertThat(InputFiles.notText(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).contains("byte 1 ");
    assertThat(InputFiles.notText(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
        .contains("byte 1 ");
    assertThat(InputFiles.notText(new byte[] {'a', 'b', (byte) 0x80})).contains("byte 3 is not UTF-8");
    assertThat(InputFiles.notText(new byte[] {'a', (byte) 0xE2, (byte) 0x82})).contains("byte 2 is not UTF-8");
    assertThat(InputFiles.notText(new byte[] {'a', 0})).isEqualTo("not a text file (byte 2 is a NUL byte)");
  }
}
