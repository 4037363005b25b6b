package org.qnnoracle.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.linalg.Dense;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.Teacher;

/** Every route to the population flow, by the name the command line uses. */
public enum FlowMethod {
  EXACT("exact", "stable exact propagator in d-space (sub-stepped closed form)"),
  DP853("dp853", "Hipparchus DormandPrince853 on the student form W (d*m states)"),
  GBS("gbs", "Hipparchus GraggBulirschStoer on the student form W (d*m states)"),
  DP853_M("dp853-m", "Hipparchus DormandPrince853 on the matrix Riccati form M (d^2 states)"),
  GBS_M("gbs-m", "Hipparchus GraggBulirschStoer on the matrix Riccati form M (d^2 states)"),
  REDUCED("reduced", "exact propagator in overlap coordinates (Q, P), cost independent of d"),
  REDUCED_DP853("reduced-dp853", "Hipparchus DormandPrince853 on the reduced dynamics (Q, G)"),
  REDUCED_GBS("reduced-gbs", "Hipparchus GraggBulirschStoer on the reduced dynamics (Q, G)"),
  CLOSED_FORM("closed-form", "closed form in one shot (inaccurate once e^{2 lambda tau} is large)");

  /** The matrix forms integrate d^2 states; beyond this d they are refused rather than left to run for hours. */
  public static final int MAX_MATRIX_FORM_D = 300;

  private final String cliName;
  private final String description;

  FlowMethod(String cliName, String description) {
    this.cliName = cliName;
    this.description = description;
  }

  public String cliName() {
    return cliName;
  }

  public String description() {
    return description;
  }

  public static FlowMethod parse(String s) {
    String key = s.trim().toLowerCase(Locale.ROOT);
    for (FlowMethod m : values()) {
      if (m.cliName.equals(key)) {
        return m;
      }
    }
    throw new InvalidInputException("method must be one of " + names() + "; got '" + s + "'");
  }

  public static String names() {
    return Arrays.stream(values()).map(FlowMethod::cliName).collect(Collectors.joining(", "));
  }

  /** The initial overlap state (Q0, P0) of an instance. */
  public static FlowState.Overlaps initialOverlaps(Instance instance) {
    Teacher teacher = instance.teacher();
    double[][] q0 = teacher.overlaps(instance.w0());
    double[][] perp = teacher.perpendicularPart(instance.w0());
    return new FlowState.Overlaps(0.0, q0, Dense.multTransA(perp, perp));
  }

  /** Solves the population flow from the instance's W0 at the given gradient-flow times. */
  public List<FlowState> solve(Instance instance, double[] times, double rtol) {
    FlowTime.checkGrid(times);
    Teacher teacher = instance.teacher();
    return switch (this) {
      case EXACT -> ExactPropagator.trajectory(instance, times);
      case DP853 -> IntegratedFlow.studentForm(instance, times, Integrator.DP853, rtol);
      case GBS -> IntegratedFlow.studentForm(instance, times, Integrator.GBS, rtol);
      case DP853_M, GBS_M -> {
        InvalidInputException.require(instance.d() <= MAX_MATRIX_FORM_D,
            "method " + cliName + " integrates d^2 states; use it for d <= " + MAX_MATRIX_FORM_D);
        double[][] m0 = Dense.multTransB(instance.w0(), instance.w0());
        yield IntegratedFlow.matrixForm(teacher, m0, times, this == DP853_M ? Integrator.DP853 : Integrator.GBS, rtol);
      }
      case REDUCED -> ReducedExactPropagator.trajectory(teacher.lambda(), initialOverlaps(instance), times);
      case REDUCED_DP853, REDUCED_GBS -> {
        double[][] q0 = teacher.overlaps(instance.w0());
        double[][] g0 = Dense.multTransA(instance.w0(), instance.w0());
        yield IntegratedFlow.overlapForm(teacher.lambda(), q0, g0, times,
            this == REDUCED_DP853 ? Integrator.DP853 : Integrator.GBS, rtol);
      }
      case CLOSED_FORM -> {
        List<FlowState> out = new ArrayList<>();
        for (double t : times) {
          out.add(new FlowState.Matrix(t, ClosedFormRiccati.matrixAt(teacher, instance.w0(), t)));
        }
        yield out;
      }
    };
  }
}
