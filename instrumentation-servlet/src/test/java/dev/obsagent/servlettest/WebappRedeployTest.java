package dev.obsagent.servlettest;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.obsagent.testing.InProcessAgent;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.Test;

/**
 * A web application deployed, used and undeployed 20 times in one running Tomcat: every one of its
 * class loaders must be collected, so the agent holds no strong reference to an application's
 * classes or loaders (CONTRACT.md). The webapp is a real one on disk, a servlet and a filter in
 * {@code WEB-INF/classes} and its own H2 driver in {@code WEB-INF/lib}, so that Tomcat's webapp
 * class loader defines them and the agent weaves (and injects helpers into) each loader anew:
 * servlet advice in the servlet and filter, JDBC advice in the driver's statements.
 */
class WebappRedeployTest {

  private static final int DEPLOYMENTS = 20;
  private static final int REQUESTS = 3;
  private static final String HISTOGRAM_COUNT = "http_server_request_duration_seconds_count";

  private static final String SERVLET =
      "package demo.webapp;\n"
          + "import jakarta.servlet.http.*;\n"
          + "import java.sql.*;\n"
          + "public class HelloServlet extends HttpServlet {\n"
          + "  @Override protected void doGet(HttpServletRequest request, HttpServletResponse response)\n"
          + "      throws java.io.IOException {\n"
          + "    String answer;\n"
          + "    try {\n"
          + "      Driver driver = (Driver) Class.forName(\"org.h2.Driver\", true, HelloServlet.class.getClassLoader())\n"
          + "          .getDeclaredConstructor().newInstance();\n"
          + "      try (Connection connection = driver.connect(\"jdbc:h2:mem:\", new java.util.Properties());\n"
          + "          PreparedStatement statement = connection.prepareStatement(\"SELECT CAST(? AS INT) + 2\")) {\n"
          + "        statement.setInt(1, 40);\n"
          + "        try (ResultSet rows = statement.executeQuery()) {\n"
          + "          rows.next();\n"
          + "          answer = rows.getString(1);\n"
          + "        }\n"
          + "      }\n"
          + "    } catch (ReflectiveOperationException | SQLException e) {\n"
          + "      throw new java.io.IOException(e);\n"
          + "    }\n"
          + "    response.setContentType(\"text/plain\");\n"
          + "    response.getWriter().write(\"hello \" + answer + \" via \" + request.getAttribute(\"demo.filter\")\n"
          + "        + \" from \" + HelloServlet.class.getClassLoader().getClass().getSimpleName());\n"
          + "  }\n"
          + "}\n";

  private static final String FILTER =
      "package demo.webapp;\n"
          + "import jakarta.servlet.*;\n"
          + "public class TagFilter implements Filter {\n"
          + "  @Override public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)\n"
          + "      throws java.io.IOException, ServletException {\n"
          + "    request.setAttribute(\"demo.filter\", \"TagFilter\");\n"
          + "    chain.doFilter(request, response);\n"
          + "  }\n"
          + "}\n";

  @Test
  void everyUndeployedWebappClassLoaderIsCollected() throws Exception {
    InProcessAgent agent = ServletTestAgent.install();
    Path docBase = buildWebapp();
    HttpClient client = HttpClient.newHttpClient();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-redeploy").toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();

    Map<String, String> requests = labels("http_request_method", "GET", "http_route", "/app/hello",
        "http_response_status_code", "200", "error_type", "");
    Map<String, String> statements = labels("db_system_name", "h2", "db_operation_name", "SELECT",
        "db_collection_name", "", "error_type", "");
    double requestsBefore = agent.scrape().value(HISTOGRAM_COUNT, requests);
    double statementsBefore = agent.scrape().value("db_client_operation_duration_seconds_count", statements);
    double servletErrors = agentErrors(agent, "servlet");
    double jdbcErrors = agentErrors(agent, "jdbc");

    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    try {
      for (int deployment = 0; deployment < DEPLOYMENTS; deployment++) {
        loaders.add(new WeakReference<>(deployAndUse(tomcat, docBase, client, port)));
      }
    } finally {
      // Measured while Tomcat still runs: the loaders must go at undeploy, not at shutdown.
      awaitCollected(loaders);
      tomcat.stop();
      tomcat.destroy();
    }

    assertEquals(requestsBefore + DEPLOYMENTS * REQUESTS, agent.scrape().value(HISTOGRAM_COUNT, requests),
        "every request measured once, filter and servlet together");
    assertEquals(statementsBefore + DEPLOYMENTS * REQUESTS,
        agent.scrape().value("db_client_operation_duration_seconds_count", statements),
        "every statement of every deployment's own H2 measured");
    assertEquals(servletErrors, agentErrors(agent, "servlet"));
    assertEquals(jdbcErrors, agentErrors(agent, "jdbc"));
  }

  /** Deploys the webapp at /app, sends it requests, undeploys it; returns its class loader. */
  private static ClassLoader deployAndUse(Tomcat tomcat, Path docBase, HttpClient client, int port) throws Exception {
    // Configured before it is added (and so started): filters are set up at start.
    StandardContext context = new StandardContext();
    context.setName("/app");
    context.setPath("/app");
    context.setDocBase(docBase.toString());
    context.addLifecycleListener(new Tomcat.FixContextListener());
    Tomcat.addServlet(context, "hello", "demo.webapp.HelloServlet");
    context.addServletMappingDecoded("/hello", "hello");
    FilterDef filter = new FilterDef();
    filter.setFilterName("tag");
    filter.setFilterClass("demo.webapp.TagFilter");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("tag");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.getHost().addChild(context);
    assertTrue(context.getState().isAvailable(), "started on a running host: " + context.getState());
    ClassLoader loader = context.getLoader().getClassLoader();
    try {
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app/hello")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("hello 42 via TagFilter from ParallelWebappClassLoader", response.body());
      }
    } finally {
      tomcat.getHost().removeChild(context);
    }
    return loader;
  }

  /** Collects garbage, with allocation pressure, until every loader is gone or 30 s passed. */
  private static void awaitCollected(List<WeakReference<ClassLoader>> loaders) throws Exception {
    long started = System.nanoTime();
    long deadline = started + 30_000_000_000L;
    int rounds = 0;
    long collected;
    while (true) {
      rounds++;
      System.gc();
      collected = loaders.stream().filter(reference -> reference.get() == null).count();
      if (collected == loaders.size() || System.nanoTime() > deadline) {
        break;
      }
      List<byte[]> pressure = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        pressure.add(new byte[1 << 20]);
      }
      pressure.clear();
      Thread.sleep(100);
    }
    System.out.printf("Webapp redeploys: %d of %d class loaders collected after %d GC rounds in %d ms%n",
        collected, loaders.size(), rounds, (System.nanoTime() - started) / 1_000_000);
    if (collected != loaders.size()) {
      Path dump = Files.createTempDirectory("redeploy-heap").resolve("heap.hprof");
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
      System.out.println("Heap dump with the loaders still reachable: " + dump);
    }
    assertEquals(loaders.size(), collected, "webapp class loaders collected after undeploy");
  }

  private static double agentErrors(InProcessAgent agent, String instrumentation) {
    return agent.scrape().value("obs_agent_instrumentation_errors_total", labels("instrumentation", instrumentation));
  }

  /** A webapp directory: the servlet and filter compiled into WEB-INF/classes, H2 in WEB-INF/lib. */
  private static Path buildWebapp() throws IOException {
    Path docBase = Files.createTempDirectory("redeploy-webapp");
    Path sources = Files.createDirectories(docBase.resolveSibling(docBase.getFileName() + "-src").resolve("demo/webapp"));
    Path classes = Files.createDirectories(docBase.resolve("WEB-INF/classes"));
    Files.writeString(sources.resolve("HelloServlet.java"), SERVLET);
    Files.writeString(sources.resolve("TagFilter.java"), FILTER);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null,
        "-d", classes.toString(),
        "-cp", jarOf("jakarta/servlet/http/HttpServlet.class").toString(),
        sources.resolve("HelloServlet.java").toString(), sources.resolve("TagFilter.java").toString());
    assertEquals(0, status, "webapp sources compile");
    Path lib = Files.createDirectories(docBase.resolve("WEB-INF/lib"));
    Files.copy(jarOf("org/h2/Driver.class"), lib.resolve("h2.jar"), StandardCopyOption.REPLACE_EXISTING);
    return docBase;
  }

  /** The jar on the test class path holding a resource, found without loading its class here. */
  private static Path jarOf(String resource) throws IOException {
    URL url = ClassLoader.getSystemResource(resource);
    URL jar = ((JarURLConnection) url.openConnection()).getJarFileURL();
    return new File(URI.create(jar.toString())).toPath();
  }
}
