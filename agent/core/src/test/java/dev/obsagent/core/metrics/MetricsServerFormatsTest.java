package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.core.logging.AgentLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the side port answers, by path and by Accept header. */
class MetricsServerFormatsTest {

  private static final String PROMETHEUS_2_ACCEPT =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
          + "text/plain;version=0.0.4;q=0.3,*/*;q=0.1";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private MetricsServer server;

  @BeforeEach
  void start() {
    new AgentMetrics(registry, 10).info("obs_agent_info", "test", Map.of("version", "t"));
    AgentLog log = new AgentLog(AgentLog.Level.WARN, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    server = MetricsServer.start("127.0.0.1", 0, registry, log);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aScraperOfferingProtobufGetsTheTextFormat() throws IOException {
    Answer answer = get("/metrics", PROMETHEUS_2_ACCEPT);
    assertEquals(200, answer.status);
    assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.contentType);
    assertTrue(answer.body.contains("obs_agent_info{version=\"t\"} 1"), answer.body);

    Answer protobufOnly = get("/metrics", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
    assertEquals(200, protobufOnly.status);
    assertTrue(protobufOnly.body.contains("obs_agent_info{version=\"t\"} 1"), protobufOnly.body);
  }

  @Test
  void openMetricsWhenAskedFor() throws IOException {
    Answer answer = get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertEquals(200, answer.status);
    assertTrue(answer.contentType.startsWith("application/openmetrics-text; version=1.0.0"), answer.contentType);
    assertTrue(answer.body.endsWith("# EOF\n"), answer.body);
  }

  @Test
  void healthRootAndUnknownPaths() throws IOException {
    assertEquals(200, get("/-/healthy", null).status);
    Answer root = get("/", null);
    assertEquals(200, root.status);
    assertEquals("obs-agent side port: /metrics (Prometheus text or OpenMetrics), /-/healthy\n", root.body);
    assertEquals(404, get("/admin", null).status);
  }

  private static final class Answer {
    final int status;
    final String contentType;
    final String body;

    Answer(int status, String contentType, String body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }
  }

  private Answer get(String path, String accept) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + path).openConnection();
    if (accept != null) {
      connection.setRequestProperty("Accept", accept);
    }
    int status = connection.getResponseCode();
    InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    String contentType = connection.getContentType();
    connection.disconnect();
    return new Answer(status, contentType, body);
  }
}
