package dev.obsagent.smoke;

import static dev.obsagent.smoke.RequestDurations.COUNT;
import static dev.obsagent.smoke.RequestDurations.awaitCountIncrease;
import static dev.obsagent.smoke.RequestDurations.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.Scrape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The javax.servlet app on embedded Tomcat 9: the agent weaves the javax API separately. It also
 * runs Jersey 2 (JAX-RS on javax), whose route templates the agent reads with the same hook as
 * Jersey 3's.
 */
class JavaxAppSmokeTest extends ServletAppSmokeTest {

  @Override
  JavaRuntime java() {
    return JavaRuntime.current();
  }

  @Override
  Path appJar() {
    return Artifacts.javaxApp();
  }

  @Override
  String serviceName() {
    return "javax-app";
  }

  @Override
  String failureClass() {
    return "dev.obsagent.javaxapp.JavaxAppFailure";
  }

  @Override
  String failureMessage() {
    return "failed on purpose";
  }

  @ParameterizedTest(name = "{0} has route {2}")
  @CsvSource({
    "/rest/owners/7,        200, /rest/owners/{ownerId}",
    "/rest/owners/7/pets/3, 200, /rest/owners/{ownerId}/pets/{petId}",
    // No resource matched: the servlet mapping is all that is known.
    "/rest/nothing/here,    404, /rest/*",
  })
  void jerseyRouteIsTheMatchedTemplate(String path, int status, String route) {
    TraceContext trace = TraceContext.random();
    Scrape before = app.scrape();
    assertEquals(status, app.get(path, "traceparent", trace.traceparent()).statusCode());

    Scrape after = awaitCountIncrease(app, before, series("GET", route, String.valueOf(status), ""), 1);
    assertEquals(List.of(), after.find(COUNT, Scrape.labels("http_route", path)), "the raw path as a route");
    ExportedSpan span = backend.awaitServerSpan(trace);
    assertEquals("GET " + route, span.name());
    assertEquals(route, span.attribute("http.route"));
    assertEquals(path, span.attribute("url.path"));
  }
}
