package dev.obsagent.apachetest;

import static dev.obsagent.apachetest.ApacheTestSupport.LOOPBACK_DNS;
import static dev.obsagent.apachetest.ApacheTestSupport.awaitSpans;
import static dev.obsagent.apachetest.ApacheTestSupport.clientSpans;
import static dev.obsagent.apachetest.ApacheTestSupport.httpCount;
import static dev.obsagent.apachetest.ApacheTestSupport.traceparentOf;
import static dev.obsagent.apachetest.ApacheTestSupport.withoutFlags;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The async Apache HttpClient 5 against loopback servers, with the agent in this JVM. */
class ApacheAsyncClientTest {

  private static InProcessAgent agent;
  private static ApacheTestSupport.PlainServer plain;
  private static FakeLlmServer llm;
  private static CloseableHttpAsyncClient client;

  /** A streaming consumer as an application writes one: it gets the body chunk by chunk. */
  static final class CollectingConsumer extends AbstractBinResponseConsumer<byte[]> {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    protected void start(HttpResponse response, ContentType contentType) {}

    @Override
    protected int capacityIncrement() {
      return 64;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      while (src.hasRemaining()) {
        body.write(src.get());
      }
    }

    @Override
    protected byte[] buildResult() {
      return body.toByteArray();
    }

    @Override
    public void releaseResources() {}
  }

  @BeforeAll
  static void start() throws IOException {
    agent = ApacheTestSupport.agent();
    plain = new ApacheTestSupport.PlainServer();
    llm = FakeLlmServer.start();
    client = HttpAsyncClients.custom()
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create().setDnsResolver(LOOPBACK_DNS).build())
        .build();
    client.start();
  }

  @AfterAll
  static void stop() {
    client.close(CloseMode.GRACEFUL);
    plain.close();
    llm.close();
  }

  @BeforeEach
  void clear() {
    agent.clearSpans();
    plain.received.clear();
    llm.received().clear();
  }

  @AfterEach
  void noAgentErrors() {
    ApacheTestSupport.assertNoInstrumentationErrors();
  }

  private static String plainUrl(String host, String path) {
    return "http://" + host + ":" + plain.port() + path;
  }

  @Test
  void theSpanIsAChildOfTheCallersContextAndEndsWithTheResponse() throws Exception {
    String host = "async.apache.test";
    Span parent = ApacheTestSupport.testTracer().spanBuilder("checkout").startSpan();
    Future<SimpleHttpResponse> future;
    try (Scope ignored = parent.makeCurrent()) {
      future = client.execute(SimpleRequestBuilder.get(plainUrl(host, "/hello?token=secret")).build(), null);
    } finally {
      parent.end();
    }
    SimpleHttpResponse response = future.get(10, TimeUnit.SECONDS);

    assertEquals(200, response.getCode());
    assertEquals("hello from /hello", response.getBodyText());
    assertEquals(1, httpCount("GET", host, "200", ""));
    List<SpanData> spans = clientSpans("GET");
    assertEquals(1, spans.size(), agent.spans().toString());
    SpanData span = spans.get(0);
    assertEquals(parent.getSpanContext().getSpanId(), span.getParentSpanId());
    assertEquals(parent.getSpanContext().getTraceId(), span.getTraceId());
    assertEquals("http://" + host + ":" + plain.port() + "/hello", span.getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals(traceparentOf(span), withoutFlags(plain.received.get(0)[1]));
  }

  @Test
  void redirectsAndErrorAnswersAreOneMeasurementEach() throws Exception {
    String host = "async-errors.apache.test";
    assertEquals(200, client.execute(SimpleRequestBuilder.get(plainUrl(host, "/redirect")).build(), null).get(10, TimeUnit.SECONDS).getCode());
    assertEquals(404, client.execute(SimpleRequestBuilder.get(plainUrl(host, "/missing")).build(), null).get(10, TimeUnit.SECONDS).getCode());
    assertEquals(500, client.execute(SimpleRequestBuilder.get(plainUrl(host, "/boom")).build(), null).get(10, TimeUnit.SECONDS).getCode());

    assertEquals(1, httpCount("GET", host, "200", ""));
    assertEquals(0, httpCount("GET", host, "302", ""));
    assertEquals(1, httpCount("GET", host, "404", "404"));
    assertEquals(1, httpCount("GET", host, "500", "500"));
    assertEquals(3, clientSpans("GET").size(), agent.spans().toString());
    assertEquals(List.of("/redirect", "/hello", "/missing", "/boom"),
        plain.received.stream().map(r -> r[0]).collect(Collectors.toList()));
  }

  @Test
  void connectionRefusedFailsTheFutureAndTheCallback() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String host = "async-refused.apache.test";
    CompletableFuture<Exception> seen = new CompletableFuture<>();
    Future<SimpleHttpResponse> future = client.execute(
        SimpleRequestBuilder.get("http://" + host + ":" + closedPort + "/hello").build(),
        new FutureCallback<SimpleHttpResponse>() {
          @Override
          public void completed(SimpleHttpResponse result) {
            seen.complete(null);
          }

          @Override
          public void failed(Exception ex) {
            seen.complete(ex);
          }

          @Override
          public void cancelled() {
            seen.complete(null);
          }
        });

    ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    assertInstanceOf(HttpHostConnectException.class, thrown.getCause());
    assertInstanceOf(HttpHostConnectException.class, seen.get(10, TimeUnit.SECONDS));
    awaitSpans(s -> !clientSpans("GET").isEmpty());
    assertEquals(1, httpCount("GET", host, "", HttpHostConnectException.class.getName()));
  }

  @Test
  void theMinimalAsyncClientIsMeasured() throws Exception {
    String host = "async-minimal.apache.test";
    try (CloseableHttpAsyncClient minimal = HttpAsyncClients.createMinimal(
        PoolingAsyncClientConnectionManagerBuilder.create().setDnsResolver(LOOPBACK_DNS).build())) {
      minimal.start();
      SimpleHttpResponse response = minimal.execute(SimpleRequestBuilder.get(plainUrl(host, "/hello")).build(), null)
          .get(10, TimeUnit.SECONDS);
      assertEquals(200, response.getCode());
    }
    assertEquals(1, httpCount("GET", host, "200", ""));
    List<SpanData> spans = clientSpans("GET");
    assertEquals(1, spans.size(), agent.spans().toString());
    assertEquals(traceparentOf(spans.get(0)), withoutFlags(plain.received.get(0)[1]));
  }

  @Test
  void anLlmCallWithSimpleRequestIsCompleteWhenTheCallbackFires() throws Exception {
    Reply reply = Reply.json(Fixtures.bytes("cohere/chat.json"));
    llm.answer("/v2/chat", reply);
    LlmMetrics cohere = new LlmMetrics("cohere", "chat", "command-a-03-2025", "");
    LlmMetrics.Snapshot before = cohere.snapshot();
    String request = "{\"model\":\"command-a-03-2025\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    CompletableFuture<Double> callsWhenNotified = new CompletableFuture<>();
    Span parent = ApacheTestSupport.testTracer().spanBuilder("assistant").startSpan();
    Future<SimpleHttpResponse> future;
    try (Scope ignored = parent.makeCurrent()) {
      future = client.execute(
          SimpleRequestBuilder.post("http://api.cohere.com:" + llm.port() + "/v2/chat")
              .setBody(request, ContentType.APPLICATION_JSON).build(),
          new FutureCallback<SimpleHttpResponse>() {
            @Override
            public void completed(SimpleHttpResponse result) {
              callsWhenNotified.complete(cohere.snapshot().calls);
            }

            @Override
            public void failed(Exception ex) {
              callsWhenNotified.completeExceptionally(ex);
            }

            @Override
            public void cancelled() {
              callsWhenNotified.cancel(false);
            }
          });
    } finally {
      parent.end();
    }
    SimpleHttpResponse response = future.get(10, TimeUnit.SECONDS);

    assertArrayEquals(reply.bytes(), response.getBodyBytes());
    assertEquals(request, llm.lastReceived().bodyText());
    assertEquals(before.calls + 1, callsWhenNotified.get(10, TimeUnit.SECONDS), "measured before the application hears");
    LlmMetrics.Snapshot after = cohere.snapshot();
    assertEquals(17, after.inputTokens - before.inputTokens);
    assertEquals(148, after.outputTokens - before.outputTokens);
    assertEquals(1522.5e-6, after.cost() - before.cost(), 1e-12);
    SpanData llmSpan = ApacheTestSupport.onlySpan("chat command-a-03-2025");
    assertEquals(parent.getSpanContext().getSpanId(), llmSpan.getParentSpanId());
    SpanData http = clientSpans("POST").get(0);
    assertEquals(llmSpan.getSpanId(), http.getParentSpanId());
    assertEquals(traceparentOf(http), withoutFlags(llm.lastReceived().header("traceparent")));
  }

  @Test
  void aStreamedLlmCallThroughAStreamingConsumer() throws Exception {
    Reply reply = Reply.stream("text/event-stream", Fixtures.bytes("mistral/chat-stream.sse"), 20);
    llm.answer("/v1/chat/completions", reply);
    LlmMetrics mistral = new LlmMetrics("mistral_ai", "chat", "mistral-large-latest", "mistral-large-latest");
    LlmMetrics.Snapshot before = mistral.snapshot();
    byte[] request = "{\"model\":\"mistral-large-latest\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Salut\"}]}"
        .getBytes(StandardCharsets.UTF_8);

    byte[] body = client.execute(
            AsyncRequestBuilder.post("http://api.mistral.ai:" + llm.port() + "/v1/chat/completions")
                .setEntity(AsyncEntityProducers.create(request, ContentType.APPLICATION_JSON))
                .build(),
            new CollectingConsumer(), null)
        .get(10, TimeUnit.SECONDS);

    assertArrayEquals(reply.bytes(), body);
    assertArrayEquals(request, llm.lastReceived().body);
    LlmMetrics.Snapshot after = mistral.snapshot();
    assertEquals(1, after.calls - before.calls);
    assertEquals(10, after.inputTokens - before.inputTokens);
    assertEquals(20, after.outputTokens - before.outputTokens);
    assertEquals(140e-6, after.cost() - before.cost(), 1e-12);
    assertEquals(1, after.firstChunks - before.firstChunks);
  }

  @Test
  void gzipDecodedByTheAsyncClient() throws Exception {
    byte[] json = Fixtures.bytes("gemini/generate.json");
    llm.answer("/v1beta/models/gemini-2.5-flash:generateContent", Reply.json(json).gzipped());
    LlmMetrics gemini = new LlmMetrics("gcp.gemini", "generate_content", "gemini-2.5-flash", "gemini-2.5-flash");
    LlmMetrics.Snapshot before = gemini.snapshot();

    SimpleHttpResponse response = client.execute(
            SimpleRequestBuilder.post("http://generativelanguage.googleapis.com:" + llm.port()
                    + "/v1beta/models/gemini-2.5-flash:generateContent")
                .setBody("{\"contents\":[]}", ContentType.APPLICATION_JSON).build(),
            null)
        .get(10, TimeUnit.SECONDS);

    assertArrayEquals(json, response.getBodyBytes(), "the async client decompressed the body");
    LlmMetrics.Snapshot after = gemini.snapshot();
    assertEquals(4200, after.inputTokens - before.inputTokens);
    assertEquals(440, after.outputTokens - before.outputTokens);
    assertEquals(1280e-6, after.cost() - before.cost(), 1e-12);
  }

  @Test
  void anAsyncRateLimitIsAnError() throws Exception {
    Reply reply = Reply.of(429, "application/json", Fixtures.bytes("openai/error-429.json"));
    llm.answer("/v1/chat/completions", reply);
    LlmMetrics openai = new LlmMetrics("openai", "chat", "gpt-4o-mini-async", "");
    LlmMetrics.Snapshot before = openai.snapshot("429");

    SimpleHttpResponse response = client.execute(
            SimpleRequestBuilder.post("http://api.openai.com:" + llm.port() + "/v1/chat/completions")
                .setBody("{\"model\":\"gpt-4o-mini-async\"}", ContentType.APPLICATION_JSON).build(),
            null)
        .get(10, TimeUnit.SECONDS);

    assertEquals(429, response.getCode());
    assertArrayEquals(reply.bytes(), response.getBodyBytes());
    LlmMetrics.Snapshot after = openai.snapshot("429");
    assertEquals(1, after.calls - before.calls);
    assertEquals(0, after.tokenSamples - before.tokenSamples);
    assertEquals(1, httpCount("POST", "api.openai.com", "429", "429"));
  }

  @Test
  void cancellingTheFutureEndsTheCall() throws Exception {
    Reply reply = Reply.stream("text/event-stream", Fixtures.bytes("mistral/chat-stream.sse"), 500);
    llm.answer("/v1/chat/completions", reply);
    LlmMetrics mistral = new LlmMetrics("mistral_ai", "chat", "mistral-small-cancelled", "");
    String errorType = java.util.concurrent.CancellationException.class.getName();
    LlmMetrics.Snapshot before = mistral.snapshot(errorType);

    Future<SimpleHttpResponse> future = client.execute(
        SimpleRequestBuilder.post("http://api.mistral.ai:" + llm.port() + "/v1/chat/completions")
            .setBody("{\"model\":\"mistral-small-cancelled\",\"stream\":true}", ContentType.APPLICATION_JSON).build(),
        null);
    Thread.sleep(200);
    future.cancel(true);

    awaitSpans(s -> s.stream().anyMatch(x -> x.getName().equals("chat mistral-small-cancelled")));
    LlmMetrics.Snapshot after = mistral.snapshot(errorType);
    // The response head had arrived (its model is not read yet): the gen_ai call fails as cancelled.
    assertEquals(1, after.calls - before.calls, agent.scrape().find("gen_ai_client_operation_duration_seconds_count",
        dev.obsagent.testing.Scrape.labels("gen_ai_request_model", "mistral-small-cancelled")).toString());
  }
}
