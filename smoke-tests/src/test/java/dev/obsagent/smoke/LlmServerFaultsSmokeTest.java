package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.Scrape;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An LLM provider that answers badly: malformed JSON, a stream cut in the middle of an event, a
 * stream dripping one byte at a time, a gzip body, a 20 MB body. The demo app runs twice, with
 * and without the agent, against the same provider: every answer the application gives must be
 * the same in both, the agent must record every call, and nothing of the agent's may fail.
 */
class LlmServerFaultsSmokeTest {

  /** The demo's endpoint and the fault its question asks for. */
  private static final List<String> CALLS = List.of(
      "/assistant/ask?q=fault-malformed",
      "/assistant/ask?q=fault-gzip",
      "/assistant/ask?q=fault-huge",
      "/assistant/stream?q=fault-cut",
      "/assistant/stream?q=fault-drip",
      "/assistant/ask?q=all+fine");

  /** The calls whose answer carries a usage count: gzip, huge, drip (its last chunk) and the good one. */
  private static final int CALLS_WITH_USAGE = 4;

  private static FaultyLlmServer llm;
  private static FakeOtlpBackend backend;
  private static AppProcess withAgent;
  private static AppProcess withoutAgent;

  @BeforeAll
  static void start() {
    llm = FaultyLlmServer.start();
    backend = FakeOtlpBackend.start();
    Map<String, String> environment = Map.of(
        "OPENAI_API_KEY", "sk-test-not-a-key",
        "DEMO_LLM_BASE_URL", llm.baseUrl(),
        "DEMO_REDIS_PORT", String.valueOf(DemoAppSmokeTest.NO_REDIS_PORT));
    withAgent = AppProcess.start(
        "llm-faults-agent", JavaRuntime.current(), Artifacts.demoApp(), AgentArgs.exportingTo(backend), environment);
    withoutAgent = AppProcess.startWithoutAgent("llm-faults-plain", JavaRuntime.current(), Artifacts.demoApp(), environment);
    withAgent.appPort();
    withoutAgent.appPort();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {withAgent, withoutAgent, backend, llm}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception ignored) {
        // stopping anyway
      }
    }
  }

  @Test
  void theApplicationAnswersAsWithoutTheAgentAndEveryCallIsRecorded() {
    for (String call : CALLS) {
      HttpResponse<String> plain = withoutAgent.get(call);
      HttpResponse<String> observed = withAgent.get(call);
      System.out.printf("  %-36s without agent %d (%d chars), with agent %d (%d chars)%n",
          call, plain.statusCode(), plain.body().length(), observed.statusCode(), observed.body().length());
      assertEquals(plain.statusCode(), observed.statusCode(), call);
      if (plain.statusCode() == 200) {
        // An error page quotes stack frames, which differ with any agent; an answer may not.
        assertEquals(plain.body(), observed.body(), call);
      }
    }
    assertTrue(withoutAgent.get("/assistant/ask?q=fault-huge").body().length() > FaultyLlmServer.HUGE_CONTENT_BYTES);

    Scrape scrape = Poll.until("every LLM call recorded", withAgent::scrape,
        s -> sum(s, "gen_ai_client_operation_duration_seconds_count", Map.of()) >= CALLS.size());
    assertEquals(CALLS.size(), sum(scrape, "gen_ai_client_operation_duration_seconds_count", Map.of()));
    assertEquals(31.0 * CALLS_WITH_USAGE,
        sum(scrape, "gen_ai_client_token_usage_sum", Scrape.labels("gen_ai_token_type", "input")));
    assertEquals(1, sum(scrape, "gen_ai_client_operation_time_to_first_chunk_seconds_count", Map.of()),
        "the dripping stream; the cut one failed");
    assertEquals(0, sum(scrape, "obs_agent_instrumentation_errors_total", Map.of()), "errors inside the agent");
    assertEquals(List.of(), withAgent.agentLog("WARN"));
    assertEquals(List.of(), withAgent.agentLog("ERROR"));
  }

  private static double sum(Scrape scrape, String metric, Map<String, String> labels) {
    return scrape.find(metric, labels).stream().mapToDouble(sample -> sample.value).sum();
  }
}
