package dev.obsagent.core.tracing.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's encoder against the OpenTelemetry exporter's own marshaling of the same spans,
 * made by a real SDK tracer provider: the same bytes where the message is the same in one order,
 * the same message read back with the opentelemetry-proto classes everywhere.
 */
class TraceRequestEncoderTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .setResource(Resource.getDefault().merge(Resource.create(
              Attributes.of(AttributeKey.stringKey("service.name"), "checkout"), "https://opentelemetry.io/schemas/1.24.0")))
          .setSpanLimits(SpanLimits.builder().setMaxNumberOfAttributes(12).setMaxNumberOfEvents(2).setMaxNumberOfLinks(1).build())
          .addSpanProcessor(SimpleSpanProcessor.create(spans))
          .build();

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void aServerSpanIsByteForByteWhatTheOpenTelemetryExporterWrites() throws IOException {
    Span span = provider.get("dev.obsagent.servlet", "1.0").spanBuilder("GET /owners/{ownerId}")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", "GET")
        .setAttribute("http.route", "/owners/{ownerId}")
        .setAttribute("server.port", 8080L)
        .startSpan();
    span.setAttribute("http.response.status_code", 200L);
    span.end();

    assertArrayEquals(openTelemetryBytes(spans.getFinishedSpanItems()), encode(spans.getFinishedSpanItems()));
  }

  @Test
  void everyKindOfFieldReadsBackAsTheSameMessage() throws IOException {
    Tracer servlet = provider.get("dev.obsagent.servlet", "1.0");
    Tracer jdbc = provider.tracerBuilder("dev.obsagent.jdbc").setSchemaUrl("https://opentelemetry.io/schemas/1.30.0").build();
    SpanContext remoteParent = SpanContext.createFromRemoteParent(
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(),
        TraceState.builder().put("vendor", "a1").put("other", "b2").build());

    Span server = servlet.spanBuilder("POST /api/*").setSpanKind(SpanKind.SERVER)
        .setParent(Context.root().with(Span.wrap(remoteParent)))
        .startSpan();
    server.setAttribute("url.path", "/api/caf\u00e9/\u6771\u4eac/\uD83D\uDE00");
    server.setAttribute("lone.surrogate", "a\uD800b");
    server.setAttribute("empty", "");
    server.setAttribute("flag", false);
    server.setAttribute("ratio", 0.25);
    server.setAttribute("zero", 0L);
    server.setAttribute("negative", -42L);
    server.setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop", "length"));
    server.setAttribute(AttributeKey.longArrayKey("ports"), List.of(80L, 443L));
    server.setAttribute(AttributeKey.booleanArrayKey("bits"), List.of(true, false));
    server.setAttribute(AttributeKey.doubleArrayKey("scores"), List.of(1.5, -2.0));
    server.setAttribute("long.text", "x".repeat(20_000)); // a length past two varint bytes
    server.setAttribute("past.the.limit", "dropped"); // the 13th attribute: counted, not kept
    server.recordException(new IllegalStateException("no"), Attributes.of(AttributeKey.stringKey("k"), "v"));
    server.addEvent("one");
    server.addEvent("two"); // past the event limit
    server.setStatus(StatusCode.ERROR, "broken");

    Span query = jdbc.spanBuilder("SELECT owners").setSpanKind(SpanKind.CLIENT)
        .setParent(Context.root().with(server))
        .addLink(remoteParent, Attributes.of(AttributeKey.stringKey("link.kind"), "follows"))
        .addLink(SpanContext.create("11111111111111111111111111111111", "2222222222222222", TraceFlags.getDefault(), TraceState.getDefault()))
        .startSpan();
    query.setAttribute(AttributeKey.valueKey("structured"), Value.of(Map.of(
        "list", Value.of(Value.of("a"), Value.of(1L), Value.of(2.5), Value.of(true), Value.empty()),
        "bytes", Value.of(new byte[] {0, 1, (byte) 0xff}))));
    query.setStatus(StatusCode.OK);
    query.end();
    servlet.spanBuilder("internal").startSpan().end();
    servlet.spanBuilder("send").setSpanKind(SpanKind.PRODUCER).startSpan().end();
    servlet.spanBuilder("receive").setSpanKind(SpanKind.CONSUMER).startSpan().end();
    server.end();

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertEquals(5, finished.size(), finished.stream().map(SpanData::getName).collect(Collectors.toList()).toString());
    ExportTraceServiceRequest ours = ExportTraceServiceRequest.parseFrom(encode(finished));
    ExportTraceServiceRequest theirs = ExportTraceServiceRequest.parseFrom(openTelemetryBytes(finished));
    assertEquals(normalized(theirs), normalized(ours));
    // What the comparison rests on, read back field by field.
    io.opentelemetry.proto.trace.v1.Span serverProto = ours.getResourceSpans(0).getScopeSpansList().stream()
        .flatMap(scope -> scope.getSpansList().stream()).filter(s -> s.getName().equals("POST /api/*")).findFirst().orElseThrow();
    assertEquals(0x301, serverProto.getFlags()); // sampled, parent known to be remote, and remote
    assertEquals("other=b2,vendor=a1", serverProto.getTraceState()); // W3C: the latest entry first
    assertEquals(1, serverProto.getDroppedAttributesCount());
    assertEquals(1, serverProto.getDroppedEventsCount());
    assertEquals("/api/caf\u00e9/\u6771\u4eac/\uD83D\uDE00", serverProto.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals("url.path")).findFirst().orElseThrow().getValue().getStringValue());
  }

  @Test
  void anEncoderUsedAgainHoldsOnlyTheNewSpans() throws IOException {
    TraceRequestEncoder encoder = new TraceRequestEncoder(new ProtoOutput(16));
    provider.get("test").spanBuilder("first, and longer than the second").startSpan().end();
    encoder.encode(spans.getFinishedSpanItems());
    spans.reset();
    provider.get("test").spanBuilder("second").startSpan().end();
    encoder.encode(spans.getFinishedSpanItems());

    assertArrayEquals(openTelemetryBytes(spans.getFinishedSpanItems()), encoder.output().toByteArray());
  }

  private static byte[] encode(List<SpanData> spans) {
    TraceRequestEncoder encoder = new TraceRequestEncoder(new ProtoOutput(16)); // small: it must grow
    encoder.encode(spans);
    return encoder.output().toByteArray();
  }

  private static byte[] openTelemetryBytes(List<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return out.toByteArray();
  }

  /** Scopes sorted by name and spans by name: the exporter groups them through hash maps. */
  private static ExportTraceServiceRequest normalized(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder sorted = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans resource : request.getResourceSpansList()) {
      List<ScopeSpans> scopes = resource.getScopeSpansList().stream()
          .map(scope -> scope.toBuilder().clearSpans().addAllSpans(scope.getSpansList().stream()
              .sorted(Comparator.comparing(io.opentelemetry.proto.trace.v1.Span::getName)).collect(Collectors.toList())).build())
          .sorted(Comparator.comparing(scope -> scope.getScope().getName()))
          .collect(Collectors.toList());
      sorted.addResourceSpans(resource.toBuilder().clearScopeSpans().addAllScopeSpans(scopes));
    }
    return sorted.build();
  }
}
