package org.qnnoracle.cli;

import org.qnnoracle.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.qnnoracle.flow.FlowMethod;
import org.qnnoracle.flow.FlowProgress;
import org.qnnoracle.flow.FlowState;
import org.qnnoracle.flow.FlowTime;
import org.qnnoracle.model.Instance;
import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.PowerLawSpectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle flow}: one instance's population flow as a CSV risk curve. Everything the user typed
 * is validated, and the output location checked, before the solve starts, so a mistake costs milliseconds
 * and never leaves a file behind.
 */
@Command(
    name = "flow",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Solve the population gradient flow of one instance and write its risk curve as CSV.",
    descriptionHeading = "%n",
    description = {
      "Builds the instance fixed by d, r, m, alpha, the normalisation, the teacher basis, sigma0 and the "
          + "seed (teacher A = Theta diag(lambda) Theta^T with lambda_j = j^-alpha / Z and orthonormal "
          + "theta_j; student W0 with i.i.d. N(0, sigma0^2/d) entries), solves the population gradient "
          + "flow dW/dt = -4 (W W^T - A) W from W0 with the chosen method, and writes one CSV row per "
          + "output time: the gradient-flow time t, the risk R = E[(f - f*)^2] = 2 |M - A|_F^2 of "
          + "M = W W^T, the normalised risk R / (2 |A|_F^2), and the overlaps theta_j^T M theta_j for "
          + "j = 1..r. Times are gradient-flow time t; the closed-form (Riccati) time is tau = 4t. The "
          + "output times are the given number of points equally spaced over [0, t-max], both ends included.",
      ""
    },
    optionListHeading = "Options:%n")
final class FlowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @Option(names = "--t-max", defaultValue = "50", paramLabel = "T", order = 9,
      description = "Last output time, in gradient-flow time t (Riccati time tau = 4t); t-max > 0. "
          + "Default: ${DEFAULT-VALUE}.")
  double tMax;

  @Option(names = "--points", defaultValue = "101", paramLabel = "N", order = 10,
      description = "Number of output times, equally spaced over [0, t-max] with both ends included; "
          + "2 <= points <= " + OptionBounds.MAX_POINTS + " (and the states must fit in the Java heap). "
          + "Default: ${DEFAULT-VALUE}.")
  int points;

  @Option(names = "--method", defaultValue = "exact", paramLabel = "NAME", order = 11,
      completionCandidates = FlowHelp.MethodNames.class,
      description = "How the flow is solved, one of: ${COMPLETION-CANDIDATES} (see Methods below). "
          + "Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--rtol", defaultValue = "1e-12", paramLabel = "X", order = 12,
      description = "Relative tolerance of the numerical integrators (the dp853* and gbs* methods; the "
          + "exact, reduced and closed-form methods ignore it); 1e-16 <= rtol < 1. Default: ${DEFAULT-VALUE}.")
  double rtol;

  @Option(names = "--out", paramLabel = "FILE.csv", order = 13,
      description = "Write the CSV to this file (replaced atomically; its directory must exist). "
          + "Default: standard output.")
  Path out;

  @Override
  public Integer call() throws IOException {
    FlowRun run = validate();
    Path target = out == null ? null : AtomicOutput.checkTarget(out);

    PrintWriter err = spec.commandLine().getErr();
    err.println(String.format(Locale.ROOT, "flow: %s, %d output times over t in [0, %s] ...",
        describe(run), run.times().length, Console.fmt(tMax)));
    long start = System.nanoTime();
    Instance instance = run.spec().instance();
    List<FlowState> states = run.method().solve(instance, run.times(), rtol, progressReporter(err, start));
    FlowCsv csv = FlowCsv.of(states, instance.teacher());
    double seconds = (System.nanoTime() - start) / 1e9;

    if (target == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      csv.writeTo(stdout);
      StandardOutput.check(stdout);
    } else {
      AtomicOutput.write(target, csv::writeTo);
    }
    err.println(String.format(Locale.ROOT,
        "flow: method %s, final risk %.6g (normalised %.6g) at t = %s, %.3f s%s",
        run.method().cliName(), csv.finalRisk(), csv.finalNormalisedRisk(), Console.fmt(tMax), seconds,
        target == null ? "" : "; wrote " + out));
    return Console.EXIT_OK;
  }

  /** Progress on stderr for long runs: a line at most every two seconds, nothing for quick ones. */
  private static FlowProgress progressReporter(PrintWriter err, long start) {
    long[] lastReport = {start};
    return (done, total, t) -> {
      long now = System.nanoTime();
      if (done < total && now - lastReport[0] >= 2_000_000_000L) {
        lastReport[0] = now;
        err.println(String.format(Locale.ROOT, "flow: %d/%d output times (t = %s), %.1f s", done, total, Console.fmt(t),
            (now - start) / 1e9));
        err.flush();
      }
    };
  }

  /** What a validated command line describes. */
  record FlowRun(ModelSpec spec, FlowMethod method, double[] times) {}

  /** Every check on the arguments, in one place, before anything is computed or written. */
  FlowRun validate() {
    FlowMethod flowMethod = FlowMethod.parse(method);
    // NaN and the infinities are already refused by FiniteDoubleConverter; ranges are checked by the library,
    // here, before the start line is printed, so a refused run is a single error line.
    ModelSpec modelSpec = model.toSpec();
    OptionBounds.requirePositiveHorizon("--t-max", tMax);
    OptionBounds.requirePoints("--points", points, 2);
    // --rtol is checked whatever the method, so a typo is caught even where this method ignores it
    FlowMethod.checkRtol(rtol);
    flowMethod.checkApplicable(modelSpec.d(), modelSpec.m(),
        PowerLawSpectrum.lambdas(modelSpec.r(), modelSpec.alpha(), modelSpec.normalisation()), tMax, rtol);
    // every option is in range on its own; whether they fit together is a question of memory
    OptionBounds.requireFlowFits(flowMethod, modelSpec.d(), modelSpec.r(), modelSpec.m(), points);
    return new FlowRun(modelSpec, flowMethod, FlowTime.uniformGrid(tMax, points));
  }

  private static String describe(FlowRun run) {
    ModelSpec s = run.spec();
    return String.format(Locale.ROOT, "method %s, d=%d r=%d m=%d alpha=%s norm=%s basis=%s sigma0=%s seed=%d",
        run.method().cliName(), s.d(), s.r(), s.m(), Console.fmt(s.alpha()), s.normalisation().label(),
        s.basis().label(), Console.fmt(s.sigma0()), s.seed());
  }
}
