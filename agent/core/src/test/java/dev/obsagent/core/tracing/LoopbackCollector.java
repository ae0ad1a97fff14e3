package dev.obsagent.core.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An OTLP collector on loopback for the export tests: it keeps every request to {@code
 * /v1/traces} and answers the given statuses in turn, then 200, each with the body "ok".
 */
final class LoopbackCollector implements AutoCloseable {

  /** One request as the collector saw it. */
  static final class Request {
    final String method;
    final Map<String, List<String>> headers;
    final byte[] body;
    /** The client's address and port: the same for requests over one kept-alive connection. */
    final String client;

    Request(String method, Map<String, List<String>> headers, byte[] body, String client) {
      this.method = method;
      this.headers = headers;
      this.body = body;
      this.client = client;
    }

    /** The header's first value, whatever the case of its name; null when absent. */
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  final List<Request> received = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
  private final HttpServer server;

  private LoopbackCollector(Integer... statuses) throws IOException {
    Collections.addAll(answers, statuses);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        received.add(new Request(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()),
            in.readAllBytes(), exchange.getRemoteAddress().toString()));
        int status = answers.isEmpty() ? 200 : answers.remove(0);
        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  static LoopbackCollector start(Integer... statuses) throws IOException {
    return new LoopbackCollector(statuses);
  }

  URI tracesUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
