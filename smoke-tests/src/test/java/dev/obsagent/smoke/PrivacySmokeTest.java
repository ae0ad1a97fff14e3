package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.obsagent.testing.RequiresService;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Private by default: the demo app is run with secrets planted everywhere an application keeps
 * them (a database password in the JDBC URL and the connection properties, an LLM API key in the
 * Authorization header and in the LLM URL's query string, a prompt and a completion, SQL
 * literals, query strings and credentials on incoming requests, Redis keys and values, exception
 * messages), and none of them may appear in any scrape (Prometheus text and OpenMetrics), any
 * exported span (names, attributes, events, resource), the raw protobuf bytes of any export
 * request, or the agent's log. Then the two opt-ins, {@code obs.llm.capture-content} and
 * {@code obs.exceptions.capture-message}, must show exactly what they name (which proves the test
 * sees a secret where one is) and still nothing else.
 *
 * <p>Every secret is a fresh random token per run, so a hit cannot be anything but a leak.
 */
@RequiresService(name = "Redis", port = DemoAppRedisSmokeTest.REDIS_PORT)
class PrivacySmokeTest {

  /** What /fail throws: {@code order 1234 of alice@example.com could not be paid}. */
  private static final String FAIL_MESSAGE_DATA = "alice@example.com";

  @Test
  void withDefaultSettingsNoPlantedSecretLeavesTheProcess() {
    Secrets secrets = new Secrets();
    try (FakeOtlpBackend backend = FakeOtlpBackend.start();
        FakeLlm llm = FakeLlm.start(secrets.completion);
        AppProcess app = startDemo("PrivacySmokeTest-default", backend, llm, secrets, Map.of())) {
      Exported exported = exercise(app, backend, llm, secrets);

      // The spans that had the chance to leak are there: the test looks at the right things.
      ExportedSpan chat = exported.only(span -> span.name().equals("chat gpt-4o-mini"), "the LLM span");
      assertEquals(false, chat.attributes().containsKey("gen_ai.input.messages"), "no prompt by default");
      ExportedSpan insert = exported.only(span -> span.name().equals("INSERT audit_log")
          && span.traceId().equals(exported.petsTrace.traceId()), "the INSERT with the note literal");
      assertEquals("INSERT INTO audit_log (owner_id, action, note) VALUES (?, ?, ?)", insert.attribute("db.query.text"));
      ExportedSpan setex = exported.only(span -> span.name().equals("SETEX"), "the Redis SETEX");
      assertEquals("SETEX ? ? ?", setex.attribute("db.query.text"));
      ExportedSpan fail = exported.only(span -> span.traceId().equals(exported.failTrace.traceId())
          && span.kind() == SpanKind.SPAN_KIND_SERVER, "the /fail span");
      assertNotNull(fail.event("exception"), "/fail records an exception event");
      assertEquals(false, fail.event("exception").attributes().containsKey("exception.message"));
      ExportedSpan failedInsert = exported.only(span -> span.name().equals("INSERT audit_log")
          && span.traceId().equals(exported.unknownOwnerTrace.traceId()), "the failed INSERT");
      assertNotNull(failedInsert.event("exception"), "the failed INSERT records an exception event");

      List<String> leaks = new ArrayList<>();
      for (Map.Entry<String, String> secret : secrets.all().entrySet()) {
        leaks.addAll(exported.placesOf(secret.getKey(), secret.getValue()));
      }
      leaks.addAll(exported.placesOf("the /fail message's user data", FAIL_MESSAGE_DATA));
      System.out.println("PRIVACY default settings: " + secrets.all().size() + " secrets + /fail's message, searched in "
          + exported.summary() + ": " + leaks.size() + " found");
      assertEquals(List.of(), leaks);
    }
  }

  @Test
  void theTwoOptInsRecordWhatTheyNameAndNothingElse() {
    Secrets secrets = new Secrets();
    try (FakeOtlpBackend backend = FakeOtlpBackend.start();
        FakeLlm llm = FakeLlm.start(secrets.completion);
        AppProcess app = startDemo("PrivacySmokeTest-opt-in", backend, llm, secrets,
            Map.of("obs.llm.capture-content", "true", "obs.exceptions.capture-message", "true"))) {
      Exported exported = exercise(app, backend, llm, secrets);

      ExportedSpan chat = exported.only(span -> span.name().equals("chat gpt-4o-mini"), "the LLM span");
      assertContains(chat.attribute("gen_ai.input.messages"), secrets.prompt, "the prompt on the LLM span");
      assertContains(chat.attribute("gen_ai.output.messages"), secrets.completion, "the completion on the LLM span");
      ExportedSpan fail = exported.only(span -> span.traceId().equals(exported.failTrace.traceId())
          && span.kind() == SpanKind.SPAN_KIND_SERVER, "the /fail span");
      assertContains(fail.event("exception").attributes().get("exception.message"), FAIL_MESSAGE_DATA, "/fail's message");
      // H2's message quotes the failed statement, literals and all: exactly why it is opt-in.
      ExportedSpan failedInsert = exported.only(span -> span.name().equals("INSERT audit_log")
          && span.traceId().equals(exported.unknownOwnerTrace.traceId()), "the failed INSERT");
      assertContains(failedInsert.event("exception").attributes().get("exception.message"), secrets.failedSqlLiteral,
          "the failed INSERT's message");
      // And the search below finds a secret where there is one, in the decoded span and the raw bytes.
      List<String> promptPlaces = exported.placesOf("prompt", secrets.prompt);
      assertTrue(promptPlaces.contains("prompt in span 'chat gpt-4o-mini' attribute gen_ai.input.messages"), promptPlaces.toString());
      assertTrue(promptPlaces.stream().anyMatch(place -> place.startsWith("prompt in the bytes of export request ")),
          promptPlaces.toString());

      // What the opt-ins name, and nothing else: credentials, query strings, Redis data and the
      // literal of a statement that did not fail stay out.
      Map<String, String> stillSecret = new LinkedHashMap<>(secrets.all());
      stillSecret.remove("prompt");
      stillSecret.remove("completion");
      stillSecret.remove("SQL literal of a failed statement");
      List<String> leaks = new ArrayList<>();
      for (Map.Entry<String, String> secret : stillSecret.entrySet()) {
        leaks.addAll(exported.placesOf(secret.getKey(), secret.getValue()));
      }
      System.out.println("PRIVACY opt-ins: prompt, completion and 2 exception messages recorded; " + stillSecret.size()
          + " other secrets searched in " + exported.summary() + ": " + leaks.size() + " found");
      assertEquals(List.of(), leaks);
    }
  }

  private static AppProcess startDemo(
      String name, FakeOtlpBackend backend, FakeLlm llm, Secrets secrets, Map<String, String> agentKeys) {
    AgentArgs args = AgentArgs.exportingTo(backend);
    agentKeys.forEach(args::with);
    AppProcess app = AppProcess.start(name, JavaRuntime.current(), Artifacts.demoApp(), args, Map.of(
        "DEMO_DB_URL", "jdbc:h2:mem:privacy;DB_CLOSE_DELAY=-1;PASSWORD=" + secrets.dbPassword,
        "DEMO_DB_USER", "sa",
        "DEMO_DB_PASSWORD", secrets.dbPassword,
        "OPENAI_API_KEY", "sk-" + secrets.apiKey,
        "DEMO_LLM_BASE_URL", llm.baseUrl() + "?key=" + secrets.urlKey,
        "DEMO_REDIS_HOST", DemoAppRedisSmokeTest.REDIS_HOST,
        "DEMO_REDIS_PORT", String.valueOf(DemoAppRedisSmokeTest.REDIS_PORT)));
    app.appPort();
    return app;
  }

  /**
   * Sends the requests that carry the secrets, checks the app's answers, and waits until the
   * SERVER span of every request has arrived (their child spans end, and are exported, first).
   */
  private static Exported exercise(AppProcess app, FakeOtlpBackend backend, FakeLlm llm, Secrets secrets) {
    TraceContext hello = TraceContext.random();
    HttpResponse<String> helloAnswer = app.get("/hello?token=" + secrets.queryToken,
        "traceparent", hello.traceparent(),
        "Authorization", "Bearer " + secrets.incomingAuth,
        "Cookie", "session=" + secrets.cookie);
    assertEquals(200, helloAnswer.statusCode());
    assertEquals("Hello from the obs-agent demo!\n", helloAnswer.body());

    TraceContext pets = TraceContext.random();
    HttpResponse<String> petsAnswer = app.get("/owners/1/pets?note=" + secrets.sqlLiteral, "traceparent", pets.traceparent());
    assertEquals(200, petsAnswer.statusCode(), petsAnswer.body());
    assertEquals("{\"owner\":\"George Franklin\",\"pets\":[{\"name\":\"Leo\",\"type\":\"cat\"}]}", petsAnswer.body());

    TraceContext unknownOwner = TraceContext.random();
    HttpResponse<String> unknownAnswer =
        app.get("/owners/999/pets?note=" + secrets.failedSqlLiteral, "traceparent", unknownOwner.traceparent());
    assertEquals(404, unknownAnswer.statusCode(), unknownAnswer.body());
    assertEquals("{\"error\":\"no owner 999\"}", unknownAnswer.body());

    TraceContext visitor = TraceContext.random();
    HttpResponse<String> visitorAnswer = app.get(
        "/visitors?id=" + secrets.redisKey + "&note=" + secrets.redisValue, "traceparent", visitor.traceparent());
    assertEquals(200, visitorAnswer.statusCode(), visitorAnswer.body());
    assertEquals("{\"visitor\":\"" + secrets.redisKey + "\",\"note\":\"" + secrets.redisValue + "\"}", visitorAnswer.body());

    TraceContext ask = TraceContext.random();
    String question = "Is my password " + secrets.prompt + " safe?";
    HttpResponse<String> askAnswer = app.get(
        "/assistant/ask?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8), "traceparent", ask.traceparent());
    assertEquals(200, askAnswer.statusCode(), askAnswer.body());
    assertEquals(llm.answer(), askAnswer.body(), "the app reads the provider's bytes unchanged");
    // The secrets really went out: the key in the header and in the query, the prompt in the body.
    assertEquals(List.of("Bearer sk-" + secrets.apiKey), llm.authorizations());
    assertEquals(List.of("key=" + secrets.urlKey), llm.queries());
    assertTrue(llm.bodies().get(0).contains(question), llm.bodies().get(0));

    TraceContext fail = TraceContext.random();
    assertEquals(500, app.get("/fail", "traceparent", fail.traceparent()).statusCode());

    for (TraceContext trace : List.of(hello, pets, unknownOwner, visitor, ask, fail)) {
      backend.awaitServerSpan(trace);
    }
    String text = Http.get("http://127.0.0.1:" + app.metricsPort() + "/metrics").body();
    String openMetrics = Http.get("http://127.0.0.1:" + app.metricsPort() + "/metrics",
        "Accept", "application/openmetrics-text; version=1.0.0").body();
    assertTrue(text.contains("http_server_request_duration_seconds_count{"), "a text scrape");
    assertTrue(openMetrics.contains("# EOF"), "an OpenMetrics scrape");
    return new Exported(backend.spans(), backend.requestBodies(), text, openMetrics, app.agentLog(),
        pets, unknownOwner, fail);
  }

  private static void assertContains(Object value, String expected, String what) {
    assertTrue(value instanceof String && ((String) value).contains(expected), what + " should contain " + expected + ": " + value);
  }

  /** Fresh random tokens, one per place a secret can hide. */
  private static final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    final String dbPassword = token("dbpw");
    final String apiKey = token("apikey");
    final String urlKey = token("urlkey");
    final String prompt = token("prompt");
    final String completion = token("completion");
    final String sqlLiteral = token("sqllit");
    final String failedSqlLiteral = token("sqlfail");
    final String queryToken = token("query");
    final String incomingAuth = token("inauth");
    final String cookie = token("cookie");
    final String redisKey = token("rediskey");
    final String redisValue = token("redisval");

    Map<String, String> all() {
      Map<String, String> all = new LinkedHashMap<>();
      all.put("JDBC URL and connection password", dbPassword);
      all.put("LLM API key (Authorization header)", apiKey);
      all.put("LLM API key (URL query string)", urlKey);
      all.put("prompt", prompt);
      all.put("completion", completion);
      all.put("SQL literal", sqlLiteral);
      all.put("SQL literal of a failed statement", failedSqlLiteral);
      all.put("incoming query string", queryToken);
      all.put("incoming Authorization header", incomingAuth);
      all.put("incoming Cookie header", cookie);
      all.put("Redis key", redisKey);
      all.put("Redis value", redisValue);
      return all;
    }

    /** Lower-case letters and digits only: the same in URLs, JSON, SQL and protobuf. */
    private static String token(String kind) {
      byte[] bytes = new byte[10];
      RANDOM.nextBytes(bytes);
      return kind + "x" + HexFormat.of().formatHex(bytes);
    }
  }

  /** Everything that left the demo's process through the agent, searchable for a string. */
  private static final class Exported {
    final List<ExportedSpan> spans;
    final List<byte[]> exportBodies;
    final String textScrape;
    final String openMetricsScrape;
    final List<String> agentLog;
    final TraceContext petsTrace;
    final TraceContext unknownOwnerTrace;
    final TraceContext failTrace;

    Exported(List<ExportedSpan> spans, List<byte[]> exportBodies, String textScrape, String openMetricsScrape,
        List<String> agentLog, TraceContext petsTrace, TraceContext unknownOwnerTrace, TraceContext failTrace) {
      this.spans = spans;
      this.exportBodies = exportBodies;
      this.textScrape = textScrape;
      this.openMetricsScrape = openMetricsScrape;
      this.agentLog = agentLog;
      this.petsTrace = petsTrace;
      this.unknownOwnerTrace = unknownOwnerTrace;
      this.failTrace = failTrace;
    }

    ExportedSpan only(java.util.function.Predicate<ExportedSpan> matching, String what) {
      List<ExportedSpan> found = spans.stream().filter(matching).collect(Collectors.toList());
      assertEquals(1, found.size(), what + ": " + found);
      return found.get(0);
    }

    /** Where the string occurs, case-insensitively: one line per place; empty when nowhere. */
    List<String> placesOf(String what, String secret) {
      String needle = secret.toLowerCase(Locale.ROOT);
      List<String> places = new ArrayList<>();
      for (ExportedSpan span : spans) {
        String where = what + " in span '" + span.name() + "' ";
        check(places, needle, where + "name", span.name());
        span.attributes().forEach((key, value) -> check(places, needle, where + "attribute " + key, key + "=" + value));
        span.resource().forEach((key, value) -> check(places, needle, where + "resource " + key, key + "=" + value));
        for (ExportedSpan.Event event : span.events()) {
          check(places, needle, where + "event " + event.name(), event.name());
          event.attributes().forEach((key, value) ->
              check(places, needle, where + "event " + event.name() + " " + key, key + "=" + value));
        }
      }
      for (int i = 0; i < exportBodies.size(); i++) {
        // ISO-8859-1 maps every byte to one char: a UTF-8 needle of ASCII letters matches as is.
        check(places, needle, what + " in the bytes of export request " + i,
            new String(exportBodies.get(i), StandardCharsets.ISO_8859_1));
      }
      check(places, needle, what + " in the text scrape", textScrape);
      check(places, needle, what + " in the OpenMetrics scrape", openMetricsScrape);
      for (String line : agentLog) {
        check(places, needle, what + " in the agent's log", line);
      }
      return places;
    }

    private static void check(List<String> places, String needle, String where, String haystack) {
      if (haystack.toLowerCase(Locale.ROOT).contains(needle)) {
        places.add(where);
      }
    }

    String summary() {
      long bytes = exportBodies.stream().mapToLong(body -> body.length).sum();
      return spans.size() + " spans in " + exportBodies.size() + " export requests (" + bytes + " protobuf bytes), "
          + textScrape.length() + " + " + openMetricsScrape.length() + " chars of scrapes, " + agentLog.size()
          + " agent log lines";
    }
  }

  /**
   * An OpenAI-compatible chat API on loopback that answers every chat completion with a secret
   * and remembers what it was sent.
   */
  private static final class FakeLlm implements AutoCloseable {
    private final HttpServer server;
    private final String answer;
    private final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FakeLlm(HttpServer server, String completion) {
      this.server = server;
      this.answer = "{\"id\":\"chatcmpl-privacy\",\"object\":\"chat.completion\",\"created\":1763800000,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Your secret is " + completion + "\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":15,\"total_tokens\":46}}";
    }

    static FakeLlm start(String completion) {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeLlm llm = new FakeLlm(server, completion);
        server.createContext("/v1/chat/completions", llm::chat);
        server.start();
        return llm;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    String answer() {
      return answer;
    }

    List<String> authorizations() {
      return List.copyOf(authorizations);
    }

    List<String> queries() {
      return List.copyOf(queries);
    }

    List<String> bodies() {
      return List.copyOf(bodies);
    }

    private void chat(HttpExchange exchange) throws IOException {
      try (exchange) {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
