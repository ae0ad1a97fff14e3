package dev.obsagent.instrumentation.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.obsagent.instrumentation.llm.endpoint.ApiShape;
import dev.obsagent.instrumentation.llm.pricing.CallCost;
import dev.obsagent.instrumentation.llm.pricing.ModelPrice;
import dev.obsagent.instrumentation.llm.pricing.PriceTable;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider fixture, fed whole, split at every byte, in random chunks, one byte at a time and
 * gzip-compressed: the same exact model, id, finish reasons, token counts and cost each time.
 */
class ProviderFixturesTest {

  static final double UNPRICED = Double.NaN;
  static PriceTable prices;

  @BeforeAll
  static void loadPrices() {
    List<String> warnings = new ArrayList<>();
    prices = PriceTable.load(null, warnings::add);
    assertEquals(List.of(), warnings, "the built-in table loads without warnings");
  }

  /** One fixture and everything it must yield. */
  static final class Case {
    final String file;
    final ApiShape shape;
    final String contentType;
    final String provider;
    final String requestModel;
    final String model;
    final String id;
    final List<String> finishReasons;
    final long[] tokens;
    final double costUsd;

    Case(String file, ApiShape shape, String contentType, String provider, String requestModel, String model, String id,
        List<String> finishReasons, long input, long output, long cacheRead, long cacheWrite, double costUsd) {
      this.file = file;
      this.shape = shape;
      this.contentType = contentType;
      this.provider = provider;
      this.requestModel = requestModel;
      this.model = model;
      this.id = id;
      this.finishReasons = finishReasons;
      this.tokens = new long[] {input, output, cacheRead, cacheWrite};
      this.costUsd = costUsd;
    }

    @Override
    public String toString() {
      return file;
    }
  }

  static final String JSON = "application/json";
  static final String SSE = "text/event-stream; charset=utf-8";
  static final String NDJSON = "application/x-ndjson";
  static final String EVENTS = "application/vnd.amazon.eventstream";

  static Stream<Case> cases() {
    return Stream.of(
        // gpt-4o: 93 uncached x 2.50 + 1024 cached x 1.25 + 46 x 10.00
        new Case("openai/chat.json", ApiShape.OPENAI_CHAT, JSON, "openai", "gpt-4o", "gpt-4o-2024-08-06",
            "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", List.of("stop"), 1117, 46, 1024, -1, 1972.5e-6),
        // gpt-4o-mini: 9 x 0.15 + 12 x 0.60
        new Case("openai/chat-stream-usage.sse", ApiShape.OPENAI_CHAT, SSE, "openai", "gpt-4o-mini",
            "gpt-4o-mini-2024-07-18", "chatcmpl-123", List.of("stop"), 9, 12, 0, -1, 8.55e-6),
        new Case("openai/chat-stream-no-usage.sse", ApiShape.OPENAI_CHAT, SSE, "openai", "gpt-4o-mini",
            "gpt-4o-mini-2024-07-18", "chatcmpl-123", List.of("stop"), -1, -1, -1, -1, UNPRICED),
        // gpt-4.1: 36 x 2.00 + 87 x 8.00
        new Case("openai/responses.json", ApiShape.OPENAI_RESPONSES, JSON, "openai", "gpt-4.1", "gpt-4.1-2025-04-14",
            "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", List.of("completed"), 36, 87, 0, -1, 768e-6),
        // o4-mini: 512 x 1.10 + 1536 x 0.275 + 300 x 4.40
        new Case("openai/responses-stream.sse", ApiShape.OPENAI_RESPONSES, SSE, "openai", "o4-mini",
            "o4-mini-2025-04-16", "resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654", List.of("completed"),
            2048, 300, 1536, -1, 2305.6e-6),
        // text-embedding-3-small: 8 x 0.02
        new Case("openai/embeddings.json", ApiShape.OPENAI_EMBEDDINGS, JSON, "openai", "text-embedding-3-small",
            "text-embedding-3-small", null, List.of(), 8, -1, -1, -1, 0.16e-6),
        // Azure deployment "prod-chat" answered by gpt-4o: 40 x 2.50 + 33 x 10.00
        new Case("azure/chat.json", ApiShape.OPENAI_CHAT, JSON, "azure.ai.openai", "prod-chat", "gpt-4o-2024-05-13",
            "chatcmpl-A1b2C3d4E5f6G7h8", List.of("stop"), 40, 33, -1, -1, 430e-6),
        // claude-sonnet-4-5: 21 x 3 + 1800 x 0.30 + 188 x 3.75 + 393 x 15
        new Case("anthropic/messages.json", ApiShape.ANTHROPIC_MESSAGES, JSON, "anthropic", "claude-sonnet-4-5",
            "claude-sonnet-4-5-20250929", "msg_013Zva2CMHLNnXjNJJKqJ2EF", List.of("end_turn"),
            2009, 393, 1800, 188, 7203e-6),
        // claude-haiku-4-5: 25 x 1 + 2048 x 0.10 + 15 x 5
        new Case("anthropic/messages-stream.sse", ApiShape.ANTHROPIC_MESSAGES, SSE, "anthropic", "claude-haiku-4-5",
            "claude-haiku-4-5-20251001", "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", List.of("end_turn"),
            2073, 15, 2048, 0, 304.8e-6),
        // gemini-2.5-flash: 200 x 0.30 + 4000 x 0.03 + (120 + 320) x 2.50
        new Case("gemini/generate.json", ApiShape.GEMINI_GENERATE_CONTENT, JSON, "gcp.gemini", "gemini-2.5-flash",
            "gemini-2.5-flash", "mAitaLmkHPPlz7IPvtfUqQ4", List.of("STOP"), 4200, 440, 4000, -1, 1280e-6),
        // gemini-2.0-flash, last usageMetadata wins whole: 10 x 0.10 + 9 x 0.40
        new Case("gemini/stream.sse", ApiShape.GEMINI_GENERATE_CONTENT, SSE, "gcp.gemini", "gemini-2.0-flash",
            "gemini-2.0-flash-001", "7tEPaPWuNcOkz7IP4pqD8Ac", List.of("STOP"), 10, 9, -1, -1, 4.6e-6),
        new Case("gemini/stream-array.json", ApiShape.GEMINI_GENERATE_CONTENT, JSON, "gcp.vertex_ai", "gemini-2.0-flash",
            "gemini-2.0-flash-001", "7tEPaPWuNcOkz7IP4pqD8Ac", List.of("STOP"), 10, 9, -1, -1, 4.6e-6),
        // Bedrock claude-3-5-haiku by the vendor's row: 30 x 0.80 + 2000 x 0.08 + 628 x 4.00
        new Case("bedrock/converse.json", ApiShape.BEDROCK_CONVERSE, JSON, "aws.bedrock",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0", null, null, List.of("end_turn"), 2030, 628, 2000, 0, 2696e-6),
        // amazon.nova-lite: 12 x 0.06 + 40 x 0.24
        new Case("bedrock/converse-stream.events", ApiShape.BEDROCK_CONVERSE, EVENTS, "aws.bedrock",
            "amazon.nova-lite-v1:0", null, null, List.of("end_turn"), 12, 40, -1, -1, 10.32e-6),
        new Case("ollama/chat.json", ApiShape.OLLAMA_CHAT, JSON, "ollama", "llama3.2", "llama3.2", null,
            List.of("stop"), 26, 298, -1, -1, UNPRICED),
        new Case("ollama/chat-stream.ndjson", ApiShape.OLLAMA_CHAT, NDJSON, "ollama", "llama3.2", "llama3.2", null,
            List.of("stop"), 26, 282, -1, -1, UNPRICED),
        new Case("ollama/generate-stream.ndjson", ApiShape.OLLAMA_GENERATE, NDJSON, "ollama", "llama3.2", "llama3.2",
            null, List.of("stop"), 31, 259, -1, -1, UNPRICED),
        // mistral-small: 16 x 0.10 + 34 x 0.30
        new Case("mistral/chat.json", ApiShape.OPENAI_CHAT, JSON, "mistral_ai", "mistral-small-latest",
            "mistral-small-latest", "cmpl-e5cc70bb28c444948073e77776eb30ef", List.of("stop"), 16, 34, -1, -1, 11.8e-6),
        // mistral-large: 10 x 2.00 + 20 x 6.00
        new Case("mistral/chat-stream.sse", ApiShape.OPENAI_CHAT, SSE, "mistral_ai", "mistral-large-latest",
            "mistral-large-latest", "9f4b2b5c1c8f4e1d9a6e2b7c3d4e5f60", List.of("stop"), 10, 20, -1, -1, 140e-6),
        // command-a, billed units: 17 x 2.50 + 148 x 10.00
        new Case("cohere/chat.json", ApiShape.COHERE_CHAT, JSON, "cohere", "command-a-03-2025", null,
            "c14c80c3-18eb-4519-9460-6c92edd8cfb4", List.of("COMPLETE"), 17, 148, -1, -1, 1522.5e-6),
        // command-r7b: 3 x 0.0375 + 10 x 0.15
        new Case("cohere/chat-stream.sse", ApiShape.COHERE_CHAT, SSE, "cohere", "command-r7b-12-2024", null,
            "29f14a5a-11de-4cae-9800-25e4747408ea", List.of("COMPLETE"), 3, 10, -1, -1, 1.6125e-6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wholeBody(Case c) {
    byte[] body = Fixtures.body(c.file);
    check(c, Fixtures.parse(c.shape, c.contentType, null, List.of(body)), "whole");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void splitAtEveryByte(Case c) {
    byte[] body = Fixtures.body(c.file);
    for (int at = 0; at <= body.length; at++) {
      check(c, Fixtures.parseSplit(c.shape, c.contentType, null, body, at), "split at " + at);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void oneByteAtATimeAndRandomChunks(Case c) {
    byte[] body = Fixtures.body(c.file);
    List<byte[]> single = new ArrayList<>();
    for (byte b : body) {
      single.add(new byte[] {b});
    }
    check(c, Fixtures.parse(c.shape, c.contentType, null, single), "one byte at a time");
    for (long seed = 1; seed <= 20; seed++) {
      check(c, Fixtures.parse(c.shape, c.contentType, null, Fixtures.randomChunks(body, seed)), "seed " + seed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gzipCompressed(Case c) {
    byte[] gzip = Fixtures.gzip(Fixtures.body(c.file));
    check(c, Fixtures.parse(c.shape, c.contentType, "gzip", List.of(gzip)), "gzip whole");
    for (int at = 0; at <= gzip.length; at++) {
      check(c, Fixtures.parseSplit(c.shape, c.contentType, "gzip", gzip, at), "gzip split at " + at);
    }
    for (long seed = 1; seed <= 5; seed++) {
      check(c, Fixtures.parse(c.shape, c.contentType, "gzip", Fixtures.randomChunks(gzip, seed)), "gzip seed " + seed);
    }
  }

  private static void check(Case c, ResponseFacts facts, String how) {
    String where = c.file + " (" + how + ")";
    assertNotNull(facts, where + " parsed");
    assertEquals(c.model, facts.model(), where + " model");
    assertEquals(c.id, facts.id(), where + " id");
    assertEquals(c.finishReasons, facts.finishReasons(), where + " finish reasons");
    long[] tokens = {facts.usage().input, facts.usage().output, facts.usage().cacheRead, facts.usage().cacheWrite};
    assertEquals(Arrays.toString(c.tokens), Arrays.toString(tokens), where + " input, output, cache read, cache write");
    ModelPrice price = prices.find(c.provider, facts.model(), c.requestModel);
    if (Double.isNaN(c.costUsd)) {
      if (facts.usage().any()) {
        assertNull(price, where + " has no price");
      }
    } else {
      assertNotNull(price, where + " has a price");
      assertEquals(c.costUsd, CallCost.of(price, facts.usage()).total(), 1e-12, where + " cost");
    }
  }
}
