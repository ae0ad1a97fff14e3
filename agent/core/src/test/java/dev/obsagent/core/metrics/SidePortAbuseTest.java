package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.core.logging.AgentLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Malformed and hostile requests to the side port leave it answering scrapes. */
class SidePortAbuseTest {

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
  void garbageAndHugeHeadersAreRefusedAndScrapesGoOn() throws IOException {
    for (byte[] request : List.of(
        "\u0000\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
        ("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2_000_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
        "GET /metrics HTTP/1.1\r\nContent-Length: -5\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        try {
          out.write(request);
          out.flush();
          socket.getInputStream().read(); // whatever it answers, or a closed connection
        } catch (IOException closedOnUs) {
          // the server may reset a connection it refuses: that is fine
        }
      }
      assertScrapeWorks();
    }
  }

  @Test
  void slowClientsHoldingConnectionsOpenDoNotStarveScrapes() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      for (int i = 0; i < 3; i++) {
        assertScrapeWorks();
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  private void assertScrapeWorks() throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + "/metrics").openConnection();
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(10_000);
    assertEquals(200, connection.getResponseCode());
    try (InputStream in = connection.getInputStream()) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("obs_agent_info{version=\"t\"} 1"));
    }
  }
}
