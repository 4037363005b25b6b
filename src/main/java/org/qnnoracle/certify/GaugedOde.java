package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.util.function.UnaryOperator;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.ode.FieldOrdinaryDifferentialEquation;

/**
 * An autonomous ODE y' = F(y) rewritten so that an absolute tolerance on the new state is a relative (normwise, per
 * block) accuracy of the old one, whatever its size. The state is cut into blocks y_b; each is written
 * y_b = e^{nu_b} u_b with |u_b| = 1 at the start, and
 *
 * <pre>
 *   nu_b' = &lt;u_b, F_b(y) e^{-nu_b}&gt; / |u_b|^2,      u_b' = F_b(y) e^{-nu_b} - nu_b' u_b,
 * </pre>
 *
 * which is y_b' = F_b exactly and keeps |u_b| constant. An error delta in nu_b is a relative error delta of y_b;
 * an error delta in u_b one of delta |y_b|.
 *
 * <p>Why: the flow's deviations from its limit (E, P) and the unlearned overlaps decay like e^{-8 lambda t}, to
 * 1e-434 at lambda tau = 1000. A Runge-Kutta method following e^{-kt} to a relative 1e-30 needs about 400 steps
 * per unit of kt (measured with DP853 on y' = -y), whatever the tolerance's absolute part; in these variables
 * nu_b is nearly linear in t and u_b nearly constant once a decay rate dominates, and the step size is then set by
 * the remaining dynamics. Blocks whose relative accuracy nothing needs, and blocks exactly zero at the start, are left
 * as they are (nu_b = 0, no normalisation).
 */
final class GaugedOde implements FieldOrdinaryDifferentialEquation<Dfp> {
  private final DfpField f;
  private final UnaryOperator<Dfp[]> rhs;
  private final int[] offsets;
  private final boolean[] gauged;
  private final int n;

  /**
   * @param rhs F on the original flat state
   * @param blockSizes consecutive block lengths, summing to the original dimension. Not modified.
   * @param wanted which blocks need relative accuracy (the others keep their raw values and an absolute tolerance:
   *     normalising a block whose smallness does not matter only makes the integrator follow its logarithm to an
   *     absolute rtol). Not modified.
   * @param y0 the original initial state; a wanted block that is exactly zero there is not normalised. Not modified.
   */
  GaugedOde(DfpField f, UnaryOperator<Dfp[]> rhs, int[] blockSizes, boolean[] wanted, Dfp[] y0) {
    this.f = f;
    this.rhs = rhs;
    offsets = new int[blockSizes.length + 1];
    for (int b = 0; b < blockSizes.length; b++) {
      offsets[b + 1] = offsets[b] + blockSizes[b];
    }
    n = offsets[blockSizes.length];
    gauged = new boolean[blockSizes.length];
    for (int b = 0; b < blockSizes.length; b++) {
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        gauged[b] |= wanted[b] && !y0[i].isZero();
      }
    }
  }

  int blocks() {
    return gauged.length;
  }

  @Override
  public int getDimension() {
    return gauged.length + n;
  }

  /** The gauged state of an original state: nu_b a double close to ln |y_b|, u_b = y_b e^{-nu_b}. */
  Dfp[] encode(Dfp[] y) {
    Dfp[] z = new Dfp[getDimension()];
    for (int b = 0; b < gauged.length; b++) {
      Dfp nu = f.getZero();
      if (gauged[b]) {
        Dfp norm2 = f.getZero();
        for (int i = offsets[b]; i < offsets[b + 1]; i++) {
          norm2 = norm2.add(y[i].multiply(y[i]));
        }
        // any nu works (|u_b| is then not exactly 1, which nothing needs); a rounded ln |y_b| keeps u_b near 1
        nu = Mp.of(f, Math.rint(0.5 * Mp.log10(new BigDecimal(norm2.toString())) * Math.log(10.0) * 1e6) / 1e6);
      }
      z[b] = nu;
      Dfp scale = gauged[b] ? Mp.exp(nu.negate()) : f.getOne();
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        z[gauged.length + i] = y[i].multiply(scale);
      }
    }
    return z;
  }

  /** The original state y_b = e^{nu_b} u_b. */
  Dfp[] decode(Dfp[] z) {
    Dfp[] y = new Dfp[n];
    for (int b = 0; b < gauged.length; b++) {
      Dfp scale = gauged[b] ? Mp.exp(z[b]) : f.getOne();
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        y[i] = z[gauged.length + i].multiply(scale);
      }
    }
    return y;
  }

  /**
   * Tolerances for the gauged state: nu_b absolute {@code rtol}, relative 0 (nu is a logarithm: its absolute error is
   * the relative error of y_b); u_b absolute and relative {@code rtol} (|u_b| = 1); a block left raw absolute
   * {@code rtol} times its RMS size at the start (1 if zero) and relative {@code rtol}.
   *
   * @param y0 the original initial state. Not modified.
   */
  double[][] tolerances(double rtol, Dfp[] y0) {
    int nb = gauged.length;
    double[] abs = new double[getDimension()];
    double[] rel = new double[getDimension()];
    for (int b = 0; b < nb; b++) {
      abs[b] = rtol;
      double scale = 1.0;
      if (!gauged[b]) {
        double sum = 0.0;
        for (int i = offsets[b]; i < offsets[b + 1]; i++) {
          double v = y0[i].toDouble();
          sum += v * v;
        }
        double rms = Math.sqrt(sum / (offsets[b + 1] - offsets[b]));
        scale = rms > 0.0 ? rms : 1.0;
      }
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        abs[nb + i] = rtol * scale;
        rel[nb + i] = rtol;
      }
    }
    return new double[][] {abs, rel};
  }

  @Override
  public Dfp[] computeDerivatives(Dfp t, Dfp[] z) {
    int nb = gauged.length;
    Dfp[] inverse = new Dfp[nb];
    Dfp[] y = new Dfp[n];
    for (int b = 0; b < nb; b++) {
      Dfp scale = f.getOne();
      inverse[b] = f.getOne();
      if (gauged[b]) {
        scale = Mp.exp(z[b]);
        inverse[b] = Mp.exp(z[b].negate());
      }
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        y[i] = z[nb + i].multiply(scale);
      }
    }
    Dfp[] dy = rhs.apply(y);
    Dfp[] dz = new Dfp[getDimension()];
    for (int b = 0; b < nb; b++) {
      Dfp dot = f.getZero();
      Dfp norm2 = f.getZero();
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        dy[i] = dy[i].multiply(inverse[b]);
        dot = dot.add(z[nb + i].multiply(dy[i]));
        norm2 = norm2.add(z[nb + i].multiply(z[nb + i]));
      }
      Dfp rate = gauged[b] ? dot.divide(norm2) : f.getZero();
      dz[b] = rate;
      for (int i = offsets[b]; i < offsets[b + 1]; i++) {
        dz[nb + i] = dy[i].subtract(rate.multiply(z[nb + i]));
      }
    }
    return dz;
  }
}
