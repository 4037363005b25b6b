package org.qnnoracle.laws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.JsonText;

/**
 * Reading a {@link Scenario} from its JSON file (README, "Scenarios"): 'paper', the bundled resource, or a file
 * path. Every field is checked and unknown fields are refused, each with a message that names the scenario and
 * the field.
 */
public final class ScenarioFile {
  private ScenarioFile() {}

  /** The fields of a scenario file: the required ones, then the optional ones (README, "Scenarios"). */
  public static final List<String> REQUIRED = List.of("name", "description", "d", "r", "m", "alpha", "sigma0",
      "batch", "c", "seed", "points", "tMax");
  public static final List<String> OPTIONAL = List.of("fullWidth");

  /**
   * Largest scenario file read (1 MB): a scenario is a dozen numbers and a description; the bundled paper.json is
   * 1.4 KB, so even a description of many pages fits. A larger file is refused before it is read.
   */
  public static final long MAX_BYTES = 1L << 20;

  /**
   * 'paper' (the bundled resource) or a file path; every field checked, unknown fields refused. Optional field
   * {@code fullWidth}: a whole number M &gt;= r, true (M = r, the default) or false (no full-width part).
   */
  public static Scenario load(String nameOrFile) {
    InvalidInputException.require(!nameOrFile.isBlank(), "--scenario must name a scenario file or 'paper'; got '"
        + nameOrFile + "'");
    String what = "scenario '" + nameOrFile + "': ";
    JsonNode root;
    // A field given twice is an error, not "the last one wins".
    ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    byte[] bytes;
    if (nameOrFile.equals("paper")) {
      try (InputStream in = ScenarioFile.class.getResourceAsStream("/scenarios/paper.json")) {
        InvalidInputException.require(in != null, what + "the bundled scenario is missing from the jar");
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new InvalidInputException(what + "cannot read the bundled scenario: " + InputFiles.describe(e));
      }
    } else {
      Path p = Path.of(nameOrFile);
      InvalidInputException.require(Files.isRegularFile(p) && Files.isReadable(p),
          what + "not a readable file (the only bundled scenario is 'paper')");
      bytes = InputFiles.readBounded(p, "scenario", MAX_BYTES);
    }
    root = JsonText.parse(mapper, bytes, "scenario '" + nameOrFile + "'");
    InvalidInputException.require(root != null && root.isObject(), what + "must be a JSON object");
    Set<String> known = new TreeSet<>(REQUIRED);
    known.addAll(OPTIONAL);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      // A short unknown name is likely a typo: list the fields. A long one is not, and the list would make the
      // line too long to read.
      InvalidInputException.require(known.contains(f), what + "unknown field '" + abbreviate(f) + "' ("
          + (f.length() <= 20 ? "fields: " + String.join(", ", known) : "see laws --help for the fields") + ")");
    }
    for (String f : REQUIRED) {
      InvalidInputException.require(root.has(f) && !root.get(f).isNull(), what + "missing field '" + f + "'");
    }
    String name = text(root, "name", what);
    InvalidInputException.require(!name.isBlank(), what + "'name' must not be blank");
    // The name starts every message about the scenario, so it must stay short enough for one line.
    InvalidInputException.require(name.length() <= MAX_NAME && name.lines().count() == 1, what + "'name' must be "
        + "one line of at most " + MAX_NAME + " characters (the description can be longer)");
    int r = integer(root, "r", what);
    int full = r;
    JsonNode fw = root.get("fullWidth");
    if (fw != null && !fw.isNull()) {
      if (fw.isBoolean()) {
        full = fw.asBoolean() ? r : 0;
      } else {
        full = integer(root, "fullWidth", what, "a whole number M >= r, true or false");
        InvalidInputException.require(full >= 1, what + "'fullWidth' must be a whole number M >= r, true or false, "
            + "got " + shown(fw));
      }
    }
    return new Scenario(name, text(root, "description", what), integer(root, "d", what), r,
        integer(root, "m", what), number(root, "alpha", what), number(root, "sigma0", what),
        integer(root, "batch", what), number(root, "c", what), longValue(root, "seed", what),
        integer(root, "points", what), number(root, "tMax", what), full);
  }

  /** Longest scenario name: it starts every message about the scenario. */
  public static final int MAX_NAME = 80;

  /** A value as written in the file, cut short: a message quotes it, whatever its size. */
  private static String shown(JsonNode n) {
    return abbreviate(n.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static String text(JsonNode root, String f, String what) {
    InvalidInputException.require(root.get(f).isTextual(), what + "'" + f + "' must be a string");
    return root.get(f).asText();
  }

  private static double number(JsonNode root, String f, String what) {
    JsonNode n = root.get(f);
    InvalidInputException.require(n.isNumber() && Double.isFinite(n.asDouble()),
        what + "'" + f + "' must be a finite number, got " + shown(n));
    return n.asDouble();
  }

  private static int integer(JsonNode root, String f, String what) {
    return integer(root, f, what, "a whole number");
  }

  private static int integer(JsonNode root, String f, String what, String expected) {
    JsonNode n = root.get(f);
    InvalidInputException.require(n.isNumber() && n.asDouble() == Math.rint(n.asDouble())
        && Math.abs(n.asDouble()) <= Integer.MAX_VALUE, what + "'" + f + "' must be " + expected + ", got " + shown(n));
    return (int) n.asDouble();
  }

  private static long longValue(JsonNode root, String f, String what) {
    JsonNode n = root.get(f);
    InvalidInputException.require(n.isIntegralNumber() && n.canConvertToLong(),
        what + "'" + f + "' must be a whole number, got " + shown(n));
    return n.asLong();
  }
}
