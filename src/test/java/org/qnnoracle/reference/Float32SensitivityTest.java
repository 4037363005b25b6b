package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The float32 tolerances of the golden cases: how they are derived (a route perturbed at float32 round-off) and
 * that the committed cases carry exactly what the derivation gives from their own stored inputs.
 */
class Float32SensitivityTest {
  private static final double U = Float32Sensitivity.UNIT_ROUNDOFF;

  @Test
  void aRouteThatOnlyRoundsItsInputsGetsTheFloorTolerances() {
    // one large and one small element, each perturbed once by at most u relative: spreads <= u and <= 1e-9 u
    Float32Sensitivity.Route route = r -> Map.of("q", new double[] {r.apply(2.0), r.apply(1e-9)});
    CaseFile.ReasonedTolerance t = Float32Sensitivity.derive(route, 11L).get("q");
    double safety = Float32Sensitivity.SAFETY;
    // relative: SAFETY max(spread, u) = SAFETY u, rounded up to two digits (at most 10% more)
    assertThat(t.tolerance().relative()).isBetween(safety * U, 1.1 * safety * U);
    // absolute: the floor SAFETY u x the largest element (2.0) dominates the small element's 1e-9 u spread
    assertThat(t.tolerance().absolute()).isBetween(safety * U * 2.0, 1.1 * safety * U * 2.0);
  }

  @Test
  void aSensitiveRouteGetsItsMeasuredSpreadTimesTheSafetyFactor() {
    // the output amplifies the input's rounding 1000 times: relative spread up to 1000 u
    Float32Sensitivity.Route route = r -> Map.of("q", new double[] {Math.pow(r.apply(1.5), 1000) / Math.pow(1.5, 1000)});
    CaseFile.ReasonedTolerance t = Float32Sensitivity.derive(route, 12L).get("q");
    // 16 draws of v uniform in [-1, 1]: the largest |v| is above 0.5 with probability 1 - 2^-16, so the spread
    // is between 500 u and 1000 u (to first order; (1 + 1000 u) - 1 differs from 1000 u by 1e-4 relative)
    assertThat(t.tolerance().relative()).isBetween(Float32Sensitivity.SAFETY * 500 * U,
        1.1 * Float32Sensitivity.SAFETY * 1001 * U);
  }

  @Test
  void theDrawsAreReproducibleFromTheSeed() {
    Float32Sensitivity.Route route = r -> Map.of("q", new double[] {r.apply(3.0)});
    assertThat(Float32Sensitivity.derive(route, 5L).get("q").tolerance())
        .isEqualTo(Float32Sensitivity.derive(route, 5L).get("q").tolerance());
  }

  @Test
  void everyCommittedCaseCarriesTheToleranceDerivedFromItsStoredInputs() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("test-data", "cases"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    Map<String, String> table = new LinkedHashMap<>();
    for (Path f : files) {
      CaseFile c = CaseFile.read(f);
      if (c.isStatistical()) {
        continue;
      }
      assertThat(c.formatVersion()).as(c.id()).isEqualTo(2);
      long seed = c.json().get("generator").get("seed").longValue();
      Map<String, CaseFile.ReasonedTolerance> derived =
          Float32Sensitivity.derive(Float32Sensitivity.routeOf(c), seed);
      for (CaseFile.Expected e : c.expected().values()) {
        CaseFile.Tolerance stored = e.float32().tolerance();
        CaseFile.Tolerance again = derived.get(e.name()).tolerance();
        // same inputs (the file's doubles are the generator's), same draws: equal to the last bit
        assertThat(stored).as(c.id() + " " + e.name()).isEqualTo(again);
        assertThat(stored.relative()).as(c.id() + " " + e.name() + ": float32 is looser than float64")
            .isGreaterThanOrEqualTo(e.tolerance().relative());
        table.put(c.id() + " " + e.name(), String.format("abs %.2e rel %.2e", stored.absolute(), stored.relative()));
      }
    }
    table.forEach((k, v) -> System.out.println("float32 tolerance " + k + ": " + v));
    assertThat(table).isNotEmpty();
  }
}
