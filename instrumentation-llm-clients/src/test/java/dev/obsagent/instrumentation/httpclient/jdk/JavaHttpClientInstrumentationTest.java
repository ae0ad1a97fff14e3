package dev.obsagent.instrumentation.httpclient.jdk;

import static dev.obsagent.instrumentation.httpclient.jdk.TestAgent.awaitIncrease;
import static dev.obsagent.instrumentation.httpclient.jdk.TestAgent.awaitSpan;
import static dev.obsagent.instrumentation.httpclient.jdk.TestAgent.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP through the real JDK {@code HttpClient} to a JDK {@code HttpServer} on loopback, with
 * the agent installed in-process: the metric, the CLIENT span, and the {@code traceparent} the
 * server got, for {@code send} and {@code sendAsync}, redirects, error answers and refused
 * connections.
 */
class JavaHttpClientInstrumentationTest {

  private static final String COUNT = "http_client_request_duration_seconds_count";

  /** One request as the server saw it. */
  static final class Seen {
    final String method;
    final String path;
    final String traceparent;
    final String appHeader;
    final byte[] body;

    Seen(HttpExchange exchange, byte[] body) {
      this.method = exchange.getRequestMethod();
      this.path = exchange.getRequestURI().getPath();
      this.traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      this.appHeader = exchange.getRequestHeaders().getFirst("X-App");
      this.body = body;
    }
  }

  private static InProcessAgent agent;
  private static HttpServer server;
  private static final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    agent = TestAgent.install();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", JavaHttpClientInstrumentationTest::handle);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    seen.clear();
    agent.clearSpans();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      seen.add(new Seen(exchange, body));
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/redirect":
          exchange.getResponseHeaders().set("Location", "/hello");
          exchange.sendResponseHeaders(302, -1);
          return;
        case "/missing":
          reply(exchange, 404, "no such thing");
          return;
        case "/boom":
          reply(exchange, 500, "it broke");
          return;
        case "/exemplar":
          reply(exchange, 203, "a status no other test asks for: a series of its own");
          return;
        case "/echo":
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          return;
        default:
          reply(exchange, 200, "hello");
      }
    } finally {
      exchange.close();
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  static Map<String, String> series(String method, String status, String errorType) {
    return Scrape.labels(
        "http_request_method", method, "server_address", "127.0.0.1",
        "http_response_status_code", status, "error_type", errorType);
  }

  private static SpanData onlyClientSpan() {
    List<SpanData> spans = agent.spans();
    assertEquals(1, spans.size(), "spans: " + spans);
    SpanData span = spans.get(0);
    assertEquals(SpanKind.CLIENT, span.getKind());
    return span;
  }

  private static String traceparentOf(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }

  @Test
  void sendGetIsOneCallWithSpanMetricAndTraceparent() throws Exception {
    Scrape before = agent.scrape();
    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(uri("/hello?api_key=secret")).header("X-App", "kept").build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals("hello", response.body());
    // The measurement ends at the response headers, before send returns.
    Scrape after = agent.scrape();
    assertEquals(1, value(after, COUNT, series("GET", "200", "")) - value(before, COUNT, series("GET", "200", "")));

    SpanData span = onlyClientSpan();
    assertEquals("GET", span.getName());
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertEquals("GET", span.getAttributes().get(AttributeKey.stringKey("http.request.method")));
    assertEquals(uri("/hello").toString(), span.getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals("127.0.0.1", span.getAttributes().get(AttributeKey.stringKey("server.address")));
    assertEquals((long) server.getAddress().getPort(), span.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertTrue(span.getParentSpanContext().getSpanId().equals("0000000000000000"), "a root span");

    Seen request = seen.get(0);
    assertEquals(traceparentOf(span), request.traceparent);
    assertEquals("kept", request.appHeader, "the application's own headers go out too");
  }

  /** The duration histogram names the call's own span as its exemplar, not the span current around it. */
  @Test
  void aCallsSpanIsTheExemplarOfItsObservation() throws Exception {
    Span parent = agent.runtime().tracing().openTelemetry().getTracer("test").spanBuilder("parent").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      assertEquals(203, client.send(HttpRequest.newBuilder(uri("/exemplar")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      parent.end();
    }
    SpanData call = awaitSpan(agent, span -> span.getKind() == SpanKind.CLIENT);
    List<String> exemplars =
        agent.scrapeOpenMetrics().find("http_client_request_duration_seconds_bucket", series("GET", "203", "")).stream()
            .filter(bucket -> bucket.exemplar != null)
            .map(bucket -> bucket.exemplar)
            .collect(java.util.stream.Collectors.toList());
    assertEquals(1, exemplars.size(), exemplars.toString());
    assertTrue(exemplars.get(0).contains("span_id=\"" + call.getSpanId() + "\""), exemplars.toString());
  }

  @Test
  void postBodyReachesTheServerUnchanged() throws Exception {
    byte[] payload = "{\"name\":\"ünïcode\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    Scrape before = agent.scrape();
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(7)).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertArrayEquals(payload, response.body());
    assertArrayEquals(payload, seen.get(0).body);
    assertEquals(1, value(agent.scrape(), COUNT, series("POST", "200", "")) - value(before, COUNT, series("POST", "200", "")));
    SpanData span = onlyClientSpan();
    assertEquals("POST", span.getName());
    assertEquals(traceparentOf(span), seen.get(0).traceparent);
  }

  @Test
  void redirectIsCountedOnceAndBothHopsCarryTheTrace() throws Exception {
    Scrape before = agent.scrape();
    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(uri("/redirect")).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals("hello", response.body());
    Scrape after = agent.scrape();
    assertEquals(1, value(after, COUNT, series("GET", "200", "")) - value(before, COUNT, series("GET", "200", "")));
    assertEquals(0, value(after, COUNT, series("GET", "302", "")) - value(before, COUNT, series("GET", "302", "")));
    SpanData span = onlyClientSpan();
    assertEquals(uri("/redirect").toString(), span.getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals(2, seen.size());
    assertEquals("/redirect", seen.get(0).path);
    assertEquals("/hello", seen.get(1).path);
    assertEquals(traceparentOf(span), seen.get(0).traceparent);
    assertEquals(traceparentOf(span), seen.get(1).traceparent);
  }

  @Test
  void errorAnswersSetErrorType() throws Exception {
    Scrape before = agent.scrape();
    assertEquals(404, client.send(HttpRequest.newBuilder(uri("/missing")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpResponse<String> boom = client.send(HttpRequest.newBuilder(uri("/boom")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(500, boom.statusCode());
    assertEquals("it broke", boom.body());

    Scrape after = agent.scrape();
    assertEquals(1, value(after, COUNT, series("GET", "404", "404")) - value(before, COUNT, series("GET", "404", "404")));
    assertEquals(1, value(after, COUNT, series("GET", "500", "500")) - value(before, COUNT, series("GET", "500", "500")));
    List<SpanData> spans = agent.spans();
    assertEquals(2, spans.size());
    for (SpanData span : spans) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      long status = span.getAttributes().get(AttributeKey.longKey("http.response.status_code"));
      assertEquals(String.valueOf(status), span.getAttributes().get(AttributeKey.stringKey("error.type")));
    }
  }

  @Test
  void refusedConnectionFailsWithTheExceptionClass() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/x");
    Map<String, String> refused = series("GET", "", "java.net.ConnectException");
    Scrape before = agent.scrape();

    assertThrows(ConnectException.class, () -> client.send(HttpRequest.newBuilder(nowhere).build(), HttpResponse.BodyHandlers.ofString()));
    ExecutionException async =
        assertThrows(ExecutionException.class,
            () -> client.sendAsync(HttpRequest.newBuilder(nowhere).build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS));
    assertTrue(async.getCause() instanceof ConnectException, String.valueOf(async.getCause()));

    awaitIncrease(agent, before, COUNT, refused, 2);
    List<SpanData> spans = agent.awaitSpans(all -> all.size() == 2, Duration.ofSeconds(10));
    for (SpanData span : spans) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals("java.net.ConnectException", span.getAttributes().get(AttributeKey.stringKey("error.type")));
      assertNull(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
      assertEquals("exception", span.getEvents().get(0).getName());
    }
  }

  @Test
  void sendAsyncIsAChildOfTheCallersSpanAndEndsOnCompletion() throws Exception {
    Span parent = agent.runtime().tracing().openTelemetry().getTracer("test").spanBuilder("caller").startSpan();
    Scrape before = agent.scrape();
    CompletableFuture<HttpResponse<String>> future;
    try (Scope ignored = parent.makeCurrent()) {
      future = client.sendAsync(HttpRequest.newBuilder(uri("/hello")).build(), HttpResponse.BodyHandlers.ofString());
    } finally {
      parent.end();
    }
    assertEquals("hello", future.get(10, TimeUnit.SECONDS).body());

    awaitIncrease(agent, before, COUNT, series("GET", "200", ""), 1);
    SpanData span = awaitSpan(agent, s -> s.getName().equals("GET"));
    assertEquals(parent.getSpanContext().getTraceId(), span.getTraceId());
    assertEquals(parent.getSpanContext().getSpanId(), span.getParentSpanId());
    assertEquals(traceparentOf(span), seen.get(0).traceparent);
  }

  @Test
  void sendAsyncWithPushPromiseHandlerIsMeasuredToo() throws Exception {
    Scrape before = agent.scrape();
    HttpResponse<String> response =
        client.sendAsync(HttpRequest.newBuilder(uri("/hello")).build(), HttpResponse.BodyHandlers.ofString(),
            (initiating, pushed, acceptor) -> { }).get(10, TimeUnit.SECONDS);
    assertEquals("hello", response.body());
    awaitIncrease(agent, before, COUNT, series("GET", "200", ""), 1);
    // By path: the cancelled call's server side may still answer, late, while this test runs.
    String sent = seen.stream().filter(request -> request.path.equals("/hello")).findFirst().orElseThrow().traceparent;
    awaitSpan(agent, s -> s.getName().equals("GET") && traceparentOf(s).equals(sent));
  }

  @Test
  void cancelledAsyncCallEndsAsCancelled() throws Exception {
    // The server holds the answer back until the call was cancelled.
    server.createContext("/slow", exchange -> {
      TestAgent.sleep(500);
      handle(exchange);
    });
    Map<String, String> cancelled = series("GET", "", "java.util.concurrent.CancellationException");
    Scrape before = agent.scrape();
    CompletableFuture<HttpResponse<String>> future =
        client.sendAsync(HttpRequest.newBuilder(uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(future.cancel(true));
    awaitIncrease(agent, before, COUNT, cancelled, 1);
    SpanData span = awaitSpan(agent, s -> s.getName().equals("GET"));
    assertEquals("java.util.concurrent.CancellationException", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    // The server still answers the cancelled call, half a second later: let it, before the next
    // test clears what the server saw.
    for (int waited = 0; seen.stream().noneMatch(request -> request.path.equals("/slow")) && waited < 5000; waited += 10) {
      TestAgent.sleep(10);
    }
  }

  @Test
  void applicationsOwnTraceparentIsLeftAsItIs() throws Exception {
    String own = "00-11111111111111111111111111111111-2222222222222222-01";
    client.send(HttpRequest.newBuilder(uri("/hello")).header("traceparent", own).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(own, seen.get(0).traceparent);
    onlyClientSpan();
  }
}
