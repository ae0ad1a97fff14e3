package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The demo app on JDK 25, the newest LTS: class file versions and JDK internals change with
 * every release, and an agent is the first to notice. The JDK is {@code -Dsmoke.jdk25.java}.
 * Where it is missing the suite is skipped and says so, except under {@code CI=true}, where it
 * fails, as the service-gated suites do: CI never skips silently.
 */
class DemoAppOnJdk25SmokeTest extends DemoAppSmokeTest {

  @Override
  JavaRuntime java() {
    Path java = Path.of(System.getProperty("smoke.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    Optional<JavaRuntime> runtime = JavaRuntime.at(java).filter(found -> found.version().startsWith("25"));
    if (runtime.isEmpty()) {
      String reason = "no JDK 25 at " + java + " (set -Dsmoke.jdk25.java)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true and " + reason + ": suites never skip in CI");
      }
      // Printed to the console too: scripts/test-all.sh lists skipped suites from these lines.
      System.out.println("SKIPPED SUITE " + getClass().getSimpleName() + ": " + reason);
      assumeTrue(false, reason);
    }
    return runtime.get();
  }
}
