package org.qnnoracle;

import org.qnnoracle.claims.Scale;

/** The scale the claims run at under Maven: -Dqnn.test.scale (small by default, large with -Pheavy). */
public final class TestScale {
  private TestScale() {}

  public static Scale current() {
    return Scale.parse(System.getProperty("qnn.test.scale", "small"));
  }
}
