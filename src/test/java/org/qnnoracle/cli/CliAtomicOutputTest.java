package org.qnnoracle.cli;

import org.qnnoracle.AtomicOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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

  // ------------------------------------------------- temporary files of killed runs (kill -9 during a write)

  /** Our temporary's name for target {@code name} written by process {@code pid}. */
  private static String temporary(String name, long pid, long random) {
    return "." + name + ".qnn-" + pid + "-" + random + ".tmp";
  }

  /**
   * A process id that is not alive: a child that has exited and been reaped. Checked, since a PID can be reused at
   * once on a busy machine; then another child is tried.
   */
  private static long deadPid() throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 20; attempt++) {
      Process p = new ProcessBuilder("true").start();
      p.waitFor();
      long pid = p.pid();
      if (ProcessHandle.of(pid).isEmpty()) {
        return pid;
      }
    }
    throw new IllegalStateException("no dead process id found in 20 tries");
  }

  @Test
  void theTemporaryFileNamesTheTargetAndTheWritingProcess() throws IOException {
    Path f = tmp.resolve("a.txt");
    List<String> seen = new ArrayList<>();
    AtomicOutput.write(f, out -> {
      seen.addAll(CliRun.listing(tmp));
      out.write("x");
    });
    // the one file present during the write is the temporary: .a.txt.qnn-<our pid>-<random>.tmp
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).matches("\\.a\\.txt\\.qnn-" + ProcessHandle.current().pid() + "-[0-9]+\\.tmp");
    assertThat(CliRun.listing(tmp)).containsExactly("a.txt");
  }

  @Test
  void staleTemporariesOfDeadProcessesAreRemovedAndLiveOnesKept() throws Exception {
    long dead = deadPid();
    // Linux never hands out a PID above 2^22 (PID_MAX_LIMIT): a process id that cannot be alive
    long impossible = (1L << 22) + 1;
    long live = ProcessHandle.current().pid();
    assertThat(ProcessHandle.of(impossible)).isEmpty();
    List<String> stale = List.of(temporary("a.txt", dead, 123), temporary("a.txt", impossible, 9));
    List<String> kept = List.of(
        temporary("a.txt", live, 77), // a live process (this one) may be writing a.txt right now
        temporary("b.txt", dead, 5), // another target's: removed when b.txt is written, not now
        ".a.txt.qnn-x-1.tmp", // not a name we write
        ".a.txt.8984393813838781044.tmp", // old-style name: whose it is cannot be told
        "a.txt.qnn-" + dead + "-3.tmp"); // no leading dot: not ours
    for (String name : concat(stale, kept)) {
      Files.writeString(tmp.resolve(name), "partial");
    }
    AtomicOutput.writeString(tmp.resolve("a.txt"), "new");
    List<String> expected = new ArrayList<>(kept);
    expected.add("a.txt");
    assertThat(CliRun.listing(tmp)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Files.readString(tmp.resolve("a.txt"))).isEqualTo("new");
  }

  @Test
  void aDirectoryThatRefusesNewFilesIsCaughtBeforeAnyWork() {
    // /proc looks writable to root (access(2) says yes) but refuses every new file: only creating one tells.
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    assertThatThrownBy(() -> AtomicOutput.checkTarget(Path.of("/proc/x.csv")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("cannot write '/proc/x.csv': directory '/proc' is not writable")
        .hasMessageNotContaining(".tmp").hasMessageNotContaining("Exception");
    assertThatThrownBy(() -> AtomicOutput.prepareDirectory(Path.of("/proc/new-dir")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("cannot use '/proc/new-dir' as output directory: directory '/proc' is not writable (it does "
            + "not accept new files)");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
