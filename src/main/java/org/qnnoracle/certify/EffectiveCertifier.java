package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;

/**
 * Certified risk of an {@code effective} golden case: the effective ODE of online SGD ({@link EffectiveOde})
 * integrated in Dfp by two integrator families, Dormand-Prince 8(5,3) ({@link FieldDp853}) and Hipparchus'
 * Adams-Moulton field integrator (nSteps 8, started by the same DP853), at the same tolerance. There is no closed
 * form with the eta term; the agreement of a one-step and a multistep method is the evidence. The DP853 values are
 * published.
 */
public final class EffectiveCertifier {
  /** Relative tolerance of both integrators (absolute: this times the block's RMS size at t = 0). */
  public static final double RTOL = 1e-29;
  /** Working precision of both integrations. */
  public static final int DIGITS = 40;
  /** Adams-Moulton steps (Hipparchus 4.0.2's field Adams stalls from nSteps 11 on, measured on y' = -y). */
  static final int ADAMS_STEPS = 8;

  private EffectiveCertifier() {}

  /**
   * Certifies the effective ODE's risk at the output times (SGD time t = k eta).
   *
   * @param lambda r coefficients. Not modified.
   * @param theta d x r. Not modified.
   * @param w0 d x m. Not modified.
   * @param times non-decreasing SGD times. Not modified.
   * @param eta the constant step size
   * @param batch the batch size b
   * @param s2 the label-noise variance s^2
   */
  public static Certificate certify(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0,
      double[] times, double eta, int batch, double s2) {
    long start = System.nanoTime();
    Setup su = Setup.of(d, r, m, lambda, theta, w0, times, eta, batch, s2, RTOL, DIGITS);
    DfpField f = su.f();
    EffectiveOde ode = su.ode();
    Dfp[] y0 = su.y0();
    double[][] tol = su.tol();
    // the two integrations are independent: run side by side (the ODE object holds no state between calls)
    CompletableFuture<FieldOdeRun.Result> amRun = CompletableFuture.supplyAsync(() -> FieldOdeRun.solve(f, ode,
        y0, times, FieldOdeRun.Method.ADAMS_MOULTON, tol[0], tol[1], ADAMS_STEPS));
    FieldOdeRun.Result dp = FieldOdeRun.solve(f, ode, y0, times, FieldOdeRun.Method.DP853, tol[0], tol[1], 0);
    FieldOdeRun.Result am = amRun.join();
    int nt = times.length;
    BigDecimal[] values = new BigDecimal[nt];
    double[] digits = new double[nt];
    for (int k = 0; k < nt; k++) {
      values[k] = Mp.big(ode.risk(dp.states().get(k)));
      digits[k] = Mp.agreement(values[k], Mp.big(ode.risk(am.states().get(k))), CertifiedQuantity.DIGITS_CAP);
    }
    List<String> routes = List.of(
        "(a) " + dp.settings() + " on the effective overlap ODE (Q, P); published",
        "(b) " + am.settings() + ", started by the same Dormand-Prince 8(5,3), on the same ODE");
    String note = String.format(Locale.ROOT,
        "DP853: %d steps, %d evaluations; Adams-Moulton: %d steps, %d evaluations. There is no closed form with the "
            + "eta term: the agreement of a one-step and a multistep family at the same tolerance is the evidence.",
        dp.steps(), dp.evaluations(), am.steps(), am.evaluations());
    return new Certificate(List.of(new CertifiedQuantity("risk", new int[] {nt}, values, digits)), routes, note,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * Route (a) alone at a chosen tolerance and precision: the effective ODE's risk by Dormand-Prince 8(5,3) in Dfp.
   * At rtol 1e-20 and 32 digits it takes seconds, not the minute of the certification: what a test reruns to
   * reproduce the published values to 16 digits. Arguments as {@link #certify}; not modified.
   */
  public static BigDecimal[] riskByDormandPrince(int d, int r, int m, double[] lambda, double[][] theta,
      double[][] w0, double[] times, double eta, int batch, double s2, double rtol, int digits) {
    Setup su = Setup.of(d, r, m, lambda, theta, w0, times, eta, batch, s2, rtol, digits);
    FieldOdeRun.Result dp = FieldOdeRun.solve(su.f(), su.ode(), su.y0(), times, FieldOdeRun.Method.DP853,
        su.tol()[0], su.tol()[1], 0);
    BigDecimal[] out = new BigDecimal[times.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = Mp.big(su.ode().risk(dp.states().get(k)));
    }
    return out;
  }

  /** The checked inputs turned into the field, the ODE, its start and the tolerances: one place for both entries. */
  private record Setup(DfpField f, EffectiveOde ode, Dfp[] y0, double[][] tol) {
    static Setup of(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0, double[] times,
        double eta, int batch, double s2, double rtol, int digits) {
      Inputs in = new Inputs(d, r, m, lambda, theta, w0);
      FieldOdeRun.checkTimes(times);
      DfpField f = Mp.field(digits);
      EffectiveOde ode = new EffectiveOde(f, in, eta, batch, s2);
      Dfp[] y0 = ode.initialState();
      return new Setup(f, ode, y0, tolerances(y0, ode.blockSizes(), rtol));
    }
  }

  /**
   * Mixed tolerances: relative rtol, absolute rtol times the block's RMS size at the start (1 for a zero block), the
   * project's convention for integrators (spec/model.md).
   */
  static double[][] tolerances(Dfp[] y0, int[] blockSizes, double rtol) {
    double[] abs = new double[y0.length];
    double[] rel = new double[y0.length];
    int offset = 0;
    for (int size : blockSizes) {
      double sum = 0.0;
      for (int i = offset; i < offset + size; i++) {
        double v = y0[i].toDouble();
        sum += v * v;
      }
      double rms = Math.sqrt(sum / size);
      for (int i = offset; i < offset + size; i++) {
        abs[i] = rtol * (rms > 0.0 ? rms : 1.0);
        rel[i] = rtol;
      }
      offset += size;
    }
    return new double[][] {abs, rel};
  }
}
