package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;

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
        double[][] rhs = Dense.scale(-4.0,
            Dense.subtract(Dense.mult(w, Dense.multTransA(w, w)), teacher.applyA(w)));
        double[] dy = new double[d * m];
        Dense.flattenInto(rhs, dy, 0);
        return dy;
      }
    };
    double[] y0 = new double[d * m];
    Dense.flattenInto(instance.w0(), y0, 0);
    double[] scale = new double[y0.length];
    OdeGridSolver.fillBlockScale(scale, y0, 0, y0.length, 1.0);
    double[][] ys = OdeGridSolver.solve(ode, y0, scale, rtol, times, which, progress);
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
    int d = teacher.d();
    double[][] a = teacher.matrixA();
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return d * d;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        double[][] m = Dense.unflatten(y, 0, d, d);
        double[][] am = Dense.mult(a, m);
        double[][] rhs = Dense.zeros(d, d);
        double[][] mm = Dense.mult(m, m);
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            // A M + M A = A M + (A M)^T because A and M are symmetric
            rhs[i][j] = 4.0 * (am[i][j] + am[j][i] - 2.0 * 0.5 * (mm[i][j] + mm[j][i]));
          }
        }
        double[] dy = new double[d * d];
        Dense.flattenInto(rhs, dy, 0);
        return dy;
      }
    };
    double[] y0 = new double[d * d];
    Dense.flattenInto(m0, y0, 0);
    double[] scale = new double[y0.length];
    OdeGridSolver.fillBlockScale(scale, y0, 0, y0.length, 1.0);
    double[][] ys = OdeGridSolver.solve(ode, y0, scale, rtol, times, which, progress);
    List<FlowState> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      out.add(new FlowState.Matrix(times[i], Dense.symmetricPart(Dense.unflatten(ys[i], 0, d, d))));
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
        double[][] lq = Dense.scaleRows(lambda, q);
        double[][] dq = Dense.scale(4.0, Dense.subtract(lq, Dense.mult(q, g)));
        double[][] dg = Dense.scale(8.0,
            Dense.symmetricPart(Dense.subtract(Dense.multTransA(q, lq), Dense.mult(g, g))));
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
    double[][] ys = OdeGridSolver.solve(ode, y0, scale, rtol, times, which, progress);
    List<FlowState> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      double[][] q = Dense.unflatten(ys[i], 0, r, m);
      double[][] g = Dense.symmetricPart(Dense.unflatten(ys[i], nq, m, m));
      out.add(new FlowState.Overlaps(times[i], q, Dense.subtract(g, Dense.multTransA(q, q))));
    }
    return out;
  }
}
