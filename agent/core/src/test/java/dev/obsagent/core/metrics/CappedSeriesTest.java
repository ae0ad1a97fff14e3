package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
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
