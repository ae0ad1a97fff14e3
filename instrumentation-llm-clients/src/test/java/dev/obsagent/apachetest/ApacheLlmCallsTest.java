package dev.obsagent.apachetest;

import static dev.obsagent.apachetest.ApacheTestSupport.LOOPBACK_DNS;
import static dev.obsagent.apachetest.ApacheTestSupport.awaitSpans;
import static dev.obsagent.apachetest.ApacheTestSupport.httpCount;
import static dev.obsagent.apachetest.ApacheTestSupport.traceparentOf;
import static dev.obsagent.apachetest.ApacheTestSupport.withoutFlags;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LLM API calls made with the classic Apache client against the fake provider server: exact
 * tokens and cost, the gen_ai span as parent of the HTTP span, and the application reading
 * exactly the bytes the server sent.
 */
class ApacheLlmCallsTest {

  private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<Double> COST = AttributeKey.doubleKey("obs.gen_ai.cost_usd");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");

  private static InProcessAgent agent;
  private static FakeLlmServer server;
  private static CloseableHttpClient client;

  @BeforeAll
  static void start() throws IOException {
    agent = ApacheTestSupport.agent();
    server = FakeLlmServer.start();
    client = builder().build();
  }

  private static HttpClientBuilder builder() {
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(LOOPBACK_DNS).build());
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
    server.received().clear();
  }

  private static String url(String host, String path) {
    return "http://" + host + ":" + server.port() + path;
  }

  private static HttpPost post(String url, String json) {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer sk-test-secret");
    post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return post;
  }

  /** The whole body as the application reads it with {@code EntityUtils}, inside a response handler. */
  private static byte[] readWhole(HttpPost post) throws IOException {
    return client.execute(post, response -> EntityUtils.toByteArray(response.getEntity()));
  }

  /** The body read as a streaming application does: small reads, then close. */
  private static byte[] readInSmallPieces(CloseableHttpClient with, HttpPost post) throws IOException {
    try (ClassicHttpResponse response = with.executeOpen(null, post, null)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = response.getEntity().getContent()) {
        byte[] buffer = new byte[7];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
      }
      return out.toByteArray();
    }
  }

  /** The gen_ai span of this name and the one HTTP span under it, whose traceparent the server got. */
  private static SpanData[] llmAndHttpSpans(String llmSpanName) {
    List<SpanData> spans = awaitSpans(s -> s.stream().anyMatch(x -> x.getName().equals(llmSpanName)));
    List<SpanData> llm = spans.stream().filter(s -> s.getName().equals(llmSpanName)).collect(Collectors.toList());
    assertEquals(1, llm.size(), spans.toString());
    List<SpanData> http = spans.stream()
        .filter(s -> s.getName().equals("POST") && s.getParentSpanId().equals(llm.get(0).getSpanId()))
        .collect(Collectors.toList());
    assertEquals(1, http.size(), "one HTTP span under the gen_ai span: " + spans);
    assertEquals(SpanKind.CLIENT, llm.get(0).getKind());
    assertEquals(SpanKind.CLIENT, http.get(0).getKind());
    assertEquals(traceparentOf(http.get(0)), withoutFlags(server.lastReceived().header("traceparent")));
    return new SpanData[] {llm.get(0), http.get(0)};
  }

  private static void assertTokensAndCost(
      LlmMetrics.Snapshot before, LlmMetrics.Snapshot after, long input, long output, double cost) {
    assertEquals(1, after.calls - before.calls, "one gen_ai operation");
    assertEquals(input, after.inputTokens - before.inputTokens);
    assertEquals(output, after.outputTokens - before.outputTokens);
    assertEquals(cost, after.cost() - before.cost(), 1e-12);
  }

  @Test
  void geminiGenerateContent() throws Exception {
    Reply reply = Reply.json(Fixtures.bytes("gemini/generate.json"));
    server.answer("/v1beta/models/gemini-2.5-flash:generateContent", reply);
    LlmMetrics gemini = new LlmMetrics("gcp.gemini", "generate_content", "gemini-2.5-flash", "gemini-2.5-flash");
    String host = "generativelanguage.googleapis.com";
    LlmMetrics.Snapshot before = gemini.snapshot();
    double httpBefore = httpCount("POST", host, "200", "");
    String request = "{\"contents\":[{\"parts\":[{\"text\":\"Explain caching\"}]}]}";

    byte[] body = readWhole(post(url(host, "/v1beta/models/gemini-2.5-flash:generateContent?key=AIza-secret"), request));

    assertArrayEquals(reply.bytes(), body);
    assertEquals(request, server.lastReceived().bodyText());
    LlmMetrics.Snapshot after = gemini.snapshot();
    // 200 x 0.30 + 4000 cached x 0.03 + (120 + 320) x 2.50 per million
    assertTokensAndCost(before, after, 4200, 440, 1280e-6);
    assertEquals(1, httpCount("POST", host, "200", "") - httpBefore);
    SpanData[] spans = llmAndHttpSpans("generate_content gemini-2.5-flash");
    assertEquals(4200L, spans[0].getAttributes().get(INPUT_TOKENS));
    assertEquals(440L, spans[0].getAttributes().get(OUTPUT_TOKENS));
    assertEquals(1280e-6, spans[0].getAttributes().get(COST), 1e-12);
    assertEquals("http://" + host + ":" + server.port() + "/v1beta/models/gemini-2.5-flash:generateContent",
        spans[1].getAttributes().get(URL_FULL));
    assertFalse(agent.spans().toString().contains("AIza-secret"));
    assertFalse(agent.spans().toString().contains("sk-test-secret"));
  }

  @Test
  void geminiStreamGenerateContentSse() throws Exception {
    Reply reply = Reply.stream("text/event-stream", Fixtures.bytes("gemini/stream.sse"), 20);
    server.answer("/v1beta/models/gemini-2.0-flash:streamGenerateContent", reply);
    LlmMetrics gemini = new LlmMetrics("gcp.gemini", "generate_content", "gemini-2.0-flash", "gemini-2.0-flash-001");
    LlmMetrics.Snapshot before = gemini.snapshot();

    byte[] body = readInSmallPieces(client, post(
        url("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"),
        "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}"));

    assertArrayEquals(reply.bytes(), body);
    LlmMetrics.Snapshot after = gemini.snapshot();
    // the last usageMetadata wins: 10 x 0.10 + 9 x 0.40 per million
    assertTokensAndCost(before, after, 10, 9, 4.6e-6);
    assertEquals(1, after.firstChunks - before.firstChunks, "a streamed call has a time to first chunk");
    SpanData[] spans = llmAndHttpSpans("generate_content gemini-2.0-flash");
    assertEquals(true, spans[0].getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")));
  }

  @Test
  void mistralChatStreaming() throws Exception {
    Reply reply = Reply.stream("text/event-stream", Fixtures.bytes("mistral/chat-stream.sse"), 20);
    server.answer("/v1/chat/completions", reply);
    LlmMetrics mistral = new LlmMetrics("mistral_ai", "chat", "mistral-large-latest", "mistral-large-latest");
    LlmMetrics.Snapshot before = mistral.snapshot();
    String request = "{\"model\":\"mistral-large-latest\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Salut\"}]}";

    byte[] body = readInSmallPieces(client, post(url("api.mistral.ai", "/v1/chat/completions"), request));

    assertArrayEquals(reply.bytes(), body);
    assertEquals(request, server.lastReceived().bodyText());
    LlmMetrics.Snapshot after = mistral.snapshot();
    // 10 x 2.00 + 20 x 6.00 per million
    assertTokensAndCost(before, after, 10, 20, 140e-6);
    assertEquals(1, after.firstChunks - before.firstChunks);
    llmAndHttpSpans("chat mistral-large-latest");
  }

  @Test
  void cohereV2ChatWithANonRepeatableRequestBody() throws Exception {
    Reply reply = Reply.json(Fixtures.bytes("cohere/chat.json"));
    server.answer("/v2/chat", reply);
    LlmMetrics cohere = new LlmMetrics("cohere", "chat", "command-a-03-2025", "");
    LlmMetrics.Snapshot before = cohere.snapshot();
    byte[] request = "{\"model\":\"command-a-03-2025\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about LLMs\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    HttpPost post = new HttpPost(url("api.cohere.com", "/v2/chat"));
    // A stream the client can read once: the agent must not read it itself.
    InputStreamEntity entity = new InputStreamEntity(new ByteArrayInputStream(request), -1, ContentType.APPLICATION_JSON);
    post.setEntity(entity);

    byte[] body = readWhole(post);

    assertArrayEquals(reply.bytes(), body);
    assertArrayEquals(request, server.lastReceived().body);
    assertTrue(post.getEntity() == entity, "the application's entity is put back");
    LlmMetrics.Snapshot after = cohere.snapshot();
    // billed units: 17 x 2.50 + 148 x 10.00 per million
    assertTokensAndCost(before, after, 17, 148, 1522.5e-6);
    llmAndHttpSpans("chat command-a-03-2025");
  }

  @Test
  void azureOpenAiDeploymentPath() throws Exception {
    Reply reply = Reply.json(Fixtures.bytes("azure/chat.json"));
    server.answer("/openai/deployments/prod-chat/chat/completions", reply);
    LlmMetrics azure = new LlmMetrics("azure.ai.openai", "chat", "prod-chat", "gpt-4o-2024-05-13");
    String host = "myco.openai.azure.com";
    LlmMetrics.Snapshot before = azure.snapshot();

    byte[] body = readWhole(post(url(host, "/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21"),
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));

    assertArrayEquals(reply.bytes(), body);
    assertEquals("api-version=2024-10-21", server.lastReceived().query);
    LlmMetrics.Snapshot after = azure.snapshot();
    // priced by the response model gpt-4o: 40 x 2.50 + 33 x 10.00 per million
    assertTokensAndCost(before, after, 40, 33, 430e-6);
    SpanData[] spans = llmAndHttpSpans("chat prod-chat");
    assertEquals("http://" + host + ":" + server.port() + "/openai/deployments/prod-chat/chat/completions",
        spans[1].getAttributes().get(URL_FULL));
  }

  @Test
  void gzipDecodedByTheClientIsReadDecoded() throws Exception {
    byte[] json = Fixtures.bytes("openai/chat.json");
    server.answer("/v1/chat/completions", Reply.json(json).gzipped());
    LlmMetrics openai = new LlmMetrics("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06");
    LlmMetrics.Snapshot before = openai.snapshot();

    byte[] body = readWhole(post(url("api.openai.com", "/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"messages\":[]}"));

    assertArrayEquals(json, body, "the client decompressed; the application reads the JSON");
    // 93 uncached x 2.50 + 1024 cached x 1.25 + 46 x 10.00 per million
    assertTokensAndCost(before, openai.snapshot(), 1117, 46, 1972.5e-6);
  }

  @Test
  void gzipLeftCompressedByTheClientIsReadCompressed() throws Exception {
    byte[] json = Fixtures.bytes("openai/chat.json");
    Reply reply = Reply.json(json).gzipped();
    server.answer("/v1/chat/completions", reply);
    LlmMetrics openai = new LlmMetrics("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06");
    LlmMetrics.Snapshot before = openai.snapshot();

    byte[] body;
    try (CloseableHttpClient raw = builder().disableContentCompression().build()) {
      body = readInSmallPieces(raw, post(url("api.openai.com", "/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"messages\":[]}"));
    }

    assertArrayEquals(reply.bytes(), body, "the application reads the gzip bytes the server sent");
    assertTokensAndCost(before, openai.snapshot(), 1117, 46, 1972.5e-6);
  }

  @Test
  void rateLimited429IsAnErrorForHttpAndGenAi() throws Exception {
    Reply reply = Reply.of(429, "application/json", Fixtures.bytes("openai/error-429.json"));
    server.answer("/v1/chat/completions", reply);
    LlmMetrics openai = new LlmMetrics("openai", "chat", "gpt-4o-mini", "");
    LlmMetrics.Snapshot before = openai.snapshot("429");
    double httpBefore = httpCount("POST", "api.openai.com", "429", "429");

    byte[] body = readWhole(post(url("api.openai.com", "/v1/chat/completions"), "{\"model\":\"gpt-4o-mini\",\"messages\":[]}"));

    assertArrayEquals(reply.bytes(), body);
    LlmMetrics.Snapshot after = openai.snapshot("429");
    assertEquals(1, after.calls - before.calls);
    assertEquals(0, after.tokenSamples - before.tokenSamples, "no tokens for an error answer");
    assertEquals(0, after.cost() - before.cost());
    assertEquals(1, httpCount("POST", "api.openai.com", "429", "429") - httpBefore);
    SpanData[] spans = llmAndHttpSpans("chat gpt-4o-mini");
    assertEquals(StatusCode.ERROR, spans[0].getStatus().getStatusCode());
    assertEquals("429", spans[0].getAttributes().get(AttributeKey.stringKey("error.type")));
  }

  @Test
  void malformedJsonIsPassedOnAndCountsNoTokens() throws Exception {
    byte[] malformed = "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":12,,}"
        .getBytes(StandardCharsets.UTF_8);
    badBody(Reply.json(malformed), "gpt-4o-mini-malformed");
  }

  @Test
  void aStreamCutMidEventIsPassedOnAndCountsNoTokens() throws Exception {
    byte[] stream = Fixtures.bytes("openai/chat-stream-usage.sse");
    byte[] first = java.util.Arrays.copyOf(stream, 200);
    byte[] cut = java.util.Arrays.copyOfRange(stream, 200, 260);
    badBody(Reply.chunks("text/event-stream", 10, first, cut), "gpt-4o-mini-cut");
  }

  @Test
  void anEmptyBodyIsPassedOnAndCountsNoTokens() throws Exception {
    badBody(Reply.json(new byte[0]), "gpt-4o-mini-empty");
  }

  /** The application reads the bad body unchanged; the call is measured, with no tokens and no cost. */
  private static void badBody(Reply reply, String model) throws Exception {
    server.answer("/v1/chat/completions", reply);
    byte[] body = readInSmallPieces(client, post(url("api.openai.com", "/v1/chat/completions"),
        "{\"model\":\"" + model + "\",\"messages\":[]}"));

    assertArrayEquals(reply.bytes(), body);
    SpanData[] spans = llmAndHttpSpans("chat " + model);
    assertNull(spans[0].getAttributes().get(INPUT_TOKENS));
    assertNull(spans[0].getAttributes().get(OUTPUT_TOKENS));
    assertNull(spans[0].getAttributes().get(COST));
    List<dev.obsagent.testing.Scrape.Sample> tokens = agent.scrape().find("gen_ai_client_token_usage_count",
        dev.obsagent.testing.Scrape.labels("gen_ai_request_model", model));
    assertTrue(tokens.isEmpty(), "no token series: " + tokens);
    assertEquals(1.0, agent.scrape().find("gen_ai_client_operation_duration_seconds_count",
        dev.obsagent.testing.Scrape.labels("gen_ai_request_model", model)).stream().mapToDouble(s -> s.value).sum());
  }

  @Test
  void aConnectionDroppedMidBodyFailsTheCallAndReachesTheApplication() throws Exception {
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "40\r\ndata: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[]}\n\n").getBytes(StandardCharsets.UTF_8);
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serverThread = new Thread(() -> {
        try (Socket connection = socket.accept()) {
          InputStream in = connection.getInputStream();
          byte[] buffer = new byte[8192];
          in.read(buffer); // the request
          OutputStream out = connection.getOutputStream();
          out.write(head); // a 64-byte chunk announced, 54 bytes sent, then the connection closes
          out.flush();
        } catch (IOException ignored) {
          // the test fails on the client side if this server cannot answer
        }
      });
      serverThread.start();
      LlmMetrics openai = new LlmMetrics("openai", "chat", "gpt-4o-mini-dropped", "");
      LlmMetrics.Snapshot before = openai.snapshot(TruncatedChunkException.class.getName());

      HttpPost post = post("http://api.openai.com:" + socket.getLocalPort() + "/v1/chat/completions",
          "{\"model\":\"gpt-4o-mini-dropped\",\"stream\":true,\"messages\":[]}");
      assertThrows(TruncatedChunkException.class, () -> readInSmallPieces(client, post));
      serverThread.join(5000);

      assertEquals(1, openai.snapshot(TruncatedChunkException.class.getName()).calls - before.calls);
    }
  }

  @Test
  void connectionRefusedFailsTheLlmCall() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LlmMetrics openai = new LlmMetrics("openai", "chat", "", "");
    LlmMetrics.Snapshot before = openai.snapshot(HttpHostConnectException.class.getName());
    HttpPost post = post("http://api.openai.com:" + closedPort + "/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");

    assertThrows(HttpHostConnectException.class, () -> readWhole(post));

    // Nothing was written, so the request model is not known.
    assertEquals(1, openai.snapshot(HttpHostConnectException.class.getName()).calls - before.calls);
  }
}
