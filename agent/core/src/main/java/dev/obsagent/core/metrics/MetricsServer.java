package dev.obsagent.core.metrics;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.logging.AgentLog;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.exporter.httpserver.HealthyHandler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The side port: {@code /metrics} (text or OpenMetrics) and {@code /-/healthy}, on the JDK's
 * HTTP server with the Prometheus client's handlers.
 */
public final class MetricsServer implements AutoCloseable {

  private static final byte[] INDEX =
      "obs-agent side port: /metrics (Prometheus text or OpenMetrics), /-/healthy\n".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final SidePortExecutor executor;
  private final boolean https;

  private MetricsServer(HttpServer server, SidePortExecutor executor, boolean https) {
    this.server = server;
    this.executor = executor;
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
      InetSocketAddress address = new InetSocketAddress(host, port);
      HttpServer server;
      if (access.https() != null) {
        HttpsServer httpsServer = HttpsServer.create(address, 0);
        httpsServer.setHttpsConfigurator(access.https());
        server = httpsServer;
      } else {
        server = HttpServer.create(address, 0);
      }
      Authenticator authenticator = access.authenticator();
      context(server, "/metrics", new TextOnlyMetricsHandler(new MetricsHandler(registry)), authenticator);
      context(server, SidePortAccess.HEALTH_PATH, new HealthyHandler(), authenticator);
      context(server, "/", MetricsServer::index, authenticator);
      SidePortExecutor executor = new SidePortExecutor();
      server.setExecutor(executor);
      server.start();
      return new MetricsServer(server, executor, access.https() != null);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot serve metrics on " + host + ":" + port + " (" + describe(e) + "); metrics endpoint disabled");
      return null;
    }
  }

  private static void context(HttpServer server, String path, HttpHandler handler, Authenticator authenticator) {
    server.createContext(path, handler).setAuthenticator(authenticator);
  }

  /** Anything but the two endpoints: a line saying where they are (404 away from the root). */
  private static void index(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      boolean root = "/".equals(exchange.getRequestURI().getPath());
      exchange.sendResponseHeaders(root ? 200 : 404, INDEX.length);
      exchange.getResponseBody().write(INDEX);
    } finally {
      exchange.close();
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
