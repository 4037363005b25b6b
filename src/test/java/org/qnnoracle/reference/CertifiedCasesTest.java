package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qnnoracle.certify.Certificate;
import org.qnnoracle.certify.CertifiedQuantity;
import org.qnnoracle.certify.EffectiveCertifier;
import org.qnnoracle.certify.FlowCertifier;
import org.qnnoracle.certify.Mp;

/**
 * The certified values of the committed cases, reproduced in the default build by the cheaper of their routes (the
 * full two-route certification of every case, minutes, runs in {@code reference generate} and in the heavy test
 * ReferenceDataTest#committedCasesAreWhatTheCodeProduces):
 * <ul>
 *   <li>every case of a certified kind carries a certification of at least two routes and 17 certified digits per
 *       quantity, and each value is written with 17 significant digits;
 *   <li>sgd-replay: both replay routes rerun (a second), agree to 25 digits, and publish the committed text exactly;
 *   <li>flow: route (a), the closed form at adaptive precision (seconds), publishes the committed text exactly;
 *   <li>effective: Dormand-Prince in Dfp at a looser rtol 1e-20 and 32 digits, another setting than the published
 *       route's, agrees with the committed values to 16 digits.
 * </ul>
 */
class CertifiedCasesTest {
  private static final Path CASES = Path.of("test-data", "cases");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Reads numbers as written: exact decimals, trailing zeros kept. */
  private static final ObjectMapper EXACT = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  static Stream<Path> certifiedCases() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(CASES)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        if (CaseCertification.certifies(JSON.readTree(p.toFile()).get("kind").asText())) {
          out.add(p);
        }
      }
    }
    assertThat(out).as("certified cases in %s", CASES).hasSizeGreaterThanOrEqualTo(7);
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("certifiedCases")
  void everyValueIsPublishedWithSeventeenCertifiedDigits(Path file) throws IOException {
    CaseFile c = CaseFile.read(file);
    JsonNode cert = c.json().get("certification");
    assertThat(cert).as("%s: certification", file).isNotNull();
    assertThat(cert.get("routes").size()).as("%s: routes", file).isGreaterThanOrEqualTo(2);
    for (String q : c.expected().keySet()) {
      assertThat(c.expected().get(q).certifiedDigits()).as("%s.%s certifiedDigits", file, q)
          .isEqualTo((double) CaseCertification.PUBLISHED_DIGITS);
    }
    // the text of each value, as a reader sees it: 17 significant digits (trailing zeros are digits too)
    JsonNode raw = EXACT.readTree(file.toFile());
    raw.get("expected").fields().forEachRemaining(q -> {
      for (BigDecimal v : decimals(q.getValue().get("values"))) {
        assertThat(v.signum() == 0 || v.precision() == CaseCertification.PUBLISHED_DIGITS)
            .as("%s.%s value %s has 17 significant digits", file, q.getKey(), v).isTrue();
      }
    });
  }

  @Test
  void replayCasesAreRecertifiedAndPublishTheCommittedText() throws IOException {
    for (Path file : certifiedCases().toList()) {
      ObjectNode committed = (ObjectNode) JSON.readTree(file.toFile());
      if (!committed.get("kind").asText().equals("sgd-replay")) {
        continue;
      }
      Certificate cert = CaseCertification.certify(committed);
      System.out.printf(Locale.ROOT, "%s: recertified in %.1f s, routes agree to >= %.1f digits%n",
          committed.get("id").asText(), cert.seconds(), cert.minDigits());
      assertThat(cert.minDigits()).as("%s: digits of agreement", file)
          .isGreaterThanOrEqualTo(CaseCertification.REQUIRED_DIGITS);
      ObjectNode republished = CaseCertification.publish(stripped(committed), cert);
      assertThat(ReferenceCases.render(republished)).as("%s republished", file)
          .isEqualTo(Files.readString(file));
    }
  }

  @Test
  void flowCasesReproduceFromTheClosedFormRoute() throws IOException {
    for (Path file : certifiedCases().toList()) {
      JsonNode c = JSON.readTree(file.toFile());
      if (!c.get("kind").asText().equals("flow")) {
        continue;
      }
      JsonNode in = c.get("inputs");
      long start = System.nanoTime();
      FlowCertifier.ClosedForm a = FlowCertifier.closedForm(in.get("d").intValue(), in.get("r").intValue(),
          in.get("m").intValue(), JsonInput.doubles(in.get("lambda")), JsonInput.doubleRows(in.get("theta")),
          JsonInput.doubleRows(in.get("w0")), JsonInput.doubles(in.get("times")));
      int r = in.get("r").intValue();
      List<BigDecimal> risk = new ArrayList<>();
      List<BigDecimal> overlaps = new ArrayList<>();
      List<BigDecimal> trace = new ArrayList<>();
      for (BigDecimal[] row : a.values()) {
        risk.add(row[0]);
        overlaps.addAll(Arrays.asList(row).subList(1, 1 + r));
        trace.add(row[r + 1]);
      }
      System.out.printf(Locale.ROOT, "%s: closed form in %.1f s at %s digits%n", c.get("id").asText(),
          (System.nanoTime() - start) / 1e9, Arrays.toString(a.digits()));
      // exact text: the closed form carries >= 35 settled digits, so its rounding to 17 is the published one
      assertPublished(file, c, "risk", risk);
      assertPublished(file, c, "overlaps", overlaps);
      assertPublished(file, c, "traceM", trace);
    }
  }

  @Test
  void effectiveCaseReproducesAtALooserSetting() throws IOException {
    for (Path file : certifiedCases().toList()) {
      JsonNode c = JSON.readTree(file.toFile());
      if (!c.get("kind").asText().equals("effective")) {
        continue;
      }
      JsonNode in = c.get("inputs");
      long start = System.nanoTime();
      BigDecimal[] risk = EffectiveCertifier.riskByDormandPrince(in.get("d").intValue(), in.get("r").intValue(),
          in.get("m").intValue(), JsonInput.doubles(in.get("lambda")), JsonInput.doubleRows(in.get("theta")),
          JsonInput.doubleRows(in.get("w0")), JsonInput.doubles(in.get("times")), in.get("eta").doubleValue(),
          in.get("batch").intValue(), in.get("s2").doubleValue(), 1e-20, 32);
      List<BigDecimal> published = decimals(rawExpected(file).get("risk").get("values"));
      double worst = CertifiedQuantity.DIGITS_CAP;
      for (int k = 0; k < risk.length; k++) {
        worst = Math.min(worst, Mp.agreement(risk[k], published.get(k), CertifiedQuantity.DIGITS_CAP));
      }
      System.out.printf(Locale.ROOT, "%s: rtol 1e-20 at 32 digits in %.1f s agrees to %.1f digits%n",
          c.get("id").asText(), (System.nanoTime() - start) / 1e9, worst);
      // 16: rounding to 17 significant digits moves a value by at most 5e-17 relative (LRE >= 16.3), and the
      // looser integration adds an error near its rtol 1e-20; a wrong published value is off by far more.
      assertThat(worst).as("%s: digits of agreement with the published risk", file).isGreaterThanOrEqualTo(16.0);
    }
  }

  /** Published text: 17 significant digits with trailing zeros, JSON number syntax, read back as the same double. */
  @Test
  void publishedValuesHaveSeventeenDigitsThatReadBack() {
    assertThat(CaseCertification.published(new BigDecimal("0.123456789012345678901")).toString())
        .isEqualTo("0.12345678901234568");
    assertThat(CaseCertification.published(new BigDecimal("1.23456789012345678e-30")).toString())
        .isEqualTo("1.2345678901234568E-30");
    assertThat(CaseCertification.published(new BigDecimal("20")).toString()).isEqualTo("20.000000000000000");
    assertThat(CaseCertification.published(new BigDecimal("2.48403667791481675e-434")).toString())
        .isEqualTo("2.4840366779148168E-434");
    assertThat(CaseCertification.published(BigDecimal.ZERO).toString()).isEqualTo("0.0");
    String number = "-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?";
    org.qnnoracle.PropertyTesting.qt("published values read back", 2000)
        .forAll(org.quicktheories.generators.SourceDSL.doubles().between(-1e300, 1e300)).checkAssert(x -> {
          String text = CaseCertification.published(new BigDecimal(x)).toString();
          assertThat(text).matches(number);
          // 17 significant digits identify every double
          assertThat(Double.parseDouble(text)).isEqualTo(x);
        });
  }

  /** A case whose routes agree to fewer than 25 digits somewhere is not published. */
  @Test
  void tooFewDigitsOfAgreementAreRefused() {
    Certificate weak = new Certificate(List.of(new CertifiedQuantity("risk", new int[] {1},
        new BigDecimal[] {BigDecimal.ONE}, new double[] {24.9})), List.of("(a) one", "(b) two"), "", 0.0);
    ObjectNode c = JSON.createObjectNode().put("id", "weak");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaseCertification.publish(c, weak))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("24.9 digits");
  }

  private static void assertPublished(Path file, JsonNode c, String name, List<BigDecimal> route) throws IOException {
    List<BigDecimal> published = decimals(rawExpected(file).get(name).get("values"));
    assertThat(published).as("%s.%s count", c.get("id").asText(), name).hasSameSizeAs(route);
    for (int i = 0; i < route.size(); i++) {
      assertThat(CaseCertification.published(route.get(i)).toString()).as("%s.%s[%d]", c.get("id").asText(), name, i)
          .isEqualTo(published.get(i).toString());
    }
  }

  private static JsonNode rawExpected(Path file) throws IOException {
    return EXACT.readTree(file.toFile()).get("expected");
  }

  /** The case as the generator builds it before certification: no certification, no certifiedDigits. */
  private static ObjectNode stripped(ObjectNode c) {
    ObjectNode s = c.deepCopy();
    s.remove("certification");
    s.get("expected").forEach(q -> ((ObjectNode) q).remove("certifiedDigits"));
    return s;
  }

  private static List<BigDecimal> decimals(JsonNode n) {
    List<BigDecimal> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(x -> out.addAll(decimals(x)));
    } else {
      out.add(n.decimalValue());
    }
    return out;
  }
}
