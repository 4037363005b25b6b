package org.qnnoracle.cli;

import picocli.CommandLine.IVersionProvider;

/** Supplies --version from the pom's version (annotation values must be compile-time constants). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"qnn-oracle " + Main.VERSION};
  }
}
