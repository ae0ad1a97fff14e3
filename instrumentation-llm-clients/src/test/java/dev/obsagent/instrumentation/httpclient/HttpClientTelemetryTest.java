package dev.obsagent.instrumentation.httpclient;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.bootstrap.AgentThreads;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.metrics.AgentMetrics;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.instrumentation.llm.LlmCalls;
import dev.obsagent.instrumentation.llm.endpoint.ConfiguredEndpoints;
import dev.obsagent.instrumentation.llm.endpoint.LlmEndpoints;
import dev.obsagent.instrumentation.llm.pricing.PriceTable;
import dev.obsagent.instrumentation.llm.telemetry.LlmTelemetry;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recorder behind every HTTP client, driven through the bridge as client advice drives it. */
class HttpClientTelemetryTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry, 2000);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final HttpClientTelemetry telemetry =
      new HttpClientTelemetry(
          tracerProvider.get("test"), W3CTraceContextPropagator.getInstance(), metrics, new SpanExceptions(false),
          nanos::get);

  @AfterEach
  void closeTracing() {
    tracerProvider.close();
  }

  @Test
  void plainCallIsMeasuredToTheResponseHeaders() {
    HttpClientCall call = telemetry.start("test", "GET", "http", "inventory.internal", 8080, "/items/7");
    assertFalse(call.observesBodies());
    nanos.addAndGet(250_000_000L);
    call.onResponse(200, "application/json", null);
    nanos.addAndGet(1_000_000_000L);
    call.onResponseComplete(); // the body's end does not move the HTTP measurement
    call.onError(new IOException("late")); // nor does a later failure

    Map<String, String> series = labels(
        "http_request_method", "GET", "server_address", "inventory.internal",
        "http_response_status_code", "200", "error_type", "");
    Scrape scrape = scrape();
    assertEquals(1, scrape.value("http_client_request_duration_seconds_count", series));
    assertEquals(0.25, scrape.value("http_client_request_duration_seconds_sum", series), 1e-9);

    SpanData span = onlySpan();
    assertEquals("GET", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals("GET", span.getAttributes().get(AttributeKey.stringKey("http.request.method")));
    assertEquals("http://inventory.internal:8080/items/7", span.getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals("inventory.internal", span.getAttributes().get(AttributeKey.stringKey("server.address")));
    assertEquals(8080L, span.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  @Test
  void traceparentNamesTheClientSpanAndItsParentIsTheCallersSpan() {
    Span caller = tracerProvider.get("test").spanBuilder("caller").startSpan();
    HttpClientCall call;
    try (Scope ignored = caller.makeCurrent()) {
      call = telemetry.start("test", "POST", "https", "api.example.com", -1, "/orders");
    }
    String[] headers = call.propagationHeaders();
    call.onResponse(201, null, null);
    caller.end();

    SpanData client = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("POST")).findFirst().get();
    assertEquals(caller.getSpanContext().getSpanId(), client.getParentSpanId());
    assertEquals(443L, client.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals("https://api.example.com/orders", client.getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals(2, headers.length);
    assertEquals("traceparent", headers[0]);
    assertTrue(headers[1].startsWith("00-" + client.getTraceId() + "-" + client.getSpanId() + "-"), headers[1]);
  }

  @Test
  void serverErrorAndConnectFailureAreErrors() {
    telemetry.start("test", "GET", "http", "flaky", 80, "/").onResponse(503, null, null);
    HttpClientCall refused = telemetry.start("test", "GET", "http", "down", 80, "/");
    refused.onError(new ConnectException("Connection refused"));
    refused.onResponse(200, null, null); // after the first end nothing counts

    Scrape scrape = scrape();
    assertEquals(1, scrape.value("http_client_request_duration_seconds_count", labels(
        "http_request_method", "GET", "server_address", "flaky", "http_response_status_code", "503", "error_type", "503")));
    assertEquals(1, scrape.value("http_client_request_duration_seconds_count", labels(
        "http_request_method", "GET", "server_address", "down", "http_response_status_code", "",
        "error_type", "java.net.ConnectException")));
    assertEquals(1, scrape.find("http_client_request_duration_seconds_count", labels("server_address", "down")).size());
    for (SpanData span : spans.getFinishedSpanItems()) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    }
    SpanData down = spans.getFinishedSpanItems().stream()
        .filter(s -> "down".equals(s.getAttributes().get(AttributeKey.stringKey("server.address")))).findFirst().get();
    assertEquals("java.net.ConnectException", down.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertNull(down.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
  }

  @Test
  void unknownMethodIsOtherWithTheOriginalOnTheSpan() {
    telemetry.start("test", "PURGE", "http", "cache", 80, "/x").onResponse(200, null, null);
    SpanData span = onlySpan();
    assertEquals("_OTHER", span.getName());
    assertEquals("PURGE", span.getAttributes().get(AttributeKey.stringKey("http.request.method_original")));
    assertEquals(1, scrape().value("http_client_request_duration_seconds_count", labels(
        "http_request_method", "_OTHER", "server_address", "cache", "http_response_status_code", "200", "error_type", "")));
  }

  @Test
  void llmCallGetsAGenAiSpanAboveTheHttpSpanAndItsTokens() {
    telemetry.observeLlmCalls(llmCalls());
    HttpClientCall call = telemetry.start("test", "POST", "https", "api.openai.com", -1, "/v1/chat/completions");
    assertTrue(call.observesBodies());
    String[] headers = call.propagationHeaders();
    byte[] request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}".getBytes(StandardCharsets.UTF_8);
    call.onRequestBytes(request, 0, 10);
    call.onRequestBytes(request, 10, request.length - 10);
    nanos.addAndGet(400_000_000L);
    call.onResponse(200, "application/json", null);
    byte[] body = Fixtures.bytes("openai/chat.json");
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();
    nanos.addAndGet(100_000_000L);
    call.onResponseBytes(direct);
    assertEquals(0, direct.position()); // the application's buffer is left as it was
    call.onResponseComplete();

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertEquals(2, finished.size());
    SpanData http = finished.stream().filter(s -> s.getName().equals("POST")).findFirst().get();
    SpanData genAi = finished.stream().filter(s -> s.getName().equals("chat gpt-4o")).findFirst().get();
    assertEquals(genAi.getSpanId(), http.getParentSpanId());
    assertEquals(genAi.getTraceId(), http.getTraceId());
    assertTrue(headers[1].startsWith("00-" + http.getTraceId() + "-" + http.getSpanId() + "-"), headers[1]);
    assertEquals(1117L, genAi.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(46L, genAi.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));

    Scrape scrape = scrape();
    assertEquals(0.4, scrape.value("http_client_request_duration_seconds_sum", labels(
        "http_request_method", "POST", "server_address", "api.openai.com", "http_response_status_code", "200",
        "error_type", "")), 1e-9);
    Map<String, String> op = labels(
        "gen_ai_provider_name", "openai", "gen_ai_operation_name", "chat", "gen_ai_request_model", "gpt-4o",
        "gen_ai_response_model", "gpt-4o-2024-08-06", "error_type", "");
    assertEquals(0.5, scrape.value("gen_ai_client_operation_duration_seconds_sum", op), 1e-9);
  }

  @Test
  void llmCallFailingBeforeAResponseEndsBothSpans() {
    telemetry.observeLlmCalls(llmCalls());
    HttpClientCall call = telemetry.start("test", "POST", "https", "api.anthropic.com", -1, "/v1/messages");
    call.onError(new java.net.http.HttpTimeoutException("request timed out"));

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertEquals(2, finished.size());
    for (SpanData span : finished) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals("java.net.http.HttpTimeoutException", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    }
  }

  @Test
  void theAgentsOwnThreadsAreNotMeasured() throws Exception {
    CompletableFuture<HttpClientCall> onAgentThread = new CompletableFuture<>();
    Thread thread = AgentThreads.factory("test-exporter").newThread(
        () -> onAgentThread.complete(telemetry.start("test", "POST", "http", "localhost", 4318, "/v1/traces")));
    thread.start();
    thread.join();
    assertNull(onAgentThread.get());
    assertTrue(spans.getFinishedSpanItems().isEmpty());
  }

  private LlmCalls llmCalls() {
    PriceTable prices = PriceTable.load(null, message -> {});
    LlmTelemetry llm = new LlmTelemetry(metrics, tracerProvider.get("llm"), new SpanExceptions(false), prices);
    return new LlmCalls(new LlmEndpoints(ConfiguredEndpoints.NONE), llm, nanos::get);
  }

  private SpanData onlySpan() {
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertEquals(1, finished.size(), finished.toString());
    return finished.get(0);
  }

  private Scrape scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Scrape.parse(out.toString(StandardCharsets.UTF_8));
  }
}
