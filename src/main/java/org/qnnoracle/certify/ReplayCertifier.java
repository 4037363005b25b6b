package org.qnnoracle.certify;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.linear.Array2DRowFieldMatrix;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.linear.FieldVector;
import org.qnnoracle.InvalidInputException;

/**
 * Certified values of an {@code sgd-replay} golden case: online SGD replayed on the case's samples in Dfp, by two
 * evaluation orders at two precisions.
 *
 * <ol type="a">
 *   <li>{@link #MATRIX_DIGITS} digits, in M = W W^T: M' = P M P with P = I - (2 eta / b) sum_i e_i (x_i x_i^T - I),
 *       e_i = x_i^T M x_i - tr M - y_i and y_i = x_i^T A x_i - tr A + eps_i with A = Theta Lambda Theta^T formed as
 *       a matrix (spec/model.md: M is a Markov chain of its own). Published.
 *   <li>{@link #STUDENT_DIGITS} digits, in W: W' = W - (2 eta / b) sum_i e_i (x_i (x_i^T W) - W), e_i =
 *       |W^T x_i|^2 - |W|_F^2 - y_i, y_i = sum_j lambda_j ((theta_j^T x_i)^2 - |theta_j|^2) + eps_i.
 * </ol>
 *
 * Step k uses rows k b .. k b + b - 1 of {@code samples} (x_1..x_d, eps). The inputs are exact; a replay has no
 * truncation error, so the two routes differ by round-off only and the agreement measures it. The double-precision
 * replay of the same samples (sgd.OnlineSgd) is then scored against these values, not assumed correct.
 */
public final class ReplayCertifier {
  /** Precision of the published route (a). */
  public static final int MATRIX_DIGITS = 100;
  /** Precision of route (b). */
  public static final int STUDENT_DIGITS = 52;

  private ReplayCertifier() {}

  /**
   * Certifies risk, overlaps and tr M after each output step.
   *
   * @param lambda r coefficients. Not modified.
   * @param theta d x r. Not modified.
   * @param w0 d x m. Not modified.
   * @param eta the constant step size
   * @param batch b
   * @param outputSteps non-decreasing step counts (0: the start). Not modified.
   * @param samples at least b * outputSteps[K-1] rows of d + 1 numbers (x_1..x_d, eps). Not modified.
   */
  public static Certificate certify(int d, int r, int m, double[] lambda, double[][] theta, double[][] w0,
      double eta, int batch, long[] outputSteps, double[][] samples) {
    long start = System.nanoTime();
    Inputs in = new Inputs(d, r, m, lambda, theta, w0);
    InvalidInputException.requireFinite(eta, "eta");
    InvalidInputException.require(batch >= 1, "batch must be >= 1");
    InvalidInputException.require(outputSteps.length >= 1, "at least one output step is required");
    long prev = 0;
    for (long k : outputSteps) {
      InvalidInputException.require(k >= prev, "output steps must be >= 0 and non-decreasing");
      prev = k;
    }
    InvalidInputException.require((long) samples.length >= prev * batch,
        "samples has " + samples.length + " rows, the replay needs " + prev * batch);
    for (int i = 0; i < prev * batch; i++) {
      InvalidInputException.require(samples[i] != null && samples[i].length == d + 1,
          "samples row " + i + " must have d + 1 = " + (d + 1) + " entries");
    }
    int nk = outputSteps.length;
    BigDecimal[][] a = new Matrix(Mp.field(MATRIX_DIGITS), in, eta, batch, samples).run(outputSteps);
    BigDecimal[][] b = new Student(Mp.field(STUDENT_DIGITS), in, eta, batch, samples).run(outputSteps);
    List<String> routes = List.of(
        String.format(Locale.ROOT, "(a) Dfp replay of M' = P M P at %d digits, teacher as the matrix A; published",
            MATRIX_DIGITS),
        String.format(Locale.ROOT, "(b) Dfp replay of W at %d digits, teacher through theta_j^T x", STUDENT_DIGITS));
    return new Certificate(FlowCertifier.quantities(a, b, nk, r), routes,
        String.format(Locale.ROOT, "%d steps of batch %d on the case's samples; a replay has no truncation error, so "
            + "the routes differ by round-off only.", prev, batch), (System.nanoTime() - start) / 1e9);
  }

  /** Route (a): M = W W^T. */
  private static final class Matrix {
    final DfpField f;
    final Inputs in;
    final Dfp twoEtaOverB;
    final int batch;
    final double[][] samples;
    final FieldMatrix<Dfp> teacher;
    final Dfp traceA;
    final FieldMatrix<Dfp> theta;
    FieldMatrix<Dfp> mm;

    Matrix(DfpField f, Inputs in, double eta, int batch, double[][] samples) {
      this.f = f;
      this.in = in;
      this.batch = batch;
      this.samples = samples;
      twoEtaOverB = Mp.of(f, eta).multiply(2).divide(batch);
      theta = Mp.matrix(f, in.theta());
      teacher = Mp.teacher(f, in.theta(), in.lambda());
      traceA = teacher.getTrace();
      FieldMatrix<Dfp> w0 = Mp.matrix(f, in.w0());
      mm = w0.multiplyTransposed(w0);
    }

    BigDecimal[][] run(long[] outputs) {
      int d = in.d();
      BigDecimal[][] out = new BigDecimal[outputs.length][];
      long step = 0;
      for (int o = 0; o < outputs.length; o++) {
        for (; step < outputs[o]; step++) {
          Dfp traceM = mm.getTrace();
          FieldMatrix<Dfp> sum = new Array2DRowFieldMatrix<>(f, d, d);
          Dfp sumE = f.getZero();
          for (int i = 0; i < batch; i++) {
            double[] row = samples[(int) (step * batch + i)];
            FieldVector<Dfp> x = Mp.matrix(f, new double[][] {java.util.Arrays.copyOf(row, d)}).getRowVector(0);
            Dfp label = x.dotProduct(teacher.operate(x)).subtract(traceA).add(Mp.of(f, row[d]));
            Dfp e = x.dotProduct(mm.operate(x)).subtract(traceM).subtract(label);
            sum = sum.add(x.outerProduct(x).scalarMultiply(e));
            sumE = sumE.add(e);
          }
          // P = I - (2 eta / b) (sum_i e_i x_i x_i^T - (sum_i e_i) I)
          FieldMatrix<Dfp> p = sum.scalarMultiply(twoEtaOverB.negate());
          Dfp diag = f.getOne().add(twoEtaOverB.multiply(sumE));
          for (int j = 0; j < d; j++) {
            p.addToEntry(j, j, diag);
          }
          mm = p.multiply(mm).multiply(p);
        }
        out[o] = quantities(mm);
      }
      return out;
    }

    BigDecimal[] quantities(FieldMatrix<Dfp> mat) {
      int r = in.r();
      BigDecimal[] q = new BigDecimal[r + 2];
      q[0] = Mp.big(Mp.frobeniusSquared(mat.subtract(teacher)).multiply(2));
      for (int j = 0; j < r; j++) {
        FieldVector<Dfp> t = theta.getColumnVector(j);
        q[1 + j] = Mp.big(t.dotProduct(mat.operate(t)));
      }
      q[r + 1] = Mp.big(mat.getTrace());
      return q;
    }
  }

  /** Route (b): W, never forming M during the replay. */
  private static final class Student {
    final DfpField f;
    final Inputs in;
    final Dfp twoEtaOverB;
    final int batch;
    final double[][] samples;
    final Dfp[] lambda;
    final FieldMatrix<Dfp> theta;
    final Dfp traceA;
    FieldMatrix<Dfp> w;

    Student(DfpField f, Inputs in, double eta, int batch, double[][] samples) {
      this.f = f;
      this.in = in;
      this.batch = batch;
      this.samples = samples;
      twoEtaOverB = Mp.of(f, eta).multiply(2).divide(batch);
      lambda = Mp.of(f, in.lambda());
      theta = Mp.matrix(f, in.theta());
      Dfp tr = f.getZero();
      for (int j = 0; j < in.r(); j++) {
        FieldVector<Dfp> t = theta.getColumnVector(j);
        tr = tr.add(lambda[j].multiply(t.dotProduct(t)));
      }
      traceA = tr;
      w = Mp.matrix(f, in.w0());
    }

    BigDecimal[][] run(long[] outputs) {
      int d = in.d();
      BigDecimal[][] out = new BigDecimal[outputs.length][];
      long step = 0;
      for (int o = 0; o < outputs.length; o++) {
        for (; step < outputs[o]; step++) {
          Dfp normW = Mp.frobeniusSquared(w);
          FieldMatrix<Dfp> update = new Array2DRowFieldMatrix<>(f, d, in.m());
          for (int i = 0; i < batch; i++) {
            double[] row = samples[(int) (step * batch + i)];
            FieldVector<Dfp> x = Mp.matrix(f, new double[][] {java.util.Arrays.copyOf(row, d)}).getRowVector(0);
            FieldVector<Dfp> z = w.preMultiply(x);
            FieldVector<Dfp> u = theta.preMultiply(x);
            Dfp label = Mp.of(f, row[d]).subtract(traceA);
            for (int j = 0; j < in.r(); j++) {
              label = label.add(lambda[j].multiply(u.getEntry(j)).multiply(u.getEntry(j)));
            }
            Dfp e = z.dotProduct(z).subtract(normW).subtract(label);
            // e_i (x_i z_i^T - W)
            update = update.add(x.outerProduct(z).subtract(w).scalarMultiply(e));
          }
          w = w.subtract(update.scalarMultiply(twoEtaOverB));
        }
        out[o] = quantities(w.multiplyTransposed(w));
      }
      return out;
    }

    BigDecimal[] quantities(FieldMatrix<Dfp> mat) {
      int r = in.r();
      FieldMatrix<Dfp> teacher = theta.multiply(Mp.diagonal(f, lambda)).multiplyTransposed(theta);
      BigDecimal[] q = new BigDecimal[r + 2];
      q[0] = Mp.big(Mp.frobeniusSquared(mat.subtract(teacher)).multiply(2));
      for (int j = 0; j < r; j++) {
        FieldVector<Dfp> t = theta.getColumnVector(j);
        q[1 + j] = Mp.big(t.dotProduct(mat.operate(t)));
      }
      q[r + 1] = Mp.big(mat.getTrace());
      return q;
    }
  }
}
