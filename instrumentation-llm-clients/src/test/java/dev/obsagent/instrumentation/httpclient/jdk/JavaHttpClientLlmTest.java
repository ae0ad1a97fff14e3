package dev.obsagent.instrumentation.httpclient.jdk;

import static dev.obsagent.instrumentation.httpclient.jdk.TestAgent.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LLM API calls made with the raw JDK {@code HttpClient} against {@link FakeLlmServer}: exact
 * tokens, cost, spans and time to first chunk, the application reading exactly the bytes the
 * server sent whatever body handler it uses, and bad answers that cost nothing and break nothing.
 */
class JavaHttpClientLlmTest {

  private static final String TOKENS = "gen_ai_client_token_usage_sum";
  private static final String TOKEN_COUNT = "gen_ai_client_token_usage_count";
  private static final String OPERATIONS = "gen_ai_client_operation_duration_seconds_count";
  private static final String FIRST_CHUNK = "gen_ai_client_operation_time_to_first_chunk_seconds_count";
  private static final String COST = "gen_ai_client_cost_usd_total";
  private static final String HTTP = "http_client_request_duration_seconds_count";
  private static final String SSE = "text/event-stream; charset=utf-8";

  private static InProcessAgent agent;
  private static FakeLlmServer server;
  private final HttpClient client = HttpClient.newHttpClient();

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

  static Map<String, String> tokens(String provider, String operation, String request, String response, String type) {
    return Scrape.labels(
        "gen_ai_provider_name", provider, "gen_ai_operation_name", operation, "gen_ai_request_model", request,
        "gen_ai_response_model", response, "gen_ai_token_type", type);
  }

  static Map<String, String> operation(String provider, String operation, String request, String response, String errorType) {
    return Scrape.labels(
        "gen_ai_provider_name", provider, "gen_ai_operation_name", operation, "gen_ai_request_model", request,
        "gen_ai_response_model", response, "error_type", errorType);
  }

  static Map<String, String> cost(String provider, String request, String type) {
    return Scrape.labels("gen_ai_provider_name", provider, "gen_ai_request_model", request, "gen_ai_token_type", type);
  }

  static Map<String, String> http(String host, String status, String errorType) {
    return Scrape.labels(
        "http_request_method", "POST", "server_address", host, "http_response_status_code", status, "error_type", errorType);
  }

  /** How much a series grew between two scrapes. */
  static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
    return value(after, name, labels) - value(before, name, labels);
  }

  private HttpRequest post(String pathAndQuery, String json) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer sk-test")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** The gen_ai span, and the HTTP span that must be its child and the source of traceparent. */
  private static SpanData[] llmAndHttpSpans(String llmName) {
    List<SpanData> spans = agent.spans();
    assertEquals(2, spans.size(), "spans: " + spans);
    SpanData llm = spans.stream().filter(s -> s.getName().equals(llmName)).findFirst().orElseThrow(() -> new AssertionError(spans.toString()));
    SpanData http = spans.stream().filter(s -> s.getName().equals("POST")).findFirst().orElseThrow(() -> new AssertionError(spans.toString()));
    assertEquals(SpanKind.CLIENT, llm.getKind());
    assertEquals(SpanKind.CLIENT, http.getKind());
    assertEquals(llm.getSpanId(), http.getParentSpanId(), "the HTTP span is a child of the gen_ai span");
    assertEquals(llm.getTraceId(), http.getTraceId());
    String traceparent = server.lastReceived().header("traceparent");
    assertEquals("00-" + http.getTraceId() + "-" + http.getSpanId() + "-" + http.getSpanContext().getTraceFlags().asHex(), traceparent);
    return new SpanData[] {llm, http};
  }

  private static final String OPENAI_STREAM_REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";

  /** The ways an application can take a body from {@code HttpClient}: each must see the same bytes. */
  enum Handler {
    STRING {
      @Override
      byte[] read(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body().getBytes(StandardCharsets.UTF_8);
      }
    },
    BYTE_ARRAY {
      @Override
      byte[] read(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
      }
    },
    INPUT_STREAM {
      @Override
      byte[] read(HttpClient client, HttpRequest request) throws Exception {
        try (InputStream in = client.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
          return in.readAllBytes();
        }
      }
    },
    LINES {
      @Override
      byte[] read(HttpClient client, HttpRequest request) throws Exception {
        try (Stream<String> lines = client.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
          return lines.map(line -> line + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8);
        }
      }
    },
    ASYNC_STRING {
      @Override
      byte[] read(HttpClient client, HttpRequest request) throws Exception {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get().body().getBytes(StandardCharsets.UTF_8);
      }
    };

    abstract byte[] read(HttpClient client, HttpRequest request) throws Exception;
  }

  @ParameterizedTest
  @EnumSource(Handler.class)
  void openAiStreamWithUsageIsCountedExactlyWhateverTheBodyHandler(Handler handler) throws Exception {
    Reply reply = Reply.stream(SSE, Fixtures.bytes("openai/chat-stream-usage.sse"), 20);
    server.answer("/v1/chat/completions", reply);
    Scrape before = agent.scrape();

    byte[] body = handler.read(client, post("/v1/chat/completions", OPENAI_STREAM_REQUEST));

    assertArrayEquals(reply.bytes(), body, "the application reads the stream as sent");
    assertEquals(OPENAI_STREAM_REQUEST, server.lastReceived().bodyText(), "the request body went out unchanged");
    assertEquals("Bearer sk-test", server.lastReceived().header("Authorization"));
    // Ends with the body, which every handler has read to the end before this point: exact now.
    TestAgent.awaitIncrease(agent, before, OPERATIONS, operation("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", ""), 1);
    Scrape after = agent.scrape();
    assertEquals(9, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "input")));
    assertEquals(12, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "output")));
    assertEquals(1.35e-6, delta(before, after, COST, cost("openai", "gpt-4o-mini", "input")), 1e-15);
    assertEquals(7.2e-6, delta(before, after, COST, cost("openai", "gpt-4o-mini", "output")), 1e-15);
    assertEquals(1, delta(before, after, FIRST_CHUNK, operation("openai", "chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "")));
    assertEquals(1, delta(before, after, HTTP, http("127.0.0.1", "200", "")));

    SpanData[] spans = llmAndHttpSpans("chat gpt-4o-mini");
    Attributes llm = spans[0].getAttributes();
    assertEquals("openai", llm.get(AttributeKey.stringKey("gen_ai.provider.name")));
    assertEquals("gpt-4o-mini-2024-07-18", llm.get(AttributeKey.stringKey("gen_ai.response.model")));
    assertEquals("chatcmpl-123", llm.get(AttributeKey.stringKey("gen_ai.response.id")));
    assertEquals(List.of("stop"), llm.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")));
    assertEquals(9L, llm.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(12L, llm.get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
    assertEquals(true, llm.get(AttributeKey.booleanKey("gen_ai.request.stream")));
    assertEquals(8.55e-6, llm.get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-15);
    assertEquals(server.baseUrl() + "/v1/chat/completions", spans[1].getAttributes().get(AttributeKey.stringKey("url.full")));
    assertTrue(spans[0].getEndEpochNanos() >= spans[1].getEndEpochNanos(), "the LLM call ends with the body, after the headers");
  }

  @Test
  void applicationClosingAStreamEarlyEndsTheCallWithoutTokens() throws Exception {
    Reply reply = Reply.stream(SSE, Fixtures.bytes("openai/chat-stream-usage.sse"), 50);
    server.answer("/v1/chat/completions", reply);
    String request = OPENAI_STREAM_REQUEST.replace("gpt-4o-mini", "closed-early-model");
    Scrape before = agent.scrape();
    try (InputStream in = client.send(post("/v1/chat/completions", request), HttpResponse.BodyHandlers.ofInputStream()).body()) {
      byte[] first = new byte[10];
      assertEquals(10, in.readNBytes(first, 0, 10));
      assertArrayEquals(Arrays.copyOf(reply.bytes(), 10), first);
    }
    // The first event had arrived whole (the next comes 50 ms later): its model is known.
    Scrape after =
        TestAgent.awaitIncrease(agent, before, OPERATIONS, operation("openai", "chat", "closed-early-model", "gpt-4o-mini-2024-07-18", ""), 1);
    assertEquals(List.of(), after.find(TOKEN_COUNT, Scrape.labels("gen_ai_request_model", "closed-early-model")));
  }

  @Test
  void geminiGenerateContent() throws Exception {
    Reply reply = Reply.json(Fixtures.bytes("gemini/generate.json"));
    server.answer("/v1beta/models/gemini-2.5-flash:generateContent", reply);
    Scrape before = agent.scrape();

    HttpResponse<byte[]> response =
        client.send(post("/v1beta/models/gemini-2.5-flash:generateContent?key=secret-key",
            "{\"contents\":[{\"parts\":[{\"text\":\"Explain caching\"}]}]}"), HttpResponse.BodyHandlers.ofByteArray());

    assertArrayEquals(reply.bytes(), response.body());
    Scrape after = agent.scrape();
    Map<String, String> op = operation("gcp.gemini", "generate_content", "gemini-2.5-flash", "gemini-2.5-flash", "");
    assertEquals(1, delta(before, after, OPERATIONS, op));
    assertEquals(0, delta(before, after, FIRST_CHUNK, op), "not streamed");
    assertEquals(4200, delta(before, after, TOKENS, tokens("gcp.gemini", "generate_content", "gemini-2.5-flash", "gemini-2.5-flash", "input")));
    assertEquals(440, delta(before, after, TOKENS, tokens("gcp.gemini", "generate_content", "gemini-2.5-flash", "gemini-2.5-flash", "output")));
    assertEquals(60e-6, delta(before, after, COST, cost("gcp.gemini", "gemini-2.5-flash", "input")), 1e-12);
    assertEquals(120e-6, delta(before, after, COST, cost("gcp.gemini", "gemini-2.5-flash", "cache_read")), 1e-12);
    assertEquals(1100e-6, delta(before, after, COST, cost("gcp.gemini", "gemini-2.5-flash", "output")), 1e-12);

    SpanData[] spans = llmAndHttpSpans("generate_content gemini-2.5-flash");
    assertEquals(1280e-6, spans[0].getAttributes().get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-12);
    assertEquals(server.baseUrl() + "/v1beta/models/gemini-2.5-flash:generateContent",
        spans[1].getAttributes().get(AttributeKey.stringKey("url.full")), "no query string: it carries the key");
    assertEquals("key=secret-key", server.lastReceived().query);
  }

  @Test
  void geminiStreamGenerateContentOverSse() throws Exception {
    Reply reply = Reply.stream(SSE, Fixtures.bytes("gemini/stream.sse"), 20);
    server.answer("/v1beta/models/gemini-2.0-flash:streamGenerateContent", reply);
    Scrape before = agent.scrape();

    HttpResponse<String> response =
        client.send(post("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
            "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}"), HttpResponse.BodyHandlers.ofString());

    assertArrayEquals(reply.bytes(), response.body().getBytes(StandardCharsets.UTF_8));
    Scrape after = agent.scrape();
    Map<String, String> op = operation("gcp.gemini", "generate_content", "gemini-2.0-flash", "gemini-2.0-flash-001", "");
    assertEquals(1, delta(before, after, OPERATIONS, op));
    assertEquals(1, delta(before, after, FIRST_CHUNK, op));
    assertEquals(10, delta(before, after, TOKENS, tokens("gcp.gemini", "generate_content", "gemini-2.0-flash", "gemini-2.0-flash-001", "input")));
    assertEquals(9, delta(before, after, TOKENS, tokens("gcp.gemini", "generate_content", "gemini-2.0-flash", "gemini-2.0-flash-001", "output")));
    SpanData[] spans = llmAndHttpSpans("generate_content gemini-2.0-flash");
    assertEquals(4.6e-6, spans[0].getAttributes().get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-15);
    assertEquals(true, spans[0].getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")));
  }

  @Test
  void ollamaChatNdjsonStreamThroughAProxy() throws Exception {
    // Ollama's generic /api/chat counts only on an Ollama host: the client sends to
    // http://ollama:11434 through an HTTP proxy, which is the fake server.
    Reply reply = Reply.stream("application/x-ndjson", Fixtures.bytes("ollama/chat-stream.ndjson"), 10);
    server.answer("/api/chat", reply);
    HttpClient proxied =
        HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", server.port()))).build();
    Scrape before = agent.scrape();

    HttpResponse<InputStream> response =
        proxied.send(
            HttpRequest.newBuilder(URI.create("http://ollama:11434/api/chat"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readAllBytes();
    }

    assertArrayEquals(reply.bytes(), body);
    Scrape after = TestAgent.awaitIncrease(agent, before, OPERATIONS, operation("ollama", "chat", "llama3.2", "llama3.2", ""), 1);
    assertEquals(26, delta(before, after, TOKENS, tokens("ollama", "chat", "llama3.2", "llama3.2", "input")));
    assertEquals(282, delta(before, after, TOKENS, tokens("ollama", "chat", "llama3.2", "llama3.2", "output")));
    assertEquals(1, delta(before, after, FIRST_CHUNK, operation("ollama", "chat", "llama3.2", "llama3.2", "")), "Ollama streams by default");
    assertEquals(1, delta(before, after, HTTP, http("ollama", "200", "")));
    assertEquals(List.of(), after.find(COST, Scrape.labels("gen_ai_provider_name", "ollama")), "no price, no cost");
    SpanData[] spans = llmAndHttpSpans("chat llama3.2");
    assertEquals("http://ollama:11434/api/chat", spans[1].getAttributes().get(AttributeKey.stringKey("url.full")));
    assertNull(spans[0].getAttributes().get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")));
  }

  // Bad input: the application gets exactly what the server sent; the call is recorded, its
  // tokens are not guessed.

  private Scrape sendExpectingNoTokens(Reply reply, String model, byte[] expectedBody) throws Exception {
    server.answer("/v1/chat/completions", reply);
    Scrape before = agent.scrape();
    HttpResponse<byte[]> response =
        client.send(post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[]}"), HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(expectedBody, response.body());
    Scrape after = agent.scrape();
    assertEquals(List.of(), after.find(TOKEN_COUNT, Scrape.labels("gen_ai_request_model", model)));
    assertEquals(List.of(), after.find(COST, Scrape.labels("gen_ai_request_model", model)));
    assertEquals(0, value(after, "obs_agent_instrumentation_errors_total", Scrape.labels("instrumentation", "java-http-client"))
        - value(before, "obs_agent_instrumentation_errors_total", Scrape.labels("instrumentation", "java-http-client")));
    return after;
  }

  @Test
  void malformedJsonIsRecordedWithoutTokens() throws Exception {
    byte[] body = "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":9,,}".getBytes(StandardCharsets.UTF_8);
    Scrape after = sendExpectingNoTokens(Reply.json(body), "malformed-json-model", body);
    assertEquals(1, value(after, OPERATIONS, operation("openai", "chat", "malformed-json-model", "", "")));
  }

  @Test
  void streamCutMidEventIsRecordedWithoutTokens() throws Exception {
    byte[] whole = Fixtures.bytes("openai/chat-stream-usage.sse");
    int cut = new String(whole, StandardCharsets.UTF_8).indexOf("\"usage\":{\"prompt_tokens\"") + 20;
    byte[] first = Arrays.copyOfRange(whole, 0, 200);
    byte[] second = Arrays.copyOfRange(whole, 200, cut);
    Reply reply = Reply.chunks(SSE, 10, first, second);
    Scrape after = sendExpectingNoTokens(reply, "cut-stream-model", reply.bytes());
    assertEquals(1, after.find(OPERATIONS, Scrape.labels("gen_ai_request_model", "cut-stream-model")).stream().mapToDouble(s -> s.value).sum());
  }

  @Test
  void emptyBodyIsRecordedWithoutTokens() throws Exception {
    Scrape after = sendExpectingNoTokens(Reply.json(new byte[0]), "empty-body-model", new byte[0]);
    assertEquals(1, value(after, OPERATIONS, operation("openai", "chat", "empty-body-model", "", "")));
  }

  @Test
  void rateLimitAnswerFailsTheCallWith429() throws Exception {
    byte[] error = Fixtures.bytes("openai/error-429.json");
    Scrape before = agent.scrape();
    Scrape after = sendExpectingNoTokens(Reply.of(429, "application/json", error), "rate-limited-model", error);
    assertEquals(1, value(after, OPERATIONS, operation("openai", "chat", "rate-limited-model", "", "429")));
    assertEquals(1, delta(before, after, HTTP, http("127.0.0.1", "429", "429")));
    SpanData[] spans = llmAndHttpSpans("chat rate-limited-model");
    for (SpanData span : spans) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals("429", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    }
  }

  @Test
  void gzippedAnswerIsReadByTheAgentAndPassedOnCompressed() throws Exception {
    byte[] json = Fixtures.bytes("openai/chat.json");
    server.answer("/v1/chat/completions", Reply.json(json).gzipped());
    Scrape before = agent.scrape();
    HttpResponse<byte[]> response =
        client.send(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}"), HttpResponse.BodyHandlers.ofByteArray());

    // java.net.http does not decompress: the application gets the gzip bytes, as without the agent.
    assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
    assertArrayEquals(Fixtures.gzip(json), response.body());
    Scrape after = agent.scrape();
    assertEquals(1117, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", "input")));
    assertEquals(46, delta(before, after, TOKENS, tokens("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", "output")));
    assertEquals(1972.5e-6, llmAndHttpSpans("chat gpt-4o")[0].getAttributes().get(AttributeKey.doubleKey("obs.gen_ai.cost_usd")), 1e-12);
  }
}
