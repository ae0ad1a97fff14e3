package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.RequiresService;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
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
 * The demo app's /owners/{ownerId}/visits against the Redis on loopback: each request is a SERVER
 * span with an INCR and an EXPIRE CLIENT span under it. The demo app of {@link DemoAppSmokeTest}
 * has no Redis on purpose (its failure path is tested there), so this suite starts its own, on
 * the build JDK only.
 */
@RequiresService(name = "Redis", port = DemoAppRedisSmokeTest.REDIS_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoAppRedisSmokeTest {

  static final String REDIS_HOST = "127.0.0.1";
  static final int REDIS_PORT = 6379;

  private FakeOtlpBackend backend;
  private AppProcess app;

  @BeforeAll
  void startApp() {
    backend = FakeOtlpBackend.start();
    app = AppProcess.start(getClass().getSimpleName(), JavaRuntime.current(), Artifacts.demoApp(),
        AgentArgs.exportingTo(backend),
        Map.of("DEMO_REDIS_HOST", REDIS_HOST, "DEMO_REDIS_PORT", String.valueOf(REDIS_PORT)));
    app.appPort();
  }

  @AfterAll
  void stopApp() {
    if (app != null) {
      app.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void redisCommandsAreClientSpansUnderTheRequestsServerSpan() {
    Map<String, String> requests = series("GET", DemoAppSmokeTest.VISITS_ROUTE, "200", "");
    Map<String, String> incrs = DbOperations.series("redis", "INCR", "", "");
    Map<String, String> expires = DbOperations.series("redis", "EXPIRE", "", "");
    // An owner no earlier run has counted (the keys live a day), so the counts start at 1.
    long ownerId = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);
    String path = "/owners/" + ownerId + "/visits";
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    HttpResponse<String> first = app.get(path, "traceparent", trace.traceparent());
    HttpResponse<String> second = app.get(path);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals("{\"ownerId\":" + ownerId + ",\"visits\":1}", first.body());
    assertEquals("{\"ownerId\":" + ownerId + ",\"visits\":2}", second.body());

    Scrape after = awaitCountIncrease(app, before, requests, 2);
    assertEquals(2, DbOperations.increase(before, after, incrs), "INCR");
    assertEquals(2, DbOperations.increase(before, after, expires), "EXPIRE");

    ExportedSpan server = backend.awaitServerSpan(trace);
    assertEquals("GET " + DemoAppSmokeTest.VISITS_ROUTE, server.name());
    assertEquals(StatusCode.STATUS_CODE_UNSET, server.status());
    List<ExportedSpan> commands = backend.childrenOf(server);
    assertEquals(List.of("INCR", "EXPIRE"), DemoAppSmokeTest.names(commands));
    for (ExportedSpan command : commands) {
      assertEquals(SpanKind.SPAN_KIND_CLIENT, command.kind(), command.name());
      assertEquals(StatusCode.STATUS_CODE_UNSET, command.status(), command.name());
    }
    // The key and the expiry are arguments: never recorded, each a ?.
    DbOperations.assertAttributes(redisCommand("INCR", "INCR ?"), commands.get(0));
    DbOperations.assertAttributes(redisCommand("EXPIRE", "EXPIRE ? ?"), commands.get(1));
  }

  /** Runs last: a Throwable the agent suppressed in its advice shows only in this counter. */
  @Test
  @Order(Integer.MAX_VALUE)
  void noErrorWasSuppressedInTheInstrumentation() {
    List<Scrape.Sample> errors =
        app.scrape().find("obs_agent_instrumentation_errors_total", Map.of()).stream()
            .filter(sample -> sample.value != 0)
            .collect(Collectors.toList());
    assertEquals(List.of(), errors);
  }

  private static Map<String, Object> redisCommand(String command, String queryText) {
    return Map.of(
        "db.system.name", "redis",
        "db.operation.name", command,
        "db.query.text", queryText,
        "server.address", REDIS_HOST,
        "server.port", (long) REDIS_PORT);
  }
}
