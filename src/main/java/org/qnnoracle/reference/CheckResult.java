package org.qnnoracle.reference;

import java.util.List;

/** The verdict of {@code check} on one candidate: every quantity's result; it passes when all pass. */
public record CheckResult(String caseId, String caseKind, String caseChecksum, String implementation,
    String precision, List<QuantityResult> quantities) {
  public CheckResult {
    quantities = List.copyOf(quantities);
  }

  public boolean passed() {
    return quantities.stream().allMatch(QuantityResult::passed);
  }

  public int passCount() {
    return (int) quantities.stream().filter(QuantityResult::passed).count();
  }

  public List<String> failed() {
    return quantities.stream().filter(q -> !q.passed()).map(QuantityResult::quantity).toList();
  }
}
