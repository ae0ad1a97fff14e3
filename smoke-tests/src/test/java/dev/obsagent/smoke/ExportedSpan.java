package dev.obsagent.smoke;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One span as the fake backend received it, in plain Java types: ids in lower-case hex (as in
 * {@code traceparent} and exemplars), attribute values as String, Long, Double, Boolean or List.
 */
record ExportedSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    Span.SpanKind kind,
    Status.StatusCode status,
    Map<String, Object> attributes,
    List<Event> events,
    Duration duration,
    Map<String, Object> resource) {

  /** A span event, such as {@code exception}. */
  record Event(String name, Map<String, Object> attributes) {}

  static List<ExportedSpan> from(ExportTraceServiceRequest request) {
    List<ExportedSpan> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, Object> resource = attributes(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(from(span, resource));
        }
      }
    }
    return spans;
  }

  private static ExportedSpan from(Span span, Map<String, Object> resource) {
    HexFormat hex = HexFormat.of();
    List<Event> events =
        span.getEventsList().stream()
            .map(event -> new Event(event.getName(), attributes(event.getAttributesList())))
            .collect(Collectors.toList());
    return new ExportedSpan(
        hex.formatHex(span.getTraceId().toByteArray()),
        hex.formatHex(span.getSpanId().toByteArray()),
        hex.formatHex(span.getParentSpanId().toByteArray()),
        span.getName(),
        span.getKind(),
        span.getStatus().getCode(),
        attributes(span.getAttributesList()),
        events,
        Duration.ofNanos(span.getEndTimeUnixNano() - span.getStartTimeUnixNano()),
        resource);
  }

  Object attribute(String key) {
    return attributes.get(key);
  }

  /** The first event of that name, or null. */
  Event event(String name) {
    return events.stream().filter(event -> event.name().equals(name)).findFirst().orElse(null);
  }

  private static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      attributes.put(keyValue.getKey(), value(keyValue.getValue()));
    }
    return attributes;
  }

  private static Object value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case INT_VALUE:
        return value.getIntValue();
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case ARRAY_VALUE:
        return value.getArrayValue().getValuesList().stream().map(ExportedSpan::value).collect(Collectors.toList());
      default:
        return value.toString();
    }
  }
}
