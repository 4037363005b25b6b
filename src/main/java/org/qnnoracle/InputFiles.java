package org.qnnoracle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reading the files a user hands us (case, candidate and scenario JSON), with a size bound checked before a
 * byte is read, and the words for what can go wrong with a file.
 *
 * <p>Why a bound: a file is read whole and parsed into a tree, which costs a few times its size in heap, so an
 * arbitrary file (a 200 MB log given by mistake) would end in an out-of-memory error after seconds of work.
 * Each kind of file has a limit far above any valid file of that kind (the figures are at the constants), and a
 * larger file is refused at once with one line. Replay sample files, which can legitimately be large, are not
 * read here: they are streamed ({@code sgd.ReplaySamples}).
 */
public final class InputFiles {
  private static final long MB = 1L << 20;

  private InputFiles() {}

  /**
   * The bytes of {@code file}, refused when it is larger than {@code limit} bytes.
   *
   * @param kind what the file is, in messages: "candidate" gives "candidate file 'x' does not exist" and
   *     "x: 200 MB is larger than the largest valid candidate file (limit 16 MB)"
   * @throws InvalidInputException naming the file: missing, a directory, unreadable or too large
   */
  public static byte[] readBounded(Path file, String kind, long limit) {
    String what = kind + " file '" + file + "'";
    if (!Files.exists(file)) {
      throw new InvalidInputException(what + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(what + " is a directory");
    }
    try {
      // Checked before reading, so a huge file costs nothing; the bounded read below still holds for files whose
      // size is not known in advance (/proc files report 0, a pipe has none) or that grow while being read.
      long size = Files.size(file);
      if (size > limit) {
        throw new InvalidInputException(tooLarge(file, kind, size, limit));
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limit + 1));
      }
      if (bytes.length > limit) {
        throw new InvalidInputException(tooLarge(file, kind, bytes.length, limit));
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(what + " does not exist");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + what + ": " + describe(e));
    }
  }

  /** "x: 200 MB is larger than the largest valid candidate file (limit 16 MB)". */
  public static String tooLarge(Path file, String kind, long size, long limit) {
    String got = megabytes(size);
    if (got.equals(megabytes(limit))) {
      got += " (" + size + " bytes)"; // just over the limit: the rounded figures alone would read as equal
    }
    return file + ": " + got + " is larger than the largest valid " + kind + " file (limit " + megabytes(limit)
        + ")";
  }

  /** "16 MB", "1.5 MB", "0.2 MB" (MB = 2^20 bytes). */
  public static String megabytes(long bytes) {
    double mb = (double) bytes / MB;
    // Rounded down, so a file just over a limit never reads as just under it.
    double tenths = Math.floor(mb * 10) / 10;
    String s = mb >= 100 || tenths == Math.rint(tenths) ? String.format(Locale.ROOT, "%.0f", Math.floor(mb))
        : String.format(Locale.ROOT, "%.1f", tenths);
    return s + " MB";
  }

  /**
   * Why {@code bytes} is not UTF-8 text, or null when it is: "not a text file (byte N is not UTF-8)" for the first
   * byte that breaks UTF-8 (N counted from 1), the same for a NUL byte (never part of a text file). A UTF-16 byte
   * order mark is named, since such a file is text, only in the wrong encoding.
   */
  public static String notText(byte[] bytes) {
    if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
        || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
      return "not UTF-8 text (it starts with a UTF-16 byte order mark; save it as UTF-8)";
    }
    Utf8 utf8 = new Utf8();
    for (int i = 0; i < bytes.length; i++) {
      String problem = utf8.accept(bytes[i], i + 1L);
      if (problem != null) {
        return problem;
      }
    }
    return utf8.end(bytes.length + 1L);
  }

  /**
   * A streaming UTF-8 check (the well-formed sequences of the Unicode standard, table 3-7: no overlong forms, no
   * surrogates, nothing above U+10FFFF) that also refuses NUL bytes. Feed it every byte in order.
   */
  public static final class Utf8 {
    private int pending; // continuation bytes still expected
    private int lo = 0x80; // the allowed range of the next continuation byte
    private int hi = 0xBF;
    private long start; // where the current sequence began

    /** Null if {@code b}, at 1-based position {@code pos}, keeps the text valid; otherwise why not. */
    public String accept(byte b, long pos) {
      int v = b & 0xFF;
      if (pending > 0) {
        if (v < lo || v > hi) {
          return notUtf8(start);
        }
        lo = 0x80;
        hi = 0xBF;
        pending--;
        return null;
      }
      if (v == 0) {
        return "not a text file (byte " + pos + " is a NUL byte)";
      }
      if (v < 0x80) {
        return null;
      }
      start = pos;
      if (v >= 0xC2 && v <= 0xDF) {
        pending = 1;
      } else if (v >= 0xE0 && v <= 0xEF) {
        pending = 2;
        lo = v == 0xE0 ? 0xA0 : 0x80;
        hi = v == 0xED ? 0x9F : 0xBF;
      } else if (v >= 0xF0 && v <= 0xF4) {
        pending = 3;
        lo = v == 0xF0 ? 0x90 : 0x80;
        hi = v == 0xF4 ? 0x8F : 0xBF;
      } else {
        return notUtf8(pos);
      }
      return null;
    }

    /** Null if the text may end here ({@code pos}: one past the last byte); else why not. */
    public String end(long pos) {
      return pending > 0 ? notUtf8(start) : null;
    }

    private static String notUtf8(long pos) {
      return "not a text file (byte " + pos + " is not UTF-8)";
    }
  }

  /**
   * What went wrong with a file, in words, for the end of a message: "does not exist", "permission denied",
   * "the disk is full" ... The JDK's exception class names and the temporary paths some of them carry are left
   * out; an operating system's own reason (strerror) is kept when nothing better is known.
   */
  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    if (e instanceof NotDirectoryException) {
      return "a part of the path is not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "the directory is not empty";
    }
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (reason == null || reason.isBlank()) {
      return "input/output error";
    }
    String r = reason.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left")) {
      return "the disk is full (no space left on device)";
    }
    if (lower.contains("quota")) {
      return "the disk quota is exceeded";
    }
    if (lower.contains("read-only file system")) {
      return "the file system is read-only";
    }
    if (lower.contains("file name too long")) {
      return "the file name is too long";
    }
    if (lower.contains("is a directory")) {
      return "it is a directory";
    }
    if (lower.contains("not a directory")) {
      return "a part of the path is not a directory";
    }
    // An OS reason is short and plain ("Input/output error", "Operation not permitted"); anything else that
    // reaches here (a library's message) is cut to its first line and stripped of class names.
    String line = r.lines().findFirst().orElse(r);
    if (line.length() > 120 || line.matches(".*\\b(java|javax|sun|com|org)\\.[a-z].*")) {
      return "input/output error";
    }
    return Character.toLowerCase(line.charAt(0)) + line.substring(1);
  }
}
