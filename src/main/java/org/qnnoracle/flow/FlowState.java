package org.qnnoracle.flow;

import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Teacher;

/** The state of the population flow at one output time, in the representation its route works in. */
public sealed interface FlowState permits FlowState.Student, FlowState.Matrix, FlowState.Overlaps {

  double t();

  FlowObservables observables(Teacher teacher);

  /** M = W W^T in d-space, or null where the route does not know it (overlap coordinates). */
  double[][] matrixOrNull();

  /**
   * How far two routes' states are apart: {@link FlowObservables#distance} (gauge-invariant observables,
   * risk absolutely), and the relative Frobenius distance of M where both routes know M.
   */
  static double distance(FlowState a, FlowState b, Teacher teacher) {
    double e = a.observables(teacher).distance(b.observables(teacher), teacher.frobeniusNormSquared());
    double[][] ma = a.matrixOrNull();
    double[][] mb = b.matrixOrNull();
    if (ma != null && mb != null) {
      double scale = Math.max(Dense.frobeniusNorm(ma), Dense.frobeniusNorm(mb));
      e = Math.max(e, scale == 0.0 ? 0.0 : Dense.frobeniusDistance(ma, mb) / scale);
    }
    return e;
  }

  /** The student W (d x m), in the gauge of the route that produced it. */
  record Student(double t, double[][] w) implements FlowState {
    @Override
    public FlowObservables observables(Teacher teacher) {
      return FlowObservables.fromStudent(t, teacher, w);
    }

    @Override
    public double[][] matrixOrNull() {
      return Dense.symmetricPart(Linalg.multTransB(w, w));
    }
  }

  /** M itself (d x d), from the M-form integration. */
  record Matrix(double t, double[][] m) implements FlowState {
    @Override
    public FlowObservables observables(Teacher teacher) {
      return FlowObservables.fromMatrix(t, teacher, m);
    }

    @Override
    public double[][] matrixOrNull() {
      return m;
    }
  }

  /**
   * Overlap coordinates: Q = Theta^T W (r x m) and P = W_perp^T W_perp (m x m), G = Q^T Q + P. P is
   * carried instead of G because G - Q^T Q cancels catastrophically once the student lies in span(Theta).
   */
  record Overlaps(double t, double[][] q, double[][] p) implements FlowState {
    public double[][] gram() {
      return Dense.addScaled(p, 1.0, Linalg.multTransA(q, q));
    }

    @Override
    public FlowObservables observables(Teacher teacher) {
      return FlowObservables.fromOverlaps(t, teacher.lambda(), q, p);
    }

    @Override
    public double[][] matrixOrNull() {
      return null;
    }
  }
}
