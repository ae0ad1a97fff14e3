package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** {@link AgentMetrics#inFlightGauge}: what a Prometheus Gauge shows, without a lambda per inc and dec. */
class InFlightGaugeTest {

  private static final String NAME = "http_server_active_requests";
  private static final String HELP = "Number of HTTP server requests in flight.";

  @Test
  void scrapesExactlyAsThePrometheusGaugeItReplaces() throws IOException {
    PrometheusRegistry ours = new PrometheusRegistry();
    CappedSeries<LongAdder> inFlight = new AgentMetrics(ours, 2).inFlightGauge(NAME, HELP, "http_request_method");
    // The gauge the agent used before: a Prometheus Gauge behind the same series cap.
    PrometheusRegistry theirs = new PrometheusRegistry();
    Gauge gauge = Gauge.builder().name(NAME).help(HELP).labelNames("http_request_method").register(theirs);
    CappedSeries<GaugeDataPoint> reference = new CappedSeries<>(gauge::labelValues, 1, 2);

    for (String method : new String[] {"GET", "GET", "POST", "PUT", "GET", null}) {
      inFlight.get(method).increment();
      reference.get(method).inc();
    }
    inFlight.get("GET").decrement();
    reference.get("GET").dec();
    inFlight.get("PATCH").decrement(); // PUT, "" and PATCH are past the cap: the _other series
    reference.get("PATCH").dec();

    String scrape = scrape(ours, PrometheusTextFormatWriter.create());
    assertEquals(scrape(theirs, PrometheusTextFormatWriter.create()), scrape);
    assertEquals(scrape(theirs, OpenMetricsTextFormatWriter.create()), scrape(ours, OpenMetricsTextFormatWriter.create()));
    assertTrue(scrape.contains(NAME + "{http_request_method=\"GET\"} 2.0"), scrape);
    assertTrue(scrape.contains(NAME + "{http_request_method=\"_other\"} 1.0"), scrape);
  }

  @Test
  void countingUpAndDownAllocatesNothing() {
    CappedSeries<LongAdder> inFlight =
        new AgentMetrics(new PrometheusRegistry(), 10).inFlightGauge(NAME, HELP, "http_request_method");
    assertSame(inFlight.get("GET"), inFlight.get("GET"));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      LongAdder active = inFlight.get("GET");
      active.increment();
      active.decrement();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 10_000, "100,000 requests in and out allocated " + allocated + " bytes");
  }

  private static String scrape(PrometheusRegistry registry, ExpositionFormatWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape(NAME::equals), EscapingScheme.UNDERSCORE_ESCAPING);
    return out.toString(StandardCharsets.UTF_8);
  }
}
