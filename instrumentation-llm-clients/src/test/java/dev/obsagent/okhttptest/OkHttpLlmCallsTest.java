package dev.obsagent.okhttptest;

import static dev.obsagent.okhttptest.Observed.traceparentOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.instrumentation.llm.FakeLlmServer;
import dev.obsagent.instrumentation.llm.FakeLlmServer.Reply;
import dev.obsagent.instrumentation.llm.Fixtures;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LLM calls made with raw OkHttp against {@link FakeLlmServer}: the gen_ai metrics and span with
 * exact tokens and cost from the fixtures, the HTTP span as its child, and the application reading
 * exactly the bytes, content type, length and exceptions it would read without the agent.
 */
class OkHttpLlmCallsTest {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String EVENTS = "application/vnd.amazon.eventstream";

  private static Observed observed;
  private static FakeLlmServer server;
  private static OkHttpClient client;

  private double errorsBefore;

  @BeforeAll
  static void start() throws IOException {
    observed = Observed.install();
    server = FakeLlmServer.start();
    // api.cohere.com resolves to the fake server: Cohere's generic /v2/chat counts by host.
    Dns loopbackCohere = host -> host.equals("api.cohere.com") ? List.of(InetAddress.getLoopbackAddress()) : Dns.SYSTEM.lookup(host);
    client = new OkHttpClient.Builder().dns(loopbackCohere).readTimeout(10, TimeUnit.SECONDS).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
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

  private static Request post(String url, String json) {
    return new Request.Builder().url(url).post(RequestBody.create(json, JSON)).build();
  }

  private static String chatRequest(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  private static LlmSeries llm(String provider, String requestModel, String responseModel, String errorType) {
    return LlmSeries.of(observed, provider, "chat", requestModel, responseModel, errorType);
  }

  private static void assertCosts(LlmSeries before, LlmSeries after, double input, double output, double cacheRead, double cacheWrite) {
    after.assertCostsAdded(before, input, output, cacheRead, cacheWrite);
  }

  /** The gen_ai span, and the HTTP span as its child, with the server's traceparent naming the HTTP span. */
  private static SpanData assertSpans(String llmName, int status) {
    SpanData llmSpan = observed.llmSpan();
    SpanData http = observed.httpSpan();
    assertEquals(llmName, llmSpan.getName());
    assertEquals("POST", http.getName());
    assertEquals(llmSpan.getSpanId(), http.getParentSpanId(), "the gen_ai span is the HTTP span's parent");
    assertEquals(llmSpan.getTraceId(), http.getTraceId());
    assertEquals((long) status, http.getAttributes().get(Observed.STATUS));
    assertEquals(traceparentOf(http), server.lastReceived().header("traceparent"));
    return llmSpan;
  }

  @Test
  void anOpenAiChatCallHasExactTokensCostAndSpansAndTheApplicationReadsTheSameBytes() throws IOException {
    byte[] fixture = Fixtures.bytes("openai/chat.json");
    server.answer("/v1/chat/completions", Reply.json(fixture));
    LlmSeries before = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    double http = observed.httpCount("POST", "127.0.0.1", "200", "");
    String requestJson = chatRequest("gpt-4o", false);

    byte[] read;
    try (Response response = client.newCall(post(server.baseUrl() + "/v1/chat/completions?api-version=1", requestJson)).execute()) {
      ResponseBody body = response.body();
      assertEquals(MediaType.get("application/json"), body.contentType());
      assertEquals(fixture.length, body.contentLength());
      read = body.bytes();
    }

    assertArrayEquals(fixture, read, "the application reads the server's exact bytes");
    assertEquals(requestJson, server.lastReceived().bodyText(), "the server gets the application's exact body");
    assertEquals("application/json; charset=utf-8", server.lastReceived().header("content-type"));
    LlmSeries after = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc, after.ttfc, "no time to first chunk for a call that did not stream");
    assertEquals(before.input + 1117, after.input);
    assertEquals(before.output + 46, after.output);
    // gpt-4o: 93 uncached x 2.50 + 1024 cached x 1.25 + 46 x 10.00 per million
    assertCosts(before, after, 232.5e-6, 460e-6, 1280e-6, 0);
    assertEquals(http + 1, observed.httpCount("POST", "127.0.0.1", "200", ""));

    SpanData span = assertSpans("chat gpt-4o", 200);
    assertEquals("openai", span.getAttributes().get(Observed.GEN_AI_PROVIDER));
    assertEquals("gpt-4o-2024-08-06", span.getAttributes().get(Observed.RESPONSE_MODEL));
    assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", span.getAttributes().get(Observed.RESPONSE_ID));
    assertEquals(List.of("stop"), span.getAttributes().get(Observed.FINISH_REASONS));
    assertEquals(1117L, span.getAttributes().get(Observed.INPUT_TOKENS));
    assertEquals(46L, span.getAttributes().get(Observed.OUTPUT_TOKENS));
    assertEquals(1024L, span.getAttributes().get(Observed.CACHE_READ_TOKENS));
    assertEquals(false, span.getAttributes().get(Observed.REQUEST_STREAM));
    assertEquals(1972.5e-6, span.getAttributes().get(Observed.COST_USD), 1e-12);
    assertEquals(server.baseUrl() + "/v1/chat/completions", observed.httpSpan().getAttributes().get(Observed.URL_FULL));
  }

  @Test
  void anAsynchronousStreamIsReadEventByEventWithTimeToFirstChunk() throws Exception {
    byte[] fixture = Fixtures.bytes("openai/chat-stream-usage.sse");
    server.answer("/v1/chat/completions", Reply.stream(SSE, fixture, 20));
    LlmSeries before = llm("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "");
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    client.newCall(post(server.baseUrl() + "/v1/chat/completions", chatRequest("gpt-4o-mini", true))).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        read.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (Response r = response) {
          BufferedSource source = r.body().source();
          String line;
          while ((line = source.readUtf8Line()) != null) {
            lines.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
          }
        }
        read.complete(lines.toByteArray());
      }
    });
    assertArrayEquals(fixture, read.get(10, TimeUnit.SECONDS));
    SpanData span = assertSpans("chat gpt-4o-mini", 200);
    LlmSeries after = llm("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc + 1, after.ttfc);
    assertEquals(before.input + 9, after.input);
    assertEquals(before.output + 12, after.output);
    assertEquals(true, span.getAttributes().get(Observed.REQUEST_STREAM));
    assertEquals(8.55e-6, span.getAttributes().get(Observed.COST_USD), 1e-12);
    assertTrue(span.getEndEpochNanos() - span.getStartEpochNanos() >= 20_000_000L * 5, "the gen_ai span lasts until the stream ends");
  }

  @Test
  void aGzipBodyThatOkHttpDecodesIsReadAsTheApplicationReadsIt() throws IOException {
    byte[] fixture = Fixtures.bytes("openai/chat.json");
    server.answer("/v1/chat/completions", Reply.json(fixture).gzipped());
    LlmSeries before = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    try (Response response = client.newCall(post(server.baseUrl() + "/v1/chat/completions", chatRequest("gpt-4o", false))).execute()) {
      assertNull(response.header("Content-Encoding"), "OkHttp decoded it and dropped the header");
      assertEquals(-1, response.body().contentLength());
      assertArrayEquals(fixture, response.body().bytes());
    }
    assertEquals("gzip", server.lastReceived().header("accept-encoding"));
    LlmSeries after = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 1117, after.input);
    assertEquals(before.output + 46, after.output);
  }

  @Test
  void aGzipBodyTheApplicationAskedForItselfStaysCompressedAndIsStillParsed() throws IOException {
    Reply gzipped = Reply.json(Fixtures.bytes("openai/chat.json")).gzipped();
    server.answer("/v1/chat/completions", gzipped);
    LlmSeries before = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    Request request = post(server.baseUrl() + "/v1/chat/completions", chatRequest("gpt-4o", false))
        .newBuilder().header("Accept-Encoding", "gzip").build();
    try (Response response = client.newCall(request).execute()) {
      assertEquals("gzip", response.header("Content-Encoding"));
      assertArrayEquals(gzipped.bytes(), response.body().bytes(), "the compressed bytes, as without the agent");
    }
    LlmSeries after = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 1117, after.input);
  }

  @Test
  void aBedrockConverseStreamIsReadFromItsEventStreamFrames() throws IOException {
    byte[] wire = Fixtures.body("bedrock/converse-stream.events");
    server.answer("/model/amazon.nova-lite-v1%3A0/converse-stream", Reply.stream(EVENTS, wire, 5));
    LlmSeries before = llm("aws.bedrock", "amazon.nova-lite-v1:0", "", "");
    String url = server.baseUrl() + "/model/amazon.nova-lite-v1%3A0/converse-stream";
    byte[] read;
    try (Response response = client.newCall(post(url, "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}")).execute();
        InputStream in = response.body().byteStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[7]; // small reads: frames arrive cut
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
      }
      read = out.toByteArray();
    }
    assertArrayEquals(wire, read);
    SpanData span = assertSpans("chat amazon.nova-lite-v1:0", 200);
    LlmSeries after = llm("aws.bedrock", "amazon.nova-lite-v1:0", "", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.ttfc + 1, after.ttfc);
    assertEquals(before.input + 12, after.input);
    assertEquals(before.output + 40, after.output);
    // amazon.nova-lite: 12 x 0.06 + 40 x 0.24 per million
    assertCosts(before, after, 0.72e-6, 9.6e-6, 0, 0);
    assertEquals(List.of("end_turn"), span.getAttributes().get(Observed.FINISH_REASONS));
  }

  @Test
  void aCohereChatIsRecognisedByItsHost() throws IOException {
    byte[] fixture = Fixtures.bytes("cohere/chat.json");
    server.answer("/v2/chat", Reply.json(fixture));
    LlmSeries before = llm("cohere", "command-a-03-2025", "", "");
    double http = observed.httpCount("POST", "api.cohere.com", "200", "");
    String url = "http://api.cohere.com:" + server.port() + "/v2/chat";
    try (Response response = client.newCall(post(url, chatRequest("command-a-03-2025", false))).execute()) {
      assertEquals(fixture.length, response.body().contentLength());
      assertArrayEquals(fixture, response.body().bytes());
    }
    SpanData span = assertSpans("chat command-a-03-2025", 200);
    LlmSeries after = llm("cohere", "command-a-03-2025", "", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.input + 17, after.input, "billed units, not the processed tokens");
    assertEquals(before.output + 148, after.output);
    assertCosts(before, after, 42.5e-6, 1480e-6, 0, 0);
    assertEquals(http + 1, observed.httpCount("POST", "api.cohere.com", "200", ""));
    assertEquals("cohere", span.getAttributes().get(Observed.GEN_AI_PROVIDER));
    assertEquals(1522.5e-6, span.getAttributes().get(Observed.COST_USD), 1e-12);
  }

  @Test
  void aOneShotRequestBodyIsSentOnceAndStillReadForTheModel() throws IOException {
    server.answer("/v1/chat/completions", Reply.json(Fixtures.bytes("openai/chat.json")));
    byte[] json = chatRequest("gpt-4o", false).getBytes(StandardCharsets.UTF_8);
    int[] writes = {0};
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        writes[0]++;
        for (byte b : json) {
          sink.writeByte(b); // byte by byte, flushed midway, as a streaming writer might
          if (b == ',') {
            sink.flush();
          }
        }
      }
    };
    LlmSeries before = llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "");
    try (Response response = client.newCall(new Request.Builder().url(server.baseUrl() + "/v1/chat/completions").post(oneShot).build()).execute()) {
      response.body().bytes();
    }
    assertEquals(1, writes[0]);
    assertArrayEquals(json, server.lastReceived().body);
    assertEquals(-1, oneShot.contentLength());
    assertEquals("chunked", server.lastReceived().header("transfer-encoding"));
    assertEquals(before.calls + 1, llm("openai", "gpt-4o", "gpt-4o-2024-08-06", "").calls, "the request model came from the body");
  }

  @Test
  void a429WithAJsonErrorFailsBothCallsAndTheApplicationReadsTheError() throws IOException {
    byte[] error = Fixtures.bytes("openai/error-429.json");
    server.answer("/v1/chat/completions", Reply.of(429, "application/json", error));
    LlmSeries before = llm("openai", "gpt-4o", "", "429");
    double http = observed.httpCount("POST", "127.0.0.1", "429", "429");
    try (Response response = client.newCall(post(server.baseUrl() + "/v1/chat/completions", chatRequest("gpt-4o", false))).execute()) {
      assertEquals(429, response.code());
      assertArrayEquals(error, response.body().bytes());
    }
    LlmSeries after = llm("openai", "gpt-4o", "", "429");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.tokenSamples, after.tokenSamples, "no tokens for an error answer");
    assertEquals(http + 1, observed.httpCount("POST", "127.0.0.1", "429", "429"));
    SpanData span = assertSpans("chat gpt-4o", 429);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals("429", span.getAttributes().get(Observed.ERROR_TYPE));
  }

  @Test
  void malformedJsonIsPassedOnAsItIsAndCountsNoTokens() throws IOException {
    byte[] broken = "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1".getBytes(StandardCharsets.UTF_8);
    assertUnparsedButMeasured(Reply.json(broken), broken);
  }

  @Test
  void anEmptyBodyIsPassedOnAndCountsNoTokens() throws IOException {
    assertUnparsedButMeasured(Reply.json(new byte[0]), new byte[0]);
  }

  @Test
  void aStreamCutMidEventIsPassedOnAndCountsNoTokens() throws IOException {
    byte[] stream = Fixtures.bytes("openai/chat-stream-usage.sse");
    byte[] cut = Arrays.copyOf(stream, stream.length - 40); // inside the usage chunk
    assertUnparsedButMeasured(Reply.chunks(SSE, 5, Arrays.copyOf(cut, 200), Arrays.copyOfRange(cut, 200, cut.length)), cut);
  }

  private void assertUnparsedButMeasured(Reply reply, byte[] expected) throws IOException {
    server.answer("/v1/chat/completions", reply);
    LlmSeries before = llm("openai", "gpt-4o", "", "");
    try (Response response = client.newCall(post(server.baseUrl() + "/v1/chat/completions", chatRequest("gpt-4o", false))).execute()) {
      assertArrayEquals(expected, response.body().bytes());
    }
    observed.llmSpan();
    LlmSeries after = llm("openai", "gpt-4o", "", "");
    assertEquals(before.calls + 1, after.calls, "the call is measured");
    assertEquals(before.tokenSamples, after.tokenSamples, "no tokens without a real usage count");
    assertArrayEquals(before.costs, after.costs);
  }

  @Test
  void aBodyClosedUnreadEndsTheCallWithoutTokens() throws IOException {
    server.answer("/v1/chat/completions", Reply.stream(SSE, Fixtures.bytes("openai/chat-stream-usage.sse"), 5));
    LlmSeries before = llm("openai", "gpt-4o-mini", "", "");
    Response response = client.newCall(post(server.baseUrl() + "/v1/chat/completions", chatRequest("gpt-4o-mini", true))).execute();
    assertEquals(200, response.code());
    response.close();
    observed.llmSpan();
    LlmSeries after = llm("openai", "gpt-4o-mini", "", "");
    assertEquals(before.calls + 1, after.calls);
    assertEquals(before.tokenSamples, after.tokenSamples);
  }

  @Test
  void aConnectionCutMidBodyThrowsWhatOkHttpThrowsAndFailsTheLlmCall() throws Exception {
    byte[] partial = Arrays.copyOf(Fixtures.bytes("openai/chat.json"), 100);
    try (ServerSocket cutting = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serverThread = new Thread(() -> {
        try (Socket socket = cutting.accept()) {
          InputStream in = socket.getInputStream();
          // read the request head and its small body
          byte[] buffer = new byte[8192];
          int total = 0;
          String text = "";
          while (!text.contains("\r\n\r\n") || !text.endsWith("}")) {
            int n = in.read(buffer, total, buffer.length - total);
            if (n < 0) {
              break;
            }
            total += n;
            text = new String(buffer, 0, total, StandardCharsets.ISO_8859_1);
          }
          OutputStream out = socket.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 886\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.write(partial);
          out.flush();
        } catch (IOException ignored) {
          // the test's assertions say what matters
        }
      });
      serverThread.start();
      LlmSeries before = llm("openai", "gpt-4o", "", ProtocolException.class.getName());
      double http = observed.httpCount("POST", "127.0.0.1", "200", "");
      String url = "http://127.0.0.1:" + cutting.getLocalPort() + "/v1/chat/completions";
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      IOException thrown;
      try (Response response = client.newCall(post(url, chatRequest("gpt-4o", false))).execute()) {
        InputStream in = response.body().byteStream();
        thrown = assertThrows(IOException.class, () -> {
          byte[] buffer = new byte[64];
          for (int n; (n = in.read(buffer)) != -1; ) {
            read.write(buffer, 0, n);
          }
        });
      }
      serverThread.join(5000);
      assertSame(ProtocolException.class, thrown.getClass());
      assertEquals("unexpected end of stream", thrown.getMessage());
      assertArrayEquals(partial, read.toByteArray(), "every byte that came is passed on");
      SpanData span = observed.llmSpan();
      assertEquals(ProtocolException.class.getName(), span.getAttributes().get(Observed.ERROR_TYPE));
      LlmSeries after = llm("openai", "gpt-4o", "", ProtocolException.class.getName());
      assertEquals(before.calls + 1, after.calls);
      assertEquals(http + 1, observed.httpCount("POST", "127.0.0.1", "200", ""), "the HTTP call got its answer");
    }
  }

  @Test
  void nonLlmPathsOnTheSameServerAreOnlyHttpCalls() throws IOException {
    server.answer("/v1/models", Reply.json("{\"data\":[]}".getBytes(StandardCharsets.UTF_8)));
    double http = observed.httpCount("GET", "127.0.0.1", "200", "");
    try (Response response = client.newCall(new Request.Builder().url(server.baseUrl() + "/v1/models").build()).execute()) {
      assertEquals("{\"data\":[]}", response.body().string());
    }
    assertEquals(http + 1, observed.httpCount("GET", "127.0.0.1", "200", ""));
    assertEquals(1, observed.clientSpans().size(), "no gen_ai span");
    assertEquals(server.baseUrl() + "/v1/models", observed.httpSpan().getAttributes().get(Observed.URL_FULL));
  }
}
