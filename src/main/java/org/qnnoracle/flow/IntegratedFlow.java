package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.linalg.Linalg;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;
import org.qnnoracle.ode.Integrator;
import org.qnnoracle.ode.OdeGridSolver;

/**
 * The population gradient flow integrated numerically with Hipparchus, in three forms:
 * the student form dW/dt = -4 (W W^T - A) W (d m states), the matrix Riccati form
 * dM/dt = 4 (A M + M A - 2 M^2) (d^2 states), and the reduced overlap form
 * dQ/dt = 4 (Lambda Q - Q G), dG/dt = 8 (Q^T Lambda Q - G^2) (r m + m^2 states, exact for every d).
 */
public final class IntegratedFlow {
  /** The tolerance used for reference solutions: two decades above round-off for O(1) states. */
  public static final double TIGHT_RTOL = 1e-13;

  private IntegratedFlow() {}

  public static List<FlowState> studentForm(Instance instance, double[] times, Integrator which, double rtol) {
    return studentForm(instance, times, which, rtol, FlowProgress.NONE);
  }

  public static List<FlowState> studentForm(
      Instance instance, double[] times, Integrator which, double rtol, FlowProgress progress) {
    Teacher teacher = instance.teacher();
    int d = instance.d();
    int m = instance.m();
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return d * m;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        double[][] w = Dense.unflatten(y, 0, d, m);
        double[][] rhs = FlowEquations.studentRhs(teacher, w);
        double[] dy = new double[d * m];
        Dense.flattenInto(rhs, dy, 0);
        return dy;
      }
    };
    double[] y0 = new double[d * m];
    Dense.flattenInto(instance.w0(), y0, 0);
    double[] scale = new double[y0.length];
    OdeGridSolver.fillBlockScale(scale, y0, 0, y0.length, 1.0);
    double[][] ys = OdeGridSolver.solve(ode, y0, scale, rtol, times, which, progress).states();
    List<FlowState> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      out.add(new FlowState.Student(times[i], Dense.unflatten(ys[i], 0, d, m)));
    }
    return out;
  }

  public static List<FlowState> matrixForm(
      Teacher teacher, double[][] m0, double[] times, Integrator which, double rtol) {
    return matrixForm(teacher, m0, times, which, rtol, FlowProgress.NONE);
  }

  public static List<FlowState> matrixForm(
      Teacher teacher, double[][] m0, double[] times, Integrator which, double rtol, FlowProgress progress) {
    double[][] a = teacher.matrixA();
    List<double[][]> ms = integrateSymmetric(m0, m -> FlowEquations.riccatiRhs(a, m), times, which, rtol, progress);
    List<FlowState> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      out.add(new FlowState.Matrix(times[i], ms.get(i)));
    }
    return out;
  }

  /**
   * Integrates a matrix equation dM/dt = rhs(M) on symmetric d x d matrices (d^2 states, absolute tolerance
   * scaled to M0's entries) and returns the symmetrised states at the output times. Public so the flow
   * invariant property tests (in {@code org.qnnoracle.experiments}) can integrate deliberately wrong flows with
   * the same machinery. {@code m0} and {@code times}: not modified.
   */
  public static List<double[][]> integrateSymmetric(double[][] m0, UnaryOperator<double[][]> rhs, double[] times,
      Integrator which, double rtol, FlowProgress progress) {
    int d = m0.length;
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return d * d;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        double[] dy = new double[d * d];
        Dense.flattenInto(rhs.apply(Dense.unflatten(y, 0, d, d)), dy, 0);
        return dy;
      }
    };
    double[] y0 = new double[d * d];
    Dense.flattenInto(m0, y0, 0);
    double[] scale = new double[y0.length];
    OdeGridSolver.fillBlockScale(scale, y0, 0, y0.length, 1.0);
    double[][] ys = OdeGridSolver.solve(ode, y0, scale, rtol, times, which, progress).states();
    List<double[][]> out = new ArrayList<>(times.length);
    for (double[] y : ys) {
      out.add(Dense.symmetricPart(Dense.unflatten(y, 0, d, d)));
    }
    return out;
  }

  /** The reduced dynamics from Q0 = Theta^T W0 and G0 = W0^T W0. */
  public static List<FlowState> overlapForm(
      double[] lambda, double[][] q0, double[][] g0, double[] times, Integrator which, double rtol) {
    return overlapForm(lambda, q0, g0, times, which, rtol, FlowProgress.NONE);
  }

  public static List<FlowState> overlapForm(double[] lambda, double[][] q0, double[][] g0, double[] times,
      Integrator which, double rtol, FlowProgress progress) {
    int r = lambda.length;
    int m = g0.length;
    int nq = r * m;
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return nq + m * m;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        double[][] q = Dense.unflatten(y, 0, r, m);
        double[][] g = Dense.unflatten(y, nq, m, m);
        double[][] dq = FlowEquations.overlapRhs(lambda, q, g);
        double[][] dg = FlowEquations.gramRhs(lambda, q, g);
        double[] dy = new double[nq + m * m];
        Dense.flattenInto(dg, dy, Dense.flattenInto(dq, dy, 0));
        return dy;
      }
    };
    double[] y0 = new double[nq + m * m];
    Dense.flattenInto(g0, y0, Dense.flattenInto(q0, y0, 0));
    double[] scale = new double[y0.length];
    double gScale = Math.sqrt(Dense.frobeniusInner(g0, g0) / (m * m));
    OdeGridSolver.fillBlockScale(scale, y0, nq, y0.length, 1.0);
    OdeGridSolver.fillBlockScale(scale, y0, 0, nq, gScale > 0.0 ? Math.sqrt(gScale) : 1.0);
    double[][] ys = OdeGridSolver.solve(ode, y0, scale, rtol, times, which, progress).states();
    List<FlowState> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      double[][] q = Dense.unflatten(ys[i], 0, r, m);
      double[][] g = Dense.symmetricPart(Dense.unflatten(ys[i], nq, m, m));
      out.add(new FlowState.Overlaps(times[i], q, Dense.subtract(g, Linalg.multTransA(q, q))));
    }
    return out;
  }
}
