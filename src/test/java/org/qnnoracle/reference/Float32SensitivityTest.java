package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class Float32SensitivityTest {
  @Test
  void printsTheDerivedTolerances() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("test-data", "cases"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      CaseFile c = CaseFile.read(f);
      if (c.isStatistical()) {
        continue;
      }
      long t0 = System.nanoTime();
      Map<String, CaseFile.ReasonedTolerance> tol = Float32Sensitivity.derive(Float32Sensitivity.routeOf(c), 7L);
      System.out.printf("%s (%.2f s)%n", c.id(), (System.nanoTime() - t0) / 1e9);
      tol.forEach((k, v) -> System.out.printf("TOL %s %s %.6e %.6e%n", c.id(), k, v.tolerance().absolute(),
          v.tolerance().relative()));
      assertThat(tol.keySet()).containsExactlyInAnyOrderElementsOf(c.expected().keySet());
    }
  }
}
