package org.qnnoracle.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.qnnoracle.reference.ReferenceFixtures.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qnnoracle.InvalidInputException;

/** The checker on hand-made cases of each kind: verdicts, worst elements, and validation messages. */
class CheckerTest {
  private static final long SEED = 20_261_128L;

  @TempDir
  Path tmp;

  private static CaseFile caseOf(ObjectNode c) {
    return CaseFile.parse(sealed(c).toString(), "case.json", null);
  }

  private static CheckResult check(CaseFile c, ObjectNode candidate) {
    return Checker.check(c, CandidateFile.parse(candidate.toString(), "candidate.json", c));
  }

  private static ArrayNode arr(ObjectNode candidate, String q) {
    return (ArrayNode) candidate.get("quantities").get(q);
  }

  @Test
  void flowCandidateEqualToTheCasePasses() {
    CaseFile c = caseOf(flowCase("flow-small"));
    CheckResult r = check(c, flowCandidate("flow-small"));
    assertThat(r.passed()).isTrue();
    assertThat(r.passCount()).isEqualTo(3);
    assertThat(r.quantities()).extracting(QuantityResult::quantity).containsExactly("risk", "overlaps", "traceM");
    assertThat(r.quantities()).allSatisfy(q -> {
      assertThat(q.test()).isEqualTo("tolerance");
      assertThat(q.worst()).isZero();
      assertThat(q.bound()).isEqualTo(1.0);
    });
    assertThat(r.implementation()).isEqualTo("hand-made test candidate");
  }

  @Test
  void flowWithinToleranceEverywherePassesAndJustOutsideFails() {
    CaseFile c = caseOf(flowCase("flow-small"));
    ObjectNode inside = flowCandidate("flow-small");
    for (int t = 0; t < 3; t++) {
      for (int j = 0; j < 2; j++) {
        double e = FLOW_OVERLAPS[t][j];
        ((ArrayNode) arr(inside, "overlaps").get(t)).set(j, DoubleNode.valueOf(e + 0.99 * allowed(e)));
      }
    }
    CheckResult ok = check(c, inside);
    assertThat(ok.passed()).isTrue();
    assertThat(ok.quantities().get(1).worst()).isCloseTo(0.99, within(1e-3));

    ObjectNode outside = flowCandidate("flow-small");
    double e = FLOW_OVERLAPS[2][1];
    ((ArrayNode) arr(outside, "overlaps").get(2)).set(1, DoubleNode.valueOf(e - 1.01 * allowed(e)));
    CheckResult bad = check(c, outside);
    assertThat(bad.passed()).isFalse();
    assertThat(bad.failed()).containsExactly("overlaps");
    QuantityResult.Tolerance t = (QuantityResult.Tolerance) bad.quantities().get(1);
    assertThat(t.passed()).isFalse();
    assertThat(t.worstIndex()).containsExactly(2, 1);
    assertThat(t.ratio()).isCloseTo(1.01, within(1e-3));
    assertThat(t.expected()).isEqualTo(e);
    assertThat(t.absoluteDifference()).isCloseTo(1.01 * allowed(e), within(1e-3 * allowed(e)));
    assertThat(t.where()).startsWith("overlaps[2][1]: candidate ");
  }

  @Test
  void float32CandidateIsHeldToTheFloat32ToleranceAndFloat64ToTheOther() {
    CaseFile c = caseOf(flowCaseV2("flow-small"));
    assertThat(c.formatVersion()).isEqualTo(2);
    assertThat(c.difficulty().grade()).isEqualTo("lower");
    // half the float32 allowance on risk[1]: far outside the float64 tolerance, inside the float32 one
    double shift = 0.5 * (ABS32 + REL32 * Math.abs(FLOW_RISK[1]));
    ObjectNode cand = flowCandidate("flow-small");
    ((ArrayNode) cand.get("quantities").get("risk")).set(1, DoubleNode.valueOf(FLOW_RISK[1] + shift));
    assertThat(check(c, cand).passed()).isFalse();
    cand.put("precision", "float32");
    CheckResult r = check(c, cand);
    assertThat(r.passed()).isTrue();
    assertThat(r.precision()).isEqualTo("float32");
    QuantityResult.Tolerance risk = (QuantityResult.Tolerance) r.quantities().get(0);
    // the ratio is |diff| / allowed = 0.5 up to the rounding of FLOW_RISK[1] + shift (one ulp of the sum)
    assertThat(risk.ratio()).isCloseTo(0.5, within(1e-6));
    assertThat(risk.absolute()).isEqualTo(ABS32);
  }

  @Test
  void digitsOfAgreementAreTheLogRelativeErrorClippedToTheCertifiedDigits() {
    // 1 + 1e-7 is represented to 2.2e-16 absolute, i.e. 2.2e-9 relative in the error: 1e-9 in its log10
    assertThat(Lre.of(1.0 + 1e-7, 1.0, 17)).isCloseTo(7.0, within(1e-8));
    assertThat(Lre.of(2.5, 2.5, 17)).isEqualTo(17.0);
    assertThat(Lre.of(1e-9, 0.0, 17)).isCloseTo(9.0, within(1e-12));
    assertThat(Lre.of(-3.0, 1.0, 17)).isZero();
    assertThat(Lre.of(1.0 + 1e-16, 1.0, 15)).isEqualTo(15.0);
    Lre q = Lre.of(new double[] {1.0, 1.0 + 1e-3, 1.0 + 1e-5}, new double[] {1.0, 1.0, 1.0}, 17);
    // log10 of the representable 1e-3 and 1e-5 errors: within 1e-10 of 3 and 5
    assertThat(q.worst()).isCloseTo(3.0, within(1e-10));
    assertThat(q.median()).isCloseTo(5.0, within(1e-10));
    CheckResult r = check(caseOf(flowCaseV2("flow-small")), flowCandidate("flow-small"));
    assertThat(r.quantities()).allSatisfy(x -> assertThat(x.lre().worst()).isEqualTo(CERTIFIED_DIGITS));
  }

  @Test
  void identityStringsMustMatchExactly() {
    CaseFile c = caseOf(identityCase("id-small"));
    CheckResult ok = check(c, identityCandidateStrings("id-small"));
    assertThat(ok.passed()).isTrue();
    assertThat(ok.quantities()).allSatisfy(q -> assertThat(q.test()).isEqualTo("exact"));

    ObjectNode off = identityCandidateStrings("id-small");
    ((ArrayNode) arr(off, "stepDrift").get(1)).set(0, TextNode.valueOf("-2000000001/7000000000"));
    CheckResult bad = check(c, off);
    assertThat(bad.failed()).containsExactly("stepDrift");
    QuantityResult.Exact x = (QuantityResult.Exact) bad.quantities().get(0);
    assertThat(x.mismatches()).isEqualTo(1);
    assertThat(x.firstMismatch()).containsExactly(1, 0);
    assertThat(x.candidate()).isEqualTo("-2000000001/7000000000");
    assertThat(x.expected()).isEqualTo("-2/7");
  }

  @Test
  void identityNumbersAreHeldToTheTolerance() {
    CaseFile c = caseOf(identityCase("id-small"));
    CheckResult ok = check(c, identityCandidateNumbers("id-small"));
    assertThat(ok.passed()).isTrue();
    assertThat(ok.quantities()).allSatisfy(q -> assertThat(q.test()).isEqualTo("tolerance"));

    ObjectNode off = identityCandidateNumbers("id-small");
    double e = 8.0 / 9;
    ((ObjectNode) off.get("quantities")).put("risk", e + 1.01 * allowed(e));
    CheckResult bad = check(c, off);
    assertThat(bad.failed()).containsExactly("risk");
    assertThat(bad.quantities().get(1).worst()).isCloseTo(1.01, within(1e-3));
  }

  @Test
  void identityMixingStringsAndNumbersIsRejected() {
    CaseFile c = caseOf(identityCase("id-small"));
    ObjectNode mixed = identityCandidateStrings("id-small");
    ((ArrayNode) arr(mixed, "stepDrift").get(1)).set(1, DoubleNode.valueOf(5.0));
    assertThatThrownBy(() -> check(c, mixed)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("candidate.json: quantities.stepDrift[1][1] is a number, but quantities.stepDrift "
            + "starts with rational strings");
  }

  @Test
  void statisticalCandidateFromTheSameLawPassesAndAShiftedOneFails() {
    System.out.println("CheckerTest statistical candidate seed: " + SEED);
    CaseFile c = caseOf(statisticalCase("stat-small"));
    double threshold = 3.6623; // Phi^-1(1 - 1e-3 / 8): upper tail 1.25e-4
    CheckResult ok = check(c, statisticalCandidate("stat-small", SEED, 100, 0.0));
    QuantityResult.Statistical s = (QuantityResult.Statistical) ok.quantities().get(0);
    assertThat(s.test()).isEqualTo("statistical");
    assertThat(s.threshold()).isCloseTo(threshold, within(1e-3));
    assertThat(s.replicas()).isEqualTo(100);
    assertThat(s.referenceReplicas()).isEqualTo(STAT_REF_REPLICAS);
    assertThat(s.z()).hasSize(4);
    assertThat(s.worst()).isLessThan(threshold);
    assertThat(ok.passed()).isTrue();
    assertThat(s.candidateStandardError()).isCloseTo(STAT_SD[s.worstStep()] / 10, within(0.3 * STAT_SD[s.worstStep()] / 10));

    CheckResult shifted = check(c, statisticalCandidate("stat-small", SEED, 100, 6.0));
    QuantityResult.Statistical f = (QuantityResult.Statistical) shifted.quantities().get(0);
    assertThat(shifted.passed()).isFalse();
    assertThat(f.worst()).isGreaterThan(threshold);
    assertThat(f.where()).startsWith("step ");
  }

  @Test
  void readsFilesAndChecksTheIdAgainstTheFileName() {
    Path caseFile = writeCase(tmp, sealed(flowCase("flow-small")));
    Path cand = write(tmp, "cand.json", flowCandidate("flow-small"));
    assertThat(Checker.check(caseFile, cand).passed()).isTrue();

    Path renamed = write(tmp, "other-name.json", sealed(flowCase("flow-small")));
    assertThatThrownBy(() -> CaseFile.read(renamed)).isInstanceOf(InvalidInputException.class)
        .hasMessage(renamed + ": id \"flow-small\" does not match the file name (\"other-name.json\")");
  }

  @Test
  void caseValidationNamesTheFileAndThePath() {
    ObjectNode edited = sealed(flowCase("flow-small"));
    ((ArrayNode) edited.get("expected").get("risk").get("values")).set(1, DoubleNode.valueOf(1.5));
    assertThatThrownBy(() -> CaseFile.parse(edited.toString(), "flow-small.json", null))
        .hasMessageStartingWith("flow-small.json: checksum mismatch: the file says sha256:");

    ObjectNode shortRow = flowCase("flow-small");
    ((ArrayNode) shortRow.get("expected").get("overlaps").get("values").get(1)).remove(0);
    assertThatThrownBy(() -> caseOf(shortRow))
        .hasMessage("case.json: expected.overlaps.values[1] has 1 entries, its shape says 2");

    ObjectNode noTol = flowCase("flow-small");
    ((ObjectNode) noTol.get("expected").get("traceM")).remove("tolerance");
    assertThatThrownBy(() -> caseOf(noTol)).hasMessage("case.json: expected.traceM.tolerance is missing");

    ObjectNode kind = flowCase("flow-small");
    kind.put("kind", "flows");
    assertThatThrownBy(() -> caseOf(kind)).hasMessageStartingWith("case.json: kind \"flows\" is not one of identity");

    ObjectNode unreduced = identityCase("id-small");
    ((ObjectNode) unreduced.get("expected").get("risk")).put("values", "16/18");
    assertThatThrownBy(() -> caseOf(unreduced))
        .hasMessage("case.json: expected.risk.values is \"16/18\", not a reduced rational \"p/q\" (q > 0) or \"p\"");

    assertThatThrownBy(() -> CaseFile.parse("{\"format\": \"qnn-oracle-reference\",\n \"formatVersion\": 1,\n \"id\": \"x",
        "t.json", null)).hasMessage("t.json: the file ends before the JSON is complete (truncated?)");
    assertThatThrownBy(() -> CaseFile.parse("{\"format\": \"qnn-oracle-reference\",\n \"formatVersion\": NaN}",
        "t.json", null)).hasMessage("t.json line 2, column 19: NaN is not allowed (write numbers only)");
  }

  @Test
  void candidateValidationNamesTheFileAndThePath() {
    CaseFile c = caseOf(flowCase("flow-small"));
    ObjectNode shortRow = flowCandidate("flow-small");
    ((ArrayNode) arr(shortRow, "overlaps").get(2)).remove(1);
    assertThatThrownBy(() -> check(c, shortRow))
        .hasMessage("candidate.json: quantities.overlaps[2] has 1 entries, the case expects 2");

    ObjectNode fewRows = flowCandidate("flow-small");
    arr(fewRows, "overlaps").remove(2);
    assertThatThrownBy(() -> check(c, fewRows))
        .hasMessage("candidate.json: quantities.overlaps has 2 rows, the case expects 3");

    ObjectNode nan = flowCandidate("flow-small");
    arr(nan, "risk").set(1, TextNode.valueOf("NaN"));
    assertThatThrownBy(() -> check(c, nan)).hasMessage("candidate.json: quantities.risk[1] is \"NaN\": not a finite number");

    ObjectNode nul = flowCandidate("flow-small");
    arr(nul, "traceM").setNull(0);
    assertThatThrownBy(() -> check(c, nul)).hasMessageStartingWith("candidate.json: quantities.traceM[0] is null: not a finite number");

    ObjectNode missing = flowCandidate("flow-small");
    ((ObjectNode) missing.get("quantities")).remove("traceM");
    assertThatThrownBy(() -> check(c, missing))
        .hasMessage("candidate.json: quantities.traceM is missing (the case expects risk, overlaps, traceM)");

    ObjectNode extra = flowCandidate("flow-small");
    ((ObjectNode) extra.get("quantities")).put("loss", 1.0);
    assertThatThrownBy(() -> check(c, extra))
        .hasMessageStartingWith("candidate.json: quantities.loss is not a quantity of case flow-small");

    CaseFile stat = caseOf(statisticalCase("stat-small"));
    ObjectNode mean = candidate("stat-small");
    ((ObjectNode) mean.get("quantities")).set("meanRisk", JSON.valueToTree(STAT_MEAN));
    assertThatThrownBy(() -> check(stat, mean)).hasMessageContaining("takes riskReplicas, replicas x K");

    ObjectNode one = statisticalCandidate("stat-small", 1, 1, 0);
    assertThatThrownBy(() -> check(stat, one)).hasMessage(
        "candidate.json: quantities.riskReplicas has 1 row; at least 2 replicas are needed for a standard error");
    assertThat(List.of(c.candidateName("risk"), stat.candidateName("meanRisk"))).containsExactly("risk", "riskReplicas");
  }
}
