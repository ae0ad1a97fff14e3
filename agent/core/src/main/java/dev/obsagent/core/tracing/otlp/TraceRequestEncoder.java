package dev.obsagent.core.tracing.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes ended spans as an OTLP {@code ExportTraceServiceRequest} (opentelemetry-proto,
 * {@code collector/trace/v1}), the body of an OTLP/HTTP export in {@code application/x-protobuf}.
 *
 * <p>The OpenTelemetry exporter sizes every field in a first pass and writes it in a second, turns
 * each id's hex string into a new byte array through a map, and loads some 240 classes to do so.
 * This writes each span once, straight from the {@link SpanData} into one reused buffer ({@link
 * ProtoOutput}); the bytes are the same message.
 *
 * <p>Not thread-safe: one encoder per export in flight.
 */
public final class TraceRequestEncoder {

  // Field numbers from opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.
  private static final int REQUEST_RESOURCE_SPANS = 1;
  private static final int RESOURCE_SPANS_RESOURCE = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  private static final int RESOURCE_SPANS_SCHEMA_URL = 3;
  private static final int RESOURCE_ATTRIBUTES = 1;
  private static final int SCOPE_SPANS_SCOPE = 1;
  private static final int SCOPE_SPANS_SPANS = 2;
  private static final int SCOPE_SPANS_SCHEMA_URL = 3;
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  private static final int SCOPE_ATTRIBUTES = 3;
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_TRACE_STATE = 3;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START_TIME = 7;
  private static final int SPAN_END_TIME = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_DROPPED_ATTRIBUTES = 10;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_DROPPED_EVENTS = 12;
  private static final int SPAN_LINKS = 13;
  private static final int SPAN_DROPPED_LINKS = 14;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16;
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  private static final int EVENT_DROPPED_ATTRIBUTES = 4;
  private static final int LINK_TRACE_ID = 1;
  private static final int LINK_SPAN_ID = 2;
  private static final int LINK_TRACE_STATE = 3;
  private static final int LINK_ATTRIBUTES = 4;
  private static final int LINK_DROPPED_ATTRIBUTES = 5;
  private static final int LINK_FLAGS = 6;
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ANY_KEY_VALUE_LIST = 6;
  private static final int ANY_BYTES = 7;
  private static final int ARRAY_VALUES = 1;
  private static final int KEY_VALUE_LIST_VALUES = 1;

  /** Span flags: the W3C trace flags in the low byte, and whether the parent is remote. */
  private static final int FLAG_HAS_IS_REMOTE = 0x100;
  private static final int FLAG_IS_REMOTE = 0x200;

  private final ProtoOutput out;
  /** Writes one attribute; made once, as a lambda per attribute set would be a new object each time. */
  private final BiConsumer<AttributeKey<?>, Object> attributeWriter;
  private int attributesField;

  public TraceRequestEncoder(ProtoOutput out) {
    this.out = out;
    this.attributeWriter = this::writeAttribute;
  }

  public ProtoOutput output() {
    return out;
  }

  /** Empties the output and writes the request for these spans into it. */
  public void encode(Collection<SpanData> spans) {
    out.reset();
    for (ResourceGroup resource : groupByResourceAndScope(spans)) {
      int resourceSpans = out.beginMessage(REQUEST_RESOURCE_SPANS);
      int resourceMessage = out.beginMessage(RESOURCE_SPANS_RESOURCE);
      writeAttributes(RESOURCE_ATTRIBUTES, resource.resource.getAttributes());
      out.endMessage(resourceMessage);
      for (ScopeGroup scope : resource.scopes) {
        writeScopeSpans(scope);
      }
      writeNonEmpty(RESOURCE_SPANS_SCHEMA_URL, resource.resource.getSchemaUrl());
      out.endMessage(resourceSpans);
    }
  }

  private void writeScopeSpans(ScopeGroup group) {
    int scopeSpans = out.beginMessage(RESOURCE_SPANS_SCOPE_SPANS);
    int scope = out.beginMessage(SCOPE_SPANS_SCOPE);
    writeNonEmpty(SCOPE_NAME, group.scope.getName());
    writeNonEmpty(SCOPE_VERSION, group.scope.getVersion());
    writeAttributes(SCOPE_ATTRIBUTES, group.scope.getAttributes());
    out.endMessage(scope);
    for (SpanData span : group.spans) {
      writeSpan(span);
    }
    writeNonEmpty(SCOPE_SPANS_SCHEMA_URL, group.scope.getSchemaUrl());
    out.endMessage(scopeSpans);
  }

  private void writeSpan(SpanData span) {
    int message = out.beginMessage(SCOPE_SPANS_SPANS);
    SpanContext context = span.getSpanContext();
    out.writeHexId(SPAN_TRACE_ID, context.getTraceId());
    out.writeHexId(SPAN_SPAN_ID, context.getSpanId());
    writeTraceState(SPAN_TRACE_STATE, context.getTraceState());
    SpanContext parent = span.getParentSpanContext();
    if (parent.isValid()) {
      out.writeHexId(SPAN_PARENT_SPAN_ID, parent.getSpanId());
    }
    writeNonEmpty(SPAN_NAME, span.getName());
    out.writeVarintField(SPAN_KIND, protoKind(span.getKind()));
    writeNonZeroFixed64(SPAN_START_TIME, span.getStartEpochNanos());
    writeNonZeroFixed64(SPAN_END_TIME, span.getEndEpochNanos());
    writeAttributes(SPAN_ATTRIBUTES, span.getAttributes());
    writeNonZeroCount(SPAN_DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - span.getAttributes().size());
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      writeEvent(events.get(i));
    }
    writeNonZeroCount(SPAN_DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      writeLink(links.get(i));
    }
    writeNonZeroCount(SPAN_DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    writeStatus(span.getStatus());
    out.writeFixed32Field(SPAN_FLAGS, flags(context, parent.isRemote()));
    out.endMessage(message);
  }

  private static int protoKind(SpanKind kind) {
    switch (kind) {
      case SERVER:
        return 2;
      case CLIENT:
        return 3;
      case PRODUCER:
        return 4;
      case CONSUMER:
        return 5;
      default:
        return 1; // INTERNAL
    }
  }

  private static int flags(SpanContext context, boolean parentIsRemote) {
    return (context.getTraceFlags().asByte() & 0xff) | FLAG_HAS_IS_REMOTE | (parentIsRemote ? FLAG_IS_REMOTE : 0);
  }

  private void writeEvent(EventData event) {
    int message = out.beginMessage(SPAN_EVENTS);
    writeNonZeroFixed64(EVENT_TIME, event.getEpochNanos());
    writeNonEmpty(EVENT_NAME, event.getName());
    writeAttributes(EVENT_ATTRIBUTES, event.getAttributes());
    writeNonZeroCount(EVENT_DROPPED_ATTRIBUTES, event.getTotalAttributeCount() - event.getAttributes().size());
    out.endMessage(message);
  }

  private void writeLink(LinkData link) {
    int message = out.beginMessage(SPAN_LINKS);
    SpanContext context = link.getSpanContext();
    out.writeHexId(LINK_TRACE_ID, context.getTraceId());
    out.writeHexId(LINK_SPAN_ID, context.getSpanId());
    writeTraceState(LINK_TRACE_STATE, context.getTraceState());
    writeAttributes(LINK_ATTRIBUTES, link.getAttributes());
    writeNonZeroCount(LINK_DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - link.getAttributes().size());
    out.writeFixed32Field(LINK_FLAGS, flags(context, context.isRemote()));
    out.endMessage(message);
  }

  private void writeStatus(StatusData status) {
    int message = out.beginMessage(SPAN_STATUS);
    writeNonEmpty(STATUS_MESSAGE, status.getDescription());
    StatusCode code = status.getStatusCode();
    if (code == StatusCode.OK) {
      out.writeVarintField(STATUS_CODE, 1);
    } else if (code == StatusCode.ERROR) {
      out.writeVarintField(STATUS_CODE, 2);
    }
    out.endMessage(message);
  }

  /** The W3C {@code tracestate} header value; spans rarely have one. */
  private void writeTraceState(int field, TraceState traceState) {
    if (traceState.isEmpty()) {
      return;
    }
    StringBuilder header = new StringBuilder();
    traceState.forEach((key, value) -> {
      if (header.length() > 0) {
        header.append(',');
      }
      header.append(key).append('=').append(value);
    });
    out.writeString(field, header.toString());
  }

  private void writeAttributes(int field, Attributes attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    int outer = attributesField;
    attributesField = field;
    attributes.forEach(attributeWriter);
    attributesField = outer;
  }

  private void writeAttribute(AttributeKey<?> key, Object value) {
    int keyValue = out.beginMessage(attributesField);
    writeNonEmpty(KEY_VALUE_KEY, key.getKey());
    int anyValue = out.beginMessage(KEY_VALUE_VALUE);
    switch (key.getType()) {
      case STRING:
        out.writeString(ANY_STRING, (String) value);
        break;
      case BOOLEAN:
        out.writeBoolField(ANY_BOOL, (Boolean) value);
        break;
      case LONG:
        out.writeVarintField(ANY_INT, (Long) value);
        break;
      case DOUBLE:
        out.writeDoubleField(ANY_DOUBLE, (Double) value);
        break;
      case STRING_ARRAY:
      case BOOLEAN_ARRAY:
      case LONG_ARRAY:
      case DOUBLE_ARRAY:
        writeArray((List<?>) value);
        break;
      case VALUE:
        writeValueContent((Value<?>) value);
        break;
    }
    out.endMessage(anyValue);
    out.endMessage(keyValue);
  }

  /** An attribute array: every element in the AnyValue of its own type. */
  private void writeArray(List<?> elements) {
    int array = out.beginMessage(ANY_ARRAY);
    for (Object element : elements) {
      int anyValue = out.beginMessage(ARRAY_VALUES);
      if (element instanceof String) {
        out.writeString(ANY_STRING, (String) element);
      } else if (element instanceof Boolean) {
        out.writeBoolField(ANY_BOOL, (Boolean) element);
      } else if (element instanceof Long) {
        out.writeVarintField(ANY_INT, (Long) element);
      } else if (element instanceof Double) {
        out.writeDoubleField(ANY_DOUBLE, (Double) element);
      }
      out.endMessage(anyValue);
    }
    out.endMessage(array);
  }

  /** The fields of an AnyValue for a structured {@link Value}; an empty value writes none. */
  @SuppressWarnings("unchecked")
  private void writeValueContent(Value<?> value) {
    switch (value.getType()) {
      case STRING:
        out.writeString(ANY_STRING, (String) value.getValue());
        break;
      case BOOLEAN:
        out.writeBoolField(ANY_BOOL, (Boolean) value.getValue());
        break;
      case LONG:
        out.writeVarintField(ANY_INT, (Long) value.getValue());
        break;
      case DOUBLE:
        out.writeDoubleField(ANY_DOUBLE, (Double) value.getValue());
        break;
      case BYTES:
        ByteBuffer bytes = ((ByteBuffer) value.getValue()).duplicate();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.writeBytes(ANY_BYTES, copy, 0, copy.length);
        break;
      case ARRAY:
        int array = out.beginMessage(ANY_ARRAY);
        for (Value<?> element : (List<Value<?>>) value.getValue()) {
          int anyValue = out.beginMessage(ARRAY_VALUES);
          writeValueContent(element);
          out.endMessage(anyValue);
        }
        out.endMessage(array);
        break;
      case KEY_VALUE_LIST:
        int list = out.beginMessage(ANY_KEY_VALUE_LIST);
        for (KeyValue entry : (List<KeyValue>) value.getValue()) {
          int keyValue = out.beginMessage(KEY_VALUE_LIST_VALUES);
          writeNonEmpty(KEY_VALUE_KEY, entry.getKey());
          int anyValue = out.beginMessage(KEY_VALUE_VALUE);
          writeValueContent(entry.getValue());
          out.endMessage(anyValue);
          out.endMessage(keyValue);
        }
        out.endMessage(list);
        break;
      case EMPTY:
        break;
    }
  }

  private void writeNonEmpty(int field, String value) {
    if (value != null && !value.isEmpty()) {
      out.writeString(field, value);
    }
  }

  private void writeNonZeroFixed64(int field, long value) {
    if (value != 0) {
      out.writeFixed64Field(field, value);
    }
  }

  private void writeNonZeroCount(int field, int count) {
    if (count > 0) {
      out.writeVarintField(field, count);
    }
  }

  /**
   * Spans of one resource, then of one scope, in the order they came. Instances are compared, not
   * values: a tracer provider hands every span of one tracer the same resource and scope objects,
   * and an equal pair that is not the same would only make a second, equally valid group.
   */
  private static List<ResourceGroup> groupByResourceAndScope(Collection<SpanData> spans) {
    List<ResourceGroup> resources = new ArrayList<>(1);
    for (SpanData span : spans) {
      ResourceGroup resource = null;
      for (int i = 0; i < resources.size() && resource == null; i++) {
        if (resources.get(i).resource == span.getResource()) {
          resource = resources.get(i);
        }
      }
      if (resource == null) {
        resource = new ResourceGroup(span.getResource());
        resources.add(resource);
      }
      resource.add(span);
    }
    return resources;
  }

  private static final class ResourceGroup {
    final Resource resource;
    final List<ScopeGroup> scopes = new ArrayList<>(4);

    ResourceGroup(Resource resource) {
      this.resource = resource;
    }

    void add(SpanData span) {
      InstrumentationScopeInfo scope = span.getInstrumentationScopeInfo();
      for (int i = 0; i < scopes.size(); i++) {
        if (scopes.get(i).scope == scope) {
          scopes.get(i).spans.add(span);
          return;
        }
      }
      ScopeGroup group = new ScopeGroup(scope);
      group.spans.add(span);
      scopes.add(group);
    }
  }

  private static final class ScopeGroup {
    final InstrumentationScopeInfo scope;
    final List<SpanData> spans = new ArrayList<>();

    ScopeGroup(InstrumentationScopeInfo scope) {
      this.scope = scope;
    }
  }
}
