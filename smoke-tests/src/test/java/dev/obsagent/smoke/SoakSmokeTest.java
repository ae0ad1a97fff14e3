package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.smoke.Traffic.Call;
import dev.obsagent.smoke.Traffic.Result;
import dev.obsagent.testing.RequiresService;
import dev.obsagent.testing.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A soak: the demo app with every instrumentation at work (servlet, Spring MVC, SQL on H2, an LLM
 * call through java.net.http, Redis INCR and EXPIRE on the Redis on loopback) under a steady,
 * paced load, exporting every span to a healthy collector. Heap after a full GC and resident
 * memory at the end must be within {@value #TOLERANCE_PERCENT}% of their values after warm-up:
 * nothing the agent keeps grows with the traffic.
 *
 * <p>The app runs with a fixed heap ({@code -Xms} = {@code -Xmx}), so that resident memory does
 * not move with the GC's heap sizing. Each round's pets request adds a row to the demo's own
 * in-memory audit table, which grows the heap a little by itself (about 1 MiB in the long run).
 *
 * <p>Default: {@value #SHORT_WARM_UP_SECONDS} s warm-up, {@value #SHORT_SOAK_SECONDS} s soak;
 * {@code -Dobs.soak=true}: {@value #LONG_WARM_UP_SECONDS} s and {@value #LONG_SOAK_MINUTES} minutes.
 */
@RequiresService(name = "Redis", port = SoakSmokeTest.REDIS_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoakSmokeTest {

  static final int REDIS_PORT = 6379;
  static final boolean LONG = Boolean.getBoolean("obs.soak");
  static final int SHORT_WARM_UP_SECONDS = 15;
  static final int SHORT_SOAK_SECONDS = 30;
  static final int LONG_WARM_UP_SECONDS = 60;
  static final int LONG_SOAK_MINUTES = 10;
  static final Duration WARM_UP = Duration.ofSeconds(LONG ? LONG_WARM_UP_SECONDS : SHORT_WARM_UP_SECONDS);
  static final Duration SOAK = LONG ? Duration.ofMinutes(LONG_SOAK_MINUTES) : Duration.ofSeconds(SHORT_SOAK_SECONDS);
  /** One round of the calls below every 100 ms: 50 requests a second, steady whatever the latency. */
  static final Duration ROUND = Duration.ofMillis(100);
  static final int TOLERANCE_PERCENT = 10;

  /** A few owners only: the demo's visit counters live a day in a Redis that may be shared. */
  static final List<Call> ROUND_CALLS = List.of(
      DemoCalls.HELLO, DemoCalls.PETS_OF_OWNER_2, DemoCalls.ASK, DemoCalls.visits(424242), DemoCalls.owner(7));

  private FaultyCollector collector;
  private AppProcess app;

  @BeforeAll
  void startApp() {
    collector = FaultyCollector.start();
    app = AppProcess.start(getClass().getSimpleName(), JavaRuntime.current(), Artifacts.demoApp(),
        AgentArgs.exportingTo(collector.endpoint()),
        Map.of("DEMO_REDIS_HOST", "127.0.0.1", "DEMO_REDIS_PORT", String.valueOf(REDIS_PORT)),
        List.of("-Xms256m", "-Xmx256m"));
    app.appPort();
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

  @Test
  void memoryAtTheEndIsWhereItWasAfterWarmUp() {
    Traffic traffic = new Traffic(app);
    Result warmUp = traffic.runPaced("soak warm-up", WARM_UP, ROUND, ROUND_CALLS);
    long warmHeap = AppMemory.heapAfterGc(app);
    long warmResident = AppMemory.residentBytes(app);
    long spansAtWarm = collector.acceptedSpans();

    Result soak = traffic.runPaced("soak", SOAK, ROUND, ROUND_CALLS);
    long endHeap = AppMemory.heapAfterGc(app);
    long endResident = AppMemory.residentBytes(app);
    Scrape scrape = app.scrape();
    long spans = collector.acceptedSpans() - spansAtWarm;

    System.out.printf("  after warm-up: heap after GC %s, RSS %s%n  at the end:    heap after GC %s (%+.1f%%), RSS %s (%+.1f%%)%n"
            + "  spans accepted by the collector during the soak %d, dropped %.0f%n",
        AppMemory.mib(warmHeap), AppMemory.mib(warmResident),
        AppMemory.mib(endHeap), percent(warmHeap, endHeap), AppMemory.mib(endResident), percent(warmResident, endResident),
        spans, scrape.value("obs_agent_spans_dropped_total", Map.of()));

    assertEquals(0, warmUp.wrong(), "wrong answers: " + warmUp.firstWrong());
    assertEquals(0, soak.wrong(), "wrong answers: " + soak.firstWrong());
    assertTrue(percent(warmHeap, endHeap) <= TOLERANCE_PERCENT, "heap after GC grew " + percent(warmHeap, endHeap) + "%");
    assertTrue(percent(warmResident, endResident) <= TOLERANCE_PERCENT, "RSS grew " + percent(warmResident, endResident) + "%");
    // Every instrumentation was at work: each left its series (a missing one would mean no load).
    for (String metric : List.of("http_server_request_duration_seconds_count", "db_client_operation_duration_seconds_count",
        "http_client_request_duration_seconds_count", "gen_ai_client_operation_duration_seconds_count")) {
      assertTrue(scrape.find(metric, Map.of()).stream().anyMatch(sample -> sample.value > 0), metric);
    }
    assertTrue(scrape.find("db_client_operation_duration_seconds_count", Map.of("db_system_name", "redis")).stream()
        .anyMatch(sample -> sample.value > 0), "Redis commands measured");
    assertTrue(spans > soak.requests(), "spans exported during the soak: " + spans);
    assertEquals(List.of(), scrape.find("obs_agent_instrumentation_errors_total", Map.of()).stream()
        .filter(sample -> sample.value != 0).collect(Collectors.toList()));
  }

  private static double percent(long before, long after) {
    return 100.0 * (after - before) / before;
  }
}
