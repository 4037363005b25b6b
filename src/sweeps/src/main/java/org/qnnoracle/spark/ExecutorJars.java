package org.qnnoracle.spark;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Which jars of this JVM's class path a cluster's executors need ({@code spark.jars}) and which are Spark's own.
 *
 * <p>The rule: a jar is <b>Spark's</b> when its artifact is in spark-core's dependency subtree at the version this
 * build resolved (a resolved node, or one Maven marks "omitted for duplicate"), according to the verbose
 * dependency tree Maven writes into this jar at build time (META-INF/qnn-oracle-sweeps/dependency-tree.txt). A
 * cluster running Spark 4.2.0 has those. Every other artifact of the runtime tree (qnn-oracle and its
 * dependencies, including those Spark has only at another version, such as Guava) is shipped, and so is this
 * module's own code (a class directory, as under Maven's test phase, is packed into a temporary jar). Class path
 * entries outside the tree (a test framework, an IDE's helpers) are neither.
 */
public final class ExecutorJars {
  static final String TREE = "/META-INF/qnn-oracle-sweeps/dependency-tree.txt";

  private ExecutorJars() {}

  /** The classification of one build. */
  record Tree(Map<String, String> gaByFileName, Set<String> sparkGa) {}

  /** Parses the verbose text tree of maven-dependency-plugin. */
  static Tree parse(List<String> lines) {
    Map<String, String> gaByFile = new HashMap<>();
    Set<String> spark = new HashSet<>();
    boolean inSpark = false;
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      int start = 0;
      while (start < line.length() && "|+-\\ ".indexOf(line.charAt(start)) >= 0) {
        start++;
      }
      if (start >= line.length()) {
        continue;
      }
      int depth = start / 3;
      boolean omitted = line.charAt(start) == '(';
      String node = line.substring(omitted ? start + 1 : start).split("[ )]", 2)[0];
      String[] c = node.split(":");
      if (c.length < 5) {
        continue;
      }
      String ga = c[0] + ":" + c[1];
      String classifier = c.length >= 6 ? c[3] : null;
      String version = c.length >= 6 ? c[4] : c[3];
      if (depth == 1) {
        inSpark = ga.equals("org.apache.spark:spark-core_2.13");
      }
      if (!omitted) {
        gaByFile.put(c[1] + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar", ga);
      }
      if (inSpark && (!omitted || line.contains("omitted for duplicate"))) {
        spark.add(ga);
      }
    }
    return new Tree(gaByFile, spark);
  }

  static Tree tree() {
    try (InputStream in = ExecutorJars.class.getResourceAsStream(TREE)) {
      if (in == null) {
        throw new IllegalStateException(TREE + " is missing: build qnn-oracle-sweeps with Maven");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * This JVM's class path: java.class.path, with the Class-Path of each jar's manifest (java -jar) followed, and the
   * jar holding this class with its manifest's Class-Path (spark-submit loads it outside java.class.path).
   */
  static List<Path> classPath() {
    Set<Path> out = new LinkedHashSet<>();
    try {
      add(Path.of(ExecutorJars.class.getProtectionDomain().getCodeSource().getLocation().toURI()), out);
    } catch (URISyntaxException | RuntimeException e) {
      // no code source: java.class.path only
    }
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isBlank()) {
        add(Path.of(e).toAbsolutePath().normalize(), out);
      }
    }
    return new ArrayList<>(out);
  }

  private static void add(Path p, Set<Path> out) {
    if (!out.add(p) || !Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
      return;
    }
    try (JarFile j = new JarFile(p.toFile())) {
      Manifest m = j.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp != null) {
        for (String rel : cp.trim().split("\\s+")) {
          Path q = rel.startsWith("file:") ? Path.of(java.net.URI.create(rel)) : p.getParent().resolve(rel);
          add(q.toAbsolutePath().normalize(), out);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // not a readable jar: Spark will say so if it is needed
    }
  }

  /** The class path jars that are Spark's (what a cluster's SPARK_HOME/jars holds). */
  public static List<Path> spark() {
    Tree t = tree();
    List<Path> out = new ArrayList<>();
    for (Path p : classPath()) {
      String ga = t.gaByFileName().get(p.getFileName().toString());
      if (ga != null && t.sparkGa().contains(ga)) {
        out.add(p);
      }
    }
    return out;
  }

  /** What spark.jars gets: the class path jars of the runtime tree that are not Spark's, and this module's code. */
  public static List<String> forExecutors() {
    Tree t = tree();
    List<String> out = new ArrayList<>();
    out.add(ownCode().toUri().toString());
    for (Path p : classPath()) {
      String ga = t.gaByFileName().get(p.getFileName().toString());
      if (ga != null && !t.sparkGa().contains(ga) && Files.isRegularFile(p)) {
        out.add(p.toUri().toString());
      }
    }
    return out;
  }

  /** The jar holding this class; a class directory is packed into a temporary jar first. */
  static Path ownCode() {
    Path where;
    try {
      where = Path.of(ExecutorJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (Files.isRegularFile(where)) {
      return where;
    }
    try {
      Path jar = Files.createTempFile("qnn-oracle-sweeps-classes-", ".jar");
      jar.toFile().deleteOnExit();
      try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jo = new JarOutputStream(os);
          Stream<Path> files = Files.walk(where)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          jo.putNextEntry(new JarEntry(where.relativize(f).toString().replace(File.separatorChar, '/')));
          Files.copy(f, jo);
          jo.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack " + where + " into a jar for the executors", e);
    }
  }

  /**
   * {@code ExecutorJars spark|executors}: the class path jars that are Spark's (a synthetic SPARK_HOME/jars, as
   * measure.sh makes), or what spark.jars gets; one a line.
   */
  public static void main(String[] args) {
    if (args.length != 1 || !(args[0].equals("spark") || args[0].equals("executors"))) {
      System.err.println("usage: ExecutorJars spark|executors");
      System.exit(2);
    }
    (args[0].equals("spark") ? spark().stream().map(Path::toString).toList() : forExecutors()).forEach(System.out::println);
  }
}
