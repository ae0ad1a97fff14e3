package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.BUCKET;
import static dev.obsagent.smoke.RequestDurations.COUNT;
import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jakarta demo app (embedded Tomcat 10.1 and Spring MVC): on top of what every servlet app
 * shows, every kind of route, a client error, an excluded path and exemplars. Subclasses pick
 * the JDK.
 */
abstract class DemoAppSmokeTest extends ServletAppSmokeTest {

  private static final Pattern EXEMPLAR_TRACE_ID = Pattern.compile("trace_id=\"([0-9a-f]{32})\"");
  private static final Pattern EXEMPLAR_SPAN_ID = Pattern.compile("span_id=\"([0-9a-f]{16})\"");

  @Override
  Path appJar() {
    return Artifacts.demoApp();
  }

  @Override
  String serviceName() {
    return "demo-app";
  }

  @Override
  String failureClass() {
    return "dev.obsagent.demo.DemoFailure";
  }

  @Override
  String failureMessage() {
    return "alice@example.com";
  }

  @Override
  AgentArgs agentArgs(FakeOtlpBackend backend) {
    return AgentArgs.exportingTo(backend).with("obs.servlet.exclude-paths", "/health");
  }

  @ParameterizedTest(name = "{0} has route {1}")
  @CsvSource({
    "/api/owners/7,      /api/*",
    "/monthly-report.do, /*.do",
    "/owners/7,          /owners/{ownerId}",
    "/shop/hello,        /shop/hello",
    "/shop/mvc/items/9,  /shop/mvc/items/{itemId}",
  })
  void routeIsTheTemplateForEveryKindOfMapping(String path, String route) {
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    assertEquals(200, app.get(path, "traceparent", trace.traceparent()).statusCode());

    Scrape after = awaitCountIncrease(app, before, series("GET", route, "200", ""), 1);
    if (!path.equals(route)) { // an exact mapping is its own route
      assertEquals(List.of(), after.find(COUNT, Scrape.labels("http_route", path)), "the raw path as a route");
    }
    ExportedSpan span = backend.awaitServerSpan(trace);
    assertEquals("GET " + route, span.name());
    assertEquals(route, span.attribute("http.route"));
    assertEquals(path, span.attribute("url.path"));
  }

  @Test
  void springSpanIsNamedByItsTemplateAndCarriesTheContractAttributes() {
    assertEquals(200, app.get("/owners/43?visit=today", "User-Agent", "obs-smoke-test/1.0").statusCode());

    ExportedSpan span =
        backend.awaitSpan(
            "the span of /owners/43",
            s -> String.valueOf(s.attribute("url.path")).startsWith("/owners/43"));
    assertEquals("GET /owners/{ownerId}", span.name());
    assertEquals(SpanKind.SPAN_KIND_SERVER, span.kind());
    assertEquals(StatusCode.STATUS_CODE_UNSET, span.status());
    assertEquals("", span.parentSpanId(), "no traceparent came in: a root span");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("http.request.method", "GET");
    expected.put("http.route", "/owners/{ownerId}");
    expected.put("url.path", "/owners/43");
    expected.put("url.scheme", "http");
    expected.put("http.response.status_code", 200L);
    expected.put("server.address", "127.0.0.1");
    expected.put("server.port", (long) app.appPort());
    expected.put("user_agent.original", "obs-smoke-test/1.0");
    expected.forEach((key, value) -> assertEquals(value, span.attribute(key), key));
    assertFalse(span.attributes().containsKey("url.query"), span.toString());
    assertFalse(span.toString().contains("visit=today"), "the query string reached the span: " + span);
    assertEquals(serviceName(), span.resource().get("service.name"));
  }

  @Test
  void clientErrorIsNotAServerError() {
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    assertEquals(418, app.get("/teapot", "traceparent", trace.traceparent()).statusCode());

    // A server request fails on 5xx only: a 418 is the client's problem, so error_type is empty.
    awaitCountIncrease(app, before, series("GET", "/teapot", "418", ""), 1);
    ExportedSpan span = backend.awaitServerSpan(trace);
    assertEquals("GET /teapot", span.name());
    assertEquals(418L, span.attribute("http.response.status_code"));
    assertEquals(StatusCode.STATUS_CODE_UNSET, span.status());
    assertNull(span.attribute("error.type"));
  }

  @Test
  void excludedPathGetsNoMetricsAndNoSpan() {
    assertEquals(200, app.get("/health").statusCode());
    assertEquals(200, app.get("/health").statusCode());
    // Recorded after /health: once this request's series and span are in, theirs would be too.
    TraceContext marker = TraceContext.random();
    Scrape before = app.scrape();
    assertEquals(200, app.get("/api/after-health", "traceparent", marker.traceparent()).statusCode());
    Scrape after = awaitCountIncrease(app, before, series("GET", "/api/*", "200", ""), 1);
    backend.awaitServerSpan(marker);

    assertEquals(List.of(), after.find(COUNT, Scrape.labels("http_route", "/health")));
    List<ExportedSpan> healthSpans =
        backend.spans().stream()
            .filter(span -> String.valueOf(span.attribute("url.path")).startsWith("/health"))
            .collect(Collectors.toList());
    assertEquals(List.of(), healthSpans);
  }

  @Test
  void openMetricsBucketsCarryExemplarsOfExportedSpans() {
    Scrape before = app.scrape();
    assertEquals(200, app.get("/exemplar.do").statusCode());
    awaitCountIncrease(app, before, series("GET", "/*.do", "200", ""), 1);

    List<Scrape.Sample> withExemplars =
        app.scrapeOpenMetrics().find(BUCKET, Scrape.labels("http_route", "/*.do")).stream()
            .filter(sample -> sample.exemplar != null)
            .collect(Collectors.toList());
    assertFalse(withExemplars.isEmpty(), "no exemplar on the buckets of /*.do");
    for (Scrape.Sample bucket : withExemplars) {
      String traceId = group(EXEMPLAR_TRACE_ID, bucket.exemplar);
      String spanId = group(EXEMPLAR_SPAN_ID, bucket.exemplar);
      // An exemplar may be from an earlier request to the route: any must name a real span.
      ExportedSpan span =
          backend.awaitSpan(
              "the span of exemplar " + bucket.exemplar,
              s -> s.traceId().equals(traceId) && s.spanId().equals(spanId));
      assertEquals("/*.do", span.attribute("http.route"));
    }
  }

  private static String group(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), pattern + " in " + text);
    return matcher.group(1);
  }
}
