package org.qnnoracle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project version, read once from the pom (filtered into qnn-oracle-version.properties). A root leaf, so
 * the command line (--version), the claim and check reports and the generated reference data all name the same
 * version without any of them importing another.
 */
public final class Version {
  /** The pom's version, or "unknown" when the properties file is missing from the class path. */
  public static final String CURRENT = read();

  private Version() {}

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/qnn-oracle-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
