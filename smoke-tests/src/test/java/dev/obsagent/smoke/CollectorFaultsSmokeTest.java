package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.smoke.FaultyCollector.Mode;
import dev.obsagent.smoke.Traffic.Call;
import dev.obsagent.smoke.Traffic.Result;
import dev.obsagent.testing.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CONTRACT.md: "Collector unreachable, slow or failing: the application never waits for export;
 * spans past the bounded queue are dropped and counted in obs_agent_spans_dropped_total."
 *
 * <p>One demo app exports to a {@link FaultyCollector}. First the same steady traffic (plain
 * servlet, SQL, an LLM call) runs against a healthy collector for the baseline; then, one fault
 * at a time, the collector goes down, turns slow, answers 500 or resets every connection while
 * the traffic runs again. Each phase must keep every answer byte-identical, keep its latency
 * (no request waits for an export), count every request in the metrics, keep the heap bounded
 * and log a bounded number of lines; after it the collector is healthy again and spans must flow.
 * The queue is small ({@value #QUEUE} spans) so that a collector that holds the exporter up
 * must make it drop spans.
 *
 * <p>{@code -Dobs.soak=true}: each phase runs {@value #LONG_PHASE_MINUTES} minutes instead of
 * {@value #SHORT_PHASE_SECONDS} seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorFaultsSmokeTest {

  static final boolean LONG = Boolean.getBoolean("obs.soak");
  static final int SHORT_PHASE_SECONDS = 6;
  static final int LONG_PHASE_MINUTES = 2;
  static final Duration PHASE = LONG ? Duration.ofMinutes(LONG_PHASE_MINUTES) : Duration.ofSeconds(SHORT_PHASE_SECONDS);
  static final int QUEUE = 128;
  static final int BATCH = 32;
  /** Client threads: the closed loop keeps both cores busy without queueing requests in Tomcat. */
  static final int CLIENTS = 2;
  /** Heap after GC may grow this much over the healthy phase's: the queue holds 128 spans, a few hundred KiB. */
  static final long HEAP_SLACK_BYTES = 16L << 20;
  /**
   * Log events one phase may add: the agent says export fails once, then at most once every 5
   * minutes; the exporter's own java.util.logging records (stack traces) are silenced.
   */
  static final long MAX_LOG_EVENTS = 1 + PHASE.toMinutes() / 5;
  /** Each of them one line. */
  static final long MAX_LINES_PER_EVENT = 1;

  static final List<Call> CALLS = List.of(DemoCalls.HELLO, DemoCalls.api("/owners/7"), DemoCalls.PETS_OF_OWNER_2, DemoCalls.ASK);

  private FaultyCollector collector;
  private AppProcess app;
  private Traffic traffic;
  private Result healthy;
  private long healthyHeap;

  @BeforeAll
  void startAppAndMeasureTheHealthyBaseline() {
    collector = FaultyCollector.start();
    app = AppProcess.start(getClass().getSimpleName(), JavaRuntime.current(), Artifacts.demoApp(),
        AgentArgs.exportingTo(collector.endpoint())
            .with("otel.bsp.max.queue.size", QUEUE)
            .with("otel.bsp.max.export.batch.size", BATCH),
        Map.of("DEMO_REDIS_PORT", "1"));
    traffic = new Traffic(app);
    traffic.runFor("warm-up", LONG ? Duration.ofSeconds(30) : Duration.ofSeconds(6), CLIENTS, CALLS);
    healthy = traffic.runFor("healthy collector", PHASE, CLIENTS, CALLS);
    healthyHeap = AppMemory.heapAfterGc(app);
    System.out.println("healthy collector: heap after GC " + AppMemory.mib(healthyHeap)
        + ", spans accepted " + collector.acceptedSpans() + ", dropped " + dropped(app.scrape()));
    assertEquals(0, healthy.wrong(), "wrong answers: " + healthy.firstWrong());
    assertTrue(collector.acceptedSpans() > 0, "the healthy collector got no span");
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @ParameterizedTest(name = "collector {0}")
  @EnumSource(value = Mode.class, names = {"DOWN", "SLOW", "ERROR_500", "RESET"})
  void faultyCollectorNeverHoldsUpTheApp(Mode fault) {
    Scrape before = RequestDurations.settled(app);
    int stderrBefore = app.stderrLines().size();
    long exportsBefore = collector.exportRequests();

    collector.mode(fault);
    Result result = traffic.runFor("collector " + fault, PHASE, CLIENTS, CALLS);
    Scrape after = RequestDurations.settled(app);
    long heap = AppMemory.heapAfterGc(app);
    List<String> stderr = app.stderrLines();
    List<String> newLines = stderr.subList(stderrBefore, stderr.size());
    long exports = collector.exportRequests() - exportsBefore;

    collector.mode(Mode.HEALTHY);
    long recoveryMillis = awaitSpansFlowAgain();

    double droppedSpans = dropped(after) - dropped(before);
    double measured = requestsCounted(after) - requestsCounted(before);
    System.out.printf("  collector %s vs healthy: %s%n  spans dropped %.0f, export attempts seen %d,"
            + " heap after GC %s (healthy %s), %d new stderr lines, spans flowed again %d ms after recovery%n",
        fault, healthy.summary(), droppedSpans, exports, AppMemory.mib(heap), AppMemory.mib(healthyHeap),
        newLines.size(), recoveryMillis);
    newLines.forEach(line -> System.out.println("  | " + line));

    long events = newLines.stream().filter(CollectorFaultsSmokeTest::startsLogEvent).count();
    System.out.printf("  log events %d (bound %d)%n", events, MAX_LOG_EVENTS);

    assertEquals(0, result.wrong(), "wrong answers: " + result.firstWrong());
    assertEquals(result.requests(), measured, "requests counted in http_server_request_duration_seconds");
    // A request that waited for an export would take the slow collector's 4 s or the export timeout.
    assertTrue(result.p99Millis() < 1000, "p99 " + result.p99Millis() + " ms");
    assertTrue(result.maxMillis() < FaultyCollector.SLOW_ANSWER_MILLIS, "max " + result.maxMillis() + " ms");
    // A slow answer holds the one export thread for 4 s; a refused or reset connection for the
    // exporter's retries with backoff; a 500 fails the export at once. Either way spans are lost:
    // past the full queue, or in the failed export. Each is counted, never waited for.
    assertTrue(droppedSpans > 0, "spans dropped with the collector " + fault + ": " + droppedSpans);
    if (fault == Mode.ERROR_500) {
      // Failing fast, the exporter must have gone on trying, neither stuck nor given up.
      assertTrue(exports >= 5, "export attempts during the phase: " + exports);
    }
    assertTrue(heap <= healthyHeap + HEAP_SLACK_BYTES,
        "heap after GC " + AppMemory.mib(heap) + ", healthy " + AppMemory.mib(healthyHeap));
    assertTrue(events <= MAX_LOG_EVENTS, events + " log events: " + newLines);
    assertTrue(newLines.size() <= MAX_LOG_EVENTS * MAX_LINES_PER_EVENT, newLines.size() + " stderr lines");
  }

  /** The first line of an agent log line or of a java.util.logging record (its level line). */
  private static boolean startsLogEvent(String line) {
    return line.startsWith("[obs-agent] ") || line.matches("(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): .*");
  }

  /**
   * Sends a traced request every 250 ms until the span of one of them reaches the collector, and
   * returns how long that took. The queue is still full of the fault's spans at first, so the
   * first of these requests' spans may well be dropped; one sent once the exporter caught up
   * must arrive.
   */
  private long awaitSpansFlowAgain() {
    long start = System.nanoTime();
    Poll.until("a span made after the collector recovered to reach it", () -> {
      TraceContext marker = TraceContext.random();
      collector.watch(marker);
      assertEquals(200, app.get("/hello", "traceparent", marker.traceparent()).statusCode());
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return collector.anyWatchedTraceArrived();
    }, arrived -> arrived);
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static double dropped(Scrape scrape) {
    return scrape.value("obs_agent_spans_dropped_total", Map.of());
  }

  private static double requestsCounted(Scrape scrape) {
    return scrape.find(RequestDurations.COUNT, Map.of()).stream().mapToDouble(sample -> sample.value).sum();
  }
}
