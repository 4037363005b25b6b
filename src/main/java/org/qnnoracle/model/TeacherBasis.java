package org.qnnoracle.model;

import java.util.Locale;
import org.qnnoracle.InvalidInputException;

/** Where the teacher directions theta_j come from (spec/model.md, "Teacher"). */
public enum TeacherBasis {
  /** Haar-random orthonormal columns drawn from the model seed. The default. */
  HAAR,
  /** The first r standard basis vectors e_1..e_r. */
  CANONICAL;

  public static TeacherBasis parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("basis must be one of haar, canonical; got '" + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
