package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.BUCKET;
import static dev.obsagent.smoke.RequestDurations.COUNT;
import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.http.HttpResponse;
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
 * shows, every kind of route, a client error, an excluded path, exemplars, SQL statements (H2)
 * under a request, and a Redis command that fails because no Redis is there. Subclasses pick
 * the JDK. Redis commands that succeed are {@link DemoAppRedisSmokeTest}'s, which needs a Redis.
 */
abstract class DemoAppSmokeTest extends ServletAppSmokeTest {

  private static final Pattern EXEMPLAR_TRACE_ID = Pattern.compile("trace_id=\"([0-9a-f]{32})\"");
  private static final Pattern EXEMPLAR_SPAN_ID = Pattern.compile("span_id=\"([0-9a-f]{16})\"");

  static final String PETS_ROUTE = "/owners/{ownerId}/pets";
  static final String VISITS_ROUTE = "/owners/{ownerId}/visits";
  /** Nothing listens on port 1: the demo's Redis commands fail at once, Redis running here or not. */
  static final int NO_REDIS_PORT = 1;
  static final String REDIS_CONNECTION_FAILURE = "redis.clients.jedis.exceptions.JedisConnectionException";

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

  @Override
  Map<String, String> appEnvironment() {
    return Map.of("DEMO_REDIS_HOST", "127.0.0.1", "DEMO_REDIS_PORT", String.valueOf(NO_REDIS_PORT));
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

  @Test
  void sqlStatementsAreClientSpansUnderTheRequestsServerSpan() {
    Map<String, String> requests = series("GET", PETS_ROUTE, "200", "");
    Map<String, String> inserts = DbOperations.series("h2", "INSERT", "audit_log", "");
    Map<String, String> ownerSelects = DbOperations.series("h2", "SELECT", "owners", "");
    Map<String, String> petSelects = DbOperations.series("h2", "SELECT", "pets", "");
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    HttpResponse<String> response = app.get("/owners/2/pets", "traceparent", trace.traceparent());
    assertEquals(200, response.statusCode());
    assertEquals(
        "{\"owner\":\"Betty Davis\",\"pets\":[{\"name\":\"Basil\",\"type\":\"hamster\"},{\"name\":\"Lucky\",\"type\":\"bird\"}]}",
        response.body());
    assertEquals(200, app.get("/owners/1/pets").statusCode());

    // Statements are recorded before the response is written; the request itself a moment after.
    Scrape after = awaitCountIncrease(app, before, requests, 2);
    assertEquals(2, DbOperations.increase(before, after, inserts), "INSERT audit_log");
    assertEquals(2, DbOperations.increase(before, after, ownerSelects), "SELECT owners");
    assertEquals(2, DbOperations.increase(before, after, petSelects), "SELECT pets");

    ExportedSpan server = backend.awaitServerSpan(trace);
    assertEquals("GET " + PETS_ROUTE, server.name());
    assertEquals(PETS_ROUTE, server.attribute("http.route"));
    List<ExportedSpan> statements = backend.childrenOf(server);
    assertEquals(List.of("INSERT audit_log", "SELECT owners", "SELECT pets"), names(statements));
    for (ExportedSpan statement : statements) {
      assertEquals(SpanKind.SPAN_KIND_CLIENT, statement.kind(), statement.name());
      assertEquals(StatusCode.STATUS_CODE_UNSET, statement.status(), statement.name());
    }
    // The literal 'list pets' of the INSERT is a ?, as are the bound parameters.
    DbOperations.assertAttributes(
        h2Statement("INSERT", "audit_log", "INSERT INTO audit_log (owner_id, action) VALUES (?, ?)"), statements.get(0));
    DbOperations.assertAttributes(
        h2Statement("SELECT", "owners", "SELECT name FROM owners WHERE id = ?"), statements.get(1));
    DbOperations.assertAttributes(
        h2Statement("SELECT", "pets",
            "SELECT p.name, t.name FROM pets p JOIN types t ON t.id = p.type_id WHERE p.owner_id = ? ORDER BY p.name"),
        statements.get(2));
  }

  @Test
  void anUnknownOwnerIsA404WhoseFailedInsertIsRecorded() {
    Map<String, String> failedInserts = DbOperations.series("h2", "INSERT", "audit_log", "23");
    Map<String, String> ownerSelects = DbOperations.series("h2", "SELECT", "owners", "");
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    HttpResponse<String> response = app.get("/owners/99/pets", "traceparent", trace.traceparent());
    assertEquals(404, response.statusCode());
    assertEquals("{\"error\":\"no owner 99\"}", response.body());

    // A 404 is no server error; the statement failed all the same: SQLState 23506, class "23".
    Scrape after = awaitCountIncrease(app, before, series("GET", PETS_ROUTE, "404", ""), 1);
    assertEquals(1, DbOperations.increase(before, after, failedInserts), "failed INSERT audit_log");
    assertEquals(0, DbOperations.increase(before, after, ownerSelects), "no SELECT after the failed INSERT");

    ExportedSpan server = backend.awaitServerSpan(trace);
    assertEquals(StatusCode.STATUS_CODE_UNSET, server.status());
    List<ExportedSpan> statements = backend.childrenOf(server);
    assertEquals(List.of("INSERT audit_log"), names(statements));
    ExportedSpan insert = statements.get(0);
    assertEquals(StatusCode.STATUS_CODE_ERROR, insert.status());
    Map<String, Object> expected =
        h2Statement("INSERT", "audit_log", "INSERT INTO audit_log (owner_id, action) VALUES (?, ?)");
    expected.put("error.type", "23");
    expected.put("db.response.status_code", "23506");
    DbOperations.assertAttributes(expected, insert);
    ExportedSpan.Event exception = insert.event("exception");
    assertNotNull(exception, "no exception event: " + insert);
    assertEquals("org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException", exception.attributes().get("exception.type"));
    assertFalse(exception.attributes().containsKey("exception.message"), exception.toString());
  }

  @Test
  void anUnreachableRedisIsA503WhoseFailedCommandIsRecorded() {
    Map<String, String> failedIncrs = DbOperations.series("redis", "INCR", "", REDIS_CONNECTION_FAILURE);
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    HttpResponse<String> response = app.get("/owners/7/visits", "traceparent", trace.traceparent());
    assertEquals(503, response.statusCode());
    assertEquals("{\"error\":\"Redis is not reachable\"}", response.body());

    Scrape after = awaitCountIncrease(app, before, series("GET", VISITS_ROUTE, "503", "503"), 1);
    assertEquals(1, DbOperations.increase(before, after, failedIncrs), "failed INCR");
    assertEquals(0, DbOperations.increase(before, after, DbOperations.series("redis", "INCR", "", "")), "INCR");
    assertEquals(0, DbOperations.increase(before, after, DbOperations.series("redis", "EXPIRE", "", "")), "EXPIRE");

    ExportedSpan server = backend.awaitServerSpan(trace);
    assertEquals("GET " + VISITS_ROUTE, server.name());
    assertEquals(StatusCode.STATUS_CODE_ERROR, server.status());
    List<ExportedSpan> commands = backend.childrenOf(server);
    assertEquals(List.of("INCR"), names(commands));
    ExportedSpan incr = commands.get(0);
    assertEquals(SpanKind.SPAN_KIND_CLIENT, incr.kind());
    assertEquals(StatusCode.STATUS_CODE_ERROR, incr.status());
    // The pooled RedisClient failed to make its connection before sending anything: the server
    // is the one that connection was for.
    DbOperations.assertAttributes(
        Map.of(
            "db.system.name", "redis",
            "db.operation.name", "INCR",
            "db.query.text", "INCR ?",
            "server.address", "127.0.0.1",
            "server.port", (long) NO_REDIS_PORT,
            "error.type", REDIS_CONNECTION_FAILURE),
        incr);
  }

  @Test
  void streamedLlmCallIsAGenAiSpanAboveItsHttpCallWithTokensAndCost() {
    String llmPort = app.awaitStdout(FAKE_LLM_LINE).group(1);
    Map<String, String> operation = genAi("error_type", "");
    Map<String, String> httpCalls = Scrape.labels(
        "http_request_method", "POST", "server_address", "127.0.0.1", "http_response_status_code", "200", "error_type", "");
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    HttpResponse<String> response = app.get("/assistant/stream", "traceparent", trace.traceparent());
    assertEquals(200, response.statusCode());
    assertEquals("Leo the cat is due for a check-up; Basil the hamster is fine.\n", response.body());

    Scrape after = awaitCountIncrease(app, before, series("GET", "/assistant/stream", "200", ""), 1);
    assertEquals(1, increase(before, after, "gen_ai_client_operation_duration_seconds_count", operation));
    assertEquals(1, increase(before, after, "gen_ai_client_operation_time_to_first_chunk_seconds_count", operation));
    assertEquals(31, increase(before, after, "gen_ai_client_token_usage_sum", genAi("gen_ai_token_type", "input")));
    assertEquals(15, increase(before, after, "gen_ai_client_token_usage_sum", genAi("gen_ai_token_type", "output")));
    // gpt-4o-mini: $0.15 and $0.60 per million input and output tokens (the built-in table).
    assertEquals(4.65e-6, increase(before, after, "gen_ai_client_cost_usd_total", cost("input")), 1e-12);
    assertEquals(9.0e-6, increase(before, after, "gen_ai_client_cost_usd_total", cost("output")), 1e-12);
    assertEquals(1, increase(before, after, "http_client_request_duration_seconds_count", httpCalls));

    ExportedSpan server = backend.awaitServerSpan(trace);
    List<ExportedSpan> llmCalls = backend.childrenOf(server);
    assertEquals(List.of("chat gpt-4o-mini"), names(llmCalls));
    ExportedSpan llm = llmCalls.get(0);
    assertEquals(SpanKind.SPAN_KIND_CLIENT, llm.kind());
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("gen_ai.operation.name", "chat");
    expected.put("gen_ai.provider.name", "openai");
    expected.put("gen_ai.request.model", "gpt-4o-mini");
    expected.put("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    expected.put("gen_ai.response.id", "chatcmpl-demo2");
    expected.put("gen_ai.response.finish_reasons", List.of("stop"));
    expected.put("gen_ai.request.stream", true);
    expected.put("gen_ai.usage.input_tokens", 31L);
    expected.put("gen_ai.usage.output_tokens", 15L);
    expected.put("server.address", "127.0.0.1");
    expected.put("server.port", Long.parseLong(llmPort));
    Map<String, Object> actual = new java.util.TreeMap<>(llm.attributes());
    assertEquals(1.365e-5, (Double) actual.remove("obs.gen_ai.cost_usd"), 1e-12); // 31 x 0.15 + 15 x 0.60, per million
    assertEquals(new java.util.TreeMap<>(expected), actual);

    List<ExportedSpan> httpSpans = backend.childrenOf(llm);
    assertEquals(List.of("POST"), names(httpSpans));
    DbOperations.assertAttributes(
        Map.of(
            "http.request.method", "POST",
            "url.full", "http://127.0.0.1:" + llmPort + "/v1/chat/completions",
            "server.address", "127.0.0.1",
            "server.port", Long.parseLong(llmPort),
            "http.response.status_code", 200L),
        httpSpans.get(0));
  }

  @Test
  void rateLimitedAndUnpricedLlmCallsAreCounted() {
    Scrape before = app.scrape();
    assertEquals(502, app.get("/assistant/ask?q=please+rate+limit+me").statusCode());
    assertEquals(200, app.get("/assistant/ask?model=demo-local-model").statusCode());

    Scrape after = awaitCountIncrease(app, before, series("GET", "/assistant/ask", "200", ""), 1);
    assertEquals(1, increase(before, after, "gen_ai_client_operation_duration_seconds_count",
        Scrape.labels("gen_ai_provider_name", "openai", "gen_ai_operation_name", "chat",
            "gen_ai_request_model", "gpt-4o-mini", "gen_ai_response_model", "", "error_type", "429")));
    assertEquals(1, increase(before, after, "http_client_request_duration_seconds_count", Scrape.labels(
        "http_request_method", "POST", "server_address", "127.0.0.1", "http_response_status_code", "429", "error_type", "429")));
    assertEquals(1, increase(before, after, "obs_llm_unpriced_requests_total",
        Scrape.labels("gen_ai_provider_name", "openai", "gen_ai_request_model", "demo-local-model")));
    assertTrue(after.find("gen_ai_client_cost_usd_total", Scrape.labels("gen_ai_request_model", "demo-local-model")).isEmpty());
  }

  /** The demo's fake provider: {@code DEMO_LLM=http://127.0.0.1:<port>/v1 (...)}. */
  private static final Pattern FAKE_LLM_LINE = Pattern.compile("DEMO_LLM=http://127\\.0\\.0\\.1:(\\d+)/v1 .*");

  /** A gen_ai series of the demo's default call, with one more label. */
  private static Map<String, String> genAi(String label, String value) {
    return Scrape.labels(
        "gen_ai_provider_name", "openai", "gen_ai_operation_name", "chat", "gen_ai_request_model", "gpt-4o-mini",
        "gen_ai_response_model", "gpt-4o-mini-2024-07-18", label, value);
  }

  private static Map<String, String> cost(String tokenType) {
    return Scrape.labels("gen_ai_provider_name", "openai", "gen_ai_request_model", "gpt-4o-mini", "gen_ai_token_type", tokenType);
  }

  private static double increase(Scrape before, Scrape after, String metric, Map<String, String> series) {
    return after.value(metric, series) - before.value(metric, series);
  }

  /** What every statement on the demo's in-memory H2 carries: no server.*, it has no server. */
  private static Map<String, Object> h2Statement(String operation, String table, String queryText) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("db.system.name", "h2");
    attributes.put("db.operation.name", operation);
    attributes.put("db.collection.name", table);
    attributes.put("db.namespace", "demo");
    attributes.put("db.query.text", queryText);
    return attributes;
  }

  static List<String> names(List<ExportedSpan> spans) {
    return spans.stream().map(ExportedSpan::name).collect(Collectors.toList());
  }

  private static String group(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), pattern + " in " + text);
    return matcher.group(1);
  }
}
