package dev.obsagent.instrumentation.httpclient.jdk;

import static dev.obsagent.instrumentation.httpclient.jdk.JavaHttpClientLlmTest.cost;
import static dev.obsagent.instrumentation.httpclient.jdk.JavaHttpClientLlmTest.delta;
import static dev.obsagent.instrumentation.httpclient.jdk.JavaHttpClientLlmTest.operation;
import static dev.obsagent.instrumentation.httpclient.jdk.JavaHttpClientLlmTest.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI chat models, whose default HTTP client is {@code java.net.http}, against
 * {@link FakeLlmServer}: the agent counts their calls with no code of theirs known to it.
 */
class LangChain4jOpenAiTest {

  private static final String TOKENS = "gen_ai_client_token_usage_sum";
  private static final String OPERATIONS = "gen_ai_client_operation_duration_seconds_count";
  private static final String FIRST_CHUNK = "gen_ai_client_operation_time_to_first_chunk_seconds_count";
  private static final String COST = "gen_ai_client_cost_usd_total";

  private static InProcessAgent agent;
  private static FakeLlmServer server;

  @BeforeAll
  static void start() throws IOException {
    agent = TestAgent.install();
    server = FakeLlmServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    agent.clearSpans();
  }

  @Test
  void chatCall() {
    server.answer("/v1/chat/completions", Reply.json(Fixtures.bytes("openai/chat.json")));
    OpenAiChatModel model =
        OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("sk-test").modelName("gpt-4o").build();
    Scrape before = agent.scrape();

    ChatResponse response = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
        .messages(dev.langchain4j.data.message.UserMessage.from("Hello!")).build());

    assertEquals(1117, response.tokenUsage().inputTokenCount(), "LangChain4j read the answer");
    Scrape after = agent.scrape();
    assertEquals(1, delta(before, after, OPERATIONS, operation("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", "")));
    assertEquals(1117, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", "input")));
    assertEquals(46, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", "output")));
    // gpt-4o: 93 uncached x 2.50 + 1024 cached x 1.25 + 46 x 10.00 per million
    assertEquals(232.5e-6, delta(before, after, COST, cost("openai", "gpt-4o", "input")), 1e-12);
    assertEquals(1280e-6, delta(before, after, COST, cost("openai", "gpt-4o", "cache_read")), 1e-12);
    assertEquals(460e-6, delta(before, after, COST, cost("openai", "gpt-4o", "output")), 1e-12);
    SpanData llm = llmSpanWithHttpChild("chat gpt-4o");
    assertEquals(1972.5e-6, llm.getAttributes().get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-12);
    assertEquals(false, llm.getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")));
  }

  @Test
  void streamingChatCall() throws Exception {
    server.answer("/v1/chat/completions", Reply.stream("text/event-stream; charset=utf-8", Fixtures.bytes("openai/chat-stream-usage.sse"), 20));
    OpenAiStreamingChatModel model =
        OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("sk-test").modelName("gpt-4o-mini").build();
    Scrape before = agent.scrape();

    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    model.chat("Hello!", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        text.append(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    ChatResponse response = done.get(10, TimeUnit.SECONDS);

    assertEquals("Hello there!", text.toString(), "LangChain4j read the whole stream");
    assertEquals(12, response.tokenUsage().outputTokenCount());
    String sent = server.lastReceived().bodyText().replaceAll("\\s", "");
    assertTrue(sent.contains("\"stream\":true,\"stream_options\":{\"include_usage\":true}"), sent);
    Scrape after = TestAgent.awaitIncrease(agent, before, OPERATIONS, operation("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", ""), 1);
    assertEquals(9, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "input")));
    assertEquals(12, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "output")));
    assertEquals(1, delta(before, after, FIRST_CHUNK, operation("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "")));
    assertEquals(1.35e-6, delta(before, after, COST, cost("openai", "gpt-4o-mini", "input")), 1e-15);
    assertEquals(7.2e-6, delta(before, after, COST, cost("openai", "gpt-4o-mini", "output")), 1e-15);
    SpanData llm = llmSpanWithHttpChild("chat gpt-4o-mini");
    assertEquals(8.55e-6, llm.getAttributes().get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-15);
    assertEquals(true, llm.getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")));
  }

  private static SpanData llmSpanWithHttpChild(String name) {
    List<SpanData> spans = agent.awaitSpans(all -> all.size() >= 2, java.time.Duration.ofSeconds(10));
    assertEquals(2, spans.size(), spans.toString());
    SpanData llm = spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(spans.toString()));
    SpanData http = spans.stream().filter(s -> s.getName().equals("POST")).findFirst().orElseThrow(() -> new AssertionError(spans.toString()));
    assertEquals(llm.getSpanId(), http.getParentSpanId());
    assertEquals("00-" + http.getTraceId() + "-" + http.getSpanId() + "-" + http.getSpanContext().getTraceFlags().asHex(),
        server.lastReceived().header("traceparent"));
    return llm;
  }
}
