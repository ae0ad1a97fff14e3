package dev.obsagent.benchmark;

import java.util.ArrayList;
import java.util.List;

/** One URL of the app put under load, with the short name the report uses. */
record Endpoint(String name, String path) {

  /**
   * The demo app's endpoints closest to what issue 7 asks for: a plain servlet, a SQL endpoint
   * and a Redis endpoint (the demo has no single SQL-and-Redis endpoint).
   *
   * <p>LLM hook: once the demo app has an endpoint that calls the local fake LLM server, add it
   * here (or pass {@code --endpoint llm=/path} and, for the app's settings,
   * {@code --app-option -D...}); the report and chart pick up every endpoint listed.
   */
  static List<Endpoint> defaults() {
    List<Endpoint> endpoints = new ArrayList<>();
    endpoints.add(new Endpoint("hello", "/hello")); // exact-mapped servlet, a text body
    endpoints.add(new Endpoint("sql", "/owners/1/pets")); // Spring MVC, 3 prepared statements on H2
    endpoints.add(new Endpoint("redis", "/owners/1/visits")); // Spring MVC, Redis INCR + EXPIRE
    return endpoints;
  }

  /** {@code name=/path}. */
  static Endpoint parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || !spec.substring(eq + 1).startsWith("/")) {
      throw new IllegalArgumentException("--endpoint wants name=/path, got " + spec);
    }
    return new Endpoint(spec.substring(0, eq), spec.substring(eq + 1));
  }
}
