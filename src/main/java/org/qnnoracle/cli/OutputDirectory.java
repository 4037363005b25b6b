package org.qnnoracle.cli;

import org.qnnoracle.AtomicOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qnnoracle.InvalidInputException;

/**
 * An output directory whose files appear all together or not at all. {@link #check} runs before any computation
 * and creates nothing (beyond a probe file it deletes at once); {@link #writeAll} creates the directory (and
 * missing parents), writes each file atomically ({@link AtomicOutput}) and, if any write fails, deletes the files
 * it wrote and the directories it created, so a failed run leaves the file system as it found it (files it
 * replaced keep their new content).
 */
final class OutputDirectory {
  private final Path dir;

  private OutputDirectory(Path dir) {
    this.dir = dir;
  }

  /** Checks that {@code dir} is a writable directory or can be created as one; creates nothing. */
  static OutputDirectory check(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    String what = "cannot use '" + dir + "' as output directory: ";
    if (Files.exists(abs)) {
      if (!Files.isDirectory(abs)) {
        throw new InvalidInputException(what + "it is not a directory");
      }
      if (!Files.isWritable(abs)) {
        throw new InvalidInputException(what + "it is not writable");
      }
      AtomicOutput.probeDirectory(abs, what);
      return new OutputDirectory(abs);
    }
    Path parent = abs.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InvalidInputException(what + "'" + parent + "' is not a directory");
    }
    if (!Files.isWritable(parent)) {
      throw new InvalidInputException(what + "directory '" + parent + "' is not writable");
    }
    // Permission bits are not the whole story (/proc refuses new entries even to root): try creating one.
    AtomicOutput.probeDirectory(parent, what);
    return new OutputDirectory(abs);
  }

  Path path() {
    return dir;
  }

  /** Writes every file (name to content) into the directory; all or nothing, see the class comment. */
  void writeAll(Map<String, byte[]> files) throws IOException {
    List<Path> created = new ArrayList<>();
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      created.add(0, p);
    }
    List<Path> written = new ArrayList<>();
    boolean ok = false;
    try {
      AtomicOutput.prepareDirectory(dir);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path target = dir.resolve(f.getKey());
        AtomicOutput.writeBytes(target, f.getValue());
        written.add(target);
      }
      ok = true;
    } finally {
      if (!ok) {
        for (Path p : written) {
          Files.deleteIfExists(p);
        }
        for (int i = created.size() - 1; i >= 0; i--) {
          try {
            Files.deleteIfExists(created.get(i));
          } catch (IOException ignored) {
            // not empty (someone else wrote there): leave it
          }
        }
      }
    }
  }
}
