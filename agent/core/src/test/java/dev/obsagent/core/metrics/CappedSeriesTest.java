package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.lang.management.ManagementFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CappedSeriesTest {

  @Test
  void labelSetsPastTheCapFoldIntoOneOtherSeriesWithoutLosingObservations() {
    PrometheusRegistry registry = new PrometheusRegistry();
    AgentMetrics metrics = new AgentMetrics(registry, 3);
    CappedSeries<CounterDataPoint> requests = metrics.counter("test_requests_total", "test", "path", "method");

    for (int i = 0; i < 10; i++) {
      requests.get("/p" + i, "GET").inc();
    }
    requests.get("/p0", "GET").inc();

    CounterSnapshot snapshot = counter(registry, "test_requests");
    assertEquals(4, snapshot.getDataPoints().size(), "max-series + 1 series");
    double total = 0;
    for (CounterSnapshot.CounterDataPointSnapshot point : snapshot.getDataPoints()) {
      total += point.getValue();
      if (point.getLabels().get("path").equals("_other")) {
        assertEquals("_other", point.getLabels().get("method"));
        assertEquals(7, point.getValue());
      }
    }
    assertEquals(11, total, "no observation lost");
  }

  @Test
  void theSameLabelValuesResolveToTheSameDataPoint() {
    AgentMetrics metrics = new AgentMetrics(new PrometheusRegistry(), 10);
    CappedSeries<CounterDataPoint> series = metrics.counter("same_total", "test", "a");
    assertSame(series.get(new String("x")), series.get("x"));
    assertSame(series.get((String) null), series.get(""));
  }

  @Test
  void everyArityFindsTheSameDataPointAsTheVarargsForm() {
    AgentMetrics metrics = new AgentMetrics(new PrometheusRegistry(), 10);
    CappedSeries<CounterDataPoint> two = metrics.counter("two_total", "test", "a", "b");
    CappedSeries<CounterDataPoint> three = metrics.counter("three_total", "test", "a", "b", "c");
    CappedSeries<CounterDataPoint> four = metrics.counter("four_total", "test", "a", "b", "c", "d");
    CappedSeries<CounterDataPoint> five = metrics.counter("five_total", "test", "a", "b", "c", "d", "e");

    assertSame(two.get("x", "y"), two.get(new String[] {"x", "y"}));
    assertSame(three.get("x", null, "z"), three.get(new String[] {"x", "", "z"}));
    assertSame(four.get("w", "x", "y", ""), four.get(new String[] {"w", "x", "y", null}));
    assertSame(five.get("v", "w", "x", "y", "z"), five.get("v", "w", "x", "y", "z"));
    // Same values in other positions are other label sets.
    assertTrue(two.get("x", "y") != two.get("y", "x"));
    assertTrue(three.get("x", "", "z") != three.get("", "x", "z"));
    assertEquals(2, two.size());
  }

  @Test
  void theVarargsFormKeepsNoReferenceToTheCallersArray() {
    PrometheusRegistry registry = new PrometheusRegistry();
    CappedSeries<CounterDataPoint> series = new AgentMetrics(registry, 10).counter("copy_total", "test", "a", "b");
    String[] values = {"x", "y"};
    series.get(values).inc();
    values[1] = "changed";
    series.get("x", "y").inc();
    CounterSnapshot snapshot = counter(registry, "copy");
    assertEquals(2, snapshot.getDataPoints().size(), "x,y and the _other series");
  }

  @Test
  void theWrongNumberOfLabelValuesIsRefused() {
    CappedSeries<CounterDataPoint> series = new AgentMetrics(new PrometheusRegistry(), 10).counter("arity_total", "test", "a", "b");
    assertThrows(IllegalArgumentException.class, () -> series.get("x"));
    assertThrows(IllegalArgumentException.class, () -> series.get("x", "y", "z"));
    assertThrows(IllegalArgumentException.class, () -> series.get(new String[] {"x", "y", "z"}));
    assertEquals(0, series.size());
  }

  /** The request path looks its series up on every request: a label set seen before allocates nothing. */
  @Test
  void aLabelSetSeenBeforeIsFoundWithoutAllocating() {
    AgentMetrics metrics = new AgentMetrics(new PrometheusRegistry(), 100);
    CappedSeries<DistributionDataPoint> four =
        metrics.durationHistogram("lookup_seconds", "test", "method", "route", "status", "error");
    CappedSeries<CounterDataPoint> one = metrics.counter("lookup_total", "test", "method");
    String route = "/owners/{ownerId}";
    four.get("GET", route, "200", "");
    one.get("GET");

    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      four.get("GET", route, "200", "");
      four.get("GET", route, "200", null);
      one.get("GET");
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 10_000, "300,000 lookups allocated " + allocated + " bytes");
  }

  @Test
  void concurrentNewLabelSetsNeverExceedTheCap() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    CappedSeries<CounterDataPoint> series = new AgentMetrics(registry, 50).counter("race_total", "test", "id");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int offset = t;
      pool.execute(() -> {
        for (int i = 0; i < 1000; i++) {
          series.get(Integer.toString(i * 4 + offset)).inc();
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    assertEquals(50, series.size());
    CounterSnapshot snapshot = counter(registry, "race");
    assertEquals(51, snapshot.getDataPoints().size());
    assertEquals(4000, snapshot.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum());
  }

  @Test
  void modulesAskingForTheSameMetricShareIt() {
    AgentMetrics metrics = new AgentMetrics(new PrometheusRegistry(), 10);
    CappedSeries<?> jdbc = metrics.durationHistogram("db_client_operation_duration_seconds", "db", "db_system_name", "error_type");
    CappedSeries<?> redis = metrics.durationHistogram("db_client_operation_duration_seconds", "db", "db_system_name", "error_type");
    assertSame(jdbc, redis);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> metrics.durationHistogram("db_client_operation_duration_seconds", "db", "other"));
  }

  private static CounterSnapshot counter(PrometheusRegistry registry, String name) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        return (CounterSnapshot) snapshot;
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
