package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jars under test, found from the Maven root that surefire passes in: the tests run the
 * jars exactly where the build leaves them, as a user would.
 */
final class Artifacts {

  private Artifacts() {}

  static Path projectDir() {
    String dir = System.getProperty("obs.project.dir");
    // Outside Maven (an IDE run) the working directory is this module.
    return (dir != null ? Path.of(dir) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Path agentJar() {
    String jar = System.getProperty("obs.agent.jar");
    return built(jar != null ? Path.of(jar) : projectDir().resolve("agent/target/obs-agent.jar"));
  }

  static String agentVersion() {
    return System.getProperty("obs.agent.version", "0.1.0-SNAPSHOT");
  }

  static Path demoApp() {
    return built(projectDir().resolve("smoke-tests/apps/demo-app/target/demo-app.jar"));
  }

  static Path javaxApp() {
    return built(projectDir().resolve("smoke-tests/apps/javax-app/target/javax-app.jar"));
  }

  static Path conflictApp() {
    return built(projectDir().resolve("smoke-tests/apps/conflict-app/target/conflict-app.jar"));
  }

  /** A file under target/smoke-logs, where every started JVM leaves its output for debugging. */
  static Path logFile(String name) {
    Path dir = projectDir().resolve("smoke-tests/target/smoke-logs");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.resolve(name);
  }

  private static Path built(Path jar) {
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build it first with ./mvnw install -DskipTests");
    return jar;
  }
}
