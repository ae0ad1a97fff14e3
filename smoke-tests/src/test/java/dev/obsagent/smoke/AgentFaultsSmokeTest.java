package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.NOTHING_YET;
import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CONTRACT.md "Behaviour under bad input and faults": a bad setting or a busy port costs one
 * clear log line and the affected feature, never the application. These tests are about the
 * agent, not the app, so they use the lightest one (the javax app), one JVM per test.
 */
class AgentFaultsSmokeTest {

  /** How long "nothing was exported" is watched, after the request's metrics showed up. */
  private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

  private FakeOtlpBackend backend;
  private AppProcess app;

  @BeforeEach
  void startBackend() {
    backend = FakeOtlpBackend.start();
  }

  @AfterEach
  void stopAppAndBackend() {
    if (app != null) {
      app.close();
    }
    backend.close();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "obs.metrics.max-series,    abc,       true",
    "obs.log.level,             loud,      true",
    "obs.servlet.exclude-paths, health,    true",
    "otel.traces.sampler,       sometimes, true",
    // An unknown key is named; its value means nothing, so it need not be repeated.
    "obs.nope,                  1,         false",
  })
  void unusableSettingIsOneWarningAndEverythingElseWorks(String key, String value, boolean namesValue) {
    start("bad-setting-" + key, AgentArgs.exportingTo(backend).with(key, value));

    app.startLine();
    List<String> warnings = app.agentLog("WARN");
    assertEquals(1, warnings.size(), "WARN lines: " + warnings);
    assertTrue(warnings.get(0).contains(key), warnings.get(0));
    if (namesValue) {
      assertTrue(warnings.get(0).contains(value), warnings.get(0));
    }
    assertEquals(List.of(), app.agentLog("ERROR"));
    assertHelloIsMeasured();
    assertHelloIsTraced();
  }

  @Test
  void busyMetricsPortIsOneWarningAndTheRestWorks() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      int port = taken.getLocalPort();
      start("metrics-port-in-use", AgentArgs.exportingTo(backend).with("obs.metrics.port", port));

      assertTrue(app.startLine().contains("; metrics: off;"), app.startLine());
      List<String> warnings = app.agentLog("WARN");
      assertEquals(1, warnings.size(), "WARN lines: " + warnings);
      assertTrue(warnings.get(0).contains("0.0.0.0") && warnings.get(0).contains(String.valueOf(port)), warnings.get(0));
      assertEquals(200, app.get("/hello").statusCode());
      assertHelloIsTraced();
    }
  }

  @Test
  void unsupportedOtlpProtocolIsOneErrorAndOnlyTracesAreOff() {
    start("otlp-grpc", AgentArgs.exportingTo(backend).with("otel.exporter.otlp.protocol", "grpc"));

    app.startLine();
    List<String> errors = app.agentLog("ERROR");
    assertEquals(1, errors.size(), "ERROR lines: " + errors);
    assertTrue(errors.get(0).contains("otel.exporter.otlp.protocol") && errors.get(0).contains("grpc"), errors.get(0));
    assertEquals(List.of(), app.agentLog("WARN"));
    assertHelloIsMeasured();
    Poll.holdsFor("nothing exported", QUIET_PERIOD, () -> backend.exportRequests() == 0);
  }

  @Test
  void disabledAgentPrintsNothingOpensNoPortAndExportsNothing() {
    int port = freePort();
    start("disabled", AgentArgs.exportingTo(backend).with("obs.enabled", "false").with("obs.metrics.port", port));

    assertEquals(200, app.get("/hello").statusCode());
    assertEquals(List.of(), app.agentLog());
    assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(), "side port open");
    Poll.holdsFor("nothing exported", QUIET_PERIOD, () -> backend.exportRequests() == 0);
  }

  /**
   * The agent jar is on the bootstrap class path once the agent starts, so a launcher class that
   * the system class loader first asks for after that point comes from the bootstrap loader and
   * cannot be used. With the verifier on, linking happens to load every launcher class early;
   * with it off (a JVM option some users set for start-up time), classes load only when first used.
   */
  @Test
  void startsWithBytecodeVerificationOff() {
    app =
        AppProcess.start(
            getClass().getSimpleName() + "-no-verification",
            JavaRuntime.current(),
            Artifacts.javaxApp(),
            AgentArgs.exportingTo(backend),
            Map.of(),
            List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote"));

    assertTrue(app.startLine().contains("instrumentations: servlet"), app.startLine());
    assertEquals(List.of(), app.agentLog("ERROR"));
    assertHelloIsMeasured();
    assertHelloIsTraced();
  }

  private void start(String name, AgentArgs agentArgs) {
    app = AppProcess.start(getClass().getSimpleName() + "-" + name, JavaRuntime.current(), Artifacts.javaxApp(), agentArgs);
  }

  private void assertHelloIsMeasured() {
    assertEquals(200, app.get("/hello").statusCode());
    awaitCountIncrease(app, NOTHING_YET, series("GET", "/hello", "200", ""), 1);
  }

  private void assertHelloIsTraced() {
    assertEquals(200, app.get("/hello").statusCode());
    backend.awaitSpan("GET /hello", span -> span.name().equals("GET /hello"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
