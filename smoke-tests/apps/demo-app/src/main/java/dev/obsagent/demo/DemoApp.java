package dev.obsagent.demo;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The obs-agent demo: a plain jakarta web application on embedded Tomcat with one endpoint for
 * every kind of servlet mapping the agent turns into an {@code http_route}, plus Spring MVC
 * controllers that use a database (H2) and Redis (Jedis).
 *
 * <pre>
 *   /hello                   exact mapping                  route /hello
 *   /api/*                   path mapping, JSON             route /api/*
 *   *.do                     extension mapping              route /*.do
 *   /async                   async servlet, ~50 ms          route /async
 *   /fail                    throws DemoFailure -> 500      route /fail
 *   /teapot                  sendError(418)                 route /teapot
 *   /health                  for obs.servlet.exclude-paths  route /health
 *   /owners/{ownerId}        Spring MVC on the default servlet
 *   /owners/{ownerId}/pets   Spring MVC, 3 SQL statements on in-memory H2; unknown owner -> 404;
 *                            ?note= puts the note into the audit INSERT as a SQL literal
 *   /owners/{ownerId}/visits Spring MVC, Redis INCR and EXPIRE; Redis unreachable -> 503
 *   /visitors?id=&amp;note=      Spring MVC, Redis SETEX and GET of a note under the visitor's key
 *   /assistant/ask?q=        Spring MVC, an LLM chat call through java.net.http (fake provider by default)
 *   /assistant/stream?q=     the same, streamed
 *   /shop/hello              a second context, /shop
 *   /shop/mvc/items/{itemId} Spring MVC mapped to /mvc/* in /shop
 * </pre>
 *
 * <p>Port: the first argument, else {@code -Ddemo.port}, else 8080; 0 picks a free one. Once
 * listening it prints {@code DEMO_PORT=<port>} on stdout, which scripts and tests wait for.
 * Redis: {@code DEMO_REDIS_HOST} and {@code DEMO_REDIS_PORT} (default 127.0.0.1:6379); the demo
 * runs without one (see {@link DemoBackends}). Database: {@code DEMO_DB_URL}, {@code DEMO_DB_USER},
 * {@code DEMO_DB_PASSWORD} (default: in-memory H2). LLM: {@code OPENAI_API_KEY},
 * {@code DEMO_LLM_BASE_URL} (default: the demo's fake provider).
 */
public final class DemoApp {

  private DemoApp() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args.length > 0 ? args[0] : System.getProperty("demo.port", "8080"));
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("demo-app-tomcat").toString());
    tomcat.setPort(port);
    // Creates the HTTP connector (embedded Tomcat has none until asked). By default Tomcat runs
    // on without it when the port is taken: fail instead, so that scripts see the problem.
    tomcat.getConnector().setThrowOnFailure(true);
    addRootContext(tomcat);
    addShopContext(tomcat);
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      System.err.println("demo-app: cannot start on port " + port + ": " + e);
      System.exit(1);
    }
    System.out.println("DEMO_PORT=" + tomcat.getConnector().getLocalPort());
    tomcat.getServer().await();
  }

  private static void addRootContext(Tomcat tomcat) {
    Context root = tomcat.addContext("", null);
    // Real applications put filters (auth, logging) in front of their servlets: the agent must
    // still count each request once, not once per filter and once per servlet.
    addFilter(root, "demo-filter", new DemoFilter(), "/*");

    addServlet(root, "hello", "/hello", Endpoint.of((request, response) ->
        Endpoint.text(response, "Hello from the obs-agent demo!\n")));
    addServlet(root, "api", "/api/*", Endpoint.of((request, response) ->
        Endpoint.json(response, "{\"resource\":" + Endpoint.jsonString(request.getPathInfo()) + ",\"items\":[1,2,3]}")));
    addServlet(root, "reports", "*.do", Endpoint.of((request, response) ->
        Endpoint.text(response, "report " + request.getServletPath() + "\n")));
    addServlet(root, "async", "/async", new AsyncServlet());
    addServlet(root, "fail", "/fail", Endpoint.of((request, response) -> {
      // The message quotes user data on purpose: the agent must not copy it into spans.
      throw new DemoFailure("order 1234 of alice@example.com could not be paid");
    }));
    addServlet(root, "teapot", "/teapot", Endpoint.of((request, response) ->
        response.sendError(418, "I'm a teapot")));
    addServlet(root, "health", "/health", Endpoint.of((request, response) ->
        Endpoint.text(response, "ok\n")));
    // On the default servlet mapping "/", so the route is Spring's pattern as written.
    addServlet(root, "spring", "/",
        SpringMvc.dispatcher(
            DemoBackends.class, OwnersController.class, PetsController.class, VisitsController.class,
            AssistantController.class));
  }

  /** A second web application: its routes must carry the /shop context path. */
  private static void addShopContext(Tomcat tomcat) {
    Context shop = tomcat.addContext("/shop", null);
    addServlet(shop, "hello", "/hello", Endpoint.of((request, response) ->
        Endpoint.text(response, "Welcome to the shop!\n")));
    // Under a /prefix/* mapping, Spring's patterns are relative to the prefix.
    addServlet(shop, "spring", "/mvc/*", SpringMvc.dispatcher(ShopController.class));
  }

  private static void addServlet(Context context, String name, String mapping, Servlet servlet) {
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    wrapper.setAsyncSupported(true);
    wrapper.setLoadOnStartup(1); // start Spring now, not on the first request
    context.addServletMappingDecoded(mapping, name);
  }

  private static void addFilter(Context context, String name, Filter filter, String mapping) {
    FilterDef definition = new FilterDef();
    definition.setFilterName(name);
    definition.setFilter(filter);
    definition.setAsyncSupported("true"); // or /async could not start async processing
    context.addFilterDef(definition);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPatternDecoded(mapping);
    context.addFilterMap(map);
  }
}
