package org.qnnoracle.certify;

import java.util.List;
import java.util.Objects;

/**
 * The certified quantities of one golden case and how they were obtained.
 *
 * @param quantities one per expected quantity of the case, in the case file's order
 * @param seconds wall time of the certification
 * @param note the working precisions, integrator settings and step counts of both routes, in a few lines: what a
 *     reader needs to reproduce or judge the certificate
 */
public record Certificate(List<CertifiedQuantity> quantities, double seconds, String note) {
  public Certificate {
    quantities = List.copyOf(quantities);
    Objects.requireNonNull(note, "note");
  }

  /** The quantity of that name. */
  public CertifiedQuantity quantity(String name) {
    return quantities.stream().filter(q -> q.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no certified quantity " + name));
  }
}
