package dev.obsagent.javaxapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * A javax.servlet application on embedded Tomcat 9: the agent weaves the javax API separately
 * from jakarta, so it needs its own proof. Endpoints: {@code /hello} (exact), {@code /api/*}
 * (path, JSON), {@code /fail} (throws {@link JavaxAppFailure}) and {@code /async} (~50 ms), all
 * behind a filter, as in the demo app; and Jersey 2 (JAX-RS) at {@code /rest/*}, see
 * {@link OwnersResource}.
 *
 * <p>Port: the first argument, else {@code -Ddemo.port}, else 8080; 0 picks a free one. Prints
 * {@code DEMO_PORT=<port>} on stdout once listening, like the demo app.
 */
public final class JavaxApp {

  static final long ASYNC_DELAY_MILLIS = 50;

  private static final ScheduledExecutorService LATER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "javax-app-async");
            thread.setDaemon(true);
            return thread;
          });

  private JavaxApp() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args.length > 0 ? args[0] : System.getProperty("demo.port", "8080"));
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("javax-app-tomcat").toString());
    tomcat.setPort(port);
    // Creates the HTTP connector (embedded Tomcat has none until asked). By default Tomcat runs
    // on without it when the port is taken: fail instead, so that scripts see the problem.
    tomcat.getConnector().setThrowOnFailure(true);
    Context root = tomcat.addContext("", null);
    addFilter(root, "demo-filter", new MarkingFilter());
    addServlet(root, "hello", "/hello", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        text(response, "Hello from javax.servlet!\n");
      }
    });
    addServlet(root, "api", "/api/*", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write("{\"items\":[1,2,3]}");
      }
    });
    addServlet(root, "fail", "/fail", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        throw new JavaxAppFailure("the javax app failed on purpose");
      }
    });
    addServlet(root, "async", "/async", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        AsyncContext async = request.startAsync();
        LATER.schedule(() -> completeLater(async), ASYNC_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      }
    });
    // Jersey 2 starts on its first request. WADL is off: it wants JAXB, which JDK 11+ lacks, and
    // Jersey would log a warning about that.
    ResourceConfig jaxrs =
        new ResourceConfig(OwnersResource.class).property(ServerProperties.WADL_FEATURE_DISABLE, true);
    addServlet(root, "jersey", "/rest/*", new ServletContainer(jaxrs));
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      System.err.println("javax-app: cannot start on port " + port + ": " + e);
      System.exit(1);
    }
    System.out.println("DEMO_PORT=" + tomcat.getConnector().getLocalPort());
    tomcat.getServer().await();
  }

  private static void completeLater(AsyncContext async) {
    try {
      text(async.getResponse(), "done after " + ASYNC_DELAY_MILLIS + " ms\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      async.complete();
    }
  }

  private static void addServlet(Context context, String name, String mapping, Servlet servlet) {
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded(mapping, name);
  }

  /**
   * Stands for the filters real applications have (auth, logging). A named class, not a
   * lambda: lambdas are hidden classes, which no agent can instrument.
   */
  static final class MarkingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) response).setHeader("X-Demo-Filter", "passed");
      chain.doFilter(request, response);
    }
  }

  /** On every request: the request must still be counted once. */
  private static void addFilter(Context context, String name, Filter filter) {
    FilterDef definition = new FilterDef();
    definition.setFilterName(name);
    definition.setFilter(filter);
    definition.setAsyncSupported("true"); // or /async could not start async processing
    context.addFilterDef(definition);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPatternDecoded("/*");
    context.addFilterMap(map);
  }

  private static void text(ServletResponse response, String body) throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(body);
  }
}
