package org.qnnoracle.certify;

import java.util.List;
import java.util.Objects;

/**
 * The certified quantities of one golden case and how they were obtained.
 *
 * @param quantities one per expected quantity of the case, in the case file's order
 * @param routes one line per independent route (at least two), the published route first: arithmetic, working
 *     precision, algorithm and its settings
 * @param note step counts, the precisions actually used and cross-checks, in a few sentences: what a reader needs to
 *     reproduce or judge the certificate. Deterministic (no wall times), so a regenerated case is byte-identical.
 * @param seconds wall time of the certification (reported on the console, never written into a case)
 */
public record Certificate(List<CertifiedQuantity> quantities, List<String> routes, String note, double seconds) {
  public Certificate {
    quantities = List.copyOf(quantities);
    routes = List.copyOf(routes);
    Objects.requireNonNull(note, "note");
    if (routes.size() < 2) {
      throw new IllegalArgumentException("a certificate names at least two independent routes");
    }
  }

  /** The quantity of that name. */
  public CertifiedQuantity quantity(String name) {
    return quantities.stream().filter(q -> q.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no certified quantity " + name));
  }

  /** The fewest digits of agreement over every element of every quantity. */
  public double minDigits() {
    return quantities.stream().mapToDouble(CertifiedQuantity::minDigits).min().orElse(CertifiedQuantity.DIGITS_CAP);
  }
}
