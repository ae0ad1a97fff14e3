package dev.obsagent.instrumentation.llm;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole core, as the weaving layer drives it: exact metrics and spans of CONTRACT.md. */
class LlmCallsTest {

  private final TestHarness harness = new TestHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private LlmCall start(String scheme, String host, int port, String path) {
    LlmRequestMatch match = harness.calls.recognize("POST", scheme, host, port, path);
    assertNotNull(match, path);
    LlmCall call = harness.calls.start(match, Context.root());
    assertNotNull(call);
    return call;
  }

  private static void feed(BodyObserver observer, byte[] body, int chunk) {
    for (int at = 0; at < body.length; at += chunk) {
      observer.onBytes(body, at, Math.min(chunk, body.length - at));
    }
  }

  private static Map<String, String> genAi(String provider, String operation, String request, String response, String last, String lastValue) {
    return labels(
        "gen_ai_provider_name", provider, "gen_ai_operation_name", operation, "gen_ai_request_model", request,
        "gen_ai_response_model", response, last, lastValue);
  }

  private static Map<String, String> costLabels(String provider, String request, String type) {
    return labels("gen_ai_provider_name", provider, "gen_ai_request_model", request, "gen_ai_token_type", type);
  }

  @Test
  void streamedOpenAiCallWithUsage() {
    LlmCall call = start("https", "api.openai.com", 443, "/v1/chat/completions");
    byte[] request = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    feed(call.requestBody(), request, 5);
    harness.advanceSeconds(0.25);
    ResponseObserver response = call.onResponse(200, "text/event-stream", "gzip");
    byte[] body = Fixtures.gzip(Fixtures.bytes("openai/chat-stream-usage.sse"));
    harness.advanceSeconds(0.25);
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length);
    direct.put(body).flip();
    response.onBytes(direct.duplicate().limit(10)); // direct buffers, position untouched
    assertEquals(0, direct.position());
    harness.advanceSeconds(1.5);
    response.onBytes(direct.duplicate().position(10));
    response.onComplete();
    response.onComplete(); // a second end is ignored

    Scrape scrape = harness.scrape();
    Map<String, String> op = genAi("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "error_type", "");
    assertEquals(1, scrape.value("gen_ai_client_operation_duration_seconds_count", op));
    assertEquals(2.0, scrape.value("gen_ai_client_operation_duration_seconds_sum", op), 1e-9);
    assertEquals(0.5, scrape.value("gen_ai_client_operation_time_to_first_chunk_seconds_sum", op), 1e-9);
    Map<String, String> input = genAi("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gen_ai_token_type", "input");
    Map<String, String> output = genAi("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gen_ai_token_type", "output");
    assertEquals(9, scrape.value("gen_ai_client_token_usage_sum", input));
    assertEquals(12, scrape.value("gen_ai_client_token_usage_sum", output));
    assertEquals(1, scrape.value("gen_ai_client_token_usage_bucket", withLe(input, "16.0")));
    assertEquals(0, scrape.value("gen_ai_client_token_usage_bucket", withLe(input, "4.0")));
    assertEquals(1.35e-6, scrape.value("gen_ai_client_cost_usd_total", costLabels("openai", "gpt-4o-mini", "input")), 1e-15);
    assertEquals(7.2e-6, scrape.value("gen_ai_client_cost_usd_total", costLabels("openai", "gpt-4o-mini", "output")), 1e-15);
    assertTrue(scrape.find("gen_ai_client_cost_usd_total", costLabels("openai", "gpt-4o-mini", "cache_read")).isEmpty());

    SpanData span = harness.spans().get(0);
    assertEquals("chat gpt-4o-mini", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    Attributes attributes = span.getAttributes();
    assertEquals("chat", attributes.get(AttributeKey.stringKey("gen_ai.operation.name")));
    assertEquals("openai", attributes.get(AttributeKey.stringKey("gen_ai.provider.name")));
    assertEquals("gpt-4o-mini", attributes.get(AttributeKey.stringKey("gen_ai.request.model")));
    assertEquals("gpt-4o-mini-2024-07-18", attributes.get(AttributeKey.stringKey("gen_ai.response.model")));
    assertEquals("chatcmpl-123", attributes.get(AttributeKey.stringKey("gen_ai.response.id")));
    assertEquals(List.of("stop"), attributes.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")));
    assertEquals(9L, attributes.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(12L, attributes.get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
    assertEquals(0L, attributes.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")));
    assertNull(attributes.get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
    assertEquals(true, attributes.get(AttributeKey.booleanKey("gen_ai.request.stream")));
    assertEquals(8.55e-6, attributes.get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-15);
    assertEquals("api.openai.com", attributes.get(AttributeKey.stringKey("server.address")));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  /** Only the eager {@code _other} overflow series exists: nothing was recorded under real labels. */
  private static void assertNoSeries(Scrape scrape, String name) {
    for (Scrape.Sample sample : scrape.find(name, Map.of())) {
      assertTrue(sample.labels.containsValue("_other"), "unexpected " + sample);
    }
  }

  private static Map<String, String> withLe(Map<String, String> labels, String le) {
    Map<String, String> copy = new java.util.LinkedHashMap<>(labels);
    copy.put("le", le);
    return copy;
  }

  @Test
  void anthropicCacheTokensAndNoTimeToFirstChunkWhenNotStreamed() {
    LlmCall call = start("https", "api.anthropic.com", -1, "/v1/messages");
    feed(call.requestBody(), "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024}".getBytes(StandardCharsets.UTF_8), 1000);
    ResponseObserver response = call.onResponse(200, "application/json", null);
    harness.advanceSeconds(3);
    feed(response, Fixtures.bytes("anthropic/messages.json"), 17);
    response.onComplete();

    Scrape scrape = harness.scrape();
    Map<String, String> op = genAi("anthropic", "chat", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "error_type", "");
    assertEquals(1, scrape.value("gen_ai_client_operation_duration_seconds_count", op));
    assertNoSeries(scrape, "gen_ai_client_operation_time_to_first_chunk_seconds_count");
    assertEquals(63e-6, scrape.value("gen_ai_client_cost_usd_total", costLabels("anthropic", "claude-sonnet-4-5", "input")), 1e-15);
    assertEquals(540e-6, scrape.value("gen_ai_client_cost_usd_total", costLabels("anthropic", "claude-sonnet-4-5", "cache_read")), 1e-15);
    assertEquals(705e-6, scrape.value("gen_ai_client_cost_usd_total", costLabels("anthropic", "claude-sonnet-4-5", "cache_write")), 1e-15);
    assertEquals(5895e-6, scrape.value("gen_ai_client_cost_usd_total", costLabels("anthropic", "claude-sonnet-4-5", "output")), 1e-15);
    Attributes attributes = harness.spans().get(0).getAttributes();
    assertEquals(2009L, attributes.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(1800L, attributes.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")));
    assertEquals(188L, attributes.get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
    assertEquals(false, attributes.get(AttributeKey.booleanKey("gen_ai.request.stream")));
  }

  @Test
  void rateLimitedCallIsAnErrorWithoutTokens() {
    LlmCall call = start("https", "api.openai.com", 443, "/v1/chat/completions");
    feed(call.requestBody(), "{\"model\":\"gpt-4o\"}".getBytes(StandardCharsets.UTF_8), 3);
    ResponseObserver response = call.onResponse(429, "application/json", null);
    feed(response, Fixtures.bytes("openai/error-429.json"), 50);
    response.onComplete();

    Scrape scrape = harness.scrape();
    assertEquals(1, scrape.value("gen_ai_client_operation_duration_seconds_count",
        genAi("openai", "chat", "gpt-4o", "", "error_type", "429")));
    assertNoSeries(scrape, "gen_ai_client_token_usage_count");
    assertNoSeries(scrape, "gen_ai_client_cost_usd_total");
    assertNoSeries(scrape, "obs_llm_unpriced_requests_total");
    SpanData span = harness.spans().get(0);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals("429", span.getAttributes().get(AttributeKey.stringKey("error.type")));
  }

  @Test
  void ioErrorsCarryTheExceptionClass() {
    LlmCall call = start("https", "api.openai.com", 443, "/v1/chat/completions");
    ResponseObserver response = call.onResponse(200, "text/event-stream", null);
    feed(response, Fixtures.bytes("openai/chat-stream-usage.sse"), 100);
    response.onError(new IOException("connection reset"));
    call.onError(new IllegalStateException("ignored: already finished"));

    Scrape scrape = harness.scrape();
    assertEquals(1, scrape.value("gen_ai_client_operation_duration_seconds_count",
        genAi("openai", "chat", "", "", "error_type", "java.io.IOException")));
    assertNoSeries(scrape, "gen_ai_client_token_usage_count");
    SpanData span = harness.spans().get(0);
    assertEquals("chat", span.getName());
    assertEquals("java.io.IOException", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals("exception", span.getEvents().get(0).getName());
  }

  @Test
  void connectFailureBeforeAnyResponse() {
    LlmCall call = start("https", "api.anthropic.com", 443, "/v1/messages");
    call.onError(new java.net.ConnectException("refused"));
    assertEquals(1, harness.scrape().value("gen_ai_client_operation_duration_seconds_count",
        genAi("anthropic", "chat", "", "", "error_type", "java.net.ConnectException")));
  }

  @Test
  void unknownModelIsCountedPerCallAndWarnedOnce() {
    for (int i = 0; i < 3; i++) {
      LlmCall call = start("http", "localhost", 11434, "/api/chat");
      feed(call.requestBody(), "{\"model\":\"llama3.2\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8), 4);
      ResponseObserver response = call.onResponse(200, "application/x-ndjson", null);
      feed(response, Fixtures.bytes("ollama/chat-stream.ndjson"), 33);
      response.onComplete();
    }
    Scrape scrape = harness.scrape();
    assertEquals(3, scrape.value("obs_llm_unpriced_requests_total",
        labels("gen_ai_provider_name", "ollama", "gen_ai_request_model", "llama3.2")));
    assertEquals(3 * 282, scrape.value("gen_ai_client_token_usage_sum",
        genAi("ollama", "chat", "llama3.2", "llama3.2", "gen_ai_token_type", "output")));
    assertNoSeries(scrape, "gen_ai_client_cost_usd_total");
    String log = harness.log();
    assertEquals(1, log.split("no price for LLM model 'llama3.2'", -1).length - 1, log);
    assertEquals(true, harness.spans().get(0).getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")),
        "Ollama streams unless told otherwise");
  }

  @Test
  void unparseableBodyRecordsDurationButNoTokens() {
    LlmCall call = start("https", "api.openai.com", 443, "/v1/chat/completions");
    ResponseObserver response = call.onResponse(200, "application/json", null);
    feed(response, "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5,".getBytes(StandardCharsets.UTF_8), 4);
    response.onComplete();
    assertTrue(response.unparseable());
    Scrape scrape = harness.scrape();
    assertEquals(1, scrape.value("gen_ai_client_operation_duration_seconds_count",
        genAi("openai", "chat", "", "", "error_type", "")));
    assertNoSeries(scrape, "gen_ai_client_token_usage_count");
    assertNoSeries(scrape, "obs_llm_unpriced_requests_total");
  }

  @Test
  void azureDeploymentIsTheRequestModel() {
    LlmCall call = start("https", "acme.openai.azure.com", 443, "/openai/deployments/prod-chat/chat/completions");
    ResponseObserver response = call.onResponse(200, "application/json; charset=utf-8", null);
    feed(response, Fixtures.bytes("azure/chat.json"), 64);
    response.onComplete();
    assertEquals(430e-6, harness.scrape().value("gen_ai_client_cost_usd_total", costLabels("azure.ai.openai", "prod-chat", "input"))
        + harness.scrape().value("gen_ai_client_cost_usd_total", costLabels("azure.ai.openai", "prod-chat", "output")), 1e-15);
    assertEquals("chat prod-chat", harness.spans().get(0).getName());
  }

  @Test
  void bedrockStreamTakesTheModelFromThePath() {
    LlmCall call = start("https", "bedrock-runtime.us-east-1.amazonaws.com", 443,
        "/model/amazon.nova-lite-v1%3A0/converse-stream");
    feed(call.requestBody(), "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}".getBytes(StandardCharsets.UTF_8), 8);
    ResponseObserver response = call.onResponse(200, "application/vnd.amazon.eventstream", null);
    harness.advanceSeconds(0.1);
    feed(response, Fixtures.body("bedrock/converse-stream.events"), 29);
    harness.advanceSeconds(0.9);
    response.onComplete();
    Scrape scrape = harness.scrape();
    Map<String, String> op = genAi("aws.bedrock", "chat", "amazon.nova-lite-v1:0", "", "error_type", "");
    assertEquals(0.1, scrape.value("gen_ai_client_operation_time_to_first_chunk_seconds_sum", op), 1e-9);
    assertEquals(1.0, scrape.value("gen_ai_client_operation_duration_seconds_sum", op), 1e-9);
    assertEquals(10.32e-6,
        scrape.value("gen_ai_client_cost_usd_total", costLabels("aws.bedrock", "amazon.nova-lite-v1:0", "input"))
            + scrape.value("gen_ai_client_cost_usd_total", costLabels("aws.bedrock", "amazon.nova-lite-v1:0", "output")),
        1e-15);
    assertEquals("chat amazon.nova-lite-v1:0", harness.spans().get(0).getName());
  }

  @Test
  void theLlmSpanParentsTheHttpClientSpan() {
    LlmCall call = start("https", "api.openai.com", 443, "/v1/embeddings");
    feed(call.requestBody(), "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}".getBytes(StandardCharsets.UTF_8), 7);
    io.opentelemetry.api.trace.Span http =
        harness.tracerProvider.get("http").spanBuilder("POST").setParent(call.context()).startSpan();
    http.end();
    ResponseObserver response = call.onResponse(200, "application/json", null);
    feed(response, Fixtures.bytes("openai/embeddings.json"), 1000);
    response.onComplete();
    List<SpanData> spans = harness.spans();
    assertEquals(spans.get(1).getSpanId(), spans.get(0).getParentSpanId());
    assertEquals("embeddings text-embedding-3-small", spans.get(1).getName());
  }
}
