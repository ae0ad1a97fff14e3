package dev.obsagent.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where both agents send their spans: a loopback HTTP server that reads every OTLP export
 * request and answers 200 with an empty body (a valid empty ExportTraceServiceResponse), without
 * decoding anything, so that it costs the machine next to nothing. It counts what arrives, which
 * shows that tracing was really on in each arm.
 */
final class OtlpSink implements AutoCloseable {

  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  OtlpSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::receive); // /v1/traces, and /v1/metrics or /v1/logs if ever sent
    server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "otlp-sink");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
  }

  /** For {@code otel.exporter.otlp.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long requests() {
    return requests.get();
  }

  long bytes() {
    return bytes.get();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      long received = 0;
      byte[] buffer = new byte[16 * 1024];
      try (InputStream body = exchange.getRequestBody()) {
        for (int n; (n = body.read(buffer)) >= 0; ) {
          received += n;
        }
      }
      if ("POST".equals(exchange.getRequestMethod())) {
        requests.incrementAndGet();
        bytes.addAndGet(received);
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      } else {
        exchange.sendResponseHeaders(405, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
