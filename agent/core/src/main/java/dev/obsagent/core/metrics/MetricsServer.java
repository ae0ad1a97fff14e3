package dev.obsagent.core.metrics;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.logging.AgentLog;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The side port: {@code /metrics} (text or OpenMetrics) and {@code /-/healthy}. */
public final class MetricsServer implements AutoCloseable {

  private final HTTPServer server;
  private final boolean https;

  private MetricsServer(HTTPServer server, boolean https) {
    this.server = server;
    this.https = https;
  }

  /** {@code http} or {@code https}. */
  public String scheme() {
    return https ? "https" : "http";
  }

  /**
   * Starts serving with the access settings of {@code obs.metrics.auth.*} and
   * {@code obs.metrics.tls.*}; on failure (port taken, bad host, unusable access settings) logs
   * one warning and returns null: the application runs on without a metrics endpoint.
   */
  public static MetricsServer start(AgentConfig config, String host, int port, PrometheusRegistry registry, AgentLog log) {
    String[] problem = new String[1];
    SidePortAccess access = SidePortAccess.fromConfig(config, problem);
    if (access == null) {
      log.warn(problem[0] + "; the metrics endpoint stays closed");
      return null;
    }
    return start(access, host, port, registry, log);
  }

  /** Plain HTTP, open to all. */
  public static MetricsServer start(String host, int port, PrometheusRegistry registry, AgentLog log) {
    return start(SidePortAccess.OPEN, host, port, registry, log);
  }

  private static MetricsServer start(
      SidePortAccess access, String host, int port, PrometheusRegistry registry, AgentLog log) {
    try {
      HTTPServer.Builder builder =
          HTTPServer.builder().hostname(host).port(port).registry(registry)
              .executorService(new SidePortExecutor())
              .authenticator(access.authenticator());
      if (access.https() != null) {
        builder.httpsConfigurator(access.https());
      }
      return new MetricsServer(builder.buildAndStart(), access.https() != null);
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
