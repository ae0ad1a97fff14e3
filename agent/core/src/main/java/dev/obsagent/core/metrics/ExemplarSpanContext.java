package dev.obsagent.core.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Tells the Prometheus client which span is current, so histogram observations can carry it as
 * an exemplar. Unlike the client's own OpenTelemetry bridge it does not mark the chosen span with
 * an {@code exemplar=true} attribute: spans carry only the attributes CONTRACT.md names.
 */
public final class ExemplarSpanContext implements io.prometheus.metrics.tracer.common.SpanContext {

  @Override
  public String getCurrentTraceId() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() ? current.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() ? current.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return Span.current().getSpanContext().isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // nothing: see the class comment
  }
}
