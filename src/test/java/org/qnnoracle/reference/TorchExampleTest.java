package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qnnoracle.cli.Console;

/**
 * The PyTorch user's path (src/test/resources/examples/torch/qnn_torch.py, every gradient by autograd) against
 * every golden case: it passes {@code check} on every case in float64 and, at the cases' float32 tolerances, in
 * float32 (errors in target/torch-float64.md and target/torch-float32.md). Skipped when no python3 imports
 * torch (the distribution's python3-torch). Helpers are {@link NumpyExampleTest}'s.
 */
class TorchExampleTest {

  private static final Path SCRIPT = Path.of("src", "test", "resources", "examples", "torch", "qnn_torch.py");
  private static final Path WORK = Path.of("target", "torch-example");

  /** The first of python3 and /usr/bin/python3 that imports torch; null when neither does. */
  private static final String INTERPRETER = NumpyExampleTest.findInterpreter("torch");

  private static final Map<String, NumpyExampleTest.Case> cases = new LinkedHashMap<>();

  @BeforeAll
  static void requirements() throws IOException {
    if (INTERPRETER != null) {
      System.out.println("PyTorch example runs with " + INTERPRETER);
    }
    assumeTrue(INTERPRETER != null, "no python3 imports torch (install the distribution's python3-torch): the "
        + "PyTorch example is skipped");
    cases.putAll(NumpyExampleTest.loadCases());
    assumeTrue(!cases.isEmpty(), "test-data/cases holds no case yet");
    Files.createDirectories(WORK);
  }

  @Test
  void float64PassesEveryCase() throws Exception {
    Map<String, NumpyExampleTest.Python> runs = run("float64");
    List<String> problems = new ArrayList<>();
    for (NumpyExampleTest.Case c : cases.values()) {
      NumpyExampleTest.Python p = runs.get(c.id());
      if (p.exit() != 0) {
        problems.add(c.id() + ": python exit " + p.exit() + "\n" + p.output());
        continue;
      }
      // statistical-b1: the replicas draw from torch.Generator seeded with the case's generator seed, so the run
      // is fixed; a fresh seed would fail a correct candidate with probability falseAlarm (1e-3).
      NumpyExampleTest.Check k = NumpyExampleTest.check(c.path(), out(c, "float64"));
      if (k.exit() != Console.EXIT_OK) {
        problems.add(c.id() + ": check exit " + k.exit() + "\n" + k.out() + k.err());
      }
    }
    String table = NumpyExampleTest.errorTable("PyTorch candidate (qnn_torch.py --dtype float64)", cases, runs,
        id -> out(cases.get(id), "float64"));
    System.out.println(table);
    Files.writeString(Path.of("target", "torch-float64.md"), table, StandardCharsets.UTF_8);
    assertThat(problems).as("cases the float64 PyTorch candidate does not pass").isEmpty();
  }

  /**
   * float32 on every case, recorded in target/torch-float32.md: it runs, declares "precision": "float32",
   * really computes in float32, and passes check at each case's float32 tolerances.
   */
  @Test
  void float32PassesEveryCaseAtItsFloat32Tolerances() throws Exception {
    Map<String, NumpyExampleTest.Python> runs = run("float32");
    List<String> problems = NumpyExampleTest.float32Problems(cases, runs, id -> out(cases.get(id), "float32"));
    String table = NumpyExampleTest.errorTable("PyTorch candidate (qnn_torch.py --dtype float32)", cases, runs,
        id -> out(cases.get(id), "float32"));
    System.out.println(table);
    Files.writeString(Path.of("target", "torch-float32.md"), table, StandardCharsets.UTF_8);
    assertThat(problems).as("float32 runs of the PyTorch candidate; table:\n%s", table).isEmpty();
  }

  private static Map<String, NumpyExampleTest.Python> run(String dtype) throws Exception {
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (NumpyExampleTest.Case c : cases.values()) {
      jobs.put(c.id(), List.of(c.path().toString(), out(c, dtype).toString(), "--dtype", dtype));
    }
    return NumpyExampleTest.runAll(INTERPRETER, SCRIPT, jobs);
  }

  private static Path out(NumpyExampleTest.Case c, String dtype) {
    return WORK.resolve(c.id() + "--" + dtype + ".json");
  }
}
