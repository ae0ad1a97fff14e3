package dev.obsagent.servlettest;

// Outside dev.obsagent.instrumentation.*, which the agent never weaves: these are application classes.

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import dev.obsagent.bootstrap.servlet.HttpServerRecorder;
import dev.obsagent.bootstrap.servlet.ServletBridge;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet instrumentation in the test JVM against a real embedded Tomcat 10.1. */
class TomcatServletInstrumentationTest {

  private static final String HISTOGRAM = "http_server_request_duration_seconds";
  private static InProcessAgent agent;
  private static Tomcat tomcat;
  private static int port;
  private static final HttpClient client = HttpClient.newHttpClient();

  /** Thrown by /fail; its message must never reach a span. */
  static final class CheckoutFailure extends RuntimeException {
    CheckoutFailure() {
      super("card 4111-1111-1111-1111 declined");
    }
  }

  static final class TextServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
      response.setContentType("text/plain");
      response.getWriter().write("ok " + request.getRequestURI());
    }
  }

  static final class FailingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      throw new CheckoutFailure();
    }
  }

  static final class TeapotServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
      response.sendError(418);
    }
  }

  /** Completes on another thread after 100 ms. */
  static final class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      jakarta.servlet.AsyncContext async = request.startAsync();
      new Thread(() -> {
        try {
          Thread.sleep(100);
          ((HttpServletResponse) async.getResponse()).setStatus(202);
          async.getResponse().getWriter().write("done");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          async.complete();
        }
      }).start();
    }
  }

  /** Wraps every request: filter and servlet together must be measured once. */
  static final class PassThroughFilter implements Filter {
    @Override
    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
        jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
      chain.doFilter(request, response);
    }
  }

  /** Forwards to /hello: a nested dispatch that must not be measured twice. */
  static final class ForwardServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws jakarta.servlet.ServletException, java.io.IOException {
      request.getRequestDispatcher("/hello").forward(request, response);
    }
  }

  @BeforeAll
  static void startTomcat() throws Exception {
    agent = ServletTestAgent.install();
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context context = tomcat.addContext("/shop", new File(".").getAbsolutePath());
    addServlet(context, "hello", new TextServlet(), "/hello");
    addServlet(context, "api", new TextServlet(), "/api/*");
    addServlet(context, "action", new TextServlet(), "*.do");
    addServlet(context, "health", new TextServlet(), "/health");
    addServlet(context, "fail", new FailingServlet(), "/fail");
    addServlet(context, "teapot", new TeapotServlet(), "/teapot");
    addServlet(context, "forward", new ForwardServlet(), "/forward");
    Tomcat.addServlet(context, "async", new AsyncServlet()).setAsyncSupported(true);
    context.addServletMappingDecoded("/async", "async");
    FilterDef filter = new FilterDef();
    filter.setFilterName("passThrough");
    filter.setFilter(new PassThroughFilter());
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("passThrough");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  private static void addServlet(Context context, String name, HttpServlet servlet, String pattern) {
    Tomcat.addServlet(context, name, servlet);
    context.addServletMappingDecoded(pattern, name);
  }

  @AfterAll
  static void stopTomcat() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @BeforeEach
  void clearSpans() {
    agent.clearSpans();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double count(String route, String status, String errorType) {
    return agent.scrape().value(HISTOGRAM + "_count",
        labels("http_request_method", "GET", "http_route", route, "http_response_status_code", status, "error_type", errorType));
  }

  private static SpanData onlyServerSpan() {
    List<SpanData> spans = agent.awaitSpans(s -> !s.isEmpty(), Duration.ofSeconds(5));
    List<SpanData> servers = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).collect(Collectors.toList());
    assertEquals(1, servers.size(), "one SERVER span per request: " + spans);
    return servers.get(0);
  }

  @Test
  void exactPathAndExtensionMappingsBecomeRoutesWithTheContextPath() throws Exception {
    double helloBefore = count("/shop/hello", "200", "");
    double apiBefore = count("/shop/api/*", "200", "");
    double doBefore = count("/shop/*.do", "200", "");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/shop/hello").statusCode());
    }
    assertEquals(200, get("/shop/api/orders/42?card=4111").statusCode());
    assertEquals(200, get("/shop/orders/list.do").statusCode());

    assertEquals(helloBefore + 3, count("/shop/hello", "200", ""));
    assertEquals(apiBefore + 1, count("/shop/api/*", "200", ""));
    assertEquals(doBefore + 1, count("/shop/*.do", "200", ""));
    Scrape scrape = agent.scrape();
    assertTrue(scrape.find(HISTOGRAM + "_count", labels("http_route", "/shop/api/orders/42")).isEmpty());
    assertEquals(0, scrape.value("http_server_active_requests", labels("http_request_method", "GET")));
  }

  @Test
  void serverSpanCarriesTheContractAttributesAndNoQueryString() throws Exception {
    get("/shop/api/orders/42?token=secret", "User-Agent", "obs-test/1.0");
    SpanData span = onlyServerSpan();
    assertEquals("GET /shop/api/*", span.getName());
    assertEquals("GET", span.getAttributes().get(AttributeKey.stringKey("http.request.method")));
    assertEquals("/shop/api/*", span.getAttributes().get(AttributeKey.stringKey("http.route")));
    assertEquals("/shop/api/orders/42", span.getAttributes().get(AttributeKey.stringKey("url.path")));
    assertEquals("http", span.getAttributes().get(AttributeKey.stringKey("url.scheme")));
    assertEquals("127.0.0.1", span.getAttributes().get(AttributeKey.stringKey("server.address")));
    assertEquals(port, span.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals("obs-test/1.0", span.getAttributes().get(AttributeKey.stringKey("user_agent.original")));
    assertFalse(span.getAttributes().toString().contains("secret"));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  @Test
  void incomingTraceparentMakesTheServerSpanAChild() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    get("/shop/hello", "traceparent", "00-" + traceId + "-" + parentId + "-01");
    SpanData span = onlyServerSpan();
    assertEquals(traceId, span.getTraceId());
    assertEquals(parentId, span.getParentSpanId());
  }

  /** Most requests carry no trace context: the advice then hands the recorder no header array. */
  @Test
  void propagationHeaderValuesReachTheRecorderOnlyWhenTheRequestHasOne() throws Exception {
    HttpServerRecorder real = ServletBridge.recorder();
    List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ServletBridge.install(new HttpServerRecorder() {
      @Override
      public String[] propagationHeaders() {
        return real.propagationHeaders();
      }

      @Override
      public HttpServerExchange start(String m, String s, String h, int p, String path, String ua, String[] values) {
        seen.add(values == null ? null : java.util.Arrays.asList(values.clone()));
        return real.start(m, s, h, p, path, ua, values);
      }
    });
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
    try {
      assertEquals(200, get("/shop/hello").statusCode());
      assertFalse(onlyServerSpan().getParentSpanContext().isValid(), "no incoming context: a root span");
      agent.clearSpans();
      assertEquals(200, get("/shop/hello", "traceparent", traceparent).statusCode());
      assertEquals(traceId, onlyServerSpan().getTraceId());
    } finally {
      ServletBridge.install(real);
    }
    String[] expected = new String[real.propagationHeaders().length];
    expected[List.of(real.propagationHeaders()).indexOf("traceparent")] = traceparent;
    assertEquals(java.util.Arrays.asList(null, java.util.Arrays.asList(expected)), seen);
  }

  @Test
  void thrownExceptionIsA500WithTheExceptionClassAndNoMessage() throws Exception {
    double before = count("/shop/fail", "500", CheckoutFailure.class.getName());
    assertEquals(500, get("/shop/fail").statusCode());
    assertEquals(before + 1, count("/shop/fail", "500", CheckoutFailure.class.getName()));

    SpanData span = onlyServerSpan();
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(CheckoutFailure.class.getName(), span.getAttributes().get(AttributeKey.stringKey("error.type")));
    EventData event = span.getEvents().get(0);
    assertEquals("exception", event.getName());
    assertEquals(CheckoutFailure.class.getName(), event.getAttributes().get(AttributeKey.stringKey("exception.type")));
    assertTrue(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")).contains("\tat "));
    assertFalse(event.getAttributes().toString().contains("4111"), "no exception message by default");
  }

  @Test
  void sendErrorIsRecordedAsSentAndOnlyServerErrorsAreErrors() throws Exception {
    double before = count("/shop/teapot", "418", "");
    assertEquals(418, get("/shop/teapot").statusCode());
    assertEquals(before + 1, count("/shop/teapot", "418", ""));
    assertEquals(StatusCode.UNSET, onlyServerSpan().getStatus().getStatusCode());
  }

  @Test
  void filterAndForwardDoNotMeasureTwice() throws Exception {
    double helloBefore = count("/shop/hello", "200", "");
    double forwardBefore = count("/shop/forward", "200", "");
    assertEquals(200, get("/shop/forward").statusCode());
    assertEquals("GET /shop/forward", onlyServerSpan().getName());
    assertEquals(forwardBefore + 1, count("/shop/forward", "200", ""));
    assertEquals(helloBefore, count("/shop/hello", "200", ""));
  }

  @Test
  void asyncRequestIsMeasuredToCompletion() throws Exception {
    double before = count("/shop/async", "202", "");
    assertEquals(202, get("/shop/async").statusCode());
    SpanData span = onlyServerSpan();
    assertEquals("GET /shop/async", span.getName());
    assertEquals(202L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertTrue(span.getEndEpochNanos() - span.getStartEpochNanos() >= 100_000_000L, "span covers the async work");
    assertEquals(before + 1, count("/shop/async", "202", ""));
    double sum = agent.scrape().value(HISTOGRAM + "_sum",
        labels("http_request_method", "GET", "http_route", "/shop/async", "http_response_status_code", "202", "error_type", ""));
    assertTrue(sum >= 0.1 * (before + 1), "duration covers the async work: " + sum);
    // Observed on the thread that completed the request, still with its span as the exemplar.
    List<String> exemplars =
        agent.scrapeOpenMetrics().find(HISTOGRAM + "_bucket", labels("http_route", "/shop/async")).stream()
            .filter(bucket -> bucket.exemplar != null)
            .map(bucket -> bucket.exemplar)
            .collect(Collectors.toList());
    assertEquals(1, exemplars.size(), exemplars.toString());
    assertTrue(exemplars.get(0).contains("span_id=\"" + span.getSpanId() + "\""), exemplars.toString());
    assertTrue(exemplars.get(0).contains("trace_id=\"" + span.getTraceId() + "\""), exemplars.toString());
  }

  @Test
  void anExceptionInsideTheAgentIsCountedAndNeverReachesTheApplication() throws Exception {
    HttpServerRecorder real = ServletBridge.recorder();
    Map<String, String> errorLabels = labels("instrumentation", "servlet");
    double before = agent.scrape().value("obs_agent_instrumentation_errors_total", errorLabels);
    ServletBridge.install(new HttpServerRecorder() {
      @Override
      public String[] propagationHeaders() {
        throw new IllegalStateException("injected fault");
      }

      @Override
      public HttpServerExchange start(String m, String s, String h, int p, String path, String ua, String[] v) {
        throw new IllegalStateException("injected fault");
      }
    });
    try {
      HttpResponse<String> response = get("/shop/hello");
      assertEquals(200, response.statusCode());
      assertEquals("ok /shop/hello", response.body());
    } finally {
      ServletBridge.install(real);
    }
    // Both the filter's and the servlet's enter advice hit the fault.
    assertEquals(before + 2, agent.scrape().value("obs_agent_instrumentation_errors_total", errorLabels));
  }

  @Test
  void excludedPathsGetNoMetricsAndNoSpans() throws Exception {
    assertEquals(200, get("/shop/health").statusCode());
    assertEquals(200, get("/shop/hello").statusCode());
    List<SpanData> spans = agent.awaitSpans(s -> !s.isEmpty(), Duration.ofSeconds(5));
    Thread.sleep(100);
    assertEquals(List.of("GET /shop/hello"), agent.spans().stream().map(SpanData::getName).collect(Collectors.toList()));
    assertTrue(agent.scrape().find(HISTOGRAM + "_count", labels("http_route", "/shop/health")).isEmpty());
    assertFalse(spans.isEmpty());
  }
}
