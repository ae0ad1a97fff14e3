package dev.obsagent.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for an OpenTelemetry collector: accepts OTLP/HTTP protobuf on
 * {@code POST /v1/traces} at 127.0.0.1 and keeps every span it receives.
 */
final class FakeOtlpBackend implements AutoCloseable {

  private final HttpServer server;
  private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<byte[]> requestBodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger exportRequests = new AtomicInteger();

  private FakeOtlpBackend(HttpServer server) {
    this.server = server;
  }

  static FakeOtlpBackend start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeOtlpBackend backend = new FakeOtlpBackend(server);
      server.createContext("/v1/traces", backend::receive);
      server.start();
      return backend;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL for {@code otel.exporter.otlp.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Export requests received, spans or not. */
  int exportRequests() {
    return exportRequests.get();
  }

  List<ExportedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The protobuf bytes of every export request received (after gzip decoding), in order. */
  List<byte[]> requestBodies() {
    return List.copyOf(requestBodies);
  }

  /** Waits for the first span that matches. */
  ExportedSpan awaitSpan(String what, Predicate<ExportedSpan> matching) {
    return awaitSpans(what, matching, 1).get(0);
  }

  /** Waits for the SERVER span that the request sent with this trace context produced. */
  ExportedSpan awaitServerSpan(TraceContext caller) {
    return awaitSpan(
        "SERVER span in trace " + caller.traceId(),
        span -> span.traceId().equals(caller.traceId()) && span.kind() == Span.SpanKind.SPAN_KIND_SERVER);
  }

  /**
   * The spans received so far whose parent is this span, in the order they arrived. Call it once
   * the parent has arrived: the agent exports spans in the order they end, and a child ends
   * before its parent, so every child is in by then, and children that ran one after the other
   * on one thread (the statements of a request) are in the order they ran.
   */
  List<ExportedSpan> childrenOf(ExportedSpan parent) {
    return spans.stream()
        .filter(span -> span.traceId().equals(parent.traceId()) && span.parentSpanId().equals(parent.spanId()))
        .collect(Collectors.toList());
  }

  /** Waits until at least this many spans match, and returns them all. */
  List<ExportedSpan> awaitSpans(String what, Predicate<ExportedSpan> matching, int count) {
    return Poll.until(
        count + " span(s): " + what,
        () -> spans.stream().filter(matching).collect(Collectors.toList()),
        found -> found.size() >= count);
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      byte[] bytes = body.readAllBytes();
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
      requestBodies.add(bytes);
      exportRequests.incrementAndGet();
      spans.addAll(ExportedSpan.from(request));
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.getResponseBody().write(response);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
