package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.Scrape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact assertions on {@code http_server_request_duration_seconds}. Tests that share one app
 * compare against a scrape taken before their requests, so each sees only its own requests
 * whatever order the tests run in.
 */
final class RequestDurations {

  static final String COUNT = "http_server_request_duration_seconds_count";
  static final String SUM = "http_server_request_duration_seconds_sum";
  static final String BUCKET = "http_server_request_duration_seconds_bucket";

  /** For an app that has served nothing yet. */
  static final Scrape NOTHING_YET = Scrape.parse("");

  private RequestDurations() {}

  /** The complete label set of one series; the error type is empty on success. */
  static Map<String, String> series(String method, String route, String status, String errorType) {
    return Scrape.labels(
        "http_request_method", method,
        "http_route", route,
        "http_response_status_code", status,
        "error_type", errorType);
  }

  /** The same labels plus a bucket's upper bound. */
  static Map<String, String> bucket(Map<String, String> series, String upperBound) {
    Map<String, String> labels = new LinkedHashMap<>(series);
    labels.put("le", upperBound);
    return labels;
  }

  /**
   * Waits until the series has counted the expected number of requests more than in
   * {@code before}, and asserts it is exactly that many (a request counted twice fails here).
   * Recording can trail the response by a moment (async requests end in a listener), hence the
   * wait. Returns the scrape that showed it.
   */
  static Scrape awaitCountIncrease(AppProcess app, Scrape before, Map<String, String> series, int expected) {
    Scrape after =
        Poll.until(
            "+" + expected + " on " + COUNT + series,
            app::scrape,
            scrape -> increase(before, scrape, COUNT, series) >= expected);
    assertEquals(expected, increase(before, after, COUNT, series), COUNT + series);
    return after;
  }

  static double increase(Scrape before, Scrape after, String sample, Map<String, String> labels) {
    return after.value(sample, labels) - before.value(sample, labels);
  }

  /**
   * A scrape once the requests already answered are all counted: a request is counted a moment
   * after its answer went out. Call it with no traffic running; it waits until two scrapes 100 ms
   * apart count the same number of requests.
   */
  static Scrape settled(AppProcess app) {
    Scrape previous = app.scrape();
    for (int i = 0; i < 100; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      Scrape current = app.scrape();
      if (total(current) == total(previous)) {
        return current;
      }
      previous = current;
    }
    throw new AssertionError("the request count never settled");
  }

  private static double total(Scrape scrape) {
    return scrape.find(COUNT, java.util.Map.of()).stream().mapToDouble(sample -> sample.value).sum();
  }
}
