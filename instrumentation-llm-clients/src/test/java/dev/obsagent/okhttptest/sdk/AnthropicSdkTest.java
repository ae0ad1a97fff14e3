package dev.obsagent.okhttptest.sdk;

import static dev.obsagent.okhttptest.Observed.traceparentOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.okhttptest.LlmSeries;
import dev.obsagent.okhttptest.Observed;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official anthropic-java SDK (on OkHttp 4) against {@link FakeLlmServer}: messages whole and
 * streamed, with prompt caching: cache reads and writes counted apart and priced per token type.
 */
class AnthropicSdkTest {

  private static Observed observed;
  private static FakeLlmServer server;
  private static AnthropicClient client;

  private double errorsBefore;

  @BeforeAll
  static void start() throws IOException {
    observed = Observed.install();
    server = FakeLlmServer.start();
    client = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-ant-test-not-a-key").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    observed.agent.clearSpans();
    errorsBefore = observed.instrumentationErrors();
  }

  @AfterEach
  void agentRaisedNothing() {
    assertEquals(errorsBefore, observed.instrumentationErrors(), "throwables suppressed inside the agent");
  }

  private static MessageCreateParams params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage("Hello, Claude").build();
  }

  private static SpanData assertSpans(String llmName) {
    SpanData llm = observed.llmSpan();
    SpanData http = observed.httpSpan();
    assertEquals(llmName, llm.getName());
    assertEquals(llm.getSpanId(), http.getParentSpanId(), "the gen_ai span is the HTTP span's parent");
    assertEquals(traceparentOf(http), server.lastReceived().header("traceparent"));
    assertNotNull(server.lastReceived().header("anthropic-version"), "the SDK's own headers are sent as they were");
    // anthropic-java 3.x sends the key it was built with as a bearer token
    assertEquals("Bearer sk-ant-test-not-a-key", server.lastReceived().header("authorization"));
    assertTrue(!llm.getAttributes().toString().contains("sk-ant"), "the key appears nowhere");
    return llm;
  }

  @Test
  void messageWithPromptCaching() {
    server.answer("/v1/messages", Reply.json(Fixtures.bytes("anthropic/messages.json")));
    LlmSeries before = LlmSeries.of(observed, "anthropic", "chat", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "");
    Message message = client.messages().create(params("claude-sonnet-4-5"));
    assertEquals("msg_013Zva2CMHLNnXjNJJKqJ2EF", message.id());
    assertEquals(1800L, message.usage().cacheReadInputTokens().get());

    LlmSeries after = LlmSeries.of(observed, "anthropic", "chat", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 2009, after.input, "input counts cached tokens too: 21 + 1800 read + 188 written");
    assertEquals(before.output + 393, after.output);
    // claude-sonnet-4-5: 21 x 3 + 393 x 15 + 1800 x 0.30 + 188 x 3.75 per million
    after.assertCostsAdded(before, 63e-6, 5895e-6, 540e-6, 705e-6);
    SpanData span = assertSpans("chat claude-sonnet-4-5");
    assertEquals(1800L, span.getAttributes().get(Observed.CACHE_READ_TOKENS));
    assertEquals(188L, span.getAttributes().get(Observed.CACHE_CREATION_TOKENS));
    assertEquals(7203e-6, span.getAttributes().get(Observed.COST_USD), 1e-12);
  }

  @Test
  void streamedMessage() {
    server.answer("/v1/messages", Reply.stream("text/event-stream; charset=utf-8", Fixtures.bytes("anthropic/messages-stream.sse"), 10));
    LlmSeries before = LlmSeries.of(observed, "anthropic", "chat", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "");
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("claude-haiku-4-5"))) {
      assertTrue(stream.stream().anyMatch(RawMessageStreamEvent::isMessageStop));
    }
    LlmSeries after = LlmSeries.of(observed, "anthropic", "chat", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc + 1, after.ttfc, "time to first chunk");
    assertEquals(before.input + 2073, after.input);
    assertEquals(before.output + 15, after.output, "message_delta's cumulative count, not a sum");
    // claude-haiku-4-5: 25 x 1 + 15 x 5 + 2048 x 0.10 per million
    after.assertCostsAdded(before, 25e-6, 75e-6, 204.8e-6, 0);
    SpanData span = assertSpans("chat claude-haiku-4-5");
    assertEquals(true, span.getAttributes().get(Observed.REQUEST_STREAM));
    assertEquals(304.8e-6, span.getAttributes().get(Observed.COST_USD), 1e-12);
  }
}
