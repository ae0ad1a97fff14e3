package dev.obsagent.okhttptest.sdk;

import static dev.obsagent.okhttptest.Observed.traceparentOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.okhttptest.LlmSeries;
import dev.obsagent.okhttptest.Observed;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java SDK (on OkHttp 4) against {@link FakeLlmServer}: no code of ours in
 * the application, yet exact tokens, cost and spans for chat completions (whole and streamed,
 * with and without {@code include_usage}), the Responses API and embeddings.
 */
class OpenAiSdkTest {

  private static final String SSE = "text/event-stream; charset=utf-8";

  private static Observed observed;
  private static FakeLlmServer server;
  private static OpenAIClient client;

  private double errorsBefore;

  @BeforeAll
  static void start() throws IOException {
    observed = Observed.install();
    server = FakeLlmServer.start();
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("sk-test-not-a-key").maxRetries(0).build();
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

  private static LlmSeries series(String operation, String requestModel, String responseModel) {
    return LlmSeries.of(observed, "openai", operation, requestModel, responseModel, "");
  }

  private static SpanData assertSpans(String llmName) {
    SpanData llm = observed.llmSpan();
    SpanData http = observed.httpSpan();
    assertEquals(llmName, llm.getName());
    assertEquals(llm.getSpanId(), http.getParentSpanId(), "the gen_ai span is the HTTP span's parent");
    assertEquals(traceparentOf(http), server.lastReceived().header("traceparent"));
    assertNotNull(server.lastReceived().header("x-stainless-lang"), "the SDK's own headers are sent as they were");
    assertEquals("Bearer sk-test-not-a-key", server.lastReceived().header("authorization"));
    assertTrue(!http.getAttributes().toString().contains("sk-test") && !llm.getAttributes().toString().contains("sk-test"),
        "the key appears nowhere");
    return llm;
  }

  private static ChatCompletionCreateParams chat(ChatModel model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void chatCompletion() {
    server.answer("/v1/chat/completions", Reply.json(Fixtures.bytes("openai/chat.json")));
    LlmSeries before = series("chat", "gpt-4o", "gpt-4o-2024-08-06");
    ChatCompletion completion = client.chat().completions().create(chat(ChatModel.GPT_4O));
    assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", completion.id());
    assertEquals(1117L, completion.usage().get().promptTokens());

    LlmSeries after = series("chat", "gpt-4o", "gpt-4o-2024-08-06");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 1117, after.input);
    assertEquals(before.output + 46, after.output);
    assertEquals(before.ttfc, after.ttfc);
    after.assertCostsAdded(before, 232.5e-6, 460e-6, 1280e-6, 0);
    SpanData span = assertSpans("chat gpt-4o");
    assertEquals(1972.5e-6, span.getAttributes().get(Observed.COST_USD), 1e-12);
    assertEquals(1024L, span.getAttributes().get(Observed.CACHE_READ_TOKENS));
  }

  @Test
  void chatCompletionStreamWithUsage() {
    server.answer("/v1/chat/completions", Reply.stream(SSE, Fixtures.bytes("openai/chat-stream-usage.sse"), 10));
    LlmSeries before = series("chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    ChatCompletionCreateParams params = chat(ChatModel.GPT_4O_MINI).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().collect(Collectors.toList());
    }
    assertEquals(12L, chunks.get(chunks.size() - 1).usage().get().completionTokens());
    assertTrue(server.lastReceived().bodyText().contains("\"include_usage\":true"), server.lastReceived().bodyText());

    LlmSeries after = series("chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc + 1, after.ttfc, "time to first chunk");
    assertEquals(before.input + 9, after.input);
    assertEquals(before.output + 12, after.output);
    after.assertCostsAdded(before, 1.35e-6, 7.2e-6, 0, 0);
    SpanData span = assertSpans("chat gpt-4o-mini");
    assertEquals(true, span.getAttributes().get(Observed.REQUEST_STREAM));
    assertEquals(List.of("stop"), span.getAttributes().get(Observed.FINISH_REASONS));
  }

  @Test
  void chatCompletionStreamWithoutUsageCountsNoTokens() {
    server.answer("/v1/chat/completions", Reply.stream(SSE, Fixtures.bytes("openai/chat-stream-no-usage.sse"), 10));
    LlmSeries before = series("chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(ChatModel.GPT_4O_MINI))) {
      assertTrue(stream.stream().count() > 2);
    }
    LlmSeries after = series("chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc + 1, after.ttfc);
    assertEquals(before.tokenSamples, after.tokenSamples, "no usage in the stream: no tokens, never an estimate");
    SpanData span = assertSpans("chat gpt-4o-mini");
    assertNull(span.getAttributes().get(Observed.INPUT_TOKENS));
    assertNull(span.getAttributes().get(Observed.COST_USD));
  }

  @Test
  void responses() {
    server.answer("/v1/responses", Reply.json(Fixtures.bytes("openai/responses.json")));
    LlmSeries before = series("chat", "gpt-4.1", "gpt-4.1-2025-04-14");
    Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-4.1").input("Tell me a story").build());
    assertEquals("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", response.id());
    LlmSeries after = series("chat", "gpt-4.1", "gpt-4.1-2025-04-14");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 36, after.input);
    assertEquals(before.output + 87, after.output);
    after.assertCostsAdded(before, 72e-6, 696e-6, 0, 0);
    assertEquals(768e-6, assertSpans("chat gpt-4.1").getAttributes().get(Observed.COST_USD), 1e-12);
  }

  @Test
  void responsesStream() {
    server.answer("/v1/responses", Reply.stream(SSE, Fixtures.bytes("openai/responses-stream.sse"), 10));
    LlmSeries before = series("chat", "o4-mini", "o4-mini-2025-04-16");
    ResponseCreateParams params = ResponseCreateParams.builder().model("o4-mini").input("Tell me a story").build();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      assertTrue(stream.stream().anyMatch(ResponseStreamEvent::isCompleted));
    }
    LlmSeries after = series("chat", "o4-mini", "o4-mini-2025-04-16");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc + 1, after.ttfc);
    assertEquals(before.input + 2048, after.input);
    assertEquals(before.output + 300, after.output);
    // o4-mini: 512 x 1.10 + 1536 x 0.275 + 300 x 4.40 per million
    after.assertCostsAdded(before, 563.2e-6, 1320e-6, 422.4e-6, 0);
    assertEquals(2305.6e-6, assertSpans("chat o4-mini").getAttributes().get(Observed.COST_USD), 1e-12);
  }

  @Test
  void embeddings() {
    server.answer("/v1/embeddings", Reply.json(Fixtures.bytes("openai/embeddings.json")));
    LlmSeries before = series("embeddings", "text-embedding-3-small", "text-embedding-3-small");
    CreateEmbeddingResponse response = client.embeddings().create(
        EmbeddingCreateParams.builder().model("text-embedding-3-small").input("The food was delicious").build());
    assertEquals(8L, response.usage().promptTokens());
    LlmSeries after = series("embeddings", "text-embedding-3-small", "text-embedding-3-small");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 8, after.input);
    after.assertCostsAdded(before, 0.16e-6, 0, 0, 0);
    assertSpans("embeddings text-embedding-3-small");
  }

  /**
   * The SDK retries a 429 by calling OkHttp's {@code execute()} again: each attempt is its own
   * HTTP call (and its own failed LLM call), each with its own span and traceparent.
   */
  @Test
  void eachRetryOfA429IsItsOwnCall() {
    server.answer("/v1/chat/completions", Reply.of(429, "application/json", Fixtures.bytes("openai/error-429.json")));
    double http = observed.httpCount("POST", "127.0.0.1", "429", "429");
    LlmSeries before = LlmSeries.of(observed, "openai", "chat", "gpt-4o", "", "429");
    int receivedBefore = server.received().size();
    OpenAIClient retrying = client.withOptions(options -> options.maxRetries(1));
    assertThrows(RateLimitException.class, () -> retrying.chat().completions().create(chat(ChatModel.GPT_4O)));
    List<FakeLlmServer.Received> attempts = server.received().subList(receivedBefore, server.received().size());
    assertEquals(2, attempts.size(), "one try and one retry");
    assertEquals("0", attempts.get(0).header("x-stainless-retry-count"));
    assertEquals("1", attempts.get(1).header("x-stainless-retry-count"));
    assertEquals(http + 2, observed.httpCount("POST", "127.0.0.1", "429", "429"));
    LlmSeries after = LlmSeries.of(observed, "openai", "chat", "gpt-4o", "", "429");
    assertEquals(before.calls + 2, after.calls);
    assertEquals(before.tokenSamples, after.tokenSamples);
    List<SpanData> spans = observed.awaitClientSpans(4);
    assertEquals(4, spans.size(), "a gen_ai and an HTTP span per attempt");
    assertTrue(!attempts.get(0).header("traceparent").equals(attempts.get(1).header("traceparent")));
  }

  @Test
  void asyncClientChatCompletion() throws Exception {
    server.answer("/v1/chat/completions", Reply.json(Fixtures.bytes("openai/chat.json")));
    LlmSeries before = series("chat", "gpt-4o", "gpt-4o-2024-08-06");
    ChatCompletion completion =
        client.async().chat().completions().create(chat(ChatModel.GPT_4O)).get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(1117L, completion.usage().get().promptTokens());

    LlmSeries after = awaitCalls("chat", "gpt-4o", "gpt-4o-2024-08-06", before.calls + 1);
    assertEquals(before.input + 1117, after.input);
    assertEquals(before.output + 46, after.output);
    after.assertCostsAdded(before, 232.5e-6, 460e-6, 1280e-6, 0);
    assertSpans("chat gpt-4o");
  }

  @Test
  void asyncClientStreamWithUsage() throws Exception {
    server.answer("/v1/chat/completions", Reply.stream(SSE, Fixtures.bytes("openai/chat-stream-usage.sse"), 10));
    LlmSeries before = series("chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    ChatCompletionCreateParams params = chat(ChatModel.GPT_4O_MINI).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();
    client.async().chat().completions().createStreaming(params)
        .subscribe(chunks::add)
        .onCompleteFuture()
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(12L, chunks.get(chunks.size() - 1).usage().get().completionTokens());

    LlmSeries after = awaitCalls("chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", before.calls + 1);
    assertEquals(before.ttfc + 1, after.ttfc, "time to first chunk");
    assertEquals(before.input + 9, after.input);
    assertEquals(before.output + 12, after.output);
    after.assertCostsAdded(before, 1.35e-6, 7.2e-6, 0, 0);
    assertEquals(true, assertSpans("chat gpt-4o-mini").getAttributes().get(Observed.REQUEST_STREAM));
  }

  /** Async calls finish on the client's threads, a moment after the application's future. */
  private static LlmSeries awaitCalls(String operation, String requestModel, String responseModel, double calls)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    LlmSeries series = series(operation, requestModel, responseModel);
    while (series.calls < calls && System.nanoTime() < deadline) {
      Thread.sleep(20);
      series = series(operation, requestModel, responseModel);
    }
    assertEquals(calls, series.calls);
    return series;
  }
}
