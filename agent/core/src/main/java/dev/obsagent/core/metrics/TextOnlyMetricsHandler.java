package dev.obsagent.core.metrics;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Serves {@code /metrics} through the Prometheus client's handler, as Prometheus text or
 * OpenMetrics. The agent leaves out the client's protobuf format (6.5 MB of classes for a format
 * the side port does not need), so a scraper that offers protobuf among its Accept types is
 * answered in text: the protobuf types are taken out of the Accept header the handler sees.
 */
final class TextOnlyMetricsHandler implements HttpHandler {

  private static final String PROTOBUF = "application/vnd.google.protobuf";

  private final HttpHandler metrics;

  TextOnlyMetricsHandler(HttpHandler metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    List<String> accept = exchange.getRequestHeaders().get("Accept");
    if (accept != null && accept.stream().anyMatch(value -> value.contains(PROTOBUF))) {
      metrics.handle(new AcceptFiltered(exchange, withoutProtobuf(exchange.getRequestHeaders())));
    } else {
      metrics.handle(exchange);
    }
  }

  /** A copy of the headers whose Accept lists every media type but the protobuf ones. */
  static Headers withoutProtobuf(Headers original) {
    Headers copy = new Headers();
    for (Map.Entry<String, List<String>> header : original.entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Accept")) {
        copy.put(header.getKey(), header.getValue());
        continue;
      }
      StringBuilder kept = new StringBuilder();
      for (String value : header.getValue()) {
        for (String type : value.split(",")) {
          if (!type.contains(PROTOBUF)) {
            kept.append(kept.length() == 0 ? "" : ",").append(type.trim());
          }
        }
      }
      if (kept.length() > 0) {
        copy.add("Accept", kept.toString());
      }
    }
    return copy;
  }

  /** The exchange as it is, but for its request headers. */
  private static final class AcceptFiltered extends HttpExchange {
    private final HttpExchange exchange;
    private final Headers requestHeaders;

    AcceptFiltered(HttpExchange exchange, Headers requestHeaders) {
      this.exchange = exchange;
      this.requestHeaders = requestHeaders;
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return exchange.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
      return exchange.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
      return exchange.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
      return exchange.getHttpContext();
    }

    @Override
    public void close() {
      exchange.close();
    }

    @Override
    public InputStream getRequestBody() {
      return exchange.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
      return exchange.getResponseBody();
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      exchange.sendResponseHeaders(code, length);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return exchange.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
      return exchange.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return exchange.getLocalAddress();
    }

    @Override
    public String getProtocol() {
      return exchange.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
      return exchange.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      exchange.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
      exchange.setStreams(in, out);
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return exchange.getPrincipal();
    }
  }
}
