package dev.obsagent.smoke;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP collector on loopback that can be switched, while the agent exports to it, into
 * the ways real collectors fail. It speaks HTTP/1.1 on a plain socket, so it can also do what an
 * HTTP server library would not: stop listening on its port and come back on the same one, or
 * reset a connection in the middle of a request.
 */
final class FaultyCollector implements AutoCloseable {

  enum Mode {
    /** Accepts every export (200). */
    HEALTHY,
    /** Nothing listens on the port: connections are refused. */
    DOWN,
    /** Reads the export, then answers 200 only after {@link #SLOW_ANSWER_MILLIS}. */
    SLOW,
    /** Reads the export and answers 500 to every one. */
    ERROR_500,
    /** Reads the request headers, then resets the connection (RST) before any answer. */
    RESET
  }

  /** How long a slow collector takes per export: a few seconds, well under the 10 s export timeout. */
  static final long SLOW_ANSWER_MILLIS = 4_000;

  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<String> watchedTraces = ConcurrentHashMap.newKeySet();
  private final Set<String> arrivedTraces = ConcurrentHashMap.newKeySet();
  private final AtomicLong exportRequests = new AtomicLong();
  private final AtomicLong acceptedSpans = new AtomicLong();
  private volatile Mode mode = Mode.HEALTHY;
  private volatile ServerSocket server;
  private volatile boolean closed;

  private FaultyCollector(ServerSocket server) {
    this.server = server;
    this.port = server.getLocalPort();
  }

  static FaultyCollector start() {
    FaultyCollector collector = new FaultyCollector(bind(0));
    collector.acceptOn(collector.server);
    return collector;
  }

  /** The base URL for {@code otel.exporter.otlp.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  Mode mode() {
    return mode;
  }

  /**
   * Switches the failure mode. {@link Mode#DOWN} closes the port and every open connection, as a
   * collector that went away; any other mode after it listens on the same port again.
   */
  synchronized void mode(Mode next) {
    if (next == Mode.DOWN && mode != Mode.DOWN) {
      mode = next;
      closeQuietly(server);
      open.forEach(FaultyCollector::closeQuietly);
    } else if (next != Mode.DOWN && mode == Mode.DOWN) {
      server = bind(port);
      mode = next;
      acceptOn(server);
    } else {
      mode = next;
    }
  }

  /** Export requests that reached the collector in any mode (a reset one counts once its headers are read). */
  long exportRequests() {
    return exportRequests.get();
  }

  /** Spans in exports that were answered 200. */
  long acceptedSpans() {
    return acceptedSpans.get();
  }

  /** Spans of this trace will be noted when an export carrying them is accepted. */
  void watch(TraceContext trace) {
    watchedTraces.add(trace.traceId());
  }

  /** Whether an accepted export carried a span of a watched trace; forgets the traces watched so far. */
  boolean anyWatchedTraceArrived() {
    boolean arrived = !arrivedTraces.isEmpty();
    if (arrived) {
      watchedTraces.clear();
      arrivedTraces.clear();
    }
    return arrived;
  }

  private static ServerSocket bind(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  private void acceptOn(ServerSocket listening) {
    Thread acceptor = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          Socket socket = listening.accept();
          open.add(socket);
          Thread connection = new Thread(() -> serve(socket), "faulty-collector-connection");
          connection.setDaemon(true);
          connection.start();
        } catch (IOException e) {
          return; // closed: DOWN or close()
        }
      }
    }, "faulty-collector-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Serves HTTP/1.1 requests on one kept-alive connection until it closes. */
  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        exportRequests.incrementAndGet();
        Mode now = mode;
        if (now == Mode.RESET || now == Mode.DOWN) {
          socket.setSoLinger(true, 0); // close() now sends RST
          return;
        }
        byte[] body = readBody(in, head);
        if (now == Mode.ERROR_500) {
          respond(out, "500 Internal Server Error", "text/plain", "collector failure".getBytes(StandardCharsets.UTF_8));
          continue;
        }
        if (now == Mode.SLOW) {
          Thread.sleep(SLOW_ANSWER_MILLIS);
        }
        accept(head, body);
        respond(out, "200 OK", "application/x-protobuf", new byte[0]);
      }
    } catch (IOException e) {
      // the client went away, or DOWN closed the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  private void accept(String head, byte[] body) throws IOException {
    InputStream data = new ByteArrayInputStream(body);
    if (header(head, "content-encoding").equalsIgnoreCase("gzip")) {
      data = new GZIPInputStream(data);
    }
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(data);
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          acceptedSpans.incrementAndGet();
          String traceId = HexFormat.of().formatHex(span.getTraceId().toByteArray());
          if (watchedTraces.contains(traceId)) {
            arrivedTraces.add(traceId);
          }
        }
      }
    }
  }

  private static void respond(OutputStream out, String status, String contentType, byte[] body) throws IOException {
    String head = "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** The request line and headers, or null at the end of the stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too large");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] readBody(InputStream in, String head) throws IOException {
    String length = header(head, "content-length");
    if (!length.isEmpty()) {
      return in.readNBytes(Integer.parseInt(length.trim()));
    }
    if (header(head, "transfer-encoding").equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
        if (size == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    }
    return new byte[0];
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(FaultyCollector::closeQuietly);
  }
}
