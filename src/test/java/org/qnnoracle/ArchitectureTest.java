package org.qnnoracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;

/**
 * The package map of the README ("Where things are"), enforced on the sources: every package sits on a layer and
 * refers only to packages of lower layers, so what is computed (the domain packages) never depends on how it is
 * verified (experiments, claims) or on how it is invoked (cli); no file outside claims/ and experiments/ names a
 * claim; no command uses another command. The sources are read as text (imports and fully qualified names), which
 * is what a contributor sees; each rule is also run on a planted violation, so a rule that cannot fail is caught.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/org/qnnoracle");
  private static final String ROOT = "";

  /**
   * The layers, lowest first; a package may refer to its own and to lower layers only. Kept in the same order
   * as the README's table.
   */
  static final Map<String, Integer> LAYER = Map.ofEntries(
      Map.entry(ROOT, 0),
      Map.entry("linalg", 1), Map.entry("stats", 1), Map.entry("plot", 1),
      Map.entry("ode", 2),
      Map.entry("model", 3),
      Map.entry("gaussian", 4),
      Map.entry("symbolic", 5), Map.entry("flow", 5), Map.entry("certify", 5),
      Map.entry("sgd", 6),
      Map.entry("laws", 7),
      Map.entry("reference", 8),
      Map.entry("experiments", 9),
      Map.entry("claims", 10),
      Map.entry("sweep", 11), Map.entry("junit", 11),
      Map.entry("cli", 12));

  /** Packages that compute; they know nothing of claims (IDs included). */
  static final Set<String> VERIFICATION = Set.of("experiments", "claims");

  // org.qnnoracle.<pkg>.<Upper...>  or  org.qnnoracle.<Upper...> (the root package)
  private static final Pattern REFERENCE =
      Pattern.compile("\\borg\\.qnnoracle\\.(?:([a-z][a-z0-9]*)\\.)?([A-Z]\\w*)");

  record Source(String pkg, String file, String text) {}

  record Violation(String file, String rule) {
    @Override
    public String toString() {
      return file + ": " + rule;
    }
  }

  @Test
  void everyPackageHasALayer() {
    Set<String> unknown = new TreeSet<>();
    for (Source s : sources()) {
      if (!LAYER.containsKey(s.pkg())) {
        unknown.add(s.pkg());
      }
    }
    assertThat(unknown).as("packages missing from the layer table (and the README map)").isEmpty();
  }

  @Test
  void packagesReferOnlyToLowerLayers() {
    assertThat(layerViolations(sources())).isEmpty();
  }

  @Test
  void noFileOutsideVerificationNamesAClaim() {
    assertThat(claimNameViolations(sources(), claimIds())).isEmpty();
  }

  @Test
  void noCommandUsesAnotherCommand() {
    assertThat(commandViolations(sources())).isEmpty();
  }

  /** Each rule flags a planted violation: a rule that cannot fail would pass the three tests above vacuously. */
  @Test
  void eachRuleCatchesAPlantedViolation() {
    Source upward = new Source("flow", "flow/Bad.java",
        "package org.qnnoracle.flow;\nimport org.qnnoracle.experiments.FlowChecks;\n");
    Source sideways = new Source("flow", "flow/Bad2.java", "x = org.qnnoracle.symbolic.SymjaSession.open();");
    Source root = new Source(ROOT, "Bad3.java", "import org.qnnoracle.cli.Main;");
    Source fine = new Source("sgd", "sgd/Good.java", "import org.qnnoracle.flow.FlowState;\nimport java.util.List;");
    assertThat(layerViolations(List.of(upward, sideways, root, fine))).extracting(Violation::file)
        .containsExactly("flow/Bad.java", "flow/Bad2.java", "Bad3.java");

    String id = claimIds().iterator().next();
    Source named = new Source("sgd", "sgd/Named.java", "/** checked by " + id + ". */");
    Source prefixOnly = new Source("cli", "cli/Help.java", "\"e.g. " + id.substring(0, id.indexOf('-') + 1) + "\"");
    Source allowed = new Source("experiments", "experiments/E.java", "// " + id);
    assertThat(claimNameViolations(List.of(named, prefixOnly, allowed), claimIds())).extracting(Violation::file)
        .containsExactly("sgd/Named.java");

    Source borrowing = new Source("cli", "cli/LawsCommand.java", "String s = FlowCommand.fmt(x);");
    Source main = new Source("cli", "cli/Main.java", "new CommandLine(new FlowCommand());");
    Source leaf = new Source("cli", "cli/Console.java", "static String fmt(double x)");
    Source usesMain = new Source("cli", "cli/SgdCommand.java", "return Main.EXIT_OK;");
    Source leafUsingCommand = new Source("cli", "cli/Bounds.java", "FlowCommand.MAX_POINTS");
    assertThat(commandViolations(List.of(borrowing, main, leaf, usesMain, leafUsingCommand)))
        .extracting(Violation::file).containsExactly("cli/LawsCommand.java", "cli/SgdCommand.java", "cli/Bounds.java");
  }

  static List<Violation> layerViolations(List<Source> sources) {
    List<Violation> out = new ArrayList<>();
    for (Source s : sources) {
      Integer own = LAYER.get(s.pkg());
      if (own == null) {
        continue; // reported by everyPackageHasALayer
      }
      Set<String> seen = new TreeSet<>();
      Matcher m = REFERENCE.matcher(s.text());
      while (m.find()) {
        String target = m.group(1) == null ? ROOT : m.group(1);
        if (target.equals(s.pkg()) || !seen.add(target)) {
          continue;
        }
        Integer layer = LAYER.get(target);
        if (layer == null || layer >= own) {
          out.add(new Violation(s.file(), "package '" + display(s.pkg()) + "' (layer " + own + ") refers to '"
              + display(target) + "' (layer " + layer + ")"));
        }
      }
    }
    return out;
  }

  static List<Violation> claimNameViolations(List<Source> sources, Set<String> ids) {
    List<Violation> out = new ArrayList<>();
    for (Source s : sources) {
      if (VERIFICATION.contains(s.pkg())) {
        continue;
      }
      for (String id : ids) {
        // A whole ID, not a prefix of a longer one nor a prefix shown in a help text ("FLOW-").
        if (Pattern.compile("(?<![A-Z0-9-])" + Pattern.quote(id) + "(?![A-Z0-9-])").matcher(s.text()).find()) {
          out.add(new Violation(s.file(), "names claim " + id));
        }
      }
    }
    return out;
  }

  /**
   * A command ({@code *Command}) refers to no other command and not to Main (the dispatcher); the other cli
   * classes (the shared leaves: formatting, progress, exit codes, converters) refer to no command.
   */
  static List<Violation> commandViolations(List<Source> sources) {
    Pattern command = Pattern.compile("\\b(\\w+Command|Main)\\b");
    List<Violation> out = new ArrayList<>();
    for (Source s : sources) {
      String own = s.file().substring(s.file().lastIndexOf('/') + 1).replace(".java", "");
      if (!s.pkg().equals("cli") || own.equals("Main")) {
        continue; // Main dispatches to the commands; other packages are covered by the layers
      }
      boolean isCommand = own.endsWith("Command");
      Set<String> used = new TreeSet<>();
      Matcher m = command.matcher(s.text());
      while (m.find()) {
        String name = m.group(1);
        boolean forbidden = isCommand ? !name.equals(own) : !name.equals("Main");
        if (forbidden && !name.equals("ParentCommand")) {
          used.add(name);
        }
      }
      if (!used.isEmpty()) {
        out.add(new Violation(s.file(), "uses " + used + (isCommand
            ? " (shared code belongs in a leaf class)" : " (a shared leaf must not depend on a command)")));
      }
    }
    return out;
  }

  private static Set<String> claimIds() {
    Set<String> ids = new TreeSet<>();
    for (Claim c : ClaimRegistry.all()) {
      ids.add(c.id());
    }
    return ids;
  }

  private static String display(String pkg) {
    return pkg.isEmpty() ? "org.qnnoracle" : pkg;
  }

  private static List<Source> sources() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().map(ArchitectureTest::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Source read(Path p) {
    Path rel = MAIN.relativize(p);
    String pkg = rel.getNameCount() == 1 ? ROOT : rel.getName(0).toString();
    try {
      return new Source(pkg, rel.toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
