package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion, its stdout and stderr merged, and checks the exit code. */
final class Command {

  /** What a program said and how it ended. */
  record Result(List<String> command, int exitCode, String output) {

    /** Fails, printing the whole command and output, unless the program exited 0. */
    Result assertSuccess() {
      if (exitCode != 0) {
        fail("exit code " + exitCode + " from: " + String.join(" ", command) + "\n" + output);
      }
      return this;
    }
  }

  private Command() {}

  static Result run(Path workDir, List<String> command) {
    try {
      // Into a file, not a pipe: a program that fills a pipe nobody reads would never end.
      Path log = Files.createTempFile("command", ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
          process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!ended) {
          fail("timed out after 60 s: " + String.join(" ", command) + "\n" + output);
        }
        return new Result(command, process.exitValue(), output);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }
}
