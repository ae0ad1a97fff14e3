package dev.obsagent.apachetest;

import static dev.obsagent.apachetest.ApacheTestSupport.LOOPBACK_DNS;
import static dev.obsagent.apachetest.ApacheTestSupport.awaitSpans;
import static dev.obsagent.apachetest.ApacheTestSupport.clientSpans;
import static dev.obsagent.apachetest.ApacheTestSupport.httpCount;
import static dev.obsagent.apachetest.ApacheTestSupport.traceparentOf;
import static dev.obsagent.apachetest.ApacheTestSupport.withoutFlags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The classic Apache HttpClient 5 against a loopback server, with the agent in this JVM. */
class ApacheClassicClientTest {

  private static InProcessAgent agent;
  private static ApacheTestSupport.PlainServer server;
  private static CloseableHttpClient client;

  /** An application's own client class that delegates: one call through it is one measurement. */
  static final class DelegatingClient extends CloseableHttpClient {
    private final CloseableHttpClient delegate;

    DelegatingClient(CloseableHttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, ClassicHttpRequest request, HttpContext context)
        throws IOException {
      return (CloseableHttpResponse) delegate.executeOpen(target, request, context);
    }

    @Override
    public void close(CloseMode closeMode) {
      delegate.close(closeMode);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  @FunctionalInterface
  interface Form {
    String call(CloseableHttpClient client, String host) throws Exception;
  }

  private static final HttpClientResponseHandler<String> TO_STRING =
      response -> response.getCode() + " " + EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);

  @BeforeAll
  static void start() throws IOException {
    agent = ApacheTestSupport.agent();
    server = new ApacheTestSupport.PlainServer();
    client = pooled();
  }

  private static CloseableHttpClient pooled() {
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(LOOPBACK_DNS).build())
        .build();
  }

  @AfterAll
  static void stop() throws IOException {
    client.close();
    server.close();
  }

  @org.junit.jupiter.api.AfterEach
  void noAgentErrors() {
    ApacheTestSupport.assertNoInstrumentationErrors();
  }

  @BeforeEach
  void clear() {
    agent.clearSpans();
    server.received.clear();
  }

  private static String url(String host, String path) {
    return "http://" + host + ":" + server.port() + path;
  }

  private static HttpHost target(String host) {
    return new HttpHost("http", host, server.port());
  }

  @SuppressWarnings("deprecation")
  private static String readAndClose(CloseableHttpResponse response) throws Exception {
    try (response) {
      return response.getCode() + " " + EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void everyExecuteFormIsMeasuredOnceWithItsSpanAndTraceparent() throws Exception {
    Form[] forms = {
      (c, host) -> readAndClose(c.execute(new HttpGet(url(host, "/hello")))),
      (c, host) -> readAndClose(c.execute(new HttpGet(url(host, "/hello")), HttpClientContext.create())),
      (c, host) -> readAndClose(c.execute(target(host), new HttpGet("/hello"))),
      (c, host) -> readAndClose(c.execute(target(host), new HttpGet("/hello"), HttpClientContext.create())),
      (c, host) -> c.execute(new HttpGet(url(host, "/hello")), TO_STRING),
      (c, host) -> c.execute(new HttpGet(url(host, "/hello")), HttpClientContext.create(), TO_STRING),
      (c, host) -> c.execute(target(host), new HttpGet("/hello"), TO_STRING),
      (c, host) -> c.execute(target(host), new HttpGet("/hello"), HttpClientContext.create(), TO_STRING),
      (c, host) -> {
        try (ClassicHttpResponse response = c.executeOpen(target(host), new HttpGet("/hello?key=secret"), null)) {
          return response.getCode() + " " + EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        }
      },
    };
    for (int i = 0; i < forms.length; i++) {
      agent.clearSpans();
      server.received.clear();
      String host = "form" + i + ".apache.test";
      assertEquals("200 hello from /hello", forms[i].call(client, host), "form " + i);

      assertEquals(1, httpCount("GET", host, "200", ""), "form " + i);
      List<SpanData> spans = clientSpans("GET");
      assertEquals(1, spans.size(), "form " + i + ": " + agent.spans());
      SpanData span = spans.get(0);
      assertEquals("http://" + host + ":" + server.port() + "/hello", span.getAttributes().get(AttributeKey.stringKey("url.full")));
      assertEquals(host, span.getAttributes().get(AttributeKey.stringKey("server.address")));
      assertEquals(server.port(), span.getAttributes().get(AttributeKey.longKey("server.port")));
      assertEquals("GET", span.getAttributes().get(AttributeKey.stringKey("http.request.method")));
      assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
      assertEquals(1, server.received.size());
      assertEquals(traceparentOf(span), withoutFlags(server.received.get(0)[1]), "form " + i);
    }
  }

  @Test
  void aRedirectIsInsideTheOneMeasurement() throws Exception {
    String host = "redirect.apache.test";
    assertEquals("200 hello from /hello", client.execute(new HttpGet(url(host, "/redirect")), TO_STRING));

    assertEquals(1, httpCount("GET", host, "200", ""));
    assertEquals(0, httpCount("GET", host, "302", ""));
    List<SpanData> spans = clientSpans("GET");
    assertEquals(1, spans.size(), agent.spans().toString());
    assertEquals("http://" + host + ":" + server.port() + "/redirect",
        spans.get(0).getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals(List.of("/redirect", "/hello"), server.received.stream().map(r -> r[0]).collect(Collectors.toList()));
    // Both requests of the one logical call carry its span as parent.
    assertEquals(traceparentOf(spans.get(0)), withoutFlags(server.received.get(0)[1]));
    assertEquals(traceparentOf(spans.get(0)), withoutFlags(server.received.get(1)[1]));
  }

  @Test
  void clientAndServerErrorsSetErrorType() throws Exception {
    String host = "errors.apache.test";
    assertEquals("404 no such thing", client.execute(new HttpGet(url(host, "/missing")), TO_STRING));
    assertEquals("500 boom", client.execute(new HttpGet(url(host, "/boom")), TO_STRING));

    assertEquals(1, httpCount("GET", host, "404", "404"));
    assertEquals(1, httpCount("GET", host, "500", "500"));
    List<SpanData> spans = clientSpans("GET");
    assertEquals(2, spans.size());
    for (SpanData span : spans) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals(String.valueOf(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))),
          span.getAttributes().get(AttributeKey.stringKey("error.type")));
    }
  }

  @Test
  void connectionRefusedReachesTheApplicationAndIsMeasured() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String host = "refused.apache.test";
    HttpGet request = new HttpGet("http://" + host + ":" + closedPort + "/hello");
    assertThrows(HttpHostConnectException.class, () -> client.execute(request, TO_STRING));

    assertEquals(1, httpCount("GET", host, "", HttpHostConnectException.class.getName()));
    List<SpanData> spans = clientSpans("GET");
    assertEquals(1, spans.size());
    assertEquals(StatusCode.ERROR, spans.get(0).getStatus().getStatusCode());
    assertEquals(HttpHostConnectException.class.getName(), spans.get(0).getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(null, spans.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code")));
  }

  @Test
  void theMinimalClientAndAnApplicationSubclassAreMeasuredOnce() throws Exception {
    try (CloseableHttpClient minimal =
        HttpClients.createMinimal(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(LOOPBACK_DNS).build())) {
      assertEquals("200 hello from /hello", minimal.execute(new HttpGet(url("minimal.apache.test", "/hello")), TO_STRING));
      assertEquals(1, httpCount("GET", "minimal.apache.test", "200", ""));
    }
    agent.clearSpans();
    server.received.clear();
    try (CloseableHttpClient wrapping = new DelegatingClient(pooled())) {
      assertEquals("200 hello from /hello", wrapping.execute(new HttpGet(url("subclass.apache.test", "/hello")), TO_STRING));
    }
    assertEquals(1, httpCount("GET", "subclass.apache.test", "200", ""));
    List<SpanData> spans = clientSpans("GET");
    assertEquals(1, spans.size(), agent.spans().toString());
    assertEquals(traceparentOf(spans.get(0)), withoutFlags(server.received.get(0)[1]));
  }

  @Test
  void theSpanIsAChildOfTheCallersAndAppHeadersStay() throws Exception {
    String host = "parent.apache.test";
    Span parent = ApacheTestSupport.testTracer().spanBuilder("checkout").startSpan();
    HttpPost request = new HttpPost(url(host, "/orders"));
    request.setHeader("X-App", "kept");
    request.setHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    request.setEntity(new StringEntity("{\"order\":1}", ContentType.APPLICATION_JSON));
    try (Scope ignored = parent.makeCurrent()) {
      assertEquals("200 hello from /orders", client.execute(request, TO_STRING));
    } finally {
      parent.end();
    }
    SpanData span = awaitSpans(s -> !clientSpans("POST").isEmpty()).stream()
        .filter(s -> s.getName().equals("POST")).findFirst().orElseThrow();
    assertEquals(parent.getSpanContext().getSpanId(), span.getParentSpanId());
    assertEquals(parent.getSpanContext().getTraceId(), span.getTraceId());
    assertEquals("kept", server.received.get(0)[2]);
    // A stale traceparent on the request object is replaced by this call's.
    assertEquals(traceparentOf(span), withoutFlags(server.received.get(0)[1]));
    assertNotEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", withoutFlags(server.received.get(0)[1]));
    assertTrue(request.getEntity() instanceof StringEntity, "a plain call leaves the request entity alone");
    assertEquals(1, httpCount("POST", host, "200", ""));
  }
}
