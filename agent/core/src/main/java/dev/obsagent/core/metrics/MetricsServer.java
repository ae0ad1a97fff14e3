package dev.obsagent.core.metrics;

import dev.obsagent.core.logging.AgentLog;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The side port: {@code /metrics} (text or OpenMetrics) and {@code /-/healthy}. */
public final class MetricsServer implements AutoCloseable {

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts serving; on failure (port taken, bad host) logs one warning naming host and port and
   * returns null: the application runs on without a metrics endpoint.
   */
  public static MetricsServer start(String host, int port, PrometheusRegistry registry, AgentLog log) {
    try {
      HTTPServer server =
          HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
      return new MetricsServer(server);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot serve metrics on " + host + ":" + port + " (" + describe(e) + "); metrics endpoint disabled");
      return null;
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
