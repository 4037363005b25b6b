package org.qnnoracle;

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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output files that are either absent, their old content, or complete: never empty or half written.
 *
 * <p>{@link #checkTarget} runs before any computation so that a bad output path fails in milliseconds,
 * not after a long solve. {@link #writeString} (and {@link #writeBytes} for binary files such as the
 * report's PNG figures) writes to a temporary file in the target's own directory
 * (a rename is only atomic within one file system), forces it to disk, and renames it over the target;
 * on any failure the temporary file is deleted and the target is untouched.
 *
 * <p>A process killed outright (kill -9, power loss) cannot delete its temporary file. So that such files do not
 * pile up beside the target, a temporary file is named {@code .NAME.qnn-PID-RANDOM.tmp}: NAME the target's file
 * name, PID the writing process. Before writing NAME, every {@code .NAME.qnn-PID-*.tmp} whose PID is not a live
 * process is removed ({@link #removeStaleTemporaries}); files of live processes, ours included, are left alone,
 * since one may be another run writing the same file right now.
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
    Path file = check(target);
    probe(target, file);
    return file;
  }

  /** checkTarget without the probe: what can be told from the file system's answers alone. */
  private static Path check(Path target) {
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
        throw new InvalidInputException(what + InputFiles.describe(e));
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
   * Creates and deletes a temporary file where the real one will go. Permission bits do not tell everything: as
   * root every directory looks writable, yet /proc and /sys refuse new files, and a read-only mount or a full
   * disk shows only when a file is created. Finding that out now costs a millisecond; finding it out after the
   * computation costs the computation.
   */
  private static void probe(Path target, Path file) {
    Path tmp;
    try {
      tmp = createTemporary(file);
    } catch (IOException e) {
      throw new InvalidInputException(cannotCreate(target, file, e));
    }
    deleteQuietly(tmp);
  }

  /** "cannot write 'x': directory '/proc' does not accept new files" and the like; never the temporary's name. */
  private static String cannotCreate(Path target, Path file, IOException e) {
    String what = "cannot write '" + target + "': ";
    Path dir = file.getParent();
    if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
      // The directory exists (checked): the kernel refused the new name (/proc answers "no such file").
      return what + "directory '" + dir + "' is not writable (it does not accept new files)";
    }
    return what + InputFiles.describe(e) + " (in directory '" + dir + "')";
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
    } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
      // The parent refused the new directory (/proc answers "no such file" even to root): name the parent.
      Path parent = abs.getParent();
      while (parent != null && !Files.isDirectory(parent)) {
        parent = parent.getParent();
      }
      throw new InvalidInputException(what + "directory '" + parent + "' is not writable (it does not accept new "
          + "files)");
    } catch (IOException e) {
      throw new InvalidInputException(what + InputFiles.describe(e));
    }
    if (!Files.isWritable(abs)) {
      throw new InvalidInputException(what + "it is not writable");
    }
    probeDirectory(abs, what);
    return abs;
  }

  /**
   * Creates and deletes a temporary file in the existing directory {@code dir} (see {@link #probe}); a refusal
   * becomes an InvalidInputException starting with {@code what}.
   */
  public static void probeDirectory(Path dir, String what) {
    // Named as a temporary of a file "qnn-probe", so one left by a killed run is cleaned up like the others.
    Path file = dir.resolve("qnn-probe");
    removeStaleTemporaries(file);
    Path tmp;
    try {
      tmp = createTemporary(file);
    } catch (IOException e) {
      throw new InvalidInputException(what + (e instanceof java.nio.file.NoSuchFileException
          || e instanceof java.nio.file.AccessDeniedException
          ? "directory '" + dir + "' is not writable (it does not accept new files)" : InputFiles.describe(e)));
    }
    deleteQuietly(tmp);
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
    Path file = check(target);
    removeStaleTemporaries(file);
    Path tmp;
    try {
      tmp = createTemporary(file);
    } catch (IOException e) {
      throw new IOException(cannotCreate(target, file, e), e);
    }
    boolean moved = false;
    try {
      copyPermissions(file, tmp);
      writeAndSync(tmp, content);
      move(tmp, file);
      moved = true;
    } catch (IOException e) {
      throw new IOException("cannot write '" + target + "': " + InputFiles.describe(e), e);
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
  }

  /** The prefix of this process's temporary files for {@code file}: ".NAME.qnn-PID-". */
  private static String temporaryPrefix(Path file) {
    return "." + file.getFileName() + TEMP_MARK + ProcessHandle.current().pid() + "-";
  }

  /** Marks our temporary files: ".NAME" + this + "PID-RANDOM.tmp". */
  private static final String TEMP_MARK = ".qnn-";
  private static final String TEMP_SUFFIX = ".tmp";

  private static Path createTemporary(Path file) throws IOException {
    // createTempFile adds a random unsigned long between prefix and suffix and creates the file exclusively.
    return Files.createTempFile(file.getParent(), temporaryPrefix(file), TEMP_SUFFIX);
  }

  /**
   * Deletes the temporary files that earlier writes of {@code file} left behind when their process died before it
   * could clean up: names {@code .NAME.qnn-PID-RANDOM.tmp} whose PID is not a live process. Files of live
   * processes are kept (another run may be writing NAME now), and so is anything not named exactly this way.
   * Best effort: a file that cannot be listed or deleted is left, since the write itself does not depend on it.
   *
   * <p>A process id can be reused, so a stale file may survive while an unrelated process holds its old PID; it
   * goes on a later run. On a directory shared between machines or PID namespaces, a writer elsewhere looks dead
   * from here; removing its file makes that write fail with an error, and never corrupts a target.
   */
  public static void removeStaleTemporaries(Path file) {
    Path dir = file.getParent();
    String prefix = "." + file.getFileName() + TEMP_MARK;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        Matcher m = TEMP_TAIL.matcher(name.substring(prefix.length()));
        if (!m.matches()) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
          continue; // more digits than a long: not a name we wrote
        }
        // Only PIDs a process can have: ProcessHandle.of narrows the value to the OS's pid type, so a larger
        // one could alias a live process, and this would not be our name anyway.
        if (pid > 0 && pid <= Integer.MAX_VALUE && ProcessHandle.of(pid).isEmpty() && Files.isRegularFile(p,
            LinkOption.NOFOLLOW_LINKS)) {
          deleteQuietly(p);
        }
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      // an unlistable directory: the write below reports what matters
    }
  }

  /** What follows ".NAME.qnn-" in our temporary's name: "PID-RANDOM.tmp". */
  private static final Pattern TEMP_TAIL = Pattern.compile("([0-9]{1,19})-[0-9]{1,20}\\.tmp");

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
      // Either the write already failed and that failure is what gets reported, or this is clean-up that the
      // write does not depend on; a stray temp file is secondary (and removed by a later run once we are gone).
    }
  }
}
