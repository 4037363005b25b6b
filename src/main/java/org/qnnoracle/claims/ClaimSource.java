package org.qnnoracle.claims;

/** Where a claim comes from: a classical fact, our own derivation (with its file), or the paper's abstract. */
public record ClaimSource(Kind kind, String reference) {
  public enum Kind { CLASSICAL, DERIVED, PAPER, FILE }

  public static ClaimSource classical(String reference) {
    return new ClaimSource(Kind.CLASSICAL, reference);
  }

  /** A derivation in proofs-notes/; {@code file} is the file name there, e.g. "exact-flow.md". */
  public static ClaimSource derived(String file) {
    return new ClaimSource(Kind.DERIVED, "proofs-notes/" + file);
  }

  public static ClaimSource paper(String reference) {
    return new ClaimSource(Kind.PAPER, reference);
  }

  /** A claim read from a claim file: {@code reference} is the file's own citation, {@code file} where it was read. */
  public static ClaimSource file(String file, String reference) {
    return new ClaimSource(Kind.FILE, reference + " (claim file " + file + ")");
  }

  /** The label used in spec/claims.md and the reports. */
  public String label() {
    return switch (kind) {
      case CLASSICAL -> "classical (" + reference + ")";
      case DERIVED -> "derived: " + reference;
      case PAPER -> "paper (abstract-level): " + reference;
      case FILE -> "stated in a claim file: " + reference;
    };
  }
}
