package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One application in its own JVM, started as a user would start it:
 * {@code java -javaagent:obs-agent.jar=<args> -Ddemo.port=0 -jar app.jar}, or without the agent
 * for attaching it to the running JVM later. Its stdout and
 * stderr go to files under target/smoke-logs, which the tests read and which stay for debugging.
 */
final class AppProcess implements AutoCloseable {

  private static final Pattern APP_PORT = Pattern.compile("DEMO_PORT=(\\d+)");
  private static final Pattern START_LINE =
      Pattern.compile("\\[obs-agent] INFO obs-agent \\S+ started in .*; metrics: ([^;\\s]+); traces: .*");
  private static final Pattern METRICS_URL_PORT = Pattern.compile("http://[^:/]+:(\\d+)/metrics");
  private static final String AGENT_PREFIX = "[obs-agent] ";
  private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private Integer appPort;

  private AppProcess(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the jar on the given JDK with the agent attached. The name labels the log files, so
   * it should be unique in the suite. {@code -Ddemo.port=0} lets the test apps pick a free port.
   */
  static AppProcess start(String name, JavaRuntime java, Path jar, AgentArgs agentArgs) {
    return start(name, java, jar, agentArgs, Map.of());
  }

  /** As above, with these environment variables set (or replaced) for the application. */
  static AppProcess start(String name, JavaRuntime java, Path jar, AgentArgs agentArgs, Map<String, String> environment) {
    return start(name, java, jar, agentArgs, environment, List.of());
  }

  /** As above, with these JVM options (a fixed heap size, ...) before the jar. */
  static AppProcess start(
      String name, JavaRuntime java, Path jar, AgentArgs agentArgs, Map<String, String> environment, List<String> jvmOptions) {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-javaagent:" + Artifacts.agentJar() + "=" + agentArgs);
    return start(name, java, jar, options, environment);
  }

  /**
   * Starts the jar without the agent, with these JVM options: for attaching the agent later
   * ({@link #attach}).
   */
  static AppProcess startWithoutAgent(String name, JavaRuntime java, Path jar, String... jvmOptions) {
    return start(name, java, jar, List.of(jvmOptions), Map.of());
  }

  /** Without the agent, with these environment variables: the baseline a test compares against. */
  static AppProcess startWithoutAgent(String name, JavaRuntime java, Path jar, Map<String, String> environment) {
    return start(name, java, jar, List.of(), environment);
  }

  private static AppProcess start(
      String name, JavaRuntime java, Path jar, List<String> jvmOptions, Map<String, String> environment) {
    Path stdout = Artifacts.logFile(name + ".stdout.log");
    Path stderr = Artifacts.logFile(name + ".stderr.log");
    List<String> command = new ArrayList<>();
    command.add(java.executable().toString());
    command.addAll(jvmOptions);
    command.add("-Ddemo.port=0");
    command.add("-jar");
    command.add(jar.toString());
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      // Should the test JVM be killed before @AfterAll runs, the app must not outlive it.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      return new AppProcess(name, process, stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The process id, for attaching to the running JVM. */
  long pid() {
    return process.pid();
  }

  /** The application's HTTP port, once it listens (it prints {@code DEMO_PORT=<port>}). */
  int appPort() {
    if (appPort == null) {
      appPort = Integer.parseInt(awaitStdout(APP_PORT).group(1));
    }
    return appPort;
  }

  /** GETs a path of the application, with headers given as name, value, ... */
  HttpResponse<String> get(String pathAndQuery, String... headerNamesAndValues) {
    return Http.get("http://127.0.0.1:" + appPort() + pathAndQuery, headerNamesAndValues);
  }

  /** The agent's start-up line, once printed. */
  String startLine() {
    return awaitLine(stderr, START_LINE, "the agent's start line").group();
  }

  /** The agent's side port, as the start line reports it. */
  int metricsPort() {
    Matcher matcher = METRICS_URL_PORT.matcher(startLine());
    assertTrue(matcher.find(), "the agent serves no metrics: " + startLine());
    return Integer.parseInt(matcher.group(1));
  }

  /** The agent's /metrics in the Prometheus text format. */
  Scrape scrape() {
    HttpResponse<String> response = Http.get(metricsUrl());
    assertEquals(200, response.statusCode(), "GET /metrics");
    return Scrape.parse(response.body());
  }

  /** The agent's /metrics in OpenMetrics, the format that carries exemplars. */
  Scrape scrapeOpenMetrics() {
    HttpResponse<String> response = Http.get(metricsUrl(), "Accept", "application/openmetrics-text; version=1.0.0");
    assertEquals(200, response.statusCode(), "GET /metrics as OpenMetrics");
    assertEquals(OPEN_METRICS, response.headers().firstValue("Content-Type").orElse(""));
    return Scrape.parse(response.body());
  }

  private String metricsUrl() {
    return "http://127.0.0.1:" + metricsPort() + "/metrics";
  }

  /** The agent's log lines so far: the stderr lines that start with {@code [obs-agent]}. */
  List<String> agentLog() {
    return completeLines(stderr).stream().filter(line -> line.startsWith(AGENT_PREFIX)).collect(Collectors.toList());
  }

  /**
   * The lines the JVM, the application and the agent have written to standard error so far:
   * where the JVM prints its warnings ({@code WARNING: ...}).
   */
  List<String> stderrLines() {
    return completeLines(stderr);
  }

  /** The agent's log lines of one level ({@code WARN}, {@code ERROR}, ...). */
  List<String> agentLog(String level) {
    String prefix = AGENT_PREFIX + level + " ";
    return agentLog().stream().filter(line -> line.startsWith(prefix)).collect(Collectors.toList());
  }

  /** Waits for a stdout line matching the whole pattern. */
  MatchResult awaitStdout(Pattern pattern) {
    return awaitLine(stdout, pattern, "a stdout line matching " + pattern);
  }

  private MatchResult awaitLine(Path file, Pattern pattern, String what) {
    Optional<MatchResult> found =
        Poll.until(
            what + " from " + name,
            () -> {
              // Read the lines before checking liveness, so that the last words of an app
              // that printed and then exited are still seen.
              Optional<MatchResult> match = firstMatch(file, pattern);
              if (match.isEmpty()) {
                failIfGoneOrAgentFailed(what);
              }
              return match;
            },
            Optional::isPresent);
    return found.get();
  }

  /** Ends a wait at once when what it waits for cannot come any more. */
  private void failIfGoneOrAgentFailed(String what) {
    if (!process.isAlive()) {
      throw new AssertionError(
          name + " exited (" + process.exitValue() + ") before printing " + what + "; stderr:\n" + tail(stderr));
    }
    // The application runs on without a failed agent, but the agent will print nothing more.
    for (String line : agentLog("ERROR")) {
      if (line.contains("could not start")) {
        throw new AssertionError("the agent did not start in " + name + ": " + line);
      }
    }
  }

  private static Optional<MatchResult> firstMatch(Path file, Pattern pattern) {
    for (String line : completeLines(file)) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.matches()) {
        return Optional.of(matcher.toMatchResult());
      }
    }
    return Optional.empty();
  }

  /** The lines the process has finished writing; a line still being written is left out. */
  private static List<String> completeLines(Path file) {
    try {
      String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      int end = text.lastIndexOf('\n');
      return end < 0 ? List.of() : text.substring(0, end).lines().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(Path file) {
    List<String> lines = completeLines(file);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
