package org.qnnoracle.ode;

import java.util.Locale;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.nonstiff.GraggBulirschStoerIntegrator;

/** The Hipparchus adaptive integrators used for the flows and the effective SGD dynamics. */
public enum Integrator {
  /** Dormand-Prince 8(5,3): explicit Runge-Kutta with 7th-order dense output. */
  DP853,
  /** Gragg-Bulirsch-Stoer extrapolation: variable order, efficient at very tight tolerances. */
  GBS;

  AdaptiveStepsizeIntegrator create(double maxStep, double[] absTol, double[] relTol) {
    return switch (this) {
      case DP853 -> new DormandPrince853Integrator(0.0, maxStep, absTol, relTol);
      case GBS -> new GraggBulirschStoerIntegrator(0.0, maxStep, absTol, relTol);
    };
  }

  /** The lower-case name used in messages ("dp853", "gbs"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
