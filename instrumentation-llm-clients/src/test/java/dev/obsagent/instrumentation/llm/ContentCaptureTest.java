package dev.obsagent.instrumentation.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.obsagent.instrumentation.llm.content.ContentCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code obs.llm.capture-content}: prompts and completions on the span, only when asked for. */
class ContentCaptureTest {

  private static final AttributeKey<String> INPUT = AttributeKey.stringKey("gen_ai.input.messages");
  private static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("gen_ai.output.messages");
  private static final AttributeKey<Boolean> TRUNCATED = AttributeKey.booleanKey("obs.gen_ai.content_truncated");

  @Test
  void offByDefaultNothingOfThePromptOrCompletionIsRecorded() {
    try (TestHarness harness = new TestHarness()) {
      Attributes span = call(harness, "api.openai.com", "/v1/chat/completions",
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"secret prompt\"}]}",
          "application/json", Fixtures.bytes("openai/chat.json"));
      assertNull(span.get(INPUT));
      assertNull(span.get(OUTPUT));
      assertEquals(1117L, span.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    }
  }

  @Test
  void openAiChatMessagesWithStringAndPartContent() {
    try (TestHarness harness = new TestHarness(ContentCapture.on(1000))) {
      Attributes span = call(harness, "api.openai.com", "/v1/chat/completions",
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
              + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Describe\"},"
              + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}",
          "application/json", Fixtures.bytes("openai/chat.json"));
      assertEquals(
          "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
              + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Describe\"}]}]",
          span.get(INPUT));
      assertEquals(
          "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"The image shows a wooden boardwalk"
              + " extending through a lush green marshland. Caf\u00e9 \\\"quotes\\\" and \\\\ backslashes survive.\"}],"
              + "\"finish_reason\":\"stop\"}]",
          span.get(OUTPUT));
      assertNull(span.get(TRUNCATED));
    }
  }

  /** Each provider's stream: the deltas in order make up the one assistant message. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "api.openai.com|/v1/chat/completions|text/event-stream|openai/chat-stream-usage.sse",
    "api.openai.com|/v1/responses|text/event-stream|openai/responses-stream.sse",
    "api.anthropic.com|/v1/messages|text/event-stream|anthropic/messages-stream.sse",
    "api.mistral.ai|/v1/chat/completions|text/event-stream|mistral/chat-stream.sse",
    "api.cohere.com|/v2/chat|text/event-stream|cohere/chat-stream.sse",
    "localhost|/api/chat|application/x-ndjson|ollama/chat-stream.ndjson",
    "generativelanguage.googleapis.com|/v1beta/models/gemini-2.5-flash:streamGenerateContent|text/event-stream|gemini/stream.sse",
    "bedrock-runtime.us-east-1.amazonaws.com|/model/amazon.nova-lite-v1%3A0/converse-stream|application/vnd.amazon.eventstream|bedrock/converse-stream.events",
  })
  void streamedCompletionIsTheDeltasInOrder(String host, String path, String contentType, String fixture) {
    try (TestHarness harness = new TestHarness(ContentCapture.on(1000))) {
      Attributes span = call(harness, host, path, "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
          contentType, Fixtures.body(fixture));
      assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]", span.get(INPUT));
      String output = span.get(OUTPUT);
      assertEquals(expectedStreamText(fixture), textOf(output), output);
    }
  }

  @Test
  void anthropicSystemGeminiContentsAndBarePrompts() {
    try (TestHarness harness = new TestHarness(ContentCapture.on(1000))) {
      Attributes anthropic = call(harness, "api.anthropic.com", "/v1/messages",
          "{\"model\":\"claude-sonnet-4-5\",\"system\":[{\"type\":\"text\",\"text\":\"You are terse.\","
              + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
          "application/json", Fixtures.bytes("anthropic/messages.json"));
      assertEquals(
          "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are terse.\"}]},"
              + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]",
          anthropic.get(INPUT));

      Attributes gemini = call(harness, "generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
          "{\"systemInstruction\":{\"parts\":[{\"text\":\"Rhyme.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Sky?\"}]},"
              + "{\"role\":\"model\",\"parts\":[{\"text\":\"Blue.\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"Sea?\"}]}]}",
          "application/json", Fixtures.bytes("gemini/generate.json"));
      assertEquals(
          "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Rhyme.\"}]},"
              + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Sky?\"}]},"
              + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Blue.\"}]},"
              + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Sea?\"}]}]",
          gemini.get(INPUT));

      Attributes embeddings = call(harness, "api.openai.com", "/v1/embeddings",
          "{\"model\":\"text-embedding-3-small\",\"input\":[\"first\",\"second\"]}",
          "application/json", Fixtures.bytes("openai/embeddings.json"));
      assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"first\"},"
          + "{\"type\":\"text\",\"content\":\"second\"}]}]", embeddings.get(INPUT));
      assertNull(embeddings.get(OUTPUT)); // vectors are not text
    }
  }

  @Test
  void longTextIsCutAtTheLimitAndMarked() {
    try (TestHarness harness = new TestHarness(ContentCapture.on(40))) {
      String longPrompt = "0123456789".repeat(100_000); // 1 MB in one string
      Attributes span = call(harness, "api.openai.com", "/v1/chat/completions",
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}]}",
          "application/json", Fixtures.bytes("openai/chat.json"));
      assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + longPrompt.substring(0, 40) + "\"}]}]",
          span.get(INPUT));
      assertEquals("The image shows a wooden boardwalk exten", textOf(span.get(OUTPUT)));
      assertEquals(true, span.get(TRUNCATED));
      assertEquals(1117L, span.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))); // usage still read
    }
  }

  private static Attributes call(
      TestHarness harness, String host, String path, String requestJson, String contentType, byte[] body) {
    int port = path.startsWith("/api/") ? 11434 : 443; // Ollama's own API is told by its port
    LlmCall call = harness.calls.start(harness.calls.recognize("POST", "https", host, port, path), Context.root());
    byte[] request = requestJson.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < request.length; at += 7) {
      call.requestBody().onBytes(request, at, Math.min(7, request.length - at));
    }
    ResponseObserver response = call.onResponse(200, contentType, null);
    for (byte[] chunk : Fixtures.randomChunks(body, 42)) {
      response.onBytes(chunk, 0, chunk.length);
    }
    response.onComplete();
    List<io.opentelemetry.sdk.trace.data.SpanData> spans = harness.spans();
    return spans.get(spans.size() - 1).getAttributes();
  }

  /** The "content" of the single text part of the single assistant message. */
  private static String textOf(String outputMessages) {
    String prefix = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"";
    if (outputMessages == null || !outputMessages.startsWith(prefix)) {
      return "unexpected: " + outputMessages;
    }
    return outputMessages.substring(prefix.length(), outputMessages.indexOf("\"}]", prefix.length()));
  }

  /** The text deltas of each stream fixture, joined (see the fixture files). */
  private static String expectedStreamText(String fixture) {
    switch (fixture) {
      case "openai/chat-stream-usage.sse":
        return "Hello there!";
      case "openai/responses-stream.sse":
        return "Hi";
      case "anthropic/messages-stream.sse":
        return "Hello!";
      case "mistral/chat-stream.sse":
        return "Bonjour";
      case "cohere/chat-stream.sse":
        return "Hello";
      case "ollama/chat-stream.ndjson":
        return "The sky";
      case "gemini/stream.sse":
        return "The sky is blue.";
      case "bedrock/converse-stream.events":
        return "Hello, world";
      default:
        throw new IllegalArgumentException(fixture);
    }
  }
}
