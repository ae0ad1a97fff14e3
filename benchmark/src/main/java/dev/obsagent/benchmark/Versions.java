package dev.obsagent.benchmark;

/** Versions the report names; the jar itself comes from Maven at the version pinned in the parent pom. */
final class Versions {

  /** Kept in step with {@code opentelemetry-javaagent.version} in the parent pom by run.sh (-Dbench.otel.version). */
  static final String OTEL_AGENT = System.getProperty("bench.otel.version", "2.33.1");

  private Versions() {}
}
