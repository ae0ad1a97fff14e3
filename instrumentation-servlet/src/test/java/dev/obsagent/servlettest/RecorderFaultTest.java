package dev.obsagent.servlettest;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.bootstrap.servlet.HttpServerExchange;
import dev.obsagent.bootstrap.servlet.HttpServerRecorder;
import dev.obsagent.bootstrap.servlet.ServletBridge;
import dev.obsagent.testing.InProcessAgent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Throwables raised inside the agent's own recording code, at each point the servlet
 * instrumentation calls it (starting a measurement, ending it, leaving the request thread of an
 * async request): runtime exceptions and errors alike, the application's answers are exactly
 * those it gives without the agent, and each throwable is counted in
 * {@code obs_agent_instrumentation_errors_total{instrumentation="servlet"}}.
 */
class RecorderFaultTest {

  private static final int REQUESTS = 3;
  private static InProcessAgent agent;
  private static Tomcat tomcat;
  private static int port;
  private static final HttpClient client = HttpClient.newHttpClient();

  enum Where { PROPAGATION_HEADERS, START, LEAVE_THREAD, END }

  static final class SyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setStatus(201);
      response.setHeader("X-Filtered", String.valueOf(request.getAttribute("filtered")));
      response.getWriter().write("sync " + request.getRequestURI());
    }
  }

  static final class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      new Thread(() -> {
        try {
          ((HttpServletResponse) async.getResponse()).setStatus(202);
          async.getResponse().getWriter().write("async done");
        } catch (IOException e) {
          throw new IllegalStateException(e);
        } finally {
          async.complete();
        }
      }).start();
    }
  }

  static final class MarkingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      request.setAttribute("filtered", "yes");
      chain.doFilter(request, response);
    }
  }

  @BeforeAll
  static void startTomcat() throws Exception {
    agent = ServletTestAgent.install();
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-faults").toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context context = tomcat.addContext("/faults", new File(".").getAbsolutePath());
    Tomcat.addServlet(context, "sync", new SyncServlet());
    context.addServletMappingDecoded("/sync", "sync");
    Tomcat.addServlet(context, "async", new AsyncServlet()).setAsyncSupported(true);
    context.addServletMappingDecoded("/async", "async");
    FilterDef filter = new FilterDef();
    filter.setFilterName("marking");
    filter.setFilter(new MarkingFilter());
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("marking");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  @AfterAll
  static void stopTomcat() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  static Stream<Arguments> faults() {
    List<Supplier<Throwable>> throwables = List.of(
        () -> new IllegalStateException("injected fault"),
        () -> new AssertionError("injected fault"),
        () -> new StackOverflowError("injected fault"));
    Stream.Builder<Arguments> cases = Stream.builder();
    for (Where where : Where.values()) {
      for (Supplier<Throwable> throwable : throwables) {
        for (String path : List.of("/faults/sync", "/faults/async")) {
          cases.add(Arguments.of(where, throwable.get().getClass().getSimpleName(), throwable, path));
        }
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} throws {1} on {3}")
  @MethodSource("faults")
  void aThrowableInTheRecorderNeverReachesTheApplicationAndIsCounted(
      Where where, String name, Supplier<Throwable> throwable, String path) throws Exception {
    HttpServerRecorder real = ServletBridge.recorder();
    String withoutTheAgent;
    ServletBridge.install(new FaultyRecorder(null, throwable));
    try {
      withoutTheAgent = answer(path);
    } finally {
      ServletBridge.install(real);
    }

    Map<String, String> servletErrors = labels("instrumentation", "servlet");
    double before = agent.scrape().value("obs_agent_instrumentation_errors_total", servletErrors);
    ServletBridge.install(new FaultyRecorder(where, throwable));
    try {
      for (int i = 0; i < REQUESTS; i++) {
        assertEquals(withoutTheAgent, answer(path), where + " threw " + name);
      }
      // The filter's and the servlet's enter advice each start; the outermost call ends (for an
      // async request, its listener does, after the response went out); only an async request
      // leaves its thread.
      int perRequest;
      switch (where) {
        case PROPAGATION_HEADERS:
        case START:
          perRequest = 2;
          break;
        case LEAVE_THREAD:
          perRequest = path.endsWith("async") ? 1 : 0;
          break;
        default:
          perRequest = 1;
      }
      double expected = before + REQUESTS * perRequest;
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (agent.scrape().value("obs_agent_instrumentation_errors_total", servletErrors) < expected
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(50); // nothing more arrives
      assertEquals(expected, agent.scrape().value("obs_agent_instrumentation_errors_total", servletErrors),
          "obs_agent_instrumentation_errors_total{instrumentation=servlet}");
    } finally {
      ServletBridge.install(real);
    }
  }

  /** Status, the filter's header and the body: what the application answered. */
  private static String answer(String path) throws Exception {
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.headers().firstValue("X-Filtered").orElse("-") + " " + response.body();
  }

  /** Throws at one point; with none, measures nothing, like the agent's own no-op recorder. */
  private static final class FaultyRecorder extends HttpServerRecorder {
    private final Where where;
    private final Supplier<Throwable> throwable;

    FaultyRecorder(Where where, Supplier<Throwable> throwable) {
      this.where = where;
      this.throwable = throwable;
    }

    private void maybeThrow(Where point) {
      if (point == where) {
        Throwable fault = throwable.get();
        if (fault instanceof Error) {
          throw (Error) fault;
        }
        throw (RuntimeException) fault;
      }
    }

    @Override
    public String[] propagationHeaders() {
      maybeThrow(Where.PROPAGATION_HEADERS);
      return new String[0];
    }

    @Override
    public HttpServerExchange start(
        String method, String scheme, String serverName, int serverPort, String path, String userAgent,
        String[] propagationHeaderValues) {
      maybeThrow(Where.START);
      if (where == null) {
        return null;
      }
      return new HttpServerExchange() {
        @Override
        public void leaveThread() {
          maybeThrow(Where.LEAVE_THREAD);
        }

        @Override
        public void end(int status, Throwable error, String contextPath, String servletPattern, String mappingMatch,
            String frameworkTemplate) {
          maybeThrow(Where.END);
        }
      };
    }
  }
}
