package io.flowfleet.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The operator's own version, filtered into version.properties from the pom at build time. */
public final class OperatorVersion {

  private static final String VERSION = load();

  private OperatorVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = OperatorVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("io/flowfleet/operator/version.properties is missing from the operator jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      if (version.isBlank() || version.contains("${")) {
        throw new IllegalStateException("version.properties was not filtered by the build: '" + version + "'");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
