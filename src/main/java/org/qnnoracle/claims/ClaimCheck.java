package org.qnnoracle.claims;

/** The numerical check behind a claim, run at a given scale. */
@FunctionalInterface
public interface ClaimCheck {
  Measurement run(Scale scale);
}
