package dev.obsagent.servlettest;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JAX-RS on Jersey 3.1, the Jersey servlet mapped to {@code /rest/*} in context {@code /store}
 * of a real Tomcat 10.1: the route is Jersey's matched template behind the context path and the
 * servlet path, never the raw path.
 */
class JerseyRouteTest {

  private static final String HISTOGRAM = "http_server_request_duration_seconds";
  private static final HttpClient client = HttpClient.newHttpClient();
  private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();
  private static InProcessAgent agent;
  private static Tomcat tomcat;
  private static int port;

  /** Resource classes are public: Jersey instantiates them. */
  @Path("owners")
  public static class OwnersResource {
    @GET
    public String list() {
      return "owners";
    }

    @GET
    @Path("{id}")
    public String owner(@PathParam("id") String id) {
      return "owner " + id;
    }

    @GET
    @Path("{id}/visits/{year: [0-9]{4}}")
    public String visits(@PathParam("id") String id, @PathParam("year") String year) {
      return "visits of " + id + " in " + year;
    }

    /** Answered 50 ms later on another thread: the servlet request goes async. */
    @GET
    @Path("{id}/later")
    public void later(@PathParam("id") String id, @Suspended AsyncResponse response) {
      LATER.schedule(() -> response.resume("later " + id), 50, TimeUnit.MILLISECONDS);
    }

    @GET
    @Path("down")
    public String down() {
      throw new ServiceUnavailableException();
    }

    /** A sub-resource locator: the route continues in the class it returns. */
    @Path("{ownerId}/pets")
    public PetsResource pets(@PathParam("ownerId") String ownerId) {
      return new PetsResource(ownerId);
    }
  }

  public static class PetsResource {
    private final String ownerId;

    PetsResource(String ownerId) {
      this.ownerId = ownerId;
    }

    @GET
    @Path("{petId}")
    public String pet(@PathParam("petId") String petId) {
      return "pet " + petId + " of " + ownerId;
    }
  }

  @BeforeAll
  static void startTomcat() throws Exception {
    agent = ServletTestAgent.install();
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-jersey").toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context context = tomcat.addContext("/store", new File(".").getAbsolutePath());
    Tomcat.addServlet(context, "jersey", new ServletContainer(new ResourceConfig(OwnersResource.class)))
        .setAsyncSupported(true);
    context.addServletMappingDecoded("/rest/*", "jersey");
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  @AfterAll
  static void stopTomcat() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    LATER.shutdownNow();
  }

  @BeforeEach
  void clearSpans() {
    agent.clearSpans();
  }

  @ParameterizedTest(name = "{0} has route {2}")
  @CsvSource({
    "/store/rest/owners,                  200, /store/rest/owners",
    "/store/rest/owners/42,               200, /store/rest/owners/{id}",
    "/store/rest/owners/42/visits/2024,   200, /store/rest/owners/{id}/visits/{year}",
    "/store/rest/owners/42/pets/7,        200, /store/rest/owners/{ownerId}/pets/{petId}",
    "/store/rest/owners/42/later,         200, /store/rest/owners/{id}/later",
    "/store/rest/owners/down,             503, /store/rest/owners/down",
    // Jersey matched no resource method: the servlet mapping is all that is known.
    "/store/rest/nothing/here,            404, /store/rest/*",
    "/store/rest/owners/42/pets/7/collar, 404, /store/rest/*",
  })
  void routeIsJerseysMatchedTemplate(String path, int status, String route) throws Exception {
    String statusText = String.valueOf(status);
    String errorType = status >= 500 ? statusText : "";
    double before = count(route, statusText, errorType);
    double errorsBefore = agent.scrape().value("obs_agent_instrumentation_errors_total", labels("instrumentation", "servlet"));

    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, response.statusCode(), response.body());

    SpanData span = onlyServerSpan();
    assertEquals("GET " + route, span.getName());
    assertEquals(route, span.getAttributes().get(AttributeKey.stringKey("http.route")));
    assertEquals(path, span.getAttributes().get(AttributeKey.stringKey("url.path")));
    assertEquals(before + 1, count(route, statusText, errorType));
    Scrape scrape = agent.scrape();
    if (!path.equals(route)) { // a path without variables is its own template
      assertEquals(List.of(), scrape.find(HISTOGRAM + "_count", labels("http_route", path)), "the raw path as a route");
    }
    assertEquals(errorsBefore, scrape.value("obs_agent_instrumentation_errors_total", labels("instrumentation", "servlet")));
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
}
