package org.qnnoracle.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.qnnoracle.certify.Certificate;
import org.qnnoracle.certify.CertifiedQuantity;
import org.qnnoracle.certify.EffectiveCertifier;
import org.qnnoracle.certify.FlowCertifier;
import org.qnnoracle.certify.ReplayCertifier;

/**
 * The certified values of a golden case (spec/reference-format.md, "Certified values"): the case's inputs handed to
 * the multi-precision certifier of its kind ({@code certify} package), and the certificate published into the case:
 * every value replaced by the published route's value rounded to {@link #PUBLISHED_DIGITS} significant digits,
 * {@code certifiedDigits} per quantity, and a {@code certification} member naming the routes.
 */
public final class CaseCertification {
  /** The digits to which the two routes must agree on every element (the requirement, NIST StRD style). */
  public static final double REQUIRED_DIGITS = 25.0;
  /** Significant digits of a published value; all certified when the routes agree to {@link #REQUIRED_DIGITS}. */
  public static final int PUBLISHED_DIGITS = CaseFile.MAX_CERTIFIED_DIGITS;

  /** Exact: a published value keeps its trailing zeros (each a certified digit), never "2E+1" for 20. */
  private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

  private CaseCertification() {}

  /** Whether cases of this kind are certified. */
  public static boolean certifies(String kind) {
    return CaseFile.CERTIFIED_KINDS.contains(kind);
  }

  /**
   * Runs the certifier of the case's kind on its stored inputs.
   *
   * @param caseNode a built or read case of a certified kind. Not modified.
   */
  public static Certificate certify(JsonNode caseNode) {
    JsonNode in = caseNode.get("inputs");
    int d = in.get("d").intValue();
    int r = in.get("r").intValue();
    int m = in.get("m").intValue();
    double[] lambda = JsonInput.doubles(in.get("lambda"));
    double[][] theta = JsonInput.doubleRows(in.get("theta"));
    double[][] w0 = JsonInput.doubleRows(in.get("w0"));
    String kind = caseNode.get("kind").asText();
    return switch (kind) {
      case "flow" -> FlowCertifier.certify(d, r, m, lambda, theta, w0, JsonInput.doubles(in.get("times")));
      case "effective" -> EffectiveCertifier.certify(d, r, m, lambda, theta, w0, JsonInput.doubles(in.get("times")),
          in.get("eta").doubleValue(), in.get("batch").intValue(), in.get("s2").doubleValue());
      case "sgd-replay" -> {
        long[] steps = new long[in.get("outputSteps").size()];
        for (int i = 0; i < steps.length; i++) {
          steps[i] = in.get("outputSteps").get(i).longValue();
        }
        yield ReplayCertifier.certify(d, r, m, lambda, theta, w0, in.get("eta").doubleValue(),
            in.get("batch").intValue(), steps, JsonInput.doubleRows(in.get("samples")));
      }
      default -> throw new IllegalArgumentException("cases of kind " + kind + " are not certified");
    };
  }

  /**
   * The case with the certificate published: values, {@code certifiedDigits} (right after each quantity's values) and
   * {@code certification} (right after {@code difficulty}), and a new checksum.
   *
   * @param built a case of a certified kind without certification. Not modified.
   * @param cert its certificate
   * @throws IllegalStateException where the routes agree to fewer than {@link #REQUIRED_DIGITS} digits somewhere:
   *     such a value cannot be published as certified
   */
  public static ObjectNode publish(ObjectNode built, Certificate cert) {
    for (CertifiedQuantity q : cert.quantities()) {
      if (q.minDigits() < REQUIRED_DIGITS) {
        throw new IllegalStateException(String.format(Locale.ROOT, "%s.%s: the certification routes agree to only "
            + "%.1f digits (%.0f required)", built.get("id").asText(), q.name(), q.minDigits(), REQUIRED_DIGITS));
      }
    }
    ObjectNode out = F.objectNode();
    Iterator<Map.Entry<String, JsonNode>> top = built.fields();
    while (top.hasNext()) {
      Map.Entry<String, JsonNode> e = top.next();
      switch (e.getKey()) {
        case CanonicalJson.CHECKSUM_FIELD -> { }
        case "expected" -> out.set("expected", expected((ObjectNode) e.getValue(), cert));
        case "difficulty" -> {
          out.set("difficulty", e.getValue().deepCopy());
          ObjectNode c = out.putObject("certification");
          ArrayNode routes = c.putArray("routes");
          cert.routes().forEach(routes::add);
          c.put("note", String.format(Locale.ROOT, "every element of every quantity: the routes agree to at "
              + "least %.1f significant digits (%.0f required); values published with %d significant digits. %s",
              Math.floor(cert.minDigits() * 10.0) / 10.0, REQUIRED_DIGITS, PUBLISHED_DIGITS, cert.note()));
        }
        default -> out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    // The checksum is over the parsed file, as a reader computes it: a published decimal is read as the nearest
    // double, and a value below the double range (a risk of 1e-434) as 0.
    ObjectNode parsed = new JsonInput(built.get("id").asText())
        .parseObject(ReferenceCases.render(out).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    out.put(CanonicalJson.CHECKSUM_FIELD, CanonicalJson.checksum(parsed));
    return out;
  }

  /**
   * The published text of a certified value: {@link #PUBLISHED_DIGITS} significant digits, half-even, trailing zeros
   * kept (each is a certified digit), as a JSON number in Java's BigDecimal notation. Zero is "0.0".
   */
  public static BigDecimal published(BigDecimal x) {
    if (x.signum() == 0) {
      return BigDecimal.ZERO.setScale(1);
    }
    BigDecimal r = x.round(new MathContext(PUBLISHED_DIGITS, RoundingMode.HALF_EVEN));
    // a value with fewer digits (20, 0.5) is padded with zeros: they are certified digits too
    return r.precision() < PUBLISHED_DIGITS ? r.setScale(r.scale() + PUBLISHED_DIGITS - r.precision()) : r;
  }

  private static ObjectNode expected(ObjectNode built, Certificate cert) {
    ObjectNode out = F.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = built.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> q = it.next();
      CertifiedQuantity c = cert.quantity(q.getKey());
      ObjectNode o = out.putObject(q.getKey());
      Iterator<Map.Entry<String, JsonNode>> members = q.getValue().fields();
      while (members.hasNext()) {
        Map.Entry<String, JsonNode> m = members.next();
        if (m.getKey().equals("values")) {
          BigDecimal[] v = c.values();
          int[] next = {0};
          o.set("values", fill(m.getValue(), v, next));
          if (next[0] != v.length) {
            throw new IllegalStateException(q.getKey() + ": " + v.length + " certified values for "
                + next[0] + " published");
          }
          o.put("certifiedDigits", PUBLISHED_DIGITS);
        } else {
          o.set(m.getKey(), m.getValue().deepCopy());
        }
      }
    }
    return out;
  }

  /** A copy of the nested array {@code shape} with its leaves replaced by the next certified values, row-major. */
  private static JsonNode fill(JsonNode shape, BigDecimal[] values, int[] next) {
    if (!shape.isArray()) {
      return F.numberNode(published(values[next[0]++]));
    }
    ArrayNode a = F.arrayNode();
    for (JsonNode x : shape) {
      a.add(fill(x, values, next));
    }
    return a;
  }
}
