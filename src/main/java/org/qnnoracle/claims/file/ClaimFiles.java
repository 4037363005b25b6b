package org.qnnoracle.claims.file;

import java.nio.file.Path;
import java.util.List;
import org.qnnoracle.claims.Claim;

/** Claim files (spec/claim-file.md) read into claims that verify, its reports and JUnit run like built-in ones. */
public final class ClaimFiles {
  private ClaimFiles() {}

  /**
   * The claims of a claim file, or of every *.json file in a directory (sorted by name). Throws
   * {@link org.qnnoracle.InvalidInputException} with one line naming the file, the claim and the problem.
   */
  public static List<Claim> load(Path fileOrDirectory) {
    throw new UnsupportedOperationException("not yet");
  }
}
