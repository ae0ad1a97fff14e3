package dev.obsagent.okhttptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.bootstrap.httpclient.HttpClientRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Throwables raised by the agent's recording code at every point the HTTP client instrumentations
 * call it (starting a call, its trace headers, its request and response bodies, its response and
 * failure), runtime exceptions and errors alike: calls through {@code java.net.http}, OkHttp and
 * Apache HttpClient 5 (sync and async, GET and POST, and a refused connection) give the
 * application exactly what they give without the agent, and every throwable is counted in
 * {@code obs_agent_instrumentation_errors_total} under its instrumentation.
 */
class HttpClientRecorderFaultTest {

  private static final String[] INSTRUMENTATIONS = {"java-http-client", "okhttp", "apache-httpclient"};

  enum Point {
    START, PROPAGATION_HEADERS, OBSERVES_BODIES, REQUEST_BYTES, ON_RESPONSE, RESPONSE_BYTES, RESPONSE_COMPLETE, ON_ERROR;

    /** Whether the call has its bodies observed, so that the body points are reached. */
    boolean bodies() {
      return this == REQUEST_BYTES || this == RESPONSE_BYTES || this == RESPONSE_COMPLETE;
    }
  }

  private static Observed observed;
  private static HttpServer server;
  private static String base;
  private static int closedPort;
  private static java.net.http.HttpClient jdk;
  private static OkHttpClient okhttp;
  private static CloseableHttpClient apache;
  private static CloseableHttpAsyncClient apacheAsync;

  @BeforeAll
  static void start() throws IOException {
    observed = Observed.install();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] request;
      try (InputStream in = exchange.getRequestBody()) {
        request = in.readAllBytes();
      }
      byte[] body = ("echo " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // nothing listens there once closed
    }
    jdk = java.net.http.HttpClient.newHttpClient();
    okhttp = new OkHttpClient.Builder().retryOnConnectionFailure(false).readTimeout(10, TimeUnit.SECONDS).build();
    apache = HttpClients.createDefault();
    apacheAsync = HttpAsyncClients.createDefault();
    apacheAsync.start();
  }

  @AfterAll
  static void stop() throws IOException {
    apacheAsync.close();
    apache.close();
    okhttp.dispatcher().executorService().shutdown();
    okhttp.connectionPool().evictAll();
    server.stop(0);
  }

  static Stream<Arguments> faults() {
    List<Supplier<Throwable>> throwables = List.of(
        () -> new IllegalStateException("injected fault"),
        () -> new AssertionError("injected fault"),
        () -> new StackOverflowError("injected fault"));
    Stream.Builder<Arguments> cases = Stream.builder();
    for (Point point : Point.values()) {
      for (Supplier<Throwable> throwable : throwables) {
        cases.add(Arguments.of(point, throwable.get().getClass().getSimpleName(), throwable));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} throws {1}")
  @MethodSource("faults")
  void aThrowableInTheRecorderNeverReachesTheApplicationAndIsCounted(
      Point point, String name, Supplier<Throwable> throwable) throws Exception {
    HttpClientRecorder real = HttpClientBridge.recorder();
    List<String> withoutTheAgent;
    HttpClientBridge.install(new FaultyRecorder(null, throwable));
    try {
      withoutTheAgent = calls();
    } finally {
      HttpClientBridge.install(real);
    }

    Map<String, Double> before = errors();
    FaultyRecorder faulty = new FaultyRecorder(point, throwable);
    HttpClientBridge.install(faulty);
    List<String> seen;
    try {
      seen = calls();
      Thread.sleep(100); // async clients may report the end of a call after handing it over
    } finally {
      HttpClientBridge.install(real);
    }
    assertEquals(withoutTheAgent, seen, point + " threw " + name);
    Map<String, Double> counted = new TreeMap<>();
    for (String instrumentation : INSTRUMENTATIONS) {
      counted.put(instrumentation, errors().get(instrumentation) - before.get(instrumentation));
    }
    System.out.printf("HTTP client recorder fault %s (%s): thrown %s, counted %s%n", point, name, faulty.thrown(), counted);
    assertEquals(faulty.thrown(), counted, "obs_agent_instrumentation_errors_total per instrumentation");
    assertTrue(faulty.thrown().values().stream().allMatch(n -> n > 0), "every client reached " + point);
  }

  private static Map<String, Double> errors() {
    Map<String, Double> errors = new TreeMap<>();
    for (String instrumentation : INSTRUMENTATIONS) {
      errors.put(instrumentation, observed.instrumentationErrors(instrumentation));
    }
    return errors;
  }

  /** Each client, sync and async, GET and POST, and a refused connection: what the application saw. */
  private static List<String> calls() {
    List<String> seen = new ArrayList<>();
    // java.net.http
    seen.add(outcome(() -> jdk.send(
        java.net.http.HttpRequest.newBuilder(URI.create(base + "/jdk")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body()));
    seen.add(outcome(() -> jdk.sendAsync(
        java.net.http.HttpRequest.newBuilder(URI.create(base + "/jdk-async"))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS).body()));
    seen.add(outcome(() -> jdk.send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/refused")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body()));
    // OkHttp
    seen.add(outcome(() -> {
      try (Response response = okhttp.newCall(new Request.Builder().url(base + "/okhttp").build()).execute()) {
        return response.code() + " " + response.body().string();
      }
    }));
    seen.add(outcome(() -> {
      CompletableFuture<String> answer = new CompletableFuture<>();
      RequestBody body = RequestBody.create("{\"model\":\"m\"}", MediaType.get("application/json"));
      okhttp.newCall(new Request.Builder().url(base + "/okhttp-async").post(body).build()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          answer.complete(e.getClass().getName() + ": " + e.getMessage());
        }

        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            answer.complete(response.code() + " " + response.body().string());
          }
        }
      });
      return answer.get(10, TimeUnit.SECONDS);
    }));
    seen.add(outcome(() -> {
      try (Response response = okhttp.newCall(new Request.Builder().url("http://127.0.0.1:" + closedPort + "/refused").build()).execute()) {
        return String.valueOf(response.code());
      }
    }));
    // Apache HttpClient 5
    seen.add(outcome(() -> apache.execute(new HttpGet(base + "/apache"),
        response -> response.getCode() + " " + EntityUtils.toString(response.getEntity()))));
    seen.add(outcome(() -> {
      HttpPost post = new HttpPost(base + "/apache-post");
      post.setEntity(new StringEntity("{\"model\":\"m\"}", ContentType.APPLICATION_JSON));
      return apache.execute(post, response -> response.getCode() + " " + EntityUtils.toString(response.getEntity()));
    }));
    seen.add(outcome(() -> {
      SimpleHttpResponse response = apacheAsync.execute(
          SimpleRequestBuilder.post(base + "/apache-async").setBody("{\"model\":\"m\"}", ContentType.APPLICATION_JSON).build(),
          null).get(10, TimeUnit.SECONDS);
      return response.getCode() + " " + response.getBodyText();
    }));
    seen.add(outcome(() -> apache.execute(new HttpGet("http://127.0.0.1:" + closedPort + "/refused"),
        response -> String.valueOf(response.getCode()))));
    return seen;
  }

  interface Step {
    String run() throws Exception;
  }

  private static String outcome(Step step) {
    try {
      return step.run();
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      return cause.getClass().getName() + ": " + cause.getMessage();
    }
  }

  /** Throws at one point and counts its throws per instrumentation; with none, measures nothing. */
  private static final class FaultyRecorder extends HttpClientRecorder {
    private final Point point;
    private final Supplier<Throwable> throwable;
    private final Map<String, AtomicInteger> thrown = new ConcurrentHashMap<>();

    FaultyRecorder(Point point, Supplier<Throwable> throwable) {
      this.point = point;
      this.throwable = throwable;
      for (String instrumentation : INSTRUMENTATIONS) {
        thrown.put(instrumentation, new AtomicInteger());
      }
    }

    Map<String, Double> thrown() {
      Map<String, Double> counts = new TreeMap<>();
      thrown.forEach((instrumentation, count) -> counts.put(instrumentation, (double) count.get()));
      return counts;
    }

    private void maybeThrow(String instrumentation, Point at) {
      if (at == point) {
        thrown.get(instrumentation).incrementAndGet();
        Throwable fault = throwable.get();
        if (fault instanceof Error) {
          throw (Error) fault;
        }
        throw (RuntimeException) fault;
      }
    }

    @Override
    public HttpClientCall start(String instrumentation, String method, String scheme, String host, int port, String path) {
      maybeThrow(instrumentation, Point.START);
      if (point == null) {
        return null;
      }
      return new HttpClientCall() {
        @Override
        public String[] propagationHeaders() {
          maybeThrow(instrumentation, Point.PROPAGATION_HEADERS);
          return new String[0];
        }

        @Override
        public boolean observesBodies() {
          maybeThrow(instrumentation, Point.OBSERVES_BODIES);
          return point.bodies();
        }

        @Override
        public void onRequestBytes(byte[] bytes, int offset, int length) {
          maybeThrow(instrumentation, Point.REQUEST_BYTES);
        }

        @Override
        public void onResponse(int status, String contentType, String contentEncoding) {
          maybeThrow(instrumentation, Point.ON_RESPONSE);
        }

        @Override
        public void onResponseBytes(byte[] bytes, int offset, int length) {
          maybeThrow(instrumentation, Point.RESPONSE_BYTES);
        }

        @Override
        public void onResponseBytes(ByteBuffer buffer) {
          maybeThrow(instrumentation, Point.RESPONSE_BYTES);
        }

        @Override
        public void onResponseComplete() {
          maybeThrow(instrumentation, Point.RESPONSE_COMPLETE);
        }

        @Override
        public void onError(Throwable error) {
          maybeThrow(instrumentation, Point.ON_ERROR);
        }
      };
    }
  }
}
