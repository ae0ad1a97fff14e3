package dev.obsagent.core.metrics;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The data points of one labelled metric, resolved once per label set and cached, with the
 * per-metric series cap of {@code obs.metrics.max-series}: past the cap, new label sets share one
 * data point whose every label reads {@code _other}, so no observation is lost and the metric has
 * at most {@code maxSeries + 1} series.
 *
 * @param <P> the Prometheus data point type (histogram, counter or gauge)
 */
public final class CappedSeries<P> {

  public static final String OTHER = "_other";

  private final ConcurrentHashMap<LabelValues, P> points = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Function<String[], P> resolver;
  private final int maxSeries;
  private final P overflow;

  public CappedSeries(Function<String[], P> resolver, int labelCount, int maxSeries) {
    this.resolver = resolver;
    this.maxSeries = maxSeries;
    String[] others = new String[labelCount];
    Arrays.fill(others, OTHER);
    this.overflow = resolver.apply(others);
  }

  /** The data point for these label values; the caller must not change the array afterwards. */
  public P get(String... labelValues) {
    LabelValues key = new LabelValues(labelValues);
    P point = points.get(key);
    if (point != null) {
      return point;
    }
    if (reserved.incrementAndGet() > maxSeries) {
      reserved.decrementAndGet();
      return overflow;
    }
    P created = resolver.apply(labelValues);
    P raced = points.putIfAbsent(key, created);
    if (raced != null) {
      reserved.decrementAndGet();
      return raced;
    }
    return created;
  }

  /** Number of distinct label sets kept apart from the overflow series. */
  public int size() {
    return points.size();
  }

  /** An immutable label-value tuple with a cached hash. Null values are treated as empty. */
  private static final class LabelValues {
    private final String[] values;
    private final int hash;

    LabelValues(String[] values) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          values[i] = "";
        }
      }
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof LabelValues && Arrays.equals(values, ((LabelValues) other).values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
