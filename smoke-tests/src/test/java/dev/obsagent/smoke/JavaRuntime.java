package dev.obsagent.smoke;

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
