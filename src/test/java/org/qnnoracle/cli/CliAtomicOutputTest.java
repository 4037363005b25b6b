package org.qnnoracle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.InvalidInputException;

class CliAtomicOutputTest {
  @TempDir
  Path tmp;

  @Test
  void writesNewFileWithOrdinaryPermissions() throws IOException {
    Path f = tmp.resolve("a.txt");
    AtomicOutput.writeString(f, "hello\n");
    assertThat(Files.readString(f)).isEqualTo("hello\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    assertThat(CliRun.listing(tmp)).containsExactly("a.txt");
  }

  @Test
  void writesBytesExactly() throws IOException {
    Path f = Files.writeString(tmp.resolve("a.png"), "old");
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i; // every byte value, including ones that are not valid UTF-8
    }
    AtomicOutput.writeBytes(f, bytes);
    assertThat(Files.readAllBytes(f)).isEqualTo(bytes);
    assertThat(CliRun.listing(tmp)).containsExactly("a.png");
    assertThatThrownBy(() -> AtomicOutput.writeBytes(tmp, bytes)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void replacementKeepsThePermissionsOfTheReplacedFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("a.txt"), "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
    AtomicOutput.writeString(f, "new");
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-rw----");
  }

  @Test
  void failingContentLeavesTargetAndNoTemporaryFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("a.txt"), "old");
    assertThatThrownBy(() -> AtomicOutput.write(f, out -> {
      out.write("partial line without end");
      throw new IOException("disk full (simulated)");
    })).isInstanceOf(IOException.class).hasMessageContaining("cannot write").hasMessageContaining("a.txt");
    assertThat(Files.readString(f)).isEqualTo("old");
    assertThat(CliRun.listing(tmp)).containsExactly("a.txt");
  }

  @Test
  void runtimeFailureInContentAlsoCleansUp() {
    Path f = tmp.resolve("b.txt");
    assertThatThrownBy(() -> AtomicOutput.write(f, out -> {
      out.write("x");
      throw new IllegalStateException("bug while formatting");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(CliRun.listing(tmp)).isEmpty();
  }

  @Test
  void writesThroughASymbolicLink() throws IOException {
    Path real = Files.writeString(tmp.resolve("real.txt"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("link.txt"), real.getFileName());
    AtomicOutput.writeString(link, "new");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).isEqualTo("new");
  }

  @Test
  void checkTargetRejectsUnusablePaths() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> AtomicOutput.checkTarget(tmp)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is a directory");
    assertThatThrownBy(() -> AtomicOutput.checkTarget(tmp.resolve("missing").resolve("x")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> AtomicOutput.checkTarget(file.resolve("x")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> AtomicOutput.checkTarget(Path.of("/dev/null")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a regular file");
    assertThat(AtomicOutput.checkTarget(tmp.resolve("new.csv"))).isEqualTo(tmp.resolve("new.csv").toAbsolutePath());
  }

  @Test
  void prepareDirectoryCreatesMissingParents() throws IOException {
    Path dir = tmp.resolve("a").resolve("b");
    assertThat(AtomicOutput.prepareDirectory(dir)).isDirectory();
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> AtomicOutput.prepareDirectory(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> AtomicOutput.prepareDirectory(file.resolve("sub")))
        .isInstanceOf(InvalidInputException.class);
  }
}
