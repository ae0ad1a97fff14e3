package dev.obsagent.instrumentation.llm.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.obsagent.instrumentation.llm.Fixtures;
import dev.obsagent.instrumentation.llm.endpoint.ApiShape;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bodies that are not what they claim: unparseable (null facts), never an exception, never a guess. */
class BadInputTest {

  private static ResponseFacts parse(ApiShape shape, String contentType, String encoding, byte[] body) {
    return Fixtures.parse(shape, contentType, encoding, List.of(body));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void malformedJsonIsUnparseable() {
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", null,
        utf8("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":12,,\"completion_tokens\":3}}")));
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", null, utf8("<html>502 Bad Gateway</html>")));
  }

  @Test
  void jsonCutShortIsUnparseable() {
    byte[] body = Fixtures.bytes("openai/chat.json");
    for (int length = 1; length < body.length - 2; length += 7) {
      assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", null, Arrays.copyOf(body, length)), "cut at " + length);
    }
  }

  @Test
  void streamCutMidEventIsUnparseable() {
    byte[] stream = Fixtures.bytes("anthropic/messages-stream.sse");
    String text = new String(stream, StandardCharsets.UTF_8);
    int midDelta = text.indexOf("\"usage\":{\"output_tokens\":15") + 10;
    assertNull(parse(ApiShape.ANTHROPIC_MESSAGES, "text/event-stream", null, Arrays.copyOf(stream, midDelta)));
  }

  @Test
  void streamCutBetweenEventsKeepsOnlyWhatWasReported() {
    // OpenAI's usage chunk never arrived: no tokens, rather than a guess.
    String text = new String(Fixtures.bytes("openai/chat-stream-usage.sse"), StandardCharsets.UTF_8);
    byte[] cut = utf8(text.substring(0, text.indexOf("data: {", text.indexOf("\"finish_reason\":\"stop\""))));
    ResponseFacts facts = parse(ApiShape.OPENAI_CHAT, "text/event-stream", null, cut);
    assertNotNull(facts);
    assertFalse(facts.usage().any());
    assertEquals(List.of("stop"), facts.finishReasons());
  }

  @Test
  void nonUtf8BytesAreUnparseable() {
    byte[] body = utf8("{\"model\":\"gpt-4o\",\"id\":\"x\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}");
    byte[] latin1 = "{\"model\":\"gpt-4o-caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", null, latin1));
    byte[] garbage = body.clone();
    garbage[1] = (byte) 0xFF;
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", null, garbage));
    assertNull(parse(ApiShape.OPENAI_CHAT, "text/event-stream", null, utf8("data: {\"model\":\"").clone()));
  }

  @Test
  void emptyBodyHasNoFacts() {
    ResponseFacts facts = parse(ApiShape.OPENAI_CHAT, "application/json", null, new byte[0]);
    assertNotNull(facts, "an empty body is not malformed, it just says nothing");
    assertFalse(facts.usage().any());
    assertNull(facts.model());
  }

  @Test
  void undecodableEncodingsAreUnparseable() {
    byte[] body = Fixtures.bytes("openai/chat.json");
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", "br", body));
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", "gzip", body), "claims gzip, is not");
    byte[] gzip = Fixtures.gzip(body);
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", "gzip", Arrays.copyOf(gzip, gzip.length / 2)));
  }

  @Test
  void deflateBodiesAreDecoded() throws Exception {
    byte[] body = Fixtures.bytes("openai/chat.json");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream deflate = new java.util.zip.DeflaterOutputStream(out)) {
      deflate.write(body);
    }
    ResponseFacts facts = Fixtures.parse(ApiShape.OPENAI_CHAT, "application/json", "deflate",
        Fixtures.randomChunks(out.toByteArray(), 7));
    assertNotNull(facts);
    assertEquals(1117, facts.usage().input);
  }

  @Test
  void concatenatedGzipMembersAreFollowed() {
    byte[] body = Fixtures.bytes("ollama/chat-stream.ndjson");
    int half = new String(body, StandardCharsets.UTF_8).indexOf('\n') + 1;
    byte[] first = Fixtures.gzip(Arrays.copyOf(body, half));
    byte[] second = Fixtures.gzip(Arrays.copyOfRange(body, half, body.length));
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    ResponseFacts facts = parse(ApiShape.OLLAMA_CHAT, "application/x-ndjson", "gzip", both);
    assertNotNull(facts);
    assertEquals(282, facts.usage().output);
  }

  @Test
  void eventStreamWithBadCrcIsUnparseable() {
    byte[] body = Fixtures.body("bedrock/converse-stream.events");
    byte[] corrupt = body.clone();
    corrupt[40] ^= 1;
    assertNull(parse(ApiShape.BEDROCK_CONVERSE, "application/vnd.amazon.eventstream", null, corrupt));
    assertNull(parse(ApiShape.BEDROCK_CONVERSE, "application/vnd.amazon.eventstream", null,
        Arrays.copyOf(body, body.length - 2)), "cut inside the last message");
  }

  @Test
  void nestingBeyondTheLimitIsUnparseable() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      deep.append("{\"a\":");
    }
    deep.append("1");
    for (int i = 0; i < 200; i++) {
      deep.append('}');
    }
    assertNull(parse(ApiShape.OPENAI_CHAT, "application/json", null, utf8(deep.toString())));
  }

  @Test
  void theCallersArrayIsNeverModified() {
    byte[] body = Fixtures.gzip(Fixtures.bytes("anthropic/messages.json"));
    byte[] copy = body.clone();
    assertNotNull(parse(ApiShape.ANTHROPIC_MESSAGES, "application/json", "gzip", body));
    assertArrayEquals(copy, body);
  }
}
