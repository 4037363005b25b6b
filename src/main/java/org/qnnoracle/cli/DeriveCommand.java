package org.qnnoracle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.experiments.IdentityVerification;
import org.qnnoracle.gaussian.GaussianIdentity;
import org.qnnoracle.symbolic.SymjaExpectations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle derive}: prints each closed-form Gaussian identity, how it was obtained, and its exact
 * verification now, on this machine: the Java Wick engine against the closed form and Symja against the
 * Java engine on random rational cases, Symja's fully symbolic proof where it is cheap, with the
 * dimensions checked and the time taken.
 */
@Command(
    name = "derive",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Print the closed-form Gaussian expectations and SGD drift formulas, and verify them exactly.",
    descriptionHeading = "%n",
    description = {
      "For each identity (or the one named by --identity): the closed form, the instances it is checked "
          + "on, where it is derived (proofs-notes/gaussian-moments.md) and implemented "
          + "(gaussian.GaussianFormulas), then an exact verification at d = 1..N: random rational "
          + "cases for every batch size and noise setting the identity depends on; on each, the Java "
          + "Wick engine's expectation of the integrand (built from the definitions) against the closed "
          + "form, and Symja's expectation of the same integrand against the Java engine; then Symja's "
          + "fully symbolic proof (symbols for every matrix entry, step size and noise level) at the small "
          + "d where it is cheap. Exact means exact: rational equality, no tolerance. Symja starts in "
          + "about 2 s; d = 4 with Symja takes tens of seconds for the drifts.",
      "",
      "Conventions (spec/model.md): x ~ N(0, I_d), f = x^T M x - tr M, f* = x^T A x - tr A, B = M - A, "
          + "Q(x) = x x^T - I, y = f* + eps with eps ~ N(0, s^2), overlaps Q = Theta^T W and G = W^T W.",
      ""
    },
    optionListHeading = "Options:%n",
    footer = {
      "",
      "Exit codes: 0 every identity verified; 1 an identity failed; 2 invalid arguments or standard output "
          + "that cannot be written."
    })
final class DeriveCommand implements Callable<Integer> {
  static final long DEFAULT_SEED = 20_261_128L;

  @Spec
  CommandSpec spec;

  @Option(names = "--identity", paramLabel = "NAME", order = 1,
      description = "Only this identity; one of: ${COMPLETION-CANDIDATES}. Default: all.",
      completionCandidates = IdentityNames.class)
  String identity;

  @Option(names = "--d", defaultValue = "3", paramLabel = "N", order = 2,
      description = "Check at dimensions d = 1..N, 1 <= N <= 4 (the range of the exact engines). "
          + "Default: ${DEFAULT-VALUE}.")
  int maxD;

  @Option(names = "--cases", defaultValue = "1", paramLabel = "K", order = 3,
      description = "Random rational cases per dimension, batch size and noise setting; 1 <= K <= 100. "
          + "Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--seed", defaultValue = "20261128", paramLabel = "S", order = 4,
      description = "Seed of the random rational cases. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--no-symja", order = 5,
      description = "Java engine only: skip Symja (rational agreement and symbolic proofs).")
  boolean noSymja;

  @Option(names = "--no-symbolic", order = 6,
      description = "Skip Symja's fully symbolic proofs (keep its rational agreement check).")
  boolean noSymbolic;

  /** Candidates for --identity, in declaration order. */
  static final class IdentityNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Arrays.stream(GaussianIdentity.values()).map(GaussianIdentity::cliName).iterator();
    }
  }

  @Override
  public Integer call() throws IOException {
    InvalidInputException.require(maxD >= 1 && maxD <= 4,
        "--d must be between 1 and 4 (the exact engines' range), got " + maxD);
    InvalidInputException.require(cases >= 1 && cases <= 100, "--cases must be between 1 and 100, got " + cases);
    List<GaussianIdentity> identities;
    if (identity == null) {
      identities = List.of(GaussianIdentity.values());
    } else {
      GaussianIdentity g = GaussianIdentity.byCliName(identity.trim());
      InvalidInputException.require(g != null, "unknown identity '" + identity + "'; known: "
          + String.join(", ", Arrays.stream(GaussianIdentity.values()).map(GaussianIdentity::cliName).toList()));
      identities = List.of(g);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean symja = !noSymja;
    boolean symbolic = symja && !noSymbolic;
    err.printf(Locale.ROOT, "derive: %d identit%s at d = 1..%d, seed %d%s%n", identities.size(),
        identities.size() == 1 ? "y" : "ies", maxD, seed,
        symja ? " (Symja starts in about 2 s)" : " (Java engine only)");
    err.flush();
    long start = System.nanoTime();
    int verified = 0;
    for (int i = 0; i < identities.size(); i++) {
      GaussianIdentity g = identities.get(i);
      long t0 = System.nanoTime();
      IdentityVerification.Report report = IdentityVerification.run(g,
          new IdentityVerification.Options(maxD, cases, symja, symbolic ? maxD : 0), seed, line -> {
            err.println("derive: " + line);
            err.flush();
          });
      double seconds = (System.nanoTime() - t0) / 1e9;
      print(out, i + 1, identities.size(), report, symja, symbolic, seconds);
      if (report.passed()) {
        verified++;
      }
    }
    out.printf(Locale.ROOT, "%d of %d identities verified in %.1f s%n", verified, identities.size(),
        (System.nanoTime() - start) / 1e9);
    StandardOutput.check(out);
    return verified == identities.size() ? Console.EXIT_OK : Console.EXIT_CLAIM_FAILED;
  }

  private static void print(PrintWriter out, int index, int total, IdentityVerification.Report r,
      boolean symja, boolean symbolic, double seconds) {
    GaussianIdentity g = r.identity();
    String claim = IdentityVerification.claimId(g);
    out.printf(Locale.ROOT, "[%d/%d] %s  (claim %s)%n", index, total, g.cliName(), claim);
    out.println("  closed form  " + g.statement());
    out.println("  instances    " + g.instanceNote());
    out.println("  obtained by  derivation in proofs-notes/gaussian-moments.md (section " + claim
        + "); implemented once in gaussian.GaussianFormulas, generic over the number type");
    out.println("  checked by   Java Wick engine (integrand from the definitions, expanded in exact rationals, "
        + "monomials replaced by Gaussian moments) = closed form"
        + (symja ? "; Symja (Expand, then every power of a Gaussian variable replaced by its moment) = Java "
            + "engine" : ""));
    out.printf(Locale.ROOT, "  %-3s %6s %8s  %-12s %-14s %9s %9s%n", "d", "cases", "entries", "closed form",
        "Symja = Java", "Java ms", "Symja ms");
    for (IdentityVerification.DimensionRow row : r.rows()) {
      String agree = row.symjaAgrees() == null ? (symja ? "not run (slow)" : "-")
          : row.symjaAgrees() ? "agrees" : "DIFFERS";
      out.printf(Locale.ROOT, "  %-3d %6d %8d  %-12s %-14s %9.1f %9s%n", row.d(), row.cases(), row.entries(),
          row.closedFormHolds() ? "holds" : "FAILS", agree, row.javaMillis(),
          row.symjaAgrees() == null ? "-" : String.format(Locale.ROOT, "%.0f", row.symjaMillis()));
    }
    if (symbolic) {
      if (r.proofs().isEmpty()) {
        out.println("  symbolic     none at these dimensions (too slow in Symja)");
      }
      for (SymjaExpectations.SymbolicProof p : r.proofs()) {
        out.printf(Locale.ROOT, "  symbolic     d=%d%s: %s (%d entr%s, %.1f s)%n", p.d(),
            g.usesBatch() ? " b=" + p.batch() : "",
            p.holds() ? "holds as a polynomial identity in the entries" : "FAILS: " + p.detail(),
            p.entriesChecked(), p.entriesChecked() == 1 ? "y" : "ies", p.millis() / 1e3);
      }
    }
    String failure = r.firstFailure();
    out.printf(Locale.ROOT, "  verdict      %s (%.1f s)%n%n", failure == null ? "verified" : "FAILED: " + failure,
        seconds);
  }
}
