package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.BUCKET;
import static dev.obsagent.smoke.RequestDurations.COUNT;
import static dev.obsagent.smoke.RequestDurations.SUM;
import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.bucket;
import static dev.obsagent.smoke.RequestDurations.increase;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every servlet application shows with the agent attached, whatever its servlet API: run
 * against the jakarta demo app (on two JDKs) and the javax app. Both apps serve /hello (exact
 * mapping), /api/* (path mapping), /fail (throws) and /async (completes 50 ms later on another
 * thread), each behind a filter that marks responses with {@code X-Demo-Filter: passed}.
 *
 * <p>One JVM serves all tests of a class, so each test compares scrapes taken before and after
 * its own requests, and finds its spans by the trace context it sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServletAppSmokeTest {

  /** How long the apps' /async endpoints wait before completing. */
  static final Duration ASYNC_DELAY = Duration.ofMillis(50);

  private static final Pattern INSTRUMENTATIONS = Pattern.compile("; instrumentations: (.*)$");

  FakeOtlpBackend backend;
  AppProcess app;
  JavaRuntime runtime;

  /** The JDK to run the app on. */
  abstract JavaRuntime java();

  abstract Path appJar();

  /** The service name the agent derives from the jar name. */
  abstract String serviceName();

  /** The class of the exception that /fail throws. */
  abstract String failureClass();

  /** The message of that exception: it must not reach any span. */
  abstract String failureMessage();

  AgentArgs agentArgs(FakeOtlpBackend backend) {
    return AgentArgs.exportingTo(backend);
  }

  /** Environment variables the app is started with, on top of this JVM's. */
  Map<String, String> appEnvironment() {
    return Map.of();
  }

  @BeforeAll
  void startApp() {
    runtime = java();
    backend = FakeOtlpBackend.start();
    app = AppProcess.start(getClass().getSimpleName(), runtime, appJar(), agentArgs(backend), appEnvironment());
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
  void agentLogsOnlyItsStartLineAndDescribesItselfInMetrics() {
    String startLine = app.startLine();
    assertEquals(List.of(startLine), app.agentLog(), "the agent's only log line");
    assertTrue(startLine.contains("; traces: " + backend.endpoint() + "/v1/traces;"), startLine);
    Matcher instrumentations = INSTRUMENTATIONS.matcher(startLine);
    assertTrue(instrumentations.find(), startLine);
    assertTrue(Arrays.asList(instrumentations.group(1).split(", ")).contains("servlet"), startLine);

    Scrape scrape = app.scrape();
    assertEquals(
        1, scrape.value("obs_agent_info", Scrape.labels("version", Artifacts.agentVersion(), "java_version", runtime.version())));
    List<Scrape.Sample> targetInfo = scrape.find("target_info", Scrape.labels("service_name", serviceName()));
    assertEquals(1, targetInfo.size(), "target_info: " + scrape.find("target_info", Map.of()));
    assertEquals(1, targetInfo.get(0).value);
    assertEquals(0, scrape.value("obs_agent_spans_dropped_total", Map.of()));
  }

  /**
   * The agent must not make the JVM warn: Byte Buddy's use of {@code sun.misc.Unsafe} once cost
   * four "terminally deprecated" lines on JDK 24+, and an illegal reflective access would cost
   * some on JDK 11. (The "Sharing is only supported for boot loader classes" notice is not a
   * warning line and is documented in the README.) Tomcat's own java.util.logging warning that
   * seeding its session-id generator was slow says only that the machine is busy.
   */
  @Test
  void jvmPrintsNoWarningBecauseOfTheAgent() {
    app.startLine();
    List<String> stderr = app.stderrLines();
    assertEquals(List.of(), stderr.stream().filter(line -> line.contains("sun.misc.Unsafe")).collect(Collectors.toList()));
    assertEquals(
        List.of(),
        stderr.stream()
            .filter(line -> line.startsWith("WARNING:"))
            .filter(line -> !line.startsWith("WARNING: Creation of SecureRandom instance for session ID generation"))
            .collect(Collectors.toList()));
  }

  @Test
  void requestThroughFilterAndServletIsCountedOnce() {
    Map<String, String> hello = series("GET", "/hello", "200", "");
    Scrape before = app.scrape();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = app.get("/hello");
      assertEquals(200, response.statusCode());
      // Proof that the request went through two instrumented calls: the filter and the servlet.
      assertEquals("passed", response.headers().firstValue("X-Demo-Filter").orElse(null));
    }
    Scrape after = awaitCountIncrease(app, before, hello, 3);
    assertEquals(3, increase(before, after, BUCKET, bucket(hello, "+Inf")));
    List<Map<String, String>> helloSeries =
        after.find(COUNT, Scrape.labels("http_route", "/hello")).stream().map(s -> s.labels).collect(Collectors.toList());
    assertEquals(1, helloSeries.size(), "series of /hello: " + helloSeries);

    List<ExportedSpan> spans = backend.awaitSpans("GET /hello", span -> span.name().equals("GET /hello"), 3);
    assertEquals(3, spans.size(), "one span per request: " + spans);
    assertEquals(3, spans.stream().map(ExportedSpan::traceId).distinct().count(), "each a root span: " + spans);
  }

  @Test
  void pathMappingIsTheRouteAndTheQueryStringIsNeverRecorded() {
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    assertEquals(200, app.get("/api/orders/17?token=s3cr3t", "traceparent", trace.traceparent()).statusCode());

    Scrape after = awaitCountIncrease(app, before, series("GET", "/api/*", "200", ""), 1);
    assertEquals(List.of(), after.find(COUNT, Scrape.labels("http_route", "/api/orders/17")), "the raw path as a route");
    ExportedSpan span = backend.awaitServerSpan(trace);
    assertEquals("GET /api/*", span.name());
    assertEquals("/api/*", span.attribute("http.route"));
    assertEquals("/api/orders/17", span.attribute("url.path"));
    assertFalse(span.attributes().containsKey("url.query"), span.toString());
    assertFalse(span.toString().contains("s3cr3t"), "the query string reached the span: " + span);
  }

  @Test
  void incomingTraceparentIsTheServerSpansParent() {
    TraceContext caller = TraceContext.random();
    assertEquals(200, app.get("/api/traced", "traceparent", caller.traceparent()).statusCode());

    ExportedSpan span = backend.awaitServerSpan(caller);
    assertEquals(caller.traceId(), span.traceId());
    assertEquals(caller.parentSpanId(), span.parentSpanId());
    assertEquals(SpanKind.SPAN_KIND_SERVER, span.kind());
    assertEquals("GET /api/*", span.name());
  }

  @Test
  void thrownExceptionIsA500NamedByItsClassWithoutItsMessage() {
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    assertEquals(500, app.get("/fail", "traceparent", trace.traceparent()).statusCode());

    awaitCountIncrease(app, before, series("GET", "/fail", "500", failureClass()), 1);
    ExportedSpan span = backend.awaitServerSpan(trace);
    assertEquals("GET /fail", span.name());
    assertEquals(StatusCode.STATUS_CODE_ERROR, span.status());
    assertEquals(failureClass(), span.attribute("error.type"));
    assertEquals(500L, span.attribute("http.response.status_code"));
    ExportedSpan.Event exception = span.event("exception");
    assertNotNull(exception, "no exception event: " + span);
    assertEquals(failureClass(), exception.attributes().get("exception.type"));
    String stackTrace = String.valueOf(exception.attributes().get("exception.stacktrace"));
    assertTrue(stackTrace.contains("\tat "), "no stack frames: " + stackTrace);
    assertFalse(exception.attributes().containsKey("exception.message"), exception.toString());
    assertFalse(span.toString().contains(failureMessage()), "the exception message reached the span: " + span);
  }

  @Test
  void asyncRequestIsMeasuredUntilItCompletes() {
    Map<String, String> async = series("GET", "/async", "200", "");
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    HttpResponse<String> response = app.get("/async", "traceparent", trace.traceparent());
    assertEquals(200, response.statusCode());
    assertEquals("done after 50 ms\n", response.body());

    Scrape after = awaitCountIncrease(app, before, async, 1);
    double seconds = increase(before, after, SUM, async);
    assertTrue(seconds >= ASYNC_DELAY.toMillis() / 1000.0, "measured " + seconds + " s, not until completion");
    assertEquals(0, increase(before, after, BUCKET, bucket(async, "0.05")), "counted in the <= 50 ms bucket");
    ExportedSpan span = backend.awaitServerSpan(trace);
    assertEquals("GET /async", span.name());
    assertEquals(200L, span.attribute("http.response.status_code"));
    assertTrue(span.duration().compareTo(ASYNC_DELAY) >= 0, "span ended before completion: " + span.duration());
    Poll.until(
        "no request in flight",
        () -> app.scrape().value("http_server_active_requests", Scrape.labels("http_request_method", "GET")),
        active -> active == 0);
  }

  /**
   * Runs last, after all requests of the class. The agent suppresses any Throwable in its advice
   * so that the application never sees it; this counter is the only place such an error shows.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void noErrorWasSuppressedInTheInstrumentation() {
    List<Scrape.Sample> errors =
        app.scrape().find("obs_agent_instrumentation_errors_total", Map.of()).stream()
            .filter(sample -> sample.value != 0)
            .collect(Collectors.toList());
    assertEquals(List.of(), errors);
  }
}
