package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.qnnoracle.InvalidInputException;

/**
 * Certified values of a {@code flow} golden case (spec/reference-format.md): risk (T), overlaps (T x r) and tr M (T)
 * of the gradient flow dW/dt = -4 (W W^T - A) W, A = sum_j lambda_j theta_j theta_j^T formed exactly from the given
 * doubles, by two independent routes in Dfp arithmetic.
 *
 * <ol type="a">
 *   <li>The exact one-shot solution M(t) = X N^{-1} X^T ({@link FlowClosedForm}) at a working precision chosen per
 *       output time: evaluated at D and D + 40 digits, D raised until the two agree to {@link #CLOSED_FORM_AGREEMENT}
 *       digits in every quantity; the D + 40 values are published. The one-shot form loses about
 *       8 t (lambda_1 - lambda_r) / ln 10 digits to the grading of N, and the late risk is a cancellation M - A, so
 *       D grows with t (to about 1000 digits at lambda tau = 1000).
 *   <li>The ODE in overlap coordinates with its small blocks carried as logarithm and direction
 *       ({@link FlowOverlapOde}, {@link GaugedOde}), integrated by Dormand-Prince 8(5,3) on Hipparchus' field
 *       machinery ({@link FieldDp853}) at relative tolerance {@link Options#rtol}; optionally cross-checked over the
 *       first output times by Hipparchus' Adams-Moulton field integrator (another family).
 * </ol>
 *
 * The digits of each element are the agreement between (a) and (b).
 */
public final class FlowCertifier {
  /** Digits to which the closed form at D and D + 40 digits must agree before its D + 40 value is used. */
  public static final double CLOSED_FORM_AGREEMENT = 35.0;
  /** Adams-Moulton's step count in the cross-check (Hipparchus 4.0.2's field Adams stalls from 11 on). */
  static final int ADAMS_STEPS = 8;
  /** Digits added for the closed form's second evaluation. */
  static final int CLOSED_FORM_EXTRA = 40;

  /**
   * Settings of the ODE route.
   *
   * @param rtol the integrator's relative tolerance (and absolute tolerance on the normalised blocks); 1e-28 gives
   *     26 to 29 digits on the golden cases (measured)
   * @param digits the working precision of the integration
   * @param crossCheckLambdaTau output times with lambda_max 4t up to this are integrated a second time by
   *     Adams-Moulton (nSteps 8) at the same tolerance and the agreement reported in the note; 0: no cross-check
   */
  public record Options(double rtol, int digits, double crossCheckLambdaTau) {
    public Options {
      InvalidInputException.require(rtol > 0.0 && rtol < 1e-6, "rtol must be in (0, 1e-6)");
      InvalidInputException.require(digits >= 32, "the ODE needs at least 32 digits");
      InvalidInputException.require(crossCheckLambdaTau >= 0.0, "crossCheckLambdaTau must be >= 0");
    }

    /** rtol 1e-29 at 40 digits, Adams-Moulton cross-check up to lambda_max tau = 4. */
    public static Options defaults() {
      return new Options(1e-29, 40, 4.0);
    }
  }

  private FlowCertifier() {}

  /** {@link #certify(int, int, int, double[], double[][], double[][], double[], Options)} with the defaults. */
  public static Certificate certify(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0,
      double[] times) {
    return certify(d, r, m, lambda, theta, w0, times, Options.defaults());
  }

  /**
   * Certifies risk, overlaps and tr M at the output times.
   *
   * @param lambda r coefficients. Not modified.
   * @param theta d x r, columns the directions (not required orthonormal: A is formed from them as given). Not
   *     modified.
   * @param w0 d x m start. Not modified.
   * @param times non-decreasing gradient-flow times t &gt;= 0. Not modified.
   */
  public static Certificate certify(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0,
      double[] times, Options options) {
    long start = System.nanoTime();
    Inputs in = new Inputs(d, r, m, lambda, theta, w0);
    FieldOdeRun.checkTimes(times);
    int nt = times.length;
    double lambdaMax = 0.0;
    for (double l : lambda) {
      lambdaMax = Math.max(lambdaMax, Math.abs(l));
    }

    // (a) the closed form, precision adapted per time
    Map<Integer, FlowClosedForm> forms = new HashMap<>();
    ClosedForm a = closedForm(forms, in, times);
    BigDecimal[][] closed = a.values();
    int[] used = a.digits();

    // how far a fixed 40-digit closed form goes
    double enough40 = 0.0;
    double firstShort40 = Double.NaN;
    double[] digits40 = new double[nt];
    for (int k = 0; k < nt; k++) {
      BigDecimal[] v = closedForm(forms, in, 40, times[k]);
      digits40[k] = v == null ? 0.0 : minAgreement(closed[k], v, CertifiedQuantity.DIGITS_CAP);
      if (digits40[k] >= 25.0 && Double.isNaN(firstShort40)) {
        enough40 = 4.0 * times[k] * lambdaMax;
      } else if (Double.isNaN(firstShort40) && digits40[k] < 25.0) {
        firstShort40 = 4.0 * times[k] * lambdaMax;
      }
    }

    // (b) the ODE
    OdeSolution dp = ode(in, times, FieldOdeRun.Method.DP853, options);

    String cross = "no Adams-Moulton cross-check";
    int nCross = 0;
    while (nCross < nt && 4.0 * times[nCross] * lambdaMax <= options.crossCheckLambdaTau()) {
      nCross++;
    }
    if (nCross > 0) {
      OdeSolution am = ode(in, java.util.Arrays.copyOf(times, nCross), FieldOdeRun.Method.ADAMS_MOULTON, options);
      double worst = CertifiedQuantity.DIGITS_CAP;
      for (int k = 0; k < nCross; k++) {
        worst = Math.min(worst, minAgreement(dp.values[k], am.values[k], CertifiedQuantity.DIGITS_CAP));
      }
      cross = String.format(Locale.ROOT,
          "Cross-check of (b) by %s (another family) over the first %d times (lambda_max tau <= %.3g): %.1f digits "
              + "of agreement at worst, %d steps.",
          am.run.settings(), nCross, 4.0 * times[nCross - 1] * lambdaMax, worst, am.run.steps());
    }

    List<String> routes = List.of(
        String.format(Locale.ROOT, "(a) one-shot closed form M(t) = X N^-1 X^T in Dfp, eigenbasis of A by Householder "
            + "QR + Jacobi, working precision D = %d..%d digits chosen per time (D - %d and D agree to >= %.0f "
            + "digits); published", min(used), max(used), CLOSED_FORM_EXTRA, CLOSED_FORM_AGREEMENT),
        "(b) " + dp.run.settings() + " on the flow in overlap coordinates (Qt, E, P), small blocks carried as "
            + "logarithm and direction");
    List<CertifiedQuantity> quantities = quantities(closed, dp.values, nt, r);
    String note = String.format(Locale.ROOT,
        "(a) working digits per time %s; a fixed 40-digit closed form agrees to %s digits per time, >= 25 digits up "
            + "to lambda_max tau = %.4g%s. (b) %d steps, %d evaluations. %s",
        java.util.Arrays.toString(used), format(digits40), enough40,
        Double.isNaN(firstShort40) ? " (every time)" : String.format(Locale.ROOT, " (first below at %.4g)",
            firstShort40),
        dp.run.steps(), dp.run.evaluations(), cross);
    return new Certificate(quantities, routes, note, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Route (a) alone: per output time, {risk, overlap_1..r, tr M} of the one-shot closed form at the working precision
   * D + {@link #CLOSED_FORM_EXTRA}, D raised until D and D + {@link #CLOSED_FORM_EXTRA} digits agree to
   * {@link #CLOSED_FORM_AGREEMENT} digits. Seconds even at lambda tau = 1000: what a test can rerun to reproduce the
   * published values of a flow case.
   *
   * @param values per time {risk, overlap_1..r, tr M}
   * @param digits per time the working precision of the values
   */
  public record ClosedForm(BigDecimal[][] values, int[] digits) {}

  /** {@link ClosedForm} of the flow from the given doubles (as {@link #certify}). Arrays not modified. */
  public static ClosedForm closedForm(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0,
      double[] times) {
    Inputs in = new Inputs(d, r, m, lambda, theta, w0);
    FieldOdeRun.checkTimes(times);
    return closedForm(new HashMap<>(), in, times);
  }

  private static ClosedForm closedForm(Map<Integer, FlowClosedForm> forms, Inputs in, double[] times) {
    int nt = times.length;
    BigDecimal[][] closed = new BigDecimal[nt][];
    int[] used = new int[nt];
    int digits = 48;
    for (int k = 0; k < nt; k++) {
      while (true) {
        BigDecimal[] low = closedForm(forms, in, digits, times[k]);
        BigDecimal[] high = closedForm(forms, in, digits + CLOSED_FORM_EXTRA, times[k]);
        double agree = low == null || high == null ? 0.0 : minAgreement(high, low, 999.0);
        if (agree >= CLOSED_FORM_AGREEMENT) {
          closed[k] = high;
          used[k] = digits + CLOSED_FORM_EXTRA;
          break;
        }
        InvalidInputException.require(digits < 8000, "the closed form needs more than 8000 digits at t = " + times[k]);
        // the error scales like 10^-D: ask for the missing digits and a margin, or double when nothing agreed
        digits = agree >= 5.0 ? digits + (int) Math.ceil(CLOSED_FORM_AGREEMENT - agree) + 16 : 2 * digits;
      }
    }
    return new ClosedForm(closed, used);
  }

  /** risk, overlaps, traceM from per-time arrays {risk, overlap_1..r, trM} of the two routes. */
  static List<CertifiedQuantity> quantities(BigDecimal[][] a, BigDecimal[][] b, int nt, int r) {
    BigDecimal[] risk = new BigDecimal[nt];
    double[] riskDigits = new double[nt];
    BigDecimal[] overlaps = new BigDecimal[nt * r];
    double[] overlapDigits = new double[nt * r];
    BigDecimal[] trace = new BigDecimal[nt];
    double[] traceDigits = new double[nt];
    for (int k = 0; k < nt; k++) {
      risk[k] = a[k][0];
      riskDigits[k] = Mp.agreement(a[k][0], b[k][0], CertifiedQuantity.DIGITS_CAP);
      for (int j = 0; j < r; j++) {
        overlaps[k * r + j] = a[k][1 + j];
        overlapDigits[k * r + j] = Mp.agreement(a[k][1 + j], b[k][1 + j], CertifiedQuantity.DIGITS_CAP);
      }
      trace[k] = a[k][r + 1];
      traceDigits[k] = Mp.agreement(a[k][r + 1], b[k][r + 1], CertifiedQuantity.DIGITS_CAP);
    }
    return List.of(
        new CertifiedQuantity("risk", new int[] {nt}, risk, riskDigits),
        new CertifiedQuantity("overlaps", new int[] {nt, r}, overlaps, overlapDigits),
        new CertifiedQuantity("traceM", new int[] {nt}, trace, traceDigits));
  }

  /** The closed form at a precision, or null where that precision cannot even factor N (numerically singular). */
  private static BigDecimal[] closedForm(Map<Integer, FlowClosedForm> forms, Inputs in, int digits, double t) {
    DfpField f = Mp.field(digits);
    FlowClosedForm form = forms.computeIfAbsent(Mp.digits(f), k -> new FlowClosedForm(f, in));
    try {
      return big(form.at(t));
    } catch (MathIllegalArgumentException singular) {
      return null;
    }
  }

  private record OdeSolution(FieldOdeRun.Result run, BigDecimal[][] values) {}

  /** |E_jj| / lambda_j below which E joins the ODE state (m = r; see {@link FlowOverlapOde}). */
  static final double ESCAPED = 0.5;

  /**
   * The ODE route: the form without E from t = 0, checked at checkpoints 1 / (10 lambda_max) apart (E moves by at most e^-0.8 between two) until every
   * direction has escaped (m = r only), then the form with E, started from the same state.
   */
  private static OdeSolution ode(Inputs in, double[] times, FieldOdeRun.Method method, Options options) {
    DfpField f = Mp.field(options.digits());
    double lambdaMax = 0.0;
    for (double l : in.lambda()) {
      lambdaMax = Math.max(lambdaMax, Math.abs(l));
    }
    double checkpoint = lambdaMax > 0.0 ? 0.1 / lambdaMax : Double.POSITIVE_INFINITY;
    FlowOverlapOde plain = new FlowOverlapOde(f, in, false);
    FlowOverlapOde withE = in.m() == in.r() ? new FlowOverlapOde(f, in, true) : null;
    Dfp[] raw = plain.initialState();
    FlowOverlapOde current = plain;
    double t = 0.0;
    long steps = 0;
    long evaluations = 0;
    String settings = "";
    BigDecimal[][] values = new BigDecimal[times.length][];
    for (int k = 0; k < times.length; k++) {
      while (t < times[k]) {
        boolean watching = withE != null && current == plain;
        double next = watching ? Math.min(times[k], t + checkpoint) : times[k];
        if (times[k] - next < 1e-6 * checkpoint) {
          next = times[k]; // no sliver interval (Hipparchus refuses intervals below 1e-12 relative)
        }
        GaugedOde gauged = new GaugedOde(f, current::rhs, current.blockSizes(), current.relativeBlocks(), raw);
        double[][] tol = gauged.tolerances(options.rtol(), raw);
        FieldOdeRun.Result run = FieldOdeRun.solve(f, gauged, gauged.encode(raw), t, new double[] {next}, method,
            tol[0], tol[1], ADAMS_STEPS);
        raw = gauged.decode(run.states().get(0));
        steps += run.steps();
        evaluations += run.evaluations();
        settings = run.settings();
        t = next;
        if (watching && plain.escaped(raw, ESCAPED)) {
          raw = withE.withE(raw);
          current = withE;
        }
      }
      values[k] = big(current.quantities(raw));
    }
    return new OdeSolution(new FieldOdeRun.Result(java.util.List.of(), steps, evaluations, settings), values);
  }

  static BigDecimal[] big(Dfp[] x) {
    BigDecimal[] out = new BigDecimal[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Mp.big(x[i]);
    }
    return out;
  }

  static double minAgreement(BigDecimal[] a, BigDecimal[] b, double cap) {
    double min = cap;
    for (int i = 0; i < a.length; i++) {
      min = Math.min(min, Mp.agreement(a[i], b[i], cap));
    }
    return min;
  }

  private static int min(int[] x) {
    return java.util.Arrays.stream(x).min().orElse(0);
  }

  private static int max(int[] x) {
    return java.util.Arrays.stream(x).max().orElse(0);
  }

  private static String format(double[] x) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < x.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", x[i]));
    }
    return sb.append(']').toString();
  }
}
