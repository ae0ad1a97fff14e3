package dev.obsagent.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What a suite does when something it needs is missing: skip, saying so on stdout, or fail under
 * {@code CI=true}.
 */
final class Prerequisites {

  private Prerequisites() {}

  /** Fails under CI; otherwise prints the SKIPPED SUITE line and returns the reason. */
  static String missing(Class<?> suite, String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true and " + reason + ": install it (see .ci/run); suites never skip in CI");
    }
    // On the console too: a skipped suite must be visible in the build output.
    System.out.println("SKIPPED SUITE " + suite.getSimpleName() + ": " + reason);
    return reason;
  }

  /** For a {@code @BeforeAll}: a file the suite needs, e.g. a jar the build makes. */
  static void requireFile(Class<?> suite, Path file, String howToMakeIt) {
    if (!Files.isRegularFile(file)) {
      Assumptions.abort(missing(suite, file + " is missing (" + howToMakeIt + ")"));
    }
  }
}
