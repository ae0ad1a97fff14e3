package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.Scrape;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An application that bundles older, unrelocated copies of the agent's own libraries
 * (OpenTelemetry SDK, Prometheus client, Byte Buddy) and uses them: with the agent attached,
 * the app must still get its own versions, its own global OpenTelemetry and its own registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConflictAppSmokeTest {

  private static final Pattern RESULT_LINE = Pattern.compile("CONFLICT_APP_(OK|FAILED).*");
  private static final Pattern APP_METRICS_PORT = Pattern.compile("CONFLICT_APP_METRICS_PORT=(\\d+)");

  private FakeOtlpBackend backend;
  private AppProcess app;

  @BeforeAll
  void startApp() {
    backend = FakeOtlpBackend.start();
    app = AppProcess.start(
        getClass().getSimpleName(), JavaRuntime.current(), Artifacts.conflictApp(), AgentArgs.exportingTo(backend));
  }

  @AfterAll
  void stopApp() {
    if (app != null) {
      app.close();
    }
    backend.close();
  }

  @Test
  void appsOwnLibrariesWorkAtTheirOwnVersions() {
    String expected =
        "CONFLICT_APP_OK otel=" + System.getProperty("conflict.opentelemetry.version")
            + " spans=1 prometheus=ok bytebuddy=ok";
    assertEquals(expected, app.awaitStdout(RESULT_LINE).group());
  }

  @Test
  void agentStartsQuietlyAndServesItsMetrics() {
    assertEquals(List.of(app.startLine()), app.agentLog(), "the agent's only log line");
    Scrape agent = app.scrape();
    assertEquals(1, agent.find("obs_agent_info", Map.of()).size(), "obs_agent_info");
    assertEquals(1, agent.find("jvm_threads_current", Map.of()).size(), "JVM metrics");
  }

  @Test
  void appAndAgentRegistriesStayApart() {
    int appMetricsPort = Integer.parseInt(app.awaitStdout(APP_METRICS_PORT).group(1));
    HttpResponse<String> response = Http.get("http://127.0.0.1:" + appMetricsPort + "/metrics");
    assertEquals(200, response.statusCode());
    Scrape own = Scrape.parse(response.body());
    assertEquals(1, own.value("conflict_app_runs_total", Map.of()));
    assertEquals(List.of(), own.find("obs_agent_info", Map.of()), "the agent's metrics in the app's registry");
    assertEquals(List.of(), app.scrape().find("conflict_app_runs_total", Map.of()), "the app's metrics at the agent");
  }
}
