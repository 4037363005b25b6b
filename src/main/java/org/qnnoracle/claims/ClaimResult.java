package org.qnnoracle.claims;

/** One claim's outcome in a run. */
public record ClaimResult(Claim claim, Scale scale, Measurement measurement, long millis) {
  public boolean passed() {
    return measurement.passed();
  }

  public String status() {
    return passed() ? "PASS" : "FAIL";
  }
}
