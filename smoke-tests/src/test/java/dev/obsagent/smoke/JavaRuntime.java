package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A JDK to start an app on, with the version its {@code java.version} property will report. */
record JavaRuntime(Path executable, String version) {

  /** The JDK running the tests (the one Maven runs on). */
  static JavaRuntime current() {
    return new JavaRuntime(
        Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.version"));
  }

  /**
   * JDK 25, the newest LTS, from {@code -Dsmoke.jdk25.java}. Where it is missing the suite is
   * skipped and says so, except under {@code CI=true}, where it fails, as the service-gated
   * suites do: CI never skips silently.
   */
  static JavaRuntime jdk25OrSkip(String suite) {
    Path java = Path.of(System.getProperty("smoke.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    Optional<JavaRuntime> runtime = at(java).filter(found -> found.version().startsWith("25"));
    if (runtime.isEmpty()) {
      String reason = "no JDK 25 at " + java + " (set -Dsmoke.jdk25.java)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true and " + reason + ": suites never skip in CI");
      }
      // Printed to the console too: scripts/test-all.sh lists skipped suites from these lines.
      System.out.println("SKIPPED SUITE " + suite + ": " + reason);
      assumeTrue(false, reason);
    }
    return runtime.get();
  }

  /** The JDK tool of this runtime ({@code jcmd}, ...), beside its {@code java}. */
  Path tool(String name) {
    return executable.resolveSibling(name);
  }

  /** The JDK of this java executable, read from its {@code release} file; empty if there is none. */
  static Optional<JavaRuntime> at(Path executable) {
    Path release = executable.toAbsolutePath().getParent().getParent().resolve("release");
    if (!Files.isExecutable(executable) || !Files.isRegularFile(release)) {
      return Optional.empty();
    }
    try {
      return Files.readAllLines(release).stream()
          .filter(line -> line.startsWith("JAVA_VERSION="))
          .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
          .findFirst()
          .map(version -> new JavaRuntime(executable, version));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
