package org.qnnoracle;

import org.qnnoracle.claims.Scale;

/** The scale the claims run at under Maven: -Dqnn.test.scale (default unless set; large with -Pheavy). */
public final class TestScale {
  private TestScale() {}

  public static Scale current() {
    return Scale.parse(System.getProperty("qnn.test.scale", "default"));
  }
}
