package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qnnoracle.cli.Console;
import org.qnnoracle.cli.Main;

/**
 * The independent NumPy candidate (src/test/resources/examples/numpy/qnn_candidate.py) against every golden
 * case in test-data/cases: the correct candidate passes {@code check} on every case, and each deliberate bug
 * of its catalogue ({@code --list-bugs}) fails {@code check} (exit 1) on at least one case of the kinds it
 * affects. The bug x case table is printed and written to target/bug-detection.md. Skipped when python3 with
 * numpy is not installed or when there are no cases yet.
 */
class NumpyExampleTest {

  private static final Path SCRIPT = Path.of("src", "test", "resources", "examples", "numpy", "qnn_candidate.py");
  private static final Path CASES = Path.of("test-data", "cases");
  private static final Path WORK = Path.of("target", "numpy-example");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** id -> (kind, path), sorted by file name. */
  private static final Map<String, Case> cases = new LinkedHashMap<>();

  private record Case(String id, String kind, Path path) {}

  private record Python(int exit, String output) {}

  private record Check(int exit, String out, String err) {}

  @BeforeAll
  static void requirements() throws IOException {
    assumeTrue(pythonWithNumpy(), "python3 with numpy is not available");
    assumeTrue(Files.isDirectory(CASES), "no test-data/cases yet");
    try (Stream<Path> s = Files.list(CASES)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        JsonNode c = JSON.readTree(p.toFile());
        cases.put(c.path("id").asText(), new Case(c.path("id").asText(), c.path("kind").asText(), p));
      }
    }
    assumeTrue(!cases.isEmpty(), "test-data/cases holds no case yet");
    Files.createDirectories(WORK);
  }

  @Test
  void correctCandidatePassesEveryCase() throws Exception {
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (Case c : cases.values()) {
      jobs.put(c.id(), List.of(c.path().toString(), out(c, null).toString()));
    }
    Map<String, Python> runs = runAll(jobs);
    List<String> problems = new ArrayList<>();
    for (Case c : cases.values()) {
      Python p = runs.get(c.id());
      if (p.exit() != 0) {
        problems.add(c.id() + ": python exit " + p.exit() + "\n" + p.output());
        continue;
      }
      if (c.kind().equals("statistical")) {
        // The candidate draws with numpy's default_rng seeded by the case's generator seed (qnn_candidate.py), so
        // the run is fixed; a fresh seed would fail a correct candidate with probability falseAlarm (1e-3).
        System.out.println(c.id() + ": NumPy candidate seed = the case's generator seed "
            + JSON.readTree(c.path().toFile()).get("generator").get("seed").asLong());
      }
      Check k = check(c, out(c, null));
      if (k.exit() != Console.EXIT_OK) {
        problems.add(c.id() + ": check exit " + k.exit() + "\n" + k.out() + k.err());
      }
    }
    assertThat(problems).as("cases the correct NumPy candidate does not pass").isEmpty();
  }

  @Test
  void everyBugOfTheCatalogueFailsSomeCase() throws Exception {
    Python list = python(List.of("--list-bugs"));
    assertThat(list.exit()).as(list.output()).isZero();
    JsonNode catalogue = JSON.readTree(list.output());
    Map<String, List<String>> kinds = new LinkedHashMap<>();
    for (Iterator<String> it = catalogue.fieldNames(); it.hasNext(); ) {
      String bug = it.next();
      List<String> k = new ArrayList<>();
      catalogue.get(bug).path("kinds").forEach(n -> k.add(n.asText()));
      kinds.put(bug, k);
    }
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (String bug : kinds.keySet()) {
      for (Case c : cases.values()) {
        if (kinds.get(bug).contains(c.kind())) {
          jobs.put(bug + "|" + c.id(), List.of(c.path().toString(), out(c, bug).toString(), "--bug", bug));
        }
      }
    }
    Map<String, Python> runs = runAll(jobs);

    StringBuilder table = new StringBuilder("# Bug detection: NumPy candidate with one bug switched in\n\n");
    table.append("FAIL = check exit 1 (caught), pass = exit 0 (missed), err = python error or check exit 2, "
        + "- = bug cannot affect this kind.\n\n| bug |");
    cases.keySet().forEach(id -> table.append(' ').append(id).append(" |"));
    table.append(" caught |\n|---|");
    cases.keySet().forEach(id -> table.append("---|"));
    table.append("---|\n");
    List<String> missed = new ArrayList<>();
    for (String bug : kinds.keySet()) {
      table.append("| ").append(bug).append(" |");
      boolean caught = false;
      for (Case c : cases.values()) {
        Python p = runs.get(bug + "|" + c.id());
        String cell;
        if (p == null) {
          cell = "-";
        } else if (p.exit() != 0) {
          cell = "err (python " + p.exit() + ")";
        } else {
          int exit = check(c, out(c, bug)).exit();
          caught |= exit == Console.EXIT_FAILED;
          cell = exit == Console.EXIT_FAILED ? "FAIL" : exit == Console.EXIT_OK ? "pass" : "err (check " + exit + ")";
        }
        table.append(' ').append(cell).append(" |");
      }
      table.append(caught ? " yes |\n" : " **no** |\n");
      if (!caught) {
        missed.add(bug + " (kinds " + kinds.get(bug) + ")");
      }
    }
    System.out.println(table);
    Files.writeString(Path.of("target", "bug-detection.md"), table, StandardCharsets.UTF_8);
    assertThat(missed).as("bugs no golden case catches; table:\n%s", table).isEmpty();
  }

  private static Path out(Case c, String bug) {
    return WORK.resolve(c.id() + (bug == null ? "" : "--" + bug) + ".json");
  }

  /** check in-process, the CLI contract: exit 0 pass, 1 fail, 2 unreadable. */
  private static Check check(Case c, Path candidate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(o, e, "check", "--case", c.path().toString(), "--candidate", candidate.toString());
    }
    return new Check(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs the candidate once per job, in parallel (each run is one python process, ~0.2-2 s). */
  private static Map<String, Python> runAll(Map<String, List<String>> jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      Map<String, Future<Python>> futures = new LinkedHashMap<>();
      jobs.forEach((key, args) -> futures.put(key, pool.submit(() -> python(args))));
      Map<String, Python> done = new LinkedHashMap<>();
      for (Map.Entry<String, Future<Python>> f : futures.entrySet()) {
        done.put(f.getKey(), f.getValue().get());
      }
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Python python(List<String> args) {
    List<String> command = new ArrayList<>(List.of(INTERPRETER, SCRIPT.toString()));
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Python(-1, "timed out: " + command);
      }
      return new Python(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The first of python3 (on the PATH) and /usr/bin/python3 (where the distribution's python3-numpy goes, which
   * .ci/run installs) that imports numpy; null when neither does.
   */
  private static final String INTERPRETER = findInterpreter();

  private static String findInterpreter() {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not installed: try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private static boolean pythonWithNumpy() {
    if (INTERPRETER != null) {
      System.out.println("NumPy example runs with " + INTERPRETER);
    }
    return INTERPRETER != null;
  }
}
