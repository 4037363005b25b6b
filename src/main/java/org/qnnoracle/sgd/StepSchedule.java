package org.qnnoracle.sgd;

import java.util.Locale;
import org.qnnoracle.InvalidInputException;

/**
 * The step size of online SGD as a function of the step k (0-based), and its continuum form as a function
 * of SGD time t = sum_{i < k} eta_i, which is what the effective dynamics uses.
 *
 * <ul>
 *   <li>{@code constant}: eta_k = eta0; t = k eta0.</li>
 *   <li>{@code inverse}: eta_k = eta0 / (1 + k / k0). With t(k) = sum eta_i ~ eta0 k0 log(1 + k / k0), the
 *       continuum step size at time t is eta(t) = eta0 exp(-t / (eta0 k0)).</li>
 *   <li>{@code power}: eta_k = eta0 (1 + k / k0)^-rho, 0 &lt; rho &lt; 1 (the noise-limited sample law's
 *       schedule, proofs-notes/scaling-laws.md section 10). t(k) = eta0 k0 [(1 + k / k0)^(1 - rho) - 1] / (1 - rho),
 *       so eta(t) = eta0 [1 + (1 - rho) t / (eta0 k0)]^(-rho / (1 - rho)).</li>
 * </ul>
 */
public sealed interface StepSchedule permits StepSchedule.Constant, StepSchedule.Inverse,
    StepSchedule.Power {

  /** Step size of step k (k = 0, 1, ...). */
  double eta(long k);

  /** Step size at SGD time t in the continuum limit (eta small), for the effective dynamics. */
  double etaAtTime(double t);

  /** The initial step size eta_0, the largest of the schedule. */
  double eta0();

  /** Text form accepted by {@link #parse}. */
  String describe();

  record Constant(double eta0) implements StepSchedule {
    public Constant {
      InvalidInputException.require(Double.isFinite(eta0) && eta0 > 0, "step size eta must be > 0, got " + eta0);
    }

    @Override
    public double eta(long k) {
      return eta0;
    }

    @Override
    public double etaAtTime(double t) {
      return eta0;
    }

    @Override
    public String describe() {
      return "constant";
    }
  }

  record Inverse(double eta0, double k0) implements StepSchedule {
    public Inverse {
      InvalidInputException.require(Double.isFinite(eta0) && eta0 > 0, "step size eta must be > 0, got " + eta0);
      InvalidInputException.require(Double.isFinite(k0) && k0 > 0, "schedule k0 must be > 0, got " + k0);
    }

    @Override
    public double eta(long k) {
      return eta0 / (1.0 + k / k0);
    }

    @Override
    public double etaAtTime(double t) {
      return eta0 * Math.exp(-t / (eta0 * k0));
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "inverse:%s", k0);
    }
  }

  record Power(double eta0, double k0, double rho) implements StepSchedule {
    public Power {
      InvalidInputException.require(Double.isFinite(eta0) && eta0 > 0, "step size eta must be > 0, got " + eta0);
      InvalidInputException.require(Double.isFinite(k0) && k0 > 0, "schedule k0 must be > 0, got " + k0);
      InvalidInputException.require(rho > 0 && rho < 1, "schedule exponent rho must be in (0, 1), got " + rho);
    }

    @Override
    public double eta(long k) {
      return eta0 * Math.pow(1.0 + k / k0, -rho);
    }

    @Override
    public double etaAtTime(double t) {
      return eta0 * Math.pow(1.0 + (1.0 - rho) * t / (eta0 * k0), -rho / (1.0 - rho));
    }

    /** The SGD time after k steps in the continuum limit, t(k) of the class comment. */
    public double timeAfterSteps(double k) {
      return eta0 * k0 * (Math.pow(1.0 + k / k0, 1.0 - rho) - 1.0) / (1.0 - rho);
    }

    /**
     * log10 of k0 [1 + (1 - rho) t / (eta0 k0)]^(1 / (1 - rho)), an upper bound on the steps t(k) = t takes
     * ({@link #timeAfterSteps} inverted, without its - 1), in logarithms so that a horizon beyond any step count
     * does not overflow.
     */
    public double log10StepsToReach(double t) {
      return Math.log10(k0) + Math.log10(1.0 + (1.0 - rho) * t / (eta0 * k0)) / (1.0 - rho);
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "power:%s:%s", k0, rho);
    }
  }

  /** "constant", "inverse:K0" or "power:K0:RHO" with the given eta0. */
  static StepSchedule parse(String text, double eta0) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("constant")) {
      return new Constant(eta0);
    }
    if (s.startsWith("inverse:")) {
      try {
        return new Inverse(eta0, Double.parseDouble(s.substring("inverse:".length())));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("schedule inverse:K0 needs a number K0, got '" + text + "'");
      }
    }
    if (s.startsWith("power:")) {
      String[] parts = s.substring("power:".length()).split(":");
      try {
        if (parts.length == 2) {
          return new Power(eta0, Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new InvalidInputException("schedule power:K0:RHO needs two numbers K0 and RHO, got '" + text + "'");
    }
    throw new InvalidInputException("schedule must be 'constant', 'inverse:K0' or 'power:K0:RHO', got '" + text
        + "'");
  }
}
