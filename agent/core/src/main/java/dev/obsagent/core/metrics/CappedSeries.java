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
 * <p>Label sets are kept as a tree, one level per label: a label set seen before is found by one
 * map read per label, with no key object and, through the fixed-arity {@code get}s, no varargs
 * array. A request path resolves its series on every observation, so this runs per request.
 * Null label values are treated as empty.
 *
 * @param <P> the Prometheus data point type (histogram, counter or gauge)
 */
public final class CappedSeries<P> {

  public static final String OTHER = "_other";

  /** Label value to the next level, or, at the last label, to the data point. */
  private final ConcurrentHashMap<String, Object> root = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Function<String[], P> resolver;
  private final int labelCount;
  private final int maxSeries;
  private final P overflow;

  public CappedSeries(Function<String[], P> resolver, int labelCount, int maxSeries) {
    if (labelCount < 1) {
      throw new IllegalArgumentException("a metric without labels has one data point: it needs no CappedSeries");
    }
    this.resolver = resolver;
    this.labelCount = labelCount;
    this.maxSeries = maxSeries;
    String[] others = new String[labelCount];
    Arrays.fill(others, OTHER);
    this.overflow = resolver.apply(others);
  }

  public P get(String v1) {
    Object found = labelCount == 1 ? next(root, v1) : null;
    return found != null ? cast(found) : resolve(v1);
  }

  public P get(String v1, String v2) {
    Object found = labelCount == 2 ? next(next(root, v1), v2) : null;
    return found != null ? cast(found) : resolve(v1, v2);
  }

  public P get(String v1, String v2, String v3) {
    Object found = labelCount == 3 ? next(next(next(root, v1), v2), v3) : null;
    return found != null ? cast(found) : resolve(v1, v2, v3);
  }

  public P get(String v1, String v2, String v3, String v4) {
    Object found = labelCount == 4 ? next(next(next(next(root, v1), v2), v3), v4) : null;
    return found != null ? cast(found) : resolve(v1, v2, v3, v4);
  }

  /** The data point for these label values, any number of them; the array is not kept. */
  public P get(String... labelValues) {
    Object found = labelCount == labelValues.length ? root : null;
    for (int i = 0; i < labelValues.length && found != null; i++) {
      found = next(found, labelValues[i]);
    }
    return found != null ? cast(found) : resolve(labelValues.clone());
  }

  /** Number of distinct label sets kept apart from the overflow series (once none is being added). */
  public int size() {
    return reserved.get();
  }

  /** The child of {@code level} under {@code value}, or null when there is none (or no level). */
  @SuppressWarnings("unchecked")
  private static Object next(Object level, String value) {
    return level == null ? null : ((ConcurrentHashMap<String, Object>) level).get(value == null ? "" : value);
  }

  @SuppressWarnings("unchecked")
  private P cast(Object point) {
    return (P) point;
  }

  /** A label set not seen before (or past the cap): the slow path, once per new label set. */
  @SuppressWarnings("unchecked")
  private P resolve(String... values) {
    if (values.length != labelCount) {
      throw new IllegalArgumentException(labelCount + " label values expected, got " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        values[i] = "";
      }
    }
    if (reserved.incrementAndGet() > maxSeries) {
      reserved.decrementAndGet();
      return overflow;
    }
    ConcurrentHashMap<String, Object> level = root;
    for (int i = 0; i < values.length - 1; i++) {
      level = (ConcurrentHashMap<String, Object>) level.computeIfAbsent(values[i], ignored -> new ConcurrentHashMap<>());
    }
    P created = resolver.apply(values);
    Object raced = level.putIfAbsent(values[values.length - 1], created);
    if (raced != null) {
      reserved.decrementAndGet(); // another thread added this label set first
      return (P) raced;
    }
    return created;
  }
}
