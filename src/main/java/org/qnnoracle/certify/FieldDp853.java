package org.qnnoracle.certify;

import java.util.Arrays;
import org.hipparchus.Field;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.ode.FieldEquationsMapper;
import org.hipparchus.ode.FieldODEStateAndDerivative;
import org.hipparchus.ode.nonstiff.DormandPrince853FieldIntegrator;
import org.hipparchus.ode.nonstiff.EmbeddedRungeKuttaFieldIntegrator;
import org.hipparchus.ode.nonstiff.StepsizeHelper;
import org.hipparchus.ode.nonstiff.interpolators.RungeKuttaFieldStateInterpolator;

/**
 * Dormand-Prince 8(5,3) on Hipparchus' embedded Runge-Kutta field machinery, usable below 1e-16: the Butcher
 * tableau is Hipparchus' own ({@link DormandPrince853FieldIntegrator#getA()}, getB, getC, in the field), the stepping
 * and step-size control are {@link EmbeddedRungeKuttaFieldIntegrator}'s; two parts are replaced.
 *
 * <ul>
 *   <li>The error estimate. Hipparchus 4.0.2's field DP853 forms it in double ({@code getReal()} of every stage
 *       derivative times double weights), so it never falls below about 1e-16 of the derivatives and the step size
 *       collapses (to 1e-15, measured) when the tolerance asks for less. Here the same formula runs in the field,
 *       with the weights as the exact rationals of Hairer, Norsett and Wanner's DOP853; only the final O(1) ratio
 *       becomes a double.
 *   <li>The dense output. Hipparchus' DP853 interpolator converts about 200 double coefficients to the field at
 *       every step ({@code Dfp(double)} goes through a power of two) and evaluates three extra stages: 4 ms a step,
 *       most of the cost (measured with JFR). The certifiers read states only at step ends, so the interpolator here
 *       is a cubic Hermite on the step's end states and derivatives, which costs nothing unless called.
 * </ul>
 */
final class FieldDp853 extends EmbeddedRungeKuttaFieldIntegrator<Dfp> {
  /** Stages per step, the FSAL stage included. */
  private static final int STAGE_COUNT = 13;
  /** Stage indices of the non-zero error weights. */
  private static final int[] STAGES = {0, 5, 6, 7, 8, 9, 10, 11};
  /** First error weights (numerator, denominator) of DOP853. */
  private static final long[][] E1 = {
      {116092271L, 8848465920L}, {-1871647L, 1527680L}, {-69799717L, 140793660L},
      {1230164450203L, 739113984000L}, {-1980813971228885L, 5654156025964544L}, {464500805L, 1389975552L},
      {1606764981773L, 19613062656000L}, {-137909L, 6168960L}};
  /** Second error weights (numerator, denominator) of DOP853. */
  private static final long[][] E2 = {
      {-364463L, 1920240L}, {3399327L, 763840L}, {66578432L, 35198415L}, {-1674902723L, 288716400L},
      {-74684743568175L, 176692375811392L}, {-734375L, 4826304L}, {171414593L, 851261400L},
      {69869L, 3084480L}};

  private final Dfp[] e1;
  private final Dfp[] e2;
  private final Dfp hundredth;

  /**
   * @param absTol per component absolute tolerance. Not modified.
   * @param relTol per component relative tolerance. Not modified.
   */
  FieldDp853(DfpField field, double maxStep, double[] absTol, double[] relTol) {
    super(field, "Dormand-Prince 8 (5, 3), field error estimate", 12, 0.0, maxStep, absTol.clone(),
        relTol.clone());
    setUsingFieldCoefficients(true);
    e1 = new Dfp[STAGES.length];
    e2 = new Dfp[STAGES.length];
    for (int k = 0; k < STAGES.length; k++) {
      e1[k] = field.newDfp(E1[k][0]).divide(field.newDfp(E1[k][1]));
      e2[k] = field.newDfp(E2[k][0]).divide(field.newDfp(E2[k][1]));
    }
    hundredth = field.getOne().divide(100);
  }

  /** Hipparchus' DP853 for its tableau only (called from the superclass constructor, so built on demand). */
  private DormandPrince853FieldIntegrator<Dfp> tableau() {
    return new DormandPrince853FieldIntegrator<>(getField(), 0.0, 1.0, 1.0, 1.0);
  }

  /** The 12 stages and the FSAL stage; Hipparchus' arrays also carry the three dense-output stages, not used here. */
  @Override
  public Dfp[] getC() {
    return Arrays.copyOf(tableau().getC(), STAGE_COUNT - 1);
  }

  /**
   * Hipparchus' coefficients, two of them corrected: a[9][8] = 35290686222309375 / 14152473387134411 and
   * a[10][8] = -28388795297996250 / 3199510091356783 have numerators or denominators above 2^53, which Hipparchus
   * passes through double (relative error 1e-16, a global error floor near 1e-19, measured on y' = -y); here they
   * are exact quotients of longs.
   */
  @Override
  public Dfp[][] getA() {
    Dfp[][] a = Arrays.copyOf(tableau().getA(), STAGE_COUNT - 1);
    DfpField f = (DfpField) getField();
    a[9][8] = f.newDfp(35290686222309375L).divide(f.newDfp(14152473387134411L));
    a[10][8] = f.newDfp(-28388795297996250L).divide(f.newDfp(3199510091356783L));
    return a;
  }

  @Override
  public Dfp[] getB() {
    return Arrays.copyOf(tableau().getB(), STAGE_COUNT);
  }

  @Override
  public int getOrder() {
    return 8;
  }

  @Override
  protected RungeKuttaFieldStateInterpolator<Dfp> createInterpolator(boolean forward, Dfp[][] yDotK,
      FieldODEStateAndDerivative<Dfp> previous, FieldODEStateAndDerivative<Dfp> current,
      FieldEquationsMapper<Dfp> mapper) {
    return new Hermite(getField(), forward, yDotK, previous, current, previous, current, mapper);
  }

  /** DormandPrince853FieldIntegrator.estimateError's formula (Hipparchus 4.0.2), in the field. */
  @Override
  protected double estimateError(Dfp[][] yDotK, Dfp[] y0, Dfp[] y1, Dfp h) {
    StepsizeHelper helper = getStepSizeHelper();
    int n = helper.getMainSetDimension();
    Dfp zero = h.getField().getZero();
    Dfp error1 = zero;
    Dfp error2 = zero;
    for (int j = 0; j < n; j++) {
      Dfp sum1 = zero;
      Dfp sum2 = zero;
      for (int k = 0; k < STAGES.length; k++) {
        sum1 = sum1.add(e1[k].multiply(yDotK[STAGES[k]][j]));
        sum2 = sum2.add(e2[k].multiply(yDotK[STAGES[k]][j]));
      }
      Dfp scale = y0[j].abs();
      if (scale.lessThan(y1[j].abs())) {
        scale = y1[j].abs();
      }
      Dfp tol = helper.getTolerance(j, scale);
      Dfp ratio1 = sum1.divide(tol);
      Dfp ratio2 = sum2.divide(tol);
      error1 = error1.add(ratio1.multiply(ratio1));
      error2 = error2.add(ratio2.multiply(ratio2));
    }
    Dfp den = error1.add(error2.multiply(hundredth));
    if (!den.greaterThan(zero)) {
      den = h.getField().getOne();
    }
    return h.abs().multiply(error1).divide(den.multiply(n).sqrt()).toDouble();
  }

  /** Cubic Hermite interpolation on the step's end states and derivatives (never used for the certified values). */
  private static final class Hermite extends RungeKuttaFieldStateInterpolator<Dfp> {
    Hermite(Field<Dfp> field, boolean forward, Dfp[][] yDotK, FieldODEStateAndDerivative<Dfp> globalPrevious,
        FieldODEStateAndDerivative<Dfp> globalCurrent, FieldODEStateAndDerivative<Dfp> softPrevious,
        FieldODEStateAndDerivative<Dfp> softCurrent, FieldEquationsMapper<Dfp> mapper) {
      super(field, forward, yDotK, globalPrevious, globalCurrent, softPrevious, softCurrent, mapper);
    }

    @Override
    protected Hermite create(Field<Dfp> field, boolean forward, Dfp[][] yDotK,
        FieldODEStateAndDerivative<Dfp> globalPrevious, FieldODEStateAndDerivative<Dfp> globalCurrent,
        FieldODEStateAndDerivative<Dfp> softPrevious, FieldODEStateAndDerivative<Dfp> softCurrent,
        FieldEquationsMapper<Dfp> mapper) {
      return new Hermite(field, forward, yDotK, globalPrevious, globalCurrent, softPrevious, softCurrent, mapper);
    }

    @Override
    protected FieldODEStateAndDerivative<Dfp> computeInterpolatedStateAndDerivatives(
        FieldEquationsMapper<Dfp> mapper, Dfp time, Dfp theta, Dfp thetaH, Dfp oneMinusThetaH) {
      FieldODEStateAndDerivative<Dfp> p = getGlobalPreviousState();
      FieldODEStateAndDerivative<Dfp> c = getGlobalCurrentState();
      Dfp[] y0 = p.getCompleteState();
      Dfp[] y1 = c.getCompleteState();
      Dfp[] d0 = p.getCompleteDerivative();
      Dfp[] d1 = c.getCompleteDerivative();
      Dfp h = c.getTime().subtract(p.getTime());
      Dfp one = time.getField().getOne();
      Dfp s = theta;
      Dfp s2 = s.multiply(s);
      Dfp s3 = s2.multiply(s);
      // Hermite basis on [0, 1] and its derivative
      Dfp h00 = s3.multiply(2).subtract(s2.multiply(3)).add(one);
      Dfp h10 = s3.subtract(s2.multiply(2)).add(s);
      Dfp h01 = s2.multiply(3).subtract(s3.multiply(2));
      Dfp h11 = s3.subtract(s2);
      Dfp g00 = s2.multiply(6).subtract(s.multiply(6));
      Dfp g10 = s2.multiply(3).subtract(s.multiply(4)).add(one);
      Dfp g11 = s2.multiply(3).subtract(s.multiply(2));
      Dfp[] y = new Dfp[y0.length];
      Dfp[] yDot = new Dfp[y0.length];
      for (int i = 0; i < y0.length; i++) {
        y[i] = h00.multiply(y0[i]).add(h10.multiply(h).multiply(d0[i])).add(h01.multiply(y1[i]))
            .add(h11.multiply(h).multiply(d1[i]));
        yDot[i] = g00.multiply(y0[i].subtract(y1[i])).divide(h).add(g10.multiply(d0[i])).add(g11.multiply(d1[i]));
      }
      return mapper.mapStateAndDerivative(time, y, yDot);
    }
  }
}
