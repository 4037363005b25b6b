package org.qnnoracle.model;

import java.util.Locale;
import org.qnnoracle.InvalidInputException;

/** How the power-law coefficients lambda_j = j^-alpha / Z are normalised (spec/model.md, "Teacher"). */
public enum Normalisation {
  /** sum_j lambda_j^2 = 1, so |A|_F = 1 and the risk of the zero student is 2. The default. */
  L2,
  /** sum_j lambda_j = 1, so tr A = 1. */
  L1,
  /** Z = 1: lambda_j = j^-alpha. */
  NONE;

  public static Normalisation parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("normalisation must be one of l2, l1, none; got '" + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
