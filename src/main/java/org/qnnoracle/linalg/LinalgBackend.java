package org.qnnoracle.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which BLAS/LAPACK {@link Linalg} runs on. {@link Kind#NATIVE}: the netlib JNI wrappers over the system's
 * {@code libblas.so.3}/{@code liblapack.so.3} (Debian's OpenBLAS, package {@code libopenblas0-pthread}).
 * {@link Kind#JAVA}: the same library's pure-Java BLAS (scalar, fixed summation order, so processor-independent)
 * and its F2J translation of reference LAPACK.
 *
 * <p>The choice: system property {@code qnn.linalg} (or environment variable {@code QNN_LINALG}) = {@code auto}
 * (default: native when it loads, else Java, saying why), {@code native} (an error when it does not load) or
 * {@code java}.
 */
public final class LinalgBackend {
  /** The two backends. */
  public enum Kind { NATIVE, JAVA }

  /**
   * Factorisations of order below this use the Java LAPACK: measured (LinalgBenchmark.kernelPotrf), dpotrf at
   * order 8 takes 338 ns in Java against 284 ns native, at order 16 1270 ns against 679 ns.
   */
  private static final int SMALL_ORDER = 8;

  // The netlib loaders log a warning (java.util.logging) for every implementation they fail to load, the
  // optional Vector API one included; our own one line says what was chosen. Strong references: a logger
  // held by nobody may be collected, and its level with it.
  private static final Logger BLAS_LOG = quiet("dev.ludovic.netlib.blas.InstanceBuilder");
  private static final Logger LAPACK_LOG = quiet("dev.ludovic.netlib.lapack.InstanceBuilder");

  private final Kind kind;
  private final BLAS blas;
  private final BLAS javaBlas;
  private final LAPACK lapack;
  private final LAPACK javaLapack;
  private final String description;

  private LinalgBackend(Kind kind, BLAS blas, LAPACK lapack, String description) {
    this.kind = kind;
    this.blas = blas;
    this.lapack = lapack;
    this.javaBlas = JavaBLAS.getInstance();
    this.javaLapack = JavaLAPACK.getInstance();
    this.description = description;
  }

  private static Logger quiet(String name) {
    Logger l = Logger.getLogger(name);
    l.setLevel(Level.OFF);
    return l;
  }

  /** The backend chosen by {@code qnn.linalg} / {@code QNN_LINALG} (default {@code auto}). */
  static LinalgBackend fromSystem() {
    String choice = System.getProperty("qnn.linalg");
    if (choice == null || choice.isBlank()) {
      choice = System.getenv("QNN_LINALG");
    }
    choice = choice == null || choice.isBlank() ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
    switch (choice) {
      case "java":
        return of(Kind.JAVA);
      case "native":
        return of(Kind.NATIVE);
      case "auto":
        try {
          return of(Kind.NATIVE);
        } catch (IllegalStateException e) {
          return java("pure-Java BLAS/LAPACK (native library not loaded: " + e.getMessage() + ")");
        }
      default:
        throw new IllegalStateException("qnn.linalg must be auto, native or java, got '" + choice + "'");
    }
  }

  /** The backend of that kind; {@link Kind#NATIVE} throws {@link IllegalStateException} when it cannot load. */
  public static LinalgBackend of(Kind kind) {
    if (kind == Kind.JAVA) {
      return java("pure-Java BLAS/LAPACK (switched on by qnn.linalg=java)");
    }
    BLAS nb;
    LAPACK nl;
    try {
      nb = NativeBLAS.getInstance();
      nl = NativeLAPACK.getInstance();
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException("no native BLAS/LAPACK (install libopenblas0-pthread: "
          + rootMessage(e) + ")");
    }
    return new LinalgBackend(Kind.NATIVE, nb, nl, "native BLAS/LAPACK: " + nativeLibrary());
  }

  private static LinalgBackend java(String why) {
    BLAS jb = JavaBLAS.getInstance();
    LAPACK jl = JavaLAPACK.getInstance();
    return new LinalgBackend(Kind.JAVA, jb, jl, why.replace("pure-Java BLAS/LAPACK",
        "pure-Java BLAS/LAPACK, " + jb.getClass().getSimpleName() + " + " + jl.getClass().getSimpleName()));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** The shared object that provides BLAS in this process, read from /proc/self/maps where Linux has it. */
  private static String nativeLibrary() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
        int at = line.indexOf('/');
        if (at >= 0 && line.contains("libblas.so") || at >= 0 && line.contains("libopenblas")) {
          String path = line.substring(at);
          try {
            return "netlib JNI over " + Path.of(path).toRealPath();
          } catch (IOException e) {
            return "netlib JNI over " + path;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return "netlib JNI over the system's libblas.so.3";
  }

  public Kind kind() {
    return kind;
  }

  /** One line: what runs the linear algebra. */
  public String description() {
    return description;
  }

  /** The BLAS for a problem of {@code work} multiply-adds: Java below the JNI break-even, else this backend's. */
  BLAS blasFor(long work) {
    return work <= Linalg.SMALL_PRODUCT ? javaBlas : blas;
  }

  /** The LAPACK for an n x n factorisation: Java below the JNI break-even, else this backend's. */
  LAPACK lapackFor(int n) {
    return n < SMALL_ORDER ? javaLapack : lapack;
  }

  LAPACK lapack() {
    return lapack;
  }

  static {
    // keep the loggers reachable from a class that lives as long as the facade
    if (BLAS_LOG == null || LAPACK_LOG == null) {
      throw new AssertionError();
    }
  }
}
