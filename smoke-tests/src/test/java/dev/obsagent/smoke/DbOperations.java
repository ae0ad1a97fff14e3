package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.Scrape;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact assertions on {@code db_client_operation_duration_seconds}, the histogram SQL statements
 * and Redis commands share, and on the CLIENT spans they produce.
 */
final class DbOperations {

  static final String COUNT = "db_client_operation_duration_seconds_count";

  private DbOperations() {}

  /** The complete label set of one series; the collection is empty for Redis, the error type on success. */
  static Map<String, String> series(String system, String operation, String collection, String errorType) {
    return Scrape.labels(
        "db_system_name", system,
        "db_operation_name", operation,
        "db_collection_name", collection,
        "error_type", errorType);
  }

  /** Operations counted in this series between two scrapes. */
  static double increase(Scrape before, Scrape after, Map<String, String> series) {
    return after.value(COUNT, series) - before.value(COUNT, series);
  }

  /** The span has exactly these attributes (none besides, not even an exemplar marker). */
  static void assertAttributes(Map<String, Object> expected, ExportedSpan span) {
    Map<String, Object> actual = new TreeMap<>(span.attributes());
    assertEquals(new TreeMap<>(expected), actual, "attributes of " + span.name());
  }
}
