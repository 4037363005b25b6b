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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.cli.Console;
import org.qnnoracle.cli.Main;

/**
 * The independent NumPy candidate (src/test/resources/examples/numpy/qnn_candidate.py) against every golden
 * case in test-data/cases: the correct candidate passes {@code check} on every case, and each deliberate bug
 * of its catalogue ({@code --list-bugs}) fails {@code check} (exit 1) on at least one case of the kinds it
 * affects. The bug x case table is printed and written to target/bug-detection.md. The same candidate in
 * float32 ({@code --dtype float32}) passes every case at the cases' float32 tolerances and each bug still fails
 * some case (target/numpy-float32.md, target/bug-detection-float32.md). Skipped when python3 with numpy is not
 * installed or when there are no cases yet.
 *
 * <p>The static helpers (interpreter lookup, parallel runs, in-process check, error records) are shared with
 * {@link TorchExampleTest}.
 */
class NumpyExampleTest {

  private static final Path SCRIPT = Path.of("src", "test", "resources", "examples", "numpy", "qnn_candidate.py");
  private static final Path CASES = Path.of("test-data", "cases");
  private static final Path WORK = Path.of("target", "numpy-example");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A float32 candidate differs from the expected values by at least the float32 rounding of its inputs,
   * 2^-24 relative, somewhere in every deterministic case; float64 candidates agree to 5e-12 (the cases'
   * reasons). 2^-30 sits between the two, so an error above it shows that the run really computed in float32.
   */
  static final double FLOAT32_EVIDENCE = 0x1p-30;

  /** id -> (kind, path), sorted by file name. */
  private static final Map<String, Case> cases = new LinkedHashMap<>();

  /** The first of python3 and /usr/bin/python3 that imports numpy; null when neither does. */
  private static final String INTERPRETER = findInterpreter("numpy");

  record Case(String id, String kind, Path path) {}

  record Python(int exit, String output, double seconds) {}

  record Check(int exit, String out, String err) {}

  /**
   * One quantity of one candidate against its case: {@code ratio} is check's worst / bound (at most 1 passes
   * at today's float64 tolerances; |z| / threshold for a statistical quantity), {@code relative} the worst
   * |candidate - expected| / |expected| over all elements, {@code relativeSignificant} the same over elements
   * with |expected| >= 1e-6 max |expected| (unlearned directions sit at 1e-30, where a relative error means
   * nothing).
   */
  record Error(String quantity, double ratio, double relative, double relativeSignificant, boolean passed) {}

  @BeforeAll
  static void requirements() throws IOException {
    if (INTERPRETER != null) {
      System.out.println("NumPy example runs with " + INTERPRETER);
    }
    assumeTrue(INTERPRETER != null, "python3 with numpy is not available");
    cases.putAll(loadCases());
    assumeTrue(!cases.isEmpty(), "test-data/cases holds no case yet");
    Files.createDirectories(WORK);
  }

  @Test
  void correctCandidatePassesEveryCase() throws Exception {
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (Case c : cases.values()) {
      jobs.put(c.id(), List.of(c.path().toString(), out(c, null, "float64").toString()));
    }
    Map<String, Python> runs = runAll(INTERPRETER, SCRIPT, jobs);
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
      Check k = check(c.path(), out(c, null, "float64"));
      if (k.exit() != Console.EXIT_OK) {
        problems.add(c.id() + ": check exit " + k.exit() + "\n" + k.out() + k.err());
      }
    }
    assertThat(problems).as("cases the correct NumPy candidate does not pass").isEmpty();
  }

  /**
   * The correct candidate in float32 on every case, recorded in target/numpy-float32.md: it runs, declares
   * "precision": "float32", really computes in float32, and passes check at each case's float32 tolerances.
   */
  @Test
  void float32CandidatePassesEveryCaseAtItsFloat32Tolerances() throws Exception {
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (Case c : cases.values()) {
      jobs.put(c.id(), List.of(c.path().toString(), out(c, null, "float32").toString(), "--dtype", "float32"));
    }
    Map<String, Python> runs = runAll(INTERPRETER, SCRIPT, jobs);
    List<String> problems = float32Problems(cases, runs, id -> out(cases.get(id), null, "float32"));
    String table = errorTable("NumPy candidate (qnn_candidate.py --dtype float32)", cases, runs,
        id -> out(cases.get(id), null, "float32"));
    System.out.println(table);
    Files.writeString(Path.of("target", "numpy-float32.md"), table, StandardCharsets.UTF_8);
    assertThat(problems).as("float32 runs of the NumPy candidate; table:\n%s", table).isEmpty();
  }

  @Test
  void everyBugOfTheCatalogueFailsSomeCase() throws Exception {
    Map<String, List<String>> kinds = bugKinds();
    Map<String, Python> runs = runAll(INTERPRETER, SCRIPT, bugJobs(kinds, "float64"));

    StringBuilder table = new StringBuilder("# Bug detection: NumPy candidate with one bug switched in\n\n");
    table.append("FAIL = check exit 1 (caught), pass = exit 0 (missed), err = python error or check exit 2, "
        + "- = bug cannot affect this kind.\n\n");
    tableHeader(table, "bug", " caught |");
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
          int exit = check(c.path(), out(c, bug, "float64")).exit();
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

  /**
   * Every bug in float32, recorded in target/bug-detection-float32.md: per bug and case the verdict at the
   * float32 tolerance and the largest check worst / bound, beside the correct float32 candidate's. Asserted:
   * every run gives a readable candidate, the correct one passes every case, and every bug fails some case.
   */
  @Test
  void everyBugIsStillCaughtInFloat32() throws Exception {
    Map<String, List<String>> kinds = bugKinds();
    Map<String, List<String>> jobs = bugJobs(kinds, "float32");
    for (Case c : cases.values()) {
      jobs.put("correct|" + c.id(), List.of(c.path().toString(), out(c, null, "float32").toString(), "--dtype",
          "float32"));
    }
    Map<String, Python> runs = runAll(INTERPRETER, SCRIPT, jobs);

    StringBuilder table = new StringBuilder("# Bug detection in float32: NumPy candidate --dtype float32 with one "
        + "bug switched in\n\n");
    table.append("Each cell: verdict at the case's float32 tolerance (FAIL = caught / pass) and the largest check "
        + "worst / bound over the case's quantities (1 = at the tolerance; |z| / threshold for statistical); the "
        + "first row is the correct float32 candidate. - = bug cannot affect this kind; err = python error or "
        + "unreadable candidate.\n\n");
    tableHeader(table, "bug", " caught |");
    List<String> problems = new ArrayList<>();
    for (String bug : concat("correct", kinds.keySet())) {
      table.append("| ").append(bug.equals("correct") ? "(correct float32)" : bug).append(" |");
      boolean caught = false;
      for (Case c : cases.values()) {
        Python p = runs.get(bug + "|" + c.id());
        String cell;
        if (p == null) {
          cell = "-";
        } else if (p.exit() != 0) {
          cell = "err (python " + p.exit() + ")";
          problems.add(bug + " on " + c.id() + ": python exit " + p.exit() + "\n" + p.output());
        } else {
          Path candidate = out(c, bug.equals("correct") ? null : bug, "float32");
          try {
            List<Error> errors = errors(c.path(), candidate);
            double worst = errors.stream().mapToDouble(Error::ratio).max().orElse(0);
            boolean passed = errors.stream().allMatch(Error::passed);
            caught |= !passed;
            cell = (passed ? "pass " : "FAIL ") + String.format(Locale.ROOT, "%.2g", worst);
          } catch (InvalidInputException e) {
            cell = "err (check 2)";
            problems.add(bug + " on " + c.id() + ": " + e.getMessage());
          }
        }
        table.append(' ').append(cell).append(" |");
      }
      boolean correct = bug.equals("correct");
      table.append(correct ? " - |\n" : caught ? " yes |\n" : " **no** |\n");
      if (correct == caught) {
        problems.add(correct ? "the correct float32 candidate fails a case" : bug + " is caught by no case in float32");
      }
    }
    System.out.println(table);
    Files.writeString(Path.of("target", "bug-detection-float32.md"), table, StandardCharsets.UTF_8);
    assertThat(problems).as("float32 bug detection; table:\n%s", table).isEmpty();
  }

  private static Map<String, List<String>> bugKinds() throws IOException {
    Python list = python(INTERPRETER, SCRIPT, List.of("--list-bugs"));
    assertThat(list.exit()).as(list.output()).isZero();
    JsonNode catalogue = JSON.readTree(list.output());
    Map<String, List<String>> kinds = new LinkedHashMap<>();
    for (Iterator<String> it = catalogue.fieldNames(); it.hasNext(); ) {
      String bug = it.next();
      List<String> k = new ArrayList<>();
      catalogue.get(bug).path("kinds").forEach(n -> k.add(n.asText()));
      kinds.put(bug, k);
    }
    return kinds;
  }

  private static Map<String, List<String>> bugJobs(Map<String, List<String>> kinds, String dtype) {
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (String bug : kinds.keySet()) {
      for (Case c : cases.values()) {
        if (kinds.get(bug).contains(c.kind())) {
          jobs.put(bug + "|" + c.id(), List.of(c.path().toString(), out(c, bug, dtype).toString(), "--bug", bug,
              "--dtype", dtype));
        }
      }
    }
    return jobs;
  }

  private static void tableHeader(StringBuilder table, String first, String last) {
    table.append("| ").append(first).append(" |");
    cases.keySet().forEach(id -> table.append(' ').append(id).append(" |"));
    table.append(last).append("\n|---|");
    cases.keySet().forEach(id -> table.append("---|"));
    table.append(last.isEmpty() ? "" : "---|").append('\n');
  }

  private static List<String> concat(String first, Iterable<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    rest.forEach(all::add);
    return all;
  }

  private static Path out(Case c, String bug, String dtype) {
    return WORK.resolve(c.id() + (bug == null ? "" : "--" + bug) + (dtype.equals("float64") ? "" : "--" + dtype)
        + ".json");
  }

  // ------------------------------------------------------------------ helpers shared with TorchExampleTest

  /** The golden cases, id -> case, sorted by file name; empty when test-data/cases does not exist. */
  static Map<String, Case> loadCases() throws IOException {
    Map<String, Case> all = new LinkedHashMap<>();
    if (!Files.isDirectory(CASES)) {
      return all;
    }
    try (Stream<Path> s = Files.list(CASES)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        JsonNode c = JSON.readTree(p.toFile());
        all.put(c.path("id").asText(), new Case(c.path("id").asText(), c.path("kind").asText(), p));
      }
    }
    return all;
  }

  /** check in-process, the CLI contract: exit 0 pass, 1 fail, 2 unreadable. */
  static Check check(Path caseFile, Path candidate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(o, e, "check", "--case", caseFile.toString(), "--candidate", candidate.toString());
    }
    return new Check(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The candidate's errors per quantity, judged by {@link Checker} (the same judge as {@code check});
   * InvalidInputException when the candidate is unreadable.
   */
  static List<Error> errors(Path caseFile, Path candidateFile) {
    CaseFile c = CaseFile.read(caseFile);
    CandidateFile candidate = CandidateFile.read(candidateFile, c);
    List<Error> errors = new ArrayList<>();
    for (QuantityResult q : Checker.check(c, candidate).quantities()) {
      CaseFile.Expected e = c.expected().get(q.quantity());
      double ratio = q.bound() == 0 ? (q.worst() == 0 ? 0 : Double.POSITIVE_INFINITY) : q.worst() / q.bound();
      if (q instanceof QuantityResult.Statistical s) {
        double rel = Math.abs(s.candidateMean() - s.referenceMean()) / Math.abs(s.referenceMean());
        errors.add(new Error(q.quantity(), ratio, rel, rel, q.passed()));
        continue;
      }
      double[] given = candidate.quantities().get(q.quantity()).values();
      double largest = 0;
      for (double v : e.values()) {
        largest = Math.max(largest, Math.abs(v));
      }
      double all = 0;
      double significant = 0;
      for (int i = 0; i < given.length; i++) {
        double diff = Math.abs(given[i] - e.values()[i]);
        double rel = diff == 0 ? 0 : diff / Math.abs(e.values()[i]);
        all = Math.max(all, rel);
        if (Math.abs(e.values()[i]) >= 1e-6 * largest) {
          significant = Math.max(significant, rel);
        }
      }
      errors.add(new Error(q.quantity(), ratio, all, significant, q.passed()));
    }
    return errors;
  }

  /**
   * What must hold of every float32 run: python exit 0, a readable candidate declaring "precision": "float32",
   * on a deterministic case some error above {@link #FLOAT32_EVIDENCE} (it really computed in float32), and a
   * pass of check at the case's float32 tolerances.
   */
  static List<String> float32Problems(Map<String, Case> cases, Map<String, Python> runs,
      Function<String, Path> candidate) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Case c : cases.values()) {
      Python p = runs.get(c.id());
      if (p.exit() != 0) {
        problems.add(c.id() + ": python exit " + p.exit() + "\n" + p.output());
        continue;
      }
      Path file = candidate.apply(c.id());
      String precision = JSON.readTree(file.toFile()).path("precision").asText();
      if (!precision.equals("float32")) {
        problems.add(c.id() + ": the candidate declares precision '" + precision + "', not float32");
      }
      try {
        List<Error> errors = errors(c.path(), file);
        double largest = errors.stream().mapToDouble(Error::relative).max().orElse(0);
        if (!c.kind().equals("statistical") && !(largest > FLOAT32_EVIDENCE)) {
          problems.add(c.id() + ": largest relative error " + largest + " <= 2^-30: not computed in float32?");
        }
        for (Error e : errors) {
          if (!e.passed()) {
            problems.add(c.id() + ": " + e.quantity() + " fails at its float32 tolerance (worst / bound "
                + e.ratio() + ")");
          }
        }
      } catch (InvalidInputException e) {
        problems.add(c.id() + ": unreadable candidate: " + e.getMessage());
      }
    }
    return problems;
  }

  /** A markdown table of every case's and quantity's errors (cases whose run failed are listed as such). */
  static String errorTable(String title, Map<String, Case> cases, Map<String, Python> runs,
      Function<String, Path> candidate) {
    StringBuilder t = new StringBuilder("# Errors of the " + title + "\n\n");
    t.append("worst/bound: check's worst |candidate - expected| / (absolute + relative |expected|) at the case's "
        + "tolerance for the candidate's declared precision (float32: the case's float32 tolerance), |z| / threshold "
        + "for statistical; rel. all: worst |c - e| / |e|; rel. sig.: the same over elements with |e| >= 1e-6 max "
        + "|e|.\n\n");
    t.append("| case | quantity | worst/bound | rel. all | rel. sig. | verdict | run s |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    for (Case c : cases.values()) {
      Python p = runs.get(c.id());
      if (p == null || p.exit() != 0) {
        t.append("| ").append(c.id()).append(" | - | run failed | | | | |\n");
        continue;
      }
      try {
        for (Error e : errors(c.path(), candidate.apply(c.id()))) {
          t.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.3g | %.3g | %s | %.2f |%n", c.id(), e.quantity(),
              e.ratio(), e.relative(), e.relativeSignificant(), e.passed() ? "pass" : "FAIL", p.seconds()));
        }
      } catch (InvalidInputException e) {
        t.append("| ").append(c.id()).append(" | - | unreadable: ").append(e.getMessage()).append(" | | | | |\n");
      }
    }
    return t.toString();
  }

  /** Runs the script once per job, in parallel on the available cores (each run is one python process). */
  static Map<String, Python> runAll(String interpreter, Path script, Map<String, List<String>> jobs)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      Map<String, Future<Python>> futures = new LinkedHashMap<>();
      jobs.forEach((key, args) -> futures.put(key, pool.submit(() -> python(interpreter, script, args))));
      Map<String, Python> done = new LinkedHashMap<>();
      for (Map.Entry<String, Future<Python>> f : futures.entrySet()) {
        done.put(f.getKey(), f.getValue().get());
      }
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  static Python python(String interpreter, Path script, List<String> args) {
    List<String> command = new ArrayList<>(List.of(interpreter, script.toString()));
    command.addAll(args);
    long start = System.nanoTime();
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Python(-1, "timed out: " + command, (System.nanoTime() - start) * 1e-9);
      }
      return new Python(p.exitValue(), new String(output, StandardCharsets.UTF_8), (System.nanoTime() - start) * 1e-9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The first of python3 (on the PATH) and /usr/bin/python3 (where the distribution's python3-numpy and
   * python3-torch go, which .ci/run installs) that imports {@code module}; null when neither does.
   */
  static String findInterpreter(String module) {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import " + module).redirectErrorStream(true).start();
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
}
