package dev.obsagent.core.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * Tells the Prometheus client which span an observation belongs to, so histogram observations
 * can carry it as an exemplar: the current span, or the one given to {@link #observe}. Unlike the
 * client's own OpenTelemetry bridge it does not mark the chosen span with an
 * {@code exemplar=true} attribute: spans carry only the attributes CONTRACT.md names.
 */
public final class ExemplarSpanContext implements io.prometheus.metrics.tracer.common.SpanContext {

  /** The span of the observation being made on this thread, when it is not the current span. */
  private static final ThreadLocal<Span> OBSERVED = new ThreadLocal<>();

  /**
   * Observes {@code value} with {@code span} as its exemplar candidate, as if the span were
   * current. A client operation (an SQL statement, a Redis command, an HTTP call) is observed
   * when it ends, while its span is not current; making it current only for the observation would
   * cost a new Context and a Scope per operation.
   */
  public static void observe(DistributionDataPoint point, double value, Span span) {
    Span outer = OBSERVED.get();
    OBSERVED.set(span);
    try {
      point.observe(value);
    } finally {
      OBSERVED.set(outer); // set, not remove: the thread keeps its entry, so the next set allocates nothing
    }
  }

  /** Looked up once per call; the client asks only when it is about to sample an exemplar. */
  private static SpanContext candidate() {
    Span observed = OBSERVED.get();
    return (observed != null ? observed : Span.current()).getSpanContext();
  }

  @Override
  public String getCurrentTraceId() {
    SpanContext candidate = candidate();
    return candidate.isValid() ? candidate.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext candidate = candidate();
    return candidate.isValid() ? candidate.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return candidate().isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // nothing: see the class comment
  }
}
