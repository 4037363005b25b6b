package org.qnnoracle.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.qnnoracle.InvalidInputException;

/**
 * Output files that are either absent, their old content, or complete: never empty or half written.
 *
 * <p>{@link #checkTarget} runs before any computation so that a bad output path fails in milliseconds,
 * not after a long solve. {@link #writeString} (and {@link #writeBytes} for binary files such as the
 * report's PNG figures) writes to a temporary file in the target's own directory
 * (a rename is only atomic within one file system), forces it to disk, and renames it over the target;
 * on any failure the temporary file is deleted and the target is untouched.
 */
public final class AtomicOutput {
  /** Permissions of a new file: what a plain {@code >} redirection gives under the usual umask 022. */
  private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicOutput() {}

  /**
   * Checks that {@code target} can be created or replaced, and returns the path to write: the target
   * itself, or, for an existing symbolic link, the file it points to (so the link is kept).
   *
   * @throws InvalidInputException naming the problem (missing or read-only directory, a directory given
   *     as the file, ...)
   */
  public static Path checkTarget(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    String what = "cannot write '" + target + "': ";
    if (Files.exists(abs)) {
      if (Files.isDirectory(abs)) {
        throw new InvalidInputException(what + "it is a directory");
      }
      if (!Files.isRegularFile(abs)) {
        // Renaming over a device or pipe (say /dev/null) would replace it; refuse instead.
        throw new InvalidInputException(what + "it exists and is not a regular file");
      }
      if (!Files.isWritable(abs)) {
        throw new InvalidInputException(what + "the file is not writable");
      }
      try {
        abs = abs.toRealPath();
      } catch (IOException e) {
        throw new InvalidInputException(what + e.getMessage());
      }
    }
    Path dir = abs.getParent();
    if (dir == null) {
      throw new InvalidInputException(what + "it has no parent directory");
    }
    if (!Files.exists(dir)) {
      throw new InvalidInputException(what + "directory '" + dir + "' does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(what + "'" + dir + "' is not a directory");
    }
    if (!Files.isWritable(dir)) {
      throw new InvalidInputException(what + "directory '" + dir + "' is not writable");
    }
    return abs;
  }

  /**
   * Makes sure {@code dir} is a writable directory, creating it (and missing parents) if needed.
   *
   * @throws InvalidInputException when it is a file, cannot be created, or is not writable
   */
  public static Path prepareDirectory(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    String what = "cannot use '" + dir + "' as output directory: ";
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new InvalidInputException(what + "it is not a directory");
    }
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new InvalidInputException(what + describe(e));
    }
    if (!Files.isWritable(abs)) {
      throw new InvalidInputException(what + "it is not writable");
    }
    return abs;
  }

  /** Produces the content of an output file; may be called with a file or with stdout. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /** The content of a binary output file. */
  @FunctionalInterface
  private interface ByteContent {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Replaces {@code target} by {@code bytes} atomically; see {@link #write}. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    writeStream(target, out -> out.write(bytes));
  }

  /** Replaces {@code target} by {@code text} (UTF-8) atomically; see {@link #write}. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text));
  }

  /**
   * Replaces {@code target} by what {@code content} writes (UTF-8), atomically; see the class comment.
   * If {@code content} throws, the exception propagates and the target is left as it was.
   *
   * @throws InvalidInputException when {@link #checkTarget} rejects the target
   * @throws IOException with a one-line message naming the target when writing fails; the target is then
   *     unchanged and no temporary file is left behind
   */
  public static void write(Path target, Content content) throws IOException {
    writeStream(target, stream -> {
      // Not closed here: closing would close the channel before writeAndSync forces it to disk.
      Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
      content.writeTo(out);
      out.flush();
    });
  }

  private static void writeStream(Path target, ByteContent content) throws IOException {
    Path file = checkTarget(target);
    Path tmp;
    try {
      tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw new IOException("cannot write '" + target + "': " + describe(e), e);
    }
    boolean moved = false;
    try {
      copyPermissions(file, tmp);
      writeAndSync(tmp, content);
      move(tmp, file);
      moved = true;
    } catch (IOException e) {
      throw new IOException("cannot write '" + target + "': " + describe(e), e);
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
  }

  private static void writeAndSync(Path tmp, ByteContent content) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch));
      content.writeTo(out);
      out.flush();
      // Data on disk before the rename: after a crash the target holds the old or the new content.
      ch.force(true);
    }
  }

  private static void move(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // Some file systems (certain network mounts) refuse ATOMIC_MOVE even within a directory; a plain
      // replacing rename there is the best available and still never exposes a partial file.
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * createTempFile makes an owner-only (0600) file; the result should look like any other output file:
   * the permissions of the file it replaces, or rw-r--r-- for a new one.
   */
  private static void copyPermissions(Path file, Path tmp) throws IOException {
    if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) == null) {
      return;
    }
    Set<PosixFilePermission> perms = Files.exists(file) ? Files.getPosixFilePermissions(file) : NEW_FILE_PERMISSIONS;
    Files.setPosixFilePermissions(tmp, perms);
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // The write already failed and that failure is what gets reported; a stray temp file is secondary.
    }
  }

  /** NoSuchFileException and friends carry only the path as their message; name the kind as well. */
  static String describe(IOException e) {
    String msg = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return msg == null ? kind : kind + " (" + msg + ")";
  }
}
