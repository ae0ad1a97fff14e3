package dev.obsagent.instrumentation.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that answers LLM API paths with fixture bodies, the way the provider
 * would: a JSON body in one piece, or a stream sent event by event with flushes in between.
 * It records every request it got (path, headers, body), so tests can check what the client
 * really sent: the {@code traceparent} header, and that the body reached the server unchanged.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *   server.answer("/v1/chat/completions", FakeLlmServer.Reply.json(Fixtures.bytes("openai/chat.json")));
 *   ... point the SDK at server.baseUrl() + "/v1" ...
 * }
 * }</pre>
 */
public final class FakeLlmServer implements AutoCloseable {

  /** What the server got. Header names are lower case. */
  public static final class Received {
    public final String method;
    public final String path;
    public final String query;
    public final Map<String, List<String>> headers;
    public final byte[] body;

    Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.headers = headers;
      this.body = body;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One canned answer. */
  public static final class Reply {
    final int status;
    final String contentType;
    final String contentEncoding;
    final byte[][] chunks;
    final long pauseMillis;

    private Reply(int status, String contentType, String contentEncoding, byte[][] chunks, long pauseMillis) {
      this.status = status;
      this.contentType = contentType;
      this.contentEncoding = contentEncoding;
      this.chunks = chunks;
      this.pauseMillis = pauseMillis;
    }

    /** A whole body with a Content-Length. */
    public static Reply json(byte[] body) {
      return new Reply(200, "application/json", null, new byte[][] {body}, 0);
    }

    public static Reply of(int status, String contentType, byte[] body) {
      return new Reply(status, contentType, null, new byte[][] {body}, 0);
    }

    /**
     * A streamed body (chunked transfer encoding) split at blank lines (SSE events) or newlines
     * (NDJSON), each piece flushed, with {@code pauseMillis} between pieces so time to first
     * chunk differs from the duration.
     */
    public static Reply stream(String contentType, byte[] body, long pauseMillis) {
      String text = new String(body, StandardCharsets.ISO_8859_1); // byte-preserving
      String separator = contentType.contains("event-stream") ? "\n\n" : "\n";
      List<byte[]> pieces = new java.util.ArrayList<>();
      int from = 0;
      while (from < text.length()) {
        int end = text.indexOf(separator, from);
        end = end < 0 ? text.length() : end + separator.length();
        pieces.add(text.substring(from, end).getBytes(StandardCharsets.ISO_8859_1));
        from = end;
      }
      return new Reply(200, contentType, null, pieces.toArray(new byte[0][]), pauseMillis);
    }

    /** The same body as given, sent in these exact pieces. */
    public static Reply chunks(String contentType, long pauseMillis, byte[]... chunks) {
      return new Reply(200, contentType, null, chunks, pauseMillis);
    }

    /** This reply with {@code Content-Encoding: gzip} and its body compressed. */
    public Reply gzipped() {
      java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
      for (byte[] chunk : chunks) {
        whole.writeBytes(chunk);
      }
      return new Reply(status, contentType, "gzip", new byte[][] {Fixtures.gzip(whole.toByteArray())}, 0);
    }

    /** The exact bytes the client should read, decoded, in one array. */
    public byte[] bytes() {
      java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
      for (byte[] chunk : chunks) {
        whole.writeBytes(chunk);
      }
      return whole.toByteArray();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private FakeLlmServer(HttpServer server) {
    this.server = server;
  }

  public static FakeLlmServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeLlmServer fake = new FakeLlmServer(server);
    server.createContext("/", fake::handle);
    server.setExecutor(fake.executor);
    server.start();
    return fake;
  }

  /** {@code http://127.0.0.1:<port>}, no trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Answers requests to this exact path (query string ignored) with {@code reply}. */
  public FakeLlmServer answer(String path, Reply reply) {
    replies.put(path, reply);
    return this;
  }

  public List<Received> received() {
    return received;
  }

  public Received lastReceived() {
    if (received.isEmpty()) {
      throw new AssertionError("the fake LLM server got no request");
    }
    return received.get(received.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, List<String>> headers = new java.util.TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
      String path = exchange.getRequestURI().getRawPath();
      received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), headers, body));
      Reply reply = replies.get(path);
      if (reply == null) {
        byte[] notFound = ("{\"error\":{\"message\":\"no fixture for " + path + "\"}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(404, notFound.length);
        exchange.getResponseBody().write(notFound);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", reply.contentType);
      if (reply.contentEncoding != null) {
        exchange.getResponseHeaders().set("Content-Encoding", reply.contentEncoding);
      }
      boolean whole = reply.chunks.length == 1 && reply.pauseMillis == 0;
      exchange.sendResponseHeaders(reply.status, whole ? reply.chunks[0].length : 0);
      OutputStream out = exchange.getResponseBody();
      for (int i = 0; i < reply.chunks.length; i++) {
        if (i > 0 && reply.pauseMillis > 0) {
          pause(reply.pauseMillis);
        }
        out.write(reply.chunks[i]);
        out.flush();
      }
    } finally {
      exchange.close();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
