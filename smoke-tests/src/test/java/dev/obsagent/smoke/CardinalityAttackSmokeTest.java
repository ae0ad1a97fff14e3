package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.smoke.Traffic.Result;
import dev.obsagent.testing.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cardinality attacks on the demo app with {@code obs.metrics.max-series=}{@value #MAX_SERIES}:
 * {@value #PATH_REQUESTS} requests to distinct raw paths, and LLM calls each naming a model never
 * seen before. Routes stay templates, every metric keeps at most max-series + 1 series (the rest
 * folded into {@code _other}), no observation is lost, and the agent's heap stays bounded. Distinct
 * SQL texts: the demo runs only its own statements, so that attack is
 * {@code instrumentation-jdbc}'s {@code SqlCardinalityTest}.
 *
 * <p>Spans are not the subject here and go nowhere ({@code otel.traces.exporter=none}), which
 * keeps 100,000 requests quick. {@code -Dobs.soak=true} sends {@value #LONG_MODELS} model names
 * instead of {@value #SHORT_MODELS}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CardinalityAttackSmokeTest {

  static final int MAX_SERIES = 50;
  static final int PATH_REQUESTS = 100_000;
  static final int WARM_UP_REQUESTS = 600;
  static final int SHORT_MODELS = 600;
  static final int LONG_MODELS = 20_000;
  static final int MODELS = Boolean.getBoolean("obs.soak") ? LONG_MODELS : SHORT_MODELS;
  /** What the heap after GC may grow by under an attack: a leak of 100 bytes per path would pass 9 MiB. */
  static final long HEAP_GROWTH_BOUND = 8L << 20;

  static final List<String> GEN_AI_METRICS = List.of(
      "gen_ai_client_operation_duration_seconds_count",
      "gen_ai_client_token_usage_count",
      "obs_llm_unpriced_requests_total",
      "http_client_request_duration_seconds_count");

  private AppProcess app;
  private Traffic traffic;

  @BeforeAll
  void startApp() {
    app = AppProcess.start(getClass().getSimpleName(), JavaRuntime.current(), Artifacts.demoApp(),
        AgentArgs.exportingTo("http://127.0.0.1:1")
            .with("otel.traces.exporter", "none")
            .with("obs.metrics.max-series", MAX_SERIES),
        Map.of("DEMO_REDIS_PORT", "1"));
    traffic = new Traffic(app);
    // Warm up the JIT and every class the attack's endpoints load, so the heap reading after it
    // shows what the attack left, not what a first request loads.
    traffic.runCount("warm-up", WARM_UP_REQUESTS, 2, i -> i % 3 == 0 ? DemoCalls.ask("gpt-4o-mini-2024-07-18")
        : i % 3 == 1 ? DemoCalls.api("/warm") : DemoCalls.owner(1));
  }

  @AfterAll
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Order(1)
  void distinctRawPathsStayTwoTemplatedRoutes() {
    long heapBefore = AppMemory.heapAfterGc(app);
    // A request is counted a moment after its answer went out: wait until the warm-up's last
    // ones are in before, and the attack's last ones after.
    Scrape before = settled("the warm-up's requests counted", WARM_UP_REQUESTS);
    String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Result result = traffic.runCount("distinct paths", PATH_REQUESTS, 3,
        i -> i % 2 == 0 ? DemoCalls.api("/attack/" + nonce + "/" + i) : DemoCalls.owner(i));
    double expected = requests(before) + PATH_REQUESTS;
    Scrape after = settled("the attack's requests counted", expected);
    long heapAfter = AppMemory.heapAfterGc(app);

    List<Scrape.Sample> series = after.find(RequestDurations.COUNT, Map.of());
    Set<String> routes = series.stream()
        .filter(sample -> sample.value > 0)
        .map(sample -> sample.labels.get("http_route"))
        .collect(Collectors.toCollection(TreeSet::new));
    System.out.printf("  http_server series %d, routes %s, heap after GC %s before, %s after (%+d KiB)%n",
        series.size(), routes, AppMemory.mib(heapBefore), AppMemory.mib(heapAfter), (heapAfter - heapBefore) / 1024);

    assertEquals(0, result.wrong(), "wrong answers: " + result.firstWrong());
    // Only the warm-up's and the attack's routes, each a template, never a raw path.
    assertEquals(Set.of("/api/*", "/owners/{ownerId}", "/assistant/ask"), routes);
    // Those three and the (empty) _other series: nothing had to be folded.
    assertEquals(4, series.size(), "series: " + series);
    assertEquals(0, after.value(RequestDurations.COUNT, otherLabels(series)), "requests folded into _other");
    Map<String, String> api = RequestDurations.series("GET", "/api/*", "200", "");
    Map<String, String> owner = RequestDurations.series("GET", "/owners/{ownerId}", "200", "");
    assertServed(PATH_REQUESTS / 2, RequestDurations.increase(before, after, RequestDurations.COUNT, api), "/api/*");
    assertServed(PATH_REQUESTS / 2, RequestDurations.increase(before, after, RequestDurations.COUNT, owner), "/owners/{ownerId}");
    assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
        "heap after GC grew from " + AppMemory.mib(heapBefore) + " to " + AppMemory.mib(heapAfter));
  }

  /**
   * Every request sent is counted, none lost. A request or two more than sent is allowed: twice
   * in CI (2026-11-22 and 23) one route counted 50,001 of 50,000, even with both scrapes
   * settled. The JDK client resends a GET whose kept-alive connection the server closed under
   * it, and a server that had already served it counts it twice; that is one request served
   * twice, not an agent that counts one request twice.
   */
  private static void assertServed(double sent, double counted, String route) {
    assertTrue(counted >= sent && counted <= sent + 2, route + ": " + sent + " sent, " + counted + " counted");
  }

  @Test
  @Order(2)
  void distinctModelNamesFoldIntoOtherWithNoCallLost() {
    long heapBefore = AppMemory.heapAfterGc(app);
    Scrape before = app.scrape();
    String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Result result = traffic.runCount("distinct models", MODELS, 3, i -> DemoCalls.ask("model-" + nonce + "-" + i));
    Scrape after = app.scrape();
    long heapAfter = AppMemory.heapAfterGc(app);
    System.out.printf("  heap after GC %s before, %s after (%+d KiB)%n",
        AppMemory.mib(heapBefore), AppMemory.mib(heapAfter), (heapAfter - heapBefore) / 1024);
    assertEquals(0, result.wrong(), "wrong answers: " + result.firstWrong());

    for (String metric : GEN_AI_METRICS) {
      List<Scrape.Sample> series = after.find(metric, Map.of());
      long other = series.stream().filter(sample -> sample.labels.values().stream().allMatch("_other"::equals)).count();
      double increase = sum(after, metric) - sum(before, metric);
      System.out.printf("  %s: %d series (max-series %d), _other holds %.0f, +%.0f observations for %d calls%n",
          metric, series.size(), MAX_SERIES, after.value(metric, otherLabels(series)), increase, MODELS);
      assertTrue(series.size() <= MAX_SERIES + 1, metric + ": " + series.size() + " series");
      // Token usage is observed twice per call (input, output); the rest once.
      int perCall = metric.startsWith("gen_ai_client_token_usage") ? 2 : 1;
      assertEquals((double) perCall * MODELS, increase, metric + ": observations lost or counted twice");
    }
    // The model labels hit the cap: everything past it is in the one _other series.
    for (String metric : List.of("gen_ai_client_operation_duration_seconds_count", "obs_llm_unpriced_requests_total")) {
      List<Scrape.Sample> series = after.find(metric, Map.of());
      assertEquals(MAX_SERIES + 1, series.size(), metric + " series");
      assertTrue(after.value(metric, otherLabels(series)) >= MODELS - MAX_SERIES, metric + " _other");
    }
    assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
        "heap after GC grew from " + AppMemory.mib(heapBefore) + " to " + AppMemory.mib(heapAfter));
  }

  private static Map<String, String> otherLabels(List<Scrape.Sample> series) {
    return series.stream()
        .filter(sample -> sample.labels.values().stream().allMatch("_other"::equals))
        .map(sample -> sample.labels)
        .findFirst()
        .orElse(Map.of("missing", "_other"));
  }

  private static double sum(Scrape scrape, String metric) {
    return scrape.find(metric, Map.of()).stream().mapToDouble(sample -> sample.value).sum();
  }

  /** Every request counted in http_server_request_duration_seconds so far. */
  /**
   * A scrape once at least that many requests are counted and the count has stopped moving: a
   * request of one phase counted late must not land in the next phase's increase.
   */
  private Scrape settled(String what, double atLeast) {
    Scrape scrape = Poll.until(what, app::scrape, candidate -> requests(candidate) >= atLeast);
    for (int check = 0; check < 20; check++) {
      sleep(Duration.ofMillis(300));
      Scrape again = app.scrape();
      if (requests(again) == requests(scrape)) {
        return again;
      }
      scrape = again;
    }
    throw new AssertionError(what + ": the request count did not settle: " + requests(scrape));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static double requests(Scrape scrape) {
    return scrape.find(RequestDurations.COUNT, Map.of()).stream().mapToDouble(sample -> sample.value).sum();
  }
}
