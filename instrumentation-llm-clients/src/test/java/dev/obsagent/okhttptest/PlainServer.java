package dev.obsagent.okhttptest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server for the plain (non-LLM) cases: {@code /hello} answers 200,
 * {@code /redirect} sends a 302 to {@code /hello}, {@code /status/<code>} answers that status.
 * It records the path and headers of every request.
 */
public final class PlainServer implements AutoCloseable {

  /** One request as the server got it; header names in lower case. */
  public static final class Got {
    public final String path;
    public final Map<String, List<String>> headers;

    Got(String path, Map<String, List<String>> headers) {
      this.path = path;
      this.headers = headers;
    }

    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  private final HttpServer server;
  public final List<Got> received = new CopyOnWriteArrayList<>();

  public PlainServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      exchange.getRequestBody().readAllBytes();
      Map<String, List<String>> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
      String path = exchange.getRequestURI().getPath();
      received.add(new Got(path, headers));
      if (path.equals("/redirect")) {
        exchange.getResponseHeaders().set("Location", "/hello");
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      int status = path.startsWith("/status/") ? Integer.parseInt(path.substring("/status/".length())) : 200;
      byte[] body = (path.equals("/hello") ? "hello" : "status " + status).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  /** A loopback port nothing listens on. */
  public static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
