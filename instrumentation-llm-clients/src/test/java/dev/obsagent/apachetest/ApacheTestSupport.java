package dev.obsagent.apachetest;

// Outside dev.obsagent.instrumentation.*, which the agent never weaves: these are application classes.

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/** The agent, a plain loopback server and a resolver that sends provider host names to loopback. */
final class ApacheTestSupport {

  static final String HTTP_HISTOGRAM = "http_client_request_duration_seconds";

  private ApacheTestSupport() {}

  static InProcessAgent agent() {
    return InProcessAgent.install(Map.of());
  }

  static Tracer testTracer() {
    return agent().runtime().tracing().openTelemetry().getTracer("apache-test");
  }

  /**
   * Resolves every {@code *.test} name and the providers' public API hosts to loopback, so the
   * client sends to the local servers while the agent sees real host names.
   */
  static final DnsResolver LOOPBACK_DNS =
      new SystemDefaultDnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
          if (host.endsWith(".test") || host.endsWith(".com") || host.endsWith(".ai")) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
          }
          return super.resolve(host);
        }
      };

  static double httpCount(String method, String host, String status, String errorType) {
    return agent().scrape().value(HTTP_HISTOGRAM + "_count",
        labels("http_request_method", method, "server_address", host, "http_response_status_code", status,
            "error_type", errorType));
  }

  /** The agent's own failures in this instrumentation: there must be none. */
  static void assertNoInstrumentationErrors() {
    assertEquals(0, agent().scrape().value("obs_agent_instrumentation_errors_total",
        labels("instrumentation", "apache-httpclient")), "obs_agent_instrumentation_errors_total");
  }

  static List<SpanData> awaitSpans(Predicate<List<SpanData>> condition) {
    return agent().awaitSpans(condition, Duration.ofSeconds(10));
  }

  static List<SpanData> clientSpans(String name) {
    return agent().spans().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT && s.getName().equals(name))
        .collect(Collectors.toList());
  }

  static SpanData onlySpan(String name) {
    List<SpanData> spans = awaitSpans(s -> s.stream().anyMatch(x -> x.getName().equals(name)));
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
    assertEquals(1, named.size(), "one span named " + name + ": " + spans);
    return named.get(0);
  }

  /**
   * The header a server gets from this span without its flags ({@code 01}, or {@code 03} with
   * the W3C random-trace-id flag): {@code 00-<trace id>-<span id>}.
   */
  static String traceparentOf(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId();
  }

  /** The received header without its flags, or null. */
  static String withoutFlags(String traceparent) {
    return traceparent == null || traceparent.length() < 55 ? traceparent : traceparent.substring(0, 52);
  }

  /** A JDK HTTP server for the plain HTTP cases; records each request's path and traceparent. */
  static final class PlainServer implements AutoCloseable {
    final HttpServer server;
    final ExecutorService executor = Executors.newCachedThreadPool();
    final List<String[]> received = new CopyOnWriteArrayList<>();

    PlainServer() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(executor);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        received.add(new String[] {path, exchange.getRequestHeaders().getFirst("traceparent"),
            exchange.getRequestHeaders().getFirst("X-App")});
        switch (path) {
          case "/redirect":
            exchange.getResponseHeaders().set("Location", "/hello");
            exchange.sendResponseHeaders(302, -1);
            return;
          case "/missing":
            send(exchange, 404, "no such thing");
            return;
          case "/boom":
            send(exchange, 500, "boom");
            return;
          default:
            send(exchange, 200, "hello from " + path);
        }
      } finally {
        exchange.close();
      }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
