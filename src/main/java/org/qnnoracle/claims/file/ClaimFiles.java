package org.qnnoracle.claims.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.claims.ClaimSource;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.FileClaim.Route;

/**
 * Claim files (spec/claim-file.md) read into {@link Claim}s that {@code verify}, its reports and JUnit run like the
 * built-in ones: the same record, the same runner, the same table.
 */
public final class ClaimFiles {
  /**
   * The most work a claim may ask for at the scale run, in estimated floating-point operations ({@link Cost}): the
   * propagators ran at 2.2e9 to 2.3e9 estimated operations per second on the 2-core CI machine (the issue example's
   * late bound: 1.2e11 in 52 s reduced, 1.1e12 in 471 s exact), so 1e13 is about 75 minutes, within CI's 90. A
   * larger claim is refused when the file is read.
   */
  public static final double MAX_FLOPS = 1e13;

  private ClaimFiles() {}

  /** {@link #load(Path, Scale)} at scale default. */
  public static List<Claim> load(Path fileOrDirectory) {
    return load(fileOrDirectory, Scale.DEFAULT);
  }

  /**
   * The claims of a claim file, or of every *.json file in a directory (sorted by name), checked for a run at
   * {@code scale}. Throws {@link InvalidInputException} with one line naming the file, the claim and the problem:
   * a malformed file, an ID that a built-in claim or another file already uses, a claim too costly for the scale.
   */
  public static List<Claim> load(Path fileOrDirectory, Scale scale) {
    return checked(read(fileOrDirectory), scale).stream().map(ClaimFiles::toClaim).toList();
  }

  /** {@code claims} after the checks that need the registry and the scale: unique IDs, the cost limit. */
  private static List<FileClaim> checked(List<FileClaim> claims, Scale scale) {
    Set<String> ids = new HashSet<>();
    for (FileClaim c : claims) {
      if (ClaimRegistry.byId(c.id()).isPresent()) {
        throw new InvalidInputException(c.file() + ": claim " + c.id() + ": a built-in claim has this id");
      }
      if (!ids.add(c.id())) {
        throw new InvalidInputException(c.file() + ": claim " + c.id() + ": another loaded claim file has this id");
      }
      double flops = Cost.flops(c, scale);
      if (flops > MAX_FLOPS) {
        throw new InvalidInputException(c.file() + ": claim " + c.id() + ": estimated " + String.format(Locale.ROOT,
            "%.2g", flops) + " floating-point operations at scale " + scale.label() + ", above the limit "
            + String.format(Locale.ROOT, "%.0e", MAX_FLOPS) + " (about 75 minutes on 2 cores); shrink the sweep, grid, "
            + "replicas or sizes");
      }
    }
    return claims;
  }

  /**
   * What running the claims of {@code fileOrDirectory} at {@code scale} would do, one block per claim: the
   * settings, instances and replicas, the grid, the observables the assertion uses and the estimated work. Runs
   * nothing; the file is validated as {@link #load} does.
   */
  public static String explain(Path fileOrDirectory, Scale scale) {
    StringBuilder b = new StringBuilder();
    for (FileClaim c : checked(read(fileOrDirectory), scale)) {
      FileClaim.Plan plan = c.at(scale);
      b.append(c.id()).append(" (").append(c.file()).append(")\n");
      b.append("  statement:  ").append(c.statement()).append('\n');
      b.append("  route:      ").append(c.route().label)
          .append(c.route() == Route.FLOW ? (c.exact() ? " (exact propagator)" : " (reduced propagator)") : "")
          .append('\n');
      if (c.draw() != null) {
        b.append("  instances:  ").append(plan.instancesPerSetting()).append(" drawn (family ").append(c.draw().family())
            .append(", seeds base + ").append(c.draw().seedOffset()).append(" ..)\n");
      } else {
        b.append("  settings:   ").append(plan.settings().size()).append(" at scale ").append(scale.label())
            .append('\n');
        for (FileClaim.Setting s : plan.settings()) {
          b.append("    ").append(s.describe()).append('\n');
        }
      }
      if (c.route() == Route.SGD) {
        b.append("  replicas:   ").append(plan.replicas()).append(" per setting, false-alarm rate ")
            .append(c.falseAlarm()).append('\n');
      }
      b.append("  grid:       ").append(Cost.describeGrid(c.grid())).append('\n');
      b.append("  assert:     ").append(c.assertion().text()).append("  (").append(c.quantifier().name()
          .toLowerCase(Locale.ROOT)).append(", tol = ").append(c.tolerance()).append(")\n");
      b.append("  uses:       ").append(String.join(", ", c.assertion().symbols())).append('\n');
      b.append("  cost:       ").append(String.format(Locale.ROOT, "about %.2g floating-point operations", Cost.flops(c,
          scale))).append('\n');
    }
    return b.toString();
  }

  /** The validated claims of a file or directory, without the registry checks. */
  static List<FileClaim> read(Path fileOrDirectory) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDirectory)) {
      try (Stream<Path> s = Files.list(fileOrDirectory)) {
        s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new InvalidInputException("cannot list claim directory '" + fileOrDirectory + "': " + e.getMessage());
      }
      if (files.isEmpty()) {
        throw new InvalidInputException("claim directory '" + fileOrDirectory + "' holds no *.json file");
      }
    } else {
      files.add(fileOrDirectory);
    }
    List<FileClaim> out = new ArrayList<>();
    for (Path f : files) {
      out.addAll(ClaimFileReader.read(f));
    }
    return out;
  }

  static Claim toClaim(FileClaim c) {
    boolean fixed = c.assertion().boundIsTolerance();
    String tolerance = c.assertion().text() + " (" + c.quantifier().name().toLowerCase(Locale.ROOT) + "; tol = "
        + Claim.formatBound(c.tolerance()) + (c.route() == Route.SGD ? "; z from false-alarm rate " + c.falseAlarm()
        + ", Bonferroni over the run's comparisons" : "") + ")";
    return new Claim(c.id(), c.title(), c.statement(), ClaimSource.file(c.file(), c.source()),
        fixed ? c.tolerance() : Claim.COMPUTED_PER_RUN, tolerance, c.toleranceReason(),
        List.of("claim file " + Path.of(c.file()).getFileName()), new FileClaimCheck(c),
        c.route() == Route.SGD ? c.falseAlarm() : Claim.DETERMINISTIC);
  }
}
