package org.qnnoracle.cli;

import org.qnnoracle.model.ModelSpec;
import org.qnnoracle.model.Normalisation;
import org.qnnoracle.model.TeacherBasis;
import picocli.CommandLine.Option;

/**
 * The options that fix one instance (teacher and initial student), shared by {@code flow} and {@code sgd}
 * so both read and document them identically. Ranges are checked by {@link ModelSpec}.
 */
final class ModelOptions {
  @Option(names = "--d", required = true, paramLabel = "N", order = 1,
      description = "Input dimension d (x ~ N(0, I_d)); d >= 1.")
  int d;

  @Option(names = "--r", required = true, paramLabel = "N", order = 2,
      description = "Teacher rank r: the number of orthonormal teacher directions theta_j; 1 <= r <= d.")
  int r;

  @Option(names = "--m", required = true, paramLabel = "N", order = 3,
      description = "Student width m: the number of hidden units w_i (columns of W); m >= 1.")
  int m;

  @Option(names = "--alpha", required = true, paramLabel = "X", order = 4,
      description = "Power-law exponent of the teacher coefficients lambda_j = j^-alpha / Z; alpha >= 0.")
  double alpha;

  @Option(names = "--norm", defaultValue = "l2", paramLabel = "l2|l1|none", order = 5,
      description = "Normalisation Z of the lambda_j: l2 (sum lambda_j^2 = 1, so |A|_F = 1), "
          + "l1 (sum lambda_j = 1), none (Z = 1). Default: ${DEFAULT-VALUE}.")
  String norm;

  @Option(names = "--basis", defaultValue = "haar", paramLabel = "haar|canonical", order = 6,
      description = "Teacher directions theta_j: haar (Haar-random orthonormal, drawn from the seed) or "
          + "canonical (e_1..e_r). Default: ${DEFAULT-VALUE}.")
  String basis;

  @Option(names = "--sigma0", defaultValue = "0.001", paramLabel = "X", order = 7,
      description = "Initial scale: W0 entries i.i.d. N(0, sigma0^2/d), so E|w_i|^2 = sigma0^2; "
          + "sigma0 > 0. Default: ${DEFAULT-VALUE}.")
  double sigma0;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", order = 8,
      description = "Seed of the teacher basis and of W0 (any 64-bit integer). Default: ${DEFAULT-VALUE}.")
  long seed;

  /** The instance these options describe; throws InvalidInputException on an impossible one. */
  ModelSpec toSpec() {
    return new ModelSpec(d, r, m, alpha, Normalisation.parse(norm), sigma0, TeacherBasis.parse(basis), seed);
  }
}
