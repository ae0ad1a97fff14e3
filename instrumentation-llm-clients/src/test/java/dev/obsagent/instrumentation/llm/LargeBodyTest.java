package dev.obsagent.instrumentation.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.instrumentation.llm.endpoint.LlmRequestMatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 50 MB bodies pass through in bounded memory and time: nothing is buffered, the observer
 * retains under 64 KB, and the usage at the very end is still read exactly.
 */
class LargeBodyTest {

  private static final int FIFTY_MB = 50 * 1024 * 1024;
  private static final int CHUNK = 16 * 1024;

  private final TestHarness harness = new TestHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** Writes a body as prefix, then {@code fill} repeated up to 50 MB, then suffix, through one reused chunk array. */
  private static void stream(ResponseObserver observer, String prefix, byte[] fill, String suffix) {
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      chunk[i] = fill[i % fill.length];
    }
    byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
    observer.onBytes(head, 0, head.length);
    int chunkLength = CHUNK - CHUNK % fill.length; // whole repetitions per chunk
    for (long sent = 0; sent < FIFTY_MB; sent += chunkLength) {
      observer.onBytes(chunk, 0, chunkLength);
    }
    byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
    observer.onBytes(tail, 0, tail.length);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private ResponseObserver openAiResponse(String contentType) {
    LlmRequestMatch match = harness.calls.recognize("POST", "https", "api.openai.com", 443, "/v1/chat/completions");
    return harness.calls.start(match, Context.root()).onResponse(200, contentType, null);
  }

  private void assertBounded(ResponseObserver observer, long allocated, long nanos) {
    long retained = RetainedSize.of(observer, LlmCall.class);
    System.out.println("50 MB body: retained ~" + retained + " B, allocated " + allocated + " B, " + nanos / 1_000_000 + " ms");
    assertTrue(retained < 64 * 1024, "observer retains ~" + retained + " bytes");
    assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated + " bytes for a 50 MB body");
    assertTrue(nanos < 20_000_000_000L, "took " + nanos / 1_000_000 + " ms");
  }

  @Test
  void fiftyMegabyteCompletionInOneJsonString() {
    ResponseObserver observer = openAiResponse("application/json");
    long allocatedBefore = allocatedBytes();
    long start = System.nanoTime();
    stream(observer,
        "{\"id\":\"chatcmpl-big\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"",
        "All work and no play makes Jack a dull boy. \\\"Quoted\\\" caf\u00e9 \u20ac ".getBytes(StandardCharsets.UTF_8),
        "\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":13107200}}");
    long nanos = System.nanoTime() - start;
    long allocated = allocatedBytes() - allocatedBefore;
    assertBounded(observer, allocated, nanos);
    observer.onComplete();
    assertFalse(observer.unparseable());
    assertEquals(13107200L,
        harness.spans().get(0).getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
  }

  @Test
  void fiftyMegabyteStreamOfSmallEvents() {
    ResponseObserver observer = openAiResponse("text/event-stream");
    String event = "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"},"
        + "\"finish_reason\":null}],\"usage\":null}\n\n";
    long allocatedBefore = allocatedBytes();
    long start = System.nanoTime();
    stream(observer, "", event.getBytes(StandardCharsets.UTF_8),
        "data: {\"id\":\"chatcmpl-s\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":250000}}\n\n"
            + "data: [DONE]\n\n");
    long nanos = System.nanoTime() - start;
    long allocated = allocatedBytes() - allocatedBefore;
    assertBounded(observer, allocated, nanos);
    observer.onComplete();
    assertEquals(250000L,
        harness.spans().get(0).getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
  }

  @Test
  void fiftyMegabytesOfGzipStayBounded() {
    byte[] event = ("data: {\"choices\":[{\"delta\":{\"content\":\"" + "z".repeat(900) + "\"}}]}\n\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] plain = new byte[event.length * 2000];
    for (int i = 0; i < 2000; i++) {
      System.arraycopy(event, 0, plain, i * event.length, event.length);
    }
    byte[] gzip = Fixtures.gzip(plain); // about 1.8 MB of events per gzip member
    LlmRequestMatch match = harness.calls.recognize("POST", "https", "api.openai.com", 443, "/v1/chat/completions");
    ResponseObserver observer = harness.calls.start(match, Context.root()).onResponse(200, "text/event-stream", "gzip");
    long allocatedBefore = allocatedBytes();
    long start = System.nanoTime();
    for (long sent = 0; sent < FIFTY_MB; sent += plain.length) {
      for (int at = 0; at < gzip.length; at += CHUNK) {
        observer.onBytes(gzip, at, Math.min(CHUNK, gzip.length - at));
      }
    }
    long nanos = System.nanoTime() - start;
    long allocated = allocatedBytes() - allocatedBefore;
    assertFalse(observer.unparseable());
    System.out.println("50 MB of gzip-encoded events: allocated " + allocated + " B, " + nanos / 1_000_000 + " ms");
    assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated);
    assertTrue(nanos < 20_000_000_000L, "took " + nanos / 1_000_000 + " ms");
    observer.onComplete();
    assertEquals(null, harness.spans().get(0).getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")),
        "no usage was sent, none is recorded");
  }
}
