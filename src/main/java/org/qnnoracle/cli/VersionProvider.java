package org.qnnoracle.cli;

import org.qnnoracle.Version;
import org.qnnoracle.linalg.Linalg;
import picocli.CommandLine.IVersionProvider;

/** Supplies --version (the pom's version and the BLAS/LAPACK backend) from the pom's version (annotation values must be compile-time constants). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"qnn-oracle " + Version.CURRENT, "linear algebra: " + Linalg.describe()};
  }
}
