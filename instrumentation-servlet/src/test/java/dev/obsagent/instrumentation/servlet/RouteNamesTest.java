package dev.obsagent.instrumentation.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RouteNamesTest {

  private final RouteNames routes = new RouteNames();

  @Test
  void servletMappingsWithContextPath() {
    assertEquals("/hello", routes.route("", "/hello", "EXACT", null));
    assertEquals("/shop/hello", routes.route("/shop", "/hello", "EXACT", null));
    assertEquals("/api/*", routes.route("", "/api/*", "PATH", null));
    assertEquals("/shop/*.do", routes.route("/shop", "*.do", "EXTENSION", null));
    assertEquals("/*", routes.route("", "/", "DEFAULT", null));
    assertEquals("/", routes.route("", "", "CONTEXT_ROOT", null));
    assertEquals("/shop/", routes.route("/shop", "", "CONTEXT_ROOT", null));
  }

  @Test
  void frameworkTemplatesAreRelativeToAPrefixMapping() {
    assertEquals("/owners/{ownerId}", routes.route("", "/", "DEFAULT", "/owners/{ownerId}"));
    assertEquals("/shop/api/owners/{id}", routes.route("/shop", "/api/*", "PATH", "/owners/{id}"));
  }

  @Test
  void nothingKnownIsOther() {
    assertEquals("_other", routes.route("", null, null, null));
    assertEquals("_other", routes.route("", "", "EXACT", null));
  }

  @Test
  void routesAreBuiltOnceAndCached() {
    assertSame(routes.route("/shop", "/api/*", "PATH", "/x/{id}"), routes.route("/shop", "/api/*", "PATH", "/x/{id}"));
  }
}
