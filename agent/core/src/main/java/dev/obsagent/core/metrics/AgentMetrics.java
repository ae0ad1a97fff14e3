package dev.obsagent.core.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Creates the agent's metrics in its own registry (never the application's default one), each
 * wrapped in a {@link CappedSeries} so instrumentations resolve label sets once and stay under
 * the series cap.
 */
public final class AgentMetrics {

  /** Boundaries for durations in seconds, from the OpenTelemetry HTTP semantic conventions. */
  public static final double[] DURATION_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
  };

  private final PrometheusRegistry registry;
  private final int maxSeries;
  /** One metric per name: modules sharing a metric (JDBC and Redis both time db operations) share it. */
  private final Map<String, Shared<?>> byName = new ConcurrentHashMap<>();
  private final CappedSeries<CounterDataPoint> instrumentationErrors;
  private final CounterDataPoint spansDropped;

  public AgentMetrics(PrometheusRegistry registry, int maxSeries) {
    this.registry = registry;
    this.maxSeries = maxSeries;
    this.instrumentationErrors =
        counter(
            "obs_agent_instrumentation_errors_total",
            "Throwables raised and suppressed inside the agent's instrumentation code.",
            "instrumentation");
    this.spansDropped =
        Counter.builder()
            .name("obs_agent_spans_dropped_total")
            .help("Spans that never reached the collector: the export queue was full, or their export failed.")
            .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** A histogram in seconds with the duration buckets above. */
  public CappedSeries<DistributionDataPoint> durationHistogram(String name, String help, String... labelNames) {
    return shared(name, labelNames, () -> {
      Histogram histogram =
          Histogram.builder()
              .name(name)
              .help(help)
              .unit(Unit.SECONDS)
              .labelNames(labelNames)
              .classicOnly()
              .classicUpperBounds(DURATION_BUCKETS)
              .register(registry);
      return new CappedSeries<>(histogram::labelValues, labelNames.length, maxSeries);
    });
  }

  /** A histogram with the given bucket boundaries and no unit. */
  public CappedSeries<DistributionDataPoint> histogram(
      String name, String help, double[] buckets, String... labelNames) {
    return shared(name, labelNames, () -> {
      Histogram histogram =
          Histogram.builder()
              .name(name)
              .help(help)
              .labelNames(labelNames)
              .classicOnly()
              .classicUpperBounds(buckets)
              .register(registry);
      return new CappedSeries<>(histogram::labelValues, labelNames.length, maxSeries);
    });
  }

  public CappedSeries<CounterDataPoint> counter(String name, String help, String... labelNames) {
    return shared(name, labelNames, () -> {
      Counter counter = Counter.builder().name(name).help(help).labelNames(labelNames).register(registry);
      return new CappedSeries<>(counter::labelValues, labelNames.length, maxSeries);
    });
  }

  /**
   * A gauge of what is in flight (requests being served), counted up and down per label set and
   * read when scraped. The Prometheus client's own Gauge allocates a lambda on every inc and dec;
   * a LongAdder counts without allocating, and the output (type, help, series) is the same.
   */
  public CappedSeries<LongAdder> inFlightGauge(String name, String help, String... labelNames) {
    return shared(name, labelNames, () -> {
      Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();
      GaugeWithCallback.builder()
          .name(name)
          .help(help)
          .labelNames(labelNames)
          .callback(gauge -> counts.forEach((labels, count) -> gauge.call(count.sum(), labels.toArray(new String[0]))))
          .register(registry);
      // Idempotent, as CappedSeries needs: two threads racing on a new label set get one counter.
      return new CappedSeries<>(
          values -> counts.computeIfAbsent(List.of(values), ignored -> new LongAdder()), labelNames.length, maxSeries);
    });
  }

  /**
   * Registers a metric the first time its name is asked for and hands out the same series to
   * every later caller. Asking again with other label names is a programming error.
   */
  @SuppressWarnings("unchecked")
  private <P> CappedSeries<P> shared(String name, String[] labelNames, Supplier<CappedSeries<P>> create) {
    Shared<?> existing = byName.computeIfAbsent(name, ignored -> new Shared<>(labelNames, create.get()));
    if (!Arrays.equals(existing.labelNames, labelNames)) {
      throw new IllegalArgumentException(
          "metric " + name + " is already registered with labels " + Arrays.toString(existing.labelNames));
    }
    return (CappedSeries<P>) existing.series;
  }

  private static final class Shared<P> {
    final String[] labelNames;
    final CappedSeries<P> series;

    Shared(String[] labelNames, CappedSeries<P> series) {
      this.labelNames = labelNames.clone();
      this.series = series;
    }
  }

  /** An info metric: a gauge with value 1 and the given labels, e.g. {@code obs_agent_info}. */
  public void info(String name, String help, Map<String, String> labels) {
    Info info =
        Info.builder()
            .name(name)
            .help(help)
            .labelNames(labels.keySet().toArray(new String[0]))
            .register(registry);
    info.addLabelValues(labels.values().toArray(new String[0]));
  }

  public void recordInstrumentationError(String instrumentation) {
    instrumentationErrors.get(instrumentation).inc();
  }

  public void recordSpansDropped(long count) {
    spansDropped.inc(count);
  }
}
