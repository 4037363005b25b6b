package org.qnnoracle.model;

import static org.qnnoracle.InvalidInputException.require;

import org.qnnoracle.linalg.Dense;

/** One concrete problem: a teacher and an initial student W0 (d x m). spec may be null for hand-built ones. */
public record Instance(ModelSpec spec, Teacher teacher, double[][] w0) {
  public Instance {
    require(w0.length == teacher.d(), "W0 has " + w0.length + " rows but d = " + teacher.d());
    require(Dense.allFinite(w0), "W0 has a non-finite entry");
  }

  public static Instance of(Teacher teacher, double[][] w0) {
    return new Instance(null, teacher, w0);
  }

  public int d() {
    return teacher.d();
  }

  public int r() {
    return teacher.r();
  }

  public int m() {
    return Dense.cols(w0);
  }
}
