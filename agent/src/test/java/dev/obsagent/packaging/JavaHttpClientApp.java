package dev.obsagent.packaging;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JVM started with the agent by {@link NamedModuleWeavingIT}: one java.net.http call to a
 * server in the same process, then it prints the {@code traceparent} header the server received
 * ("none" without one). java.net.http sits in a named module, so its woven code can reach the
 * agent's bridge only when the weaver gave the module a read edge to the bridge's.
 */
public final class JavaHttpClientApp {

  private JavaHttpClientApp() {}

  public static void main(String[] args) throws Exception {
    AtomicReference<String> traceparent = new AtomicReference<>("none");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String header = exchange.getRequestHeaders().getFirst("traceparent");
          if (header != null) {
            traceparent.set(header);
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping")).build(),
                  HttpResponse.BodyHandlers.discarding());
      System.out.println("status=" + response.statusCode());
      System.out.println("traceparent=" + traceparent.get());
    } finally {
      server.stop(0);
    }
  }
}
