package org.qnnoracle.sgd;

import java.util.ArrayList;
import java.util.List;

/**
 * Replicas aggregated at each output step: mean, sample standard deviation, min and max of the risk, the
 * mean normalised risk and mean overlaps theta_j^T M theta_j, over the replicas still running there (a
 * diverged replica drops out after its divergence step and is counted).
 */
public record SgdSummary(List<Row> rows, int replicas, int diverged) {

  /** One output step. {@code alive} replicas contribute; sd is NaN for a single replica. */
  public record Row(long step, long samples, double t, int alive, double riskMean, double riskSd,
      double riskMin, double riskMax, double[] overlapMean) {
  }

  public static SgdSummary of(List<SgdRunner.Replica> replicas, long[] outputSteps) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < outputSteps.length; k++) {
      int n = 0;
      double sum = 0.0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double[] overlaps = null;
      double t = Double.NaN;
      long samples = -1;
      for (SgdRunner.Replica rep : replicas) {
        if (k >= rep.snapshots().size()) {
          continue;
        }
        SgdSnapshot s = rep.snapshots().get(k);
        double risk = s.risk();
        n++;
        sum += risk;
        min = Math.min(min, risk);
        max = Math.max(max, risk);
        double[] o = s.observables().directionOverlaps();
        if (overlaps == null) {
          overlaps = new double[o.length];
        }
        for (int j = 0; j < o.length; j++) {
          overlaps[j] += o[j];
        }
        t = s.t();
        samples = s.samples();
      }
      if (n == 0) {
        rows.add(new Row(outputSteps[k], -1, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            new double[0]));
        continue;
      }
      double mean = sum / n;
      double ss = 0.0;
      for (SgdRunner.Replica rep : replicas) {
        if (k < rep.snapshots().size()) {
          double dv = rep.snapshots().get(k).risk() - mean;
          ss += dv * dv;
        }
      }
      for (int j = 0; j < overlaps.length; j++) {
        overlaps[j] /= n;
      }
      rows.add(new Row(outputSteps[k], samples, t, n, mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN,
          min, max, overlaps));
    }
    int diverged = (int) replicas.stream().filter(SgdRunner.Replica::diverged).count();
    return new SgdSummary(rows, replicas.size(), diverged);
  }
}
