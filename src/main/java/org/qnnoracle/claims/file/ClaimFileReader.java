package org.qnnoracle.claims.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.qnnoracle.InputFiles;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.JsonText;
import org.qnnoracle.claims.Scale;
import org.qnnoracle.claims.file.FileClaim.Route;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.symbolic.SymjaSession;

/**
 * Reads and validates a claim file (spec/claim-file.md). Every problem is one {@link InvalidInputException} line
 * "FILE: claim ID: what is wrong", raised before anything runs: unknown members, observables and parameters, the
 * assertion's parse errors with their position, quantifiers that do not fit, impossible settings.
 */
final class ClaimFileReader {
  static final String FORMAT = "qnn-oracle-claims";
  static final int VERSION = 1;

  /** Largest claim file read (1 MB): a file of claims is prose and a few numbers; 1 MB is thousands of claims. */
  static final long MAX_BYTES = 1L << 20;

  /** Largest grid: 10,000 points is a resolution no claim about these curves needs, and bounds Symja's work. */
  static final int MAX_POINTS = 10_000;

  static final int MAX_REPLICAS = 4096;

  /** The model members and their defaults (NaN: required; c is required on effective-ode and sgd only). */
  static final Map<String, Double> MODEL_DEFAULTS = new LinkedHashMap<>();

  static {
    MODEL_DEFAULTS.put("d", Double.NaN);
    MODEL_DEFAULTS.put("r", Double.NaN);
    MODEL_DEFAULTS.put("m", Double.NaN);
    MODEL_DEFAULTS.put("alpha", 1.0);
    MODEL_DEFAULTS.put("sigma0", 1e-3);
    MODEL_DEFAULTS.put("s2", 0.0);
    MODEL_DEFAULTS.put("batch", 1.0);
    MODEL_DEFAULTS.put("c", 0.0);
    MODEL_DEFAULTS.put("seed", 0.0);
  }

  /** Model members with no default: beta gives r = round(d^beta), eta gives c = eta d (FileClaim.at). */
  static final Set<String> MODEL_ALTERNATIVES = Set.of("beta", "eta");

  private static final Set<String> CLAIM_MEMBERS = Set.of("id", "title", "statement", "source", "route", "method",
      "model", "instances", "sweep", "scales", "grid", "fit", "replicas", "falseAlarm", "assert", "quantifier",
      "tolerance", "toleranceReason", "rtol");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String label;
  private String claimId = null;

  private ClaimFileReader(String label) {
    this.label = label;
  }

  /** The claims of {@code file}, validated. */
  static List<FileClaim> read(Path file) {
    ClaimFileReader reader = new ClaimFileReader(file.toString());
    byte[] bytes = InputFiles.readBounded(file, "claim", MAX_BYTES);
    JsonNode root = JsonText.parse(JSON, bytes, reader.label);
    return reader.claims(root);
  }

  private InvalidInputException error(String message) {
    return new InvalidInputException(label + ": " + (claimId == null ? "" : "claim " + claimId + ": ") + message);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw error(message);
    }
  }

  private List<FileClaim> claims(JsonNode root) {
    require(root != null && root.isObject(), "the top level must be a JSON object {\"format\": \"" + FORMAT
        + "\", \"version\": 1, \"claims\": [...]}");
    ObjectNode top = (ObjectNode) root;
    onlyMembers(top, Set.of("format", "version", "claims"), "the top level");
    require(top.path("format").asText("").equals(FORMAT), "\"format\" must be \"" + FORMAT + "\"");
    require(top.path("version").isIntegralNumber(), "\"version\" must be an integer");
    require(top.get("version").asInt() == VERSION, "version " + top.get("version").asText()
        + " is not supported (this oracle reads version " + VERSION + ")");
    JsonNode list = top.get("claims");
    require(list != null && list.isArray() && !list.isEmpty(), "\"claims\" must be a non-empty array");
    List<FileClaim> out = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    int index = 0;
    for (JsonNode n : list) {
      index++;
      claimId = "#" + index;
      require(n.isObject(), "is not a JSON object");
      FileClaim c = claim((ObjectNode) n);
      require(ids.add(c.id()), "the id appears twice in this file");
      out.add(c);
      claimId = null;
    }
    return out;
  }

  private FileClaim claim(ObjectNode n) {
    JsonNode idNode = n.get("id");
    require(idNode != null && idNode.isTextual(), "\"id\" is missing or not a string");
    String id = idNode.asText();
    claimId = id;
    require(id.matches("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+"), "the id must be upper-case words joined by '-' (MY-CLAIM)");
    onlyMembers(n, CLAIM_MEMBERS, "the claim");
    String statement = text(n, "statement");
    String source = text(n, "source");
    String title = n.has("title") ? text(n, "title") : id;
    Route route = route(text(n, "route"));
    boolean exact = false;
    if (n.has("method")) {
      require(route == Route.FLOW, "\"method\" applies to route flow only");
      String method = text(n, "method");
      require(method.equals("exact") || method.equals("reduced"), "method must be exact or reduced, got '"
          + method + "'");
      exact = method.equals("exact");
    }
    FileClaim.Draw draw = null;
    Normalisation normalisation = Normalisation.L2;
    Map<String, Double> model = new LinkedHashMap<>();
    require(n.has("model") ^ n.has("instances"), "give exactly one of \"model\" and \"instances\"");
    if (n.has("instances")) {
      require((route == Route.FLOW && exact) || route == Route.EFFECTIVE_ODE, "\"instances\" (random shapes) needs "
          + "route flow with method exact, or route effective-ode");
      ObjectNode in = object(n.get("instances"), "instances");
      onlyMembers(in, Set.of("draw", "seed", "maxD", "c"), "instances");
      String family = text(in, "draw");
      require(family.equals("standard") || family.equals("perp"), "instances.draw must be \"standard\" or \"perp\", "
          + "got '" + family + "'");
      int maxD = in.has("maxD") ? (int) integral(in.get("maxD"), "instances.maxD", 3, 64) : 0;
      draw = new FileClaim.Draw(family, (long) integral(in.get("seed"), "instances.seed", 0, 1e15), maxD);
      if (in.has("c")) {
        require(route == Route.EFFECTIVE_ODE, "instances.c applies to route effective-ode only");
        double c = number(in.get("c"), "instances.c");
        require(c >= 0.0, "instances.c must be >= 0");
        model.put("c", c);
      }
      require(!n.has("sweep") && !n.has("scales"), "\"sweep\" and \"scales\" do not apply to drawn instances");
    } else {
      ObjectNode m = object(n.get("model"), "model").deepCopy();
      if (m.has("normalisation")) {
        JsonNode norm = m.remove("normalisation");
        require(norm.isTextual(), "model.normalisation must be a string: l2, l1 or none");
        try {
          normalisation = Normalisation.parse(norm.asText());
        } catch (InvalidInputException e) {
          throw error("model." + e.getMessage());
        }
      }
      model = modelMembers(m, "model");
      for (Map.Entry<String, Double> e : MODEL_DEFAULTS.entrySet()) {
        // r and c may come from beta and eta, in the model or its sweep (FileClaim.at).
        boolean replaced = e.getKey().equals("r") && (model.containsKey("beta") || n.path("sweep").has("beta"))
            || e.getKey().equals("c") && (model.containsKey("eta") || n.path("sweep").has("eta"));
        if (!model.containsKey(e.getKey()) && !replaced) {
          require(!Double.isNaN(e.getValue()), "model." + e.getKey() + " is required"
              + (e.getKey().equals("r") ? " (or model.beta, for r = round(d^beta))" : ""));
          model.put(e.getKey(), e.getValue());
        }
      }
    }
    Map<String, List<Double>> sweep = n.has("sweep") ? sweep(n.get("sweep"), "sweep") : Map.of();
    Map<Scale, FileClaim.ScaleOverride> scales = new EnumMap<>(Scale.class);
    if (n.has("scales")) {
      ObjectNode s = object(n.get("scales"), "scales");
      for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        Scale scale;
        try {
          scale = Scale.parse(name);
        } catch (InvalidInputException e) {
          throw error("scales." + name + ": " + e.getMessage());
        }
        ObjectNode o = object(s.get(name), "scales." + name);
        onlyMembers(o, Set.of("model", "sweep", "replicas"), "scales." + name);
        scales.put(scale, new FileClaim.ScaleOverride(
            o.has("model") ? modelMembers(object(o.get("model"), "scales." + name + ".model"),
                "scales." + name + ".model") : null,
            o.has("sweep") ? sweep(o.get("sweep"), "scales." + name + ".sweep") : null,
            o.has("replicas") ? (int) integral(o.get("replicas"), "scales." + name + ".replicas", 2, MAX_REPLICAS)
                : null));
      }
    }
    FileClaim.Quantifier quantifier = quantifier(text(n, "quantifier"));
    FileClaim.Grid grid = grid(n.get("grid"), route);
    FileClaim.Fit fit = null;
    if (quantifier == FileClaim.Quantifier.FIT) {
      require(n.has("fit"), "quantifier fit needs a \"fit\" member saying what is fitted over which window");
      fit = fit(n.get("fit"));
    } else {
      require(!n.has("fit"), "\"fit\" is only used with quantifier fit (got quantifier "
          + quantifier.name().toLowerCase(Locale.ROOT) + ")");
    }
    int replicas = 0;
    double falseAlarm = 0.0;
    if (route == Route.SGD) {
      require(n.has("replicas"), "route sgd needs \"replicas\" (independent runs, 2 .. " + MAX_REPLICAS + ")");
      require(n.has("falseAlarm"), "route sgd needs \"falseAlarm\", the probability that a true claim fails");
      replicas = (int) integral(n.get("replicas"), "replicas", 2, MAX_REPLICAS);
      falseAlarm = number(n.get("falseAlarm"), "falseAlarm");
      require(falseAlarm > 0.0 && falseAlarm < 1.0, "falseAlarm must be in (0, 1), got " + falseAlarm);
    } else {
      require(!n.has("replicas") && !n.has("falseAlarm"), "\"replicas\" and \"falseAlarm\" apply to route sgd only: "
          + "route " + route.label + " is deterministic");
    }
    double tolerance = number(n.get("tolerance"), "tolerance");
    require(tolerance >= 0.0, "tolerance must be >= 0, got " + tolerance);
    String reason = text(n, "toleranceReason");
    require(!reason.isBlank(), "toleranceReason must say why the tolerance has that size");
    String assertText = text(n, "assert");
    Assertion assertion;
    try {
      assertion = Assertion.parse(assertText);
    } catch (SymjaSession.SymbolicException e) {
      throw error("assert \"" + assertText + "\": " + e.getMessage());
    }
    List<String> provided = Observables.provided(route, exact, quantifier);
    for (String s : assertion.symbols()) {
      if (!provided.contains(s)) {
        throw error("assert uses '" + s + "', which is neither a Symja function nor an observable of route "
            + route.label + (route == Route.FLOW ? (exact ? " (exact)" : " (reduced)") : "") + " with quantifier "
            + quantifier.name().toLowerCase(Locale.ROOT) + "; available: " + String.join(", ", provided));
      }
    }
    double rtol = 1e-10;
    if (n.has("rtol")) {
      require(route != Route.FLOW, "\"rtol\" applies to the integrated routes (effective-ode, sgd): the flow's "
          + "propagators are exact");
      rtol = number(n.get("rtol"), "rtol");
      require(rtol >= 1e-14 && rtol <= 1e-3, "rtol must be in [1e-14, 1e-3], got " + rtol);
    }
    FileClaim c = new FileClaim(label, id, title, statement, source, route, exact, normalisation, model, draw, sweep, scales, grid,
        fit, replicas, falseAlarm, rtol, assertion, quantifier, tolerance, reason);
    for (Scale scale : Scale.values()) {
      List<FileClaim.Setting> settings;
      try {
        settings = c.at(scale).settings();
      } catch (InvalidInputException e) {
        throw error(e.getMessage() + " (at scale " + scale.label() + ")");
      }
      for (FileClaim.Setting s : settings) {
        checkSetting(c, s, scale);
      }
    }
    return c;
  }

  /** The limits of each route (spec/claim-file.md), so that an impossible setting is refused before any run. */
  private void checkSetting(FileClaim c, FileClaim.Setting s, Scale scale) {
    if (c.draw() != null) {
      return;
    }
    String at = " (at scale " + scale.label() + ": " + s.describe() + ")";
    double d = s.get("d");
    double r = s.get("r");
    double m = s.get("m");
    double dMax = c.route() == Route.SGD ? 4096 : c.route() == Route.EFFECTIVE_ODE ? 1e9 : c.exact() ? 400 : 1e15;
    require(d >= 1 && d <= dMax, "d must be in [1, " + Numbers.format(dMax) + "] on route " + c.route().label
        + (c.exact() ? " exact" : "") + at);
    require(r >= 1 && r <= Math.min(d, 4096), "r must be in [1, min(d, 4096)]" + at);
    require(m >= 1 && m <= 4096, "m must be in [1, 4096]" + at);
    require(s.get("alpha") >= 0.0 && s.get("alpha") <= 10.0, "alpha must be in [0, 10]" + at);
    require(s.get("sigma0") > 0.0, "sigma0 must be > 0" + at);
    require(s.get("s2") >= 0.0, "s2 must be >= 0" + at);
    require(s.get("batch") >= 1 && s.get("batch") <= 1e6, "batch must be in [1, 1e6]" + at);
    require(s.get("c") >= 0.0, "c must be >= 0" + at);
    if (c.route() == Route.SGD || c.grid().unit() == FileClaim.Unit.SAMPLES) {
      require(s.get("c") > 0.0, "route " + c.route().label + " with a grid in " + (c.route() == Route.SGD ? "any unit"
          : "samples") + " needs model.c > 0 (eta = c / d)" + at);
    }
    if (c.route() == Route.SGD || c.route() == Route.EFFECTIVE_ODE) {
      require(d * m <= 5e7, "d m must be at most 5e7 (the student's weights)" + at);
    }
  }

  private Map<String, Double> modelMembers(ObjectNode o, String path) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      require(!name.equals("normalisation"), path + ".normalisation is a claim-wide choice: give it in model, "
          + "not in a scale's model");
      require(MODEL_DEFAULTS.containsKey(name) || MODEL_ALTERNATIVES.contains(name), "unknown parameter " + path
          + "." + name + " (known: " + String.join(", ", MODEL_DEFAULTS.keySet()) + ", beta, eta, normalisation)");
      out.put(name, modelValue(name, o.get(name), path + "." + name));
    }
    return out;
  }

  private double modelValue(String name, JsonNode v, String path) {
    return switch (name) {
      case "d" -> integral(v, path, 1, 1e15);
      case "r", "m" -> integral(v, path, 1, 4096);
      case "batch" -> integral(v, path, 1, 1e6);
      case "seed" -> integral(v, path, 0, 1e15);
      case "beta" -> {
        double b = number(v, path);
        require(b > 0.0 && b <= 1.0, path + " must be in (0, 1] (r = round(d^beta) <= d), got " + b);
        yield b;
      }
      default -> number(v, path);
    };
  }

  private Map<String, List<Double>> sweep(JsonNode n, String path) {
    ObjectNode o = object(n, path);
    require(o.size() > 0, path + " is empty");
    Map<String, List<Double>> out = new LinkedHashMap<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      require(MODEL_DEFAULTS.containsKey(name) || MODEL_ALTERNATIVES.contains(name), "unknown parameter " + path
          + "." + name + " (a sweep runs over the numeric model members: " + String.join(", ",
          MODEL_DEFAULTS.keySet()) + ", beta, eta)");
      JsonNode list = o.get(name);
      require(list.isArray() && !list.isEmpty() && list.size() <= 1000, path + "." + name
          + " must be a list of 1 to 1000 values");
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        values.add(modelValue(name, list.get(i), path + "." + name + "[" + i + "]"));
      }
      out.put(name, List.copyOf(values));
    }
    return out;
  }

  private FileClaim.Grid grid(JsonNode n, Route route) {
    require(n != null, "\"grid\" is missing");
    ObjectNode g = object(n, "grid");
    onlyMembers(g, Set.of("unit", "points", "uniform", "log", "escapes"), "grid");
    String unitText = g.has("unit") ? text(g, "unit") : "t";
    FileClaim.Unit unit = switch (unitText) {
      case "t" -> FileClaim.Unit.T;
      case "lambdaMaxTau" -> FileClaim.Unit.LAMBDA_MAX_TAU;
      case "lambdaMinTau" -> FileClaim.Unit.LAMBDA_MIN_TAU;
      case "samples" -> FileClaim.Unit.SAMPLES;
      default -> throw error("grid.unit must be t, lambdaMaxTau, lambdaMinTau or samples, got '" + unitText + "'");
    };
    require(unit != FileClaim.Unit.SAMPLES || route != Route.FLOW, "grid.unit samples needs route effective-ode or "
        + "sgd (the flow draws no samples)");
    int kinds = (g.has("points") ? 1 : 0) + (g.has("uniform") ? 1 : 0) + (g.has("log") ? 1 : 0)
        + (g.has("escapes") ? 1 : 0);
    require(kinds == 1, "grid needs exactly one of points, uniform, log, escapes");
    if (g.has("escapes")) {
      require(route == Route.FLOW && unit == FileClaim.Unit.T, "grid.escapes (the time-law grid) needs route flow "
          + "(reduced) and unit t");
      int count = (int) integral(g.get("escapes"), "grid.escapes", 20, MAX_POINTS);
      return new FileClaim.Grid(unit, null, null, null, 0, count);
    }
    if (g.has("uniform")) {
      double[] u = numbers(g.get("uniform"), "grid.uniform", 2);
      require(u[0] > 0.0, "grid.uniform's end must be > 0");
      int count = (int) integral(g.get("uniform").get(1), "grid.uniform[1] (the count)", 2, MAX_POINTS);
      return new FileClaim.Grid(unit, null, new double[] {u[0], count}, null, 0, 0);
    }
    if (g.has("log")) {
      JsonNode l = g.get("log");
      require(l.isArray() && l.size() == 3, "grid.log must be [lo, hi, count]");
      int count = (int) integral(l.get(2), "grid.log[2] (the count)", 2, MAX_POINTS);
      return new FileClaim.Grid(unit, null, null, List.of(gridValue(l.get(0), "grid.log[0]"),
          gridValue(l.get(1), "grid.log[1]")), count, 0);
    }
    JsonNode p = g.get("points");
    require(p.isArray() && !p.isEmpty() && p.size() <= MAX_POINTS, "grid.points must be a list of 1 to "
        + MAX_POINTS + " values");
    List<String> points = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      points.add(gridValue(p.get(i), "grid.points[" + i + "]"));
    }
    return new FileClaim.Grid(unit, List.copyOf(points), null, null, 0, 0);
  }

  /** A grid value: a number, or a Symja expression in the model's numbers (checked now, evaluated per setting). */
  private String gridValue(JsonNode x, String path) {
    if (!x.isTextual()) {
      return Double.toString(number(x, path));
    }
    try {
      GridSymbols.noUnknownSymbols(SymjaSession.get().parse(x.asText()));
    } catch (SymjaSession.SymbolicException | IllegalArgumentException e) {
      throw error(path + " \"" + x.asText() + "\": " + e.getMessage());
    }
    return x.asText();
  }

  /** Grid expressions may use the model's numbers only. */
  private static final class GridSymbols {
    static void noUnknownSymbols(org.matheclipse.core.interfaces.IExpr e) {
      for (String s : Expressions.symbols(e)) {
        if (!Observables.MODEL_NUMBERS.contains(s)) {
          throw new IllegalArgumentException("uses '" + s + "'; a grid point may use "
              + String.join(", ", Observables.MODEL_NUMBERS));
        }
      }
    }
  }

  private FileClaim.Fit fit(JsonNode n) {
    ObjectNode f = object(n, "fit");
    onlyMembers(f, Set.of("of", "window"), "fit");
    require(text(f, "of").equals("risk"), "fit.of must be \"risk\" (the only fitted observable)");
    JsonNode w = f.get("window");
    require(w != null, "fit.window is missing (\"time-law\" or [lo, hi])");
    if (w.isTextual()) {
      require(w.asText().equals("time-law"), "fit.window must be \"time-law\" or [lo, hi], got '" + w.asText() + "'");
      return new FileClaim.Fit(true, Double.NaN, Double.NaN);
    }
    double[] lh = numbers(w, "fit.window", 2);
    require(lh[0] > 0.0 && lh[1] > lh[0], "fit.window needs 0 < lo < hi");
    return new FileClaim.Fit(false, lh[0], lh[1]);
  }

  private Route route(String s) {
    return switch (s) {
      case "flow" -> Route.FLOW;
      case "effective-ode" -> Route.EFFECTIVE_ODE;
      case "sgd" -> Route.SGD;
      default -> throw error("route must be flow, effective-ode or sgd, got '" + s + "'");
    };
  }

  private FileClaim.Quantifier quantifier(String s) {
    return switch (s) {
      case "forall" -> FileClaim.Quantifier.FORALL;
      case "end" -> FileClaim.Quantifier.END;
      case "fit" -> FileClaim.Quantifier.FIT;
      default -> throw error("quantifier must be forall, end or fit, got '" + s + "'");
    };
  }

  private void onlyMembers(ObjectNode o, Set<String> allowed, String where) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      require(allowed.contains(name), "unknown member \"" + name + "\" in " + where + " (allowed: "
          + String.join(", ", new TreeSet<>(allowed)) + ")");
    }
  }

  private ObjectNode object(JsonNode n, String path) {
    require(n != null && n.isObject(), "\"" + path + "\" must be a JSON object");
    return (ObjectNode) n;
  }

  private String text(ObjectNode o, String name) {
    JsonNode n = o.get(name);
    require(n != null, "\"" + name + "\" is missing");
    require(n.isTextual(), "\"" + name + "\" must be a string");
    return n.asText();
  }

  private double number(JsonNode n, String path) {
    require(n != null, path + " is missing");
    require(n.isNumber(), path + " must be a number, got " + (n.isTextual() ? "\"" + n.asText() + "\"" : n.toString()));
    double v = n.doubleValue();
    require(Double.isFinite(v), path + " is not a finite number");
    return v;
  }

  private double integral(JsonNode n, String path, double lo, double hi) {
    double v = number(n, path);
    require(v == Math.rint(v), path + " must be an integer, got " + n.asText());
    require(v >= lo && v <= hi, path + " must be in [" + Numbers.format(lo) + ", " + Numbers.format(hi) + "], got "
        + Numbers.format(v));
    return v;
  }

  private double[] numbers(JsonNode n, String path, int size) {
    require(n.isArray() && n.size() == size, path + " must be a list of " + size + " numbers");
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = number(n.get(i), path + "[" + i + "]");
    }
    return out;
  }

}
