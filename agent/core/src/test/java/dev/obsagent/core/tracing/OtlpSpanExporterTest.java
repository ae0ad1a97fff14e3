package dev.obsagent.core.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's OTLP/HTTP span export against a collector on loopback. */
class OtlpSpanExporterTest {

  private LoopbackCollector collector;

  private URI collector(Integer... statuses) throws IOException {
    collector = LoopbackCollector.start(statuses);
    return collector.tracesUrl();
  }

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  private List<LoopbackCollector.Request> received() {
    return collector.received;
  }

  private static List<String> spanNames(LoopbackCollector.Request request) throws IOException {
    return ExportTraceServiceRequest.parseFrom(request.body).getResourceSpansList().stream()
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .flatMap(scope -> scope.getSpansList().stream())
        .map(io.opentelemetry.proto.trace.v1.Span::getName)
        .collect(Collectors.toList());
  }

  private static OtlpSpanExporter exporter(URI endpoint, Map<String, String> headers) {
    return new OtlpSpanExporter(new UrlConnectionHttpSender(
        new OtlpSenderConfig(endpoint, Duration.ofSeconds(5), headers, "obs-agent/1.2.3")));
  }

  private static SpanData span(String name) {
    return TestSpanData.builder()
        .setName(name)
        .setKind(SpanKind.SERVER)
        .setStartEpochNanos(1)
        .setEndEpochNanos(2)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setAttributes(Attributes.empty())
        .build();
  }

  @Test
  void postsTheSpansAsOtlpProtobufWithTheConfiguredHeaders() throws IOException {
    OtlpSpanExporter exporter = exporter(collector(), Map.of("Authorization", "Bearer t0ken"));

    CompletableResultCode result = exporter.export(List.of(span("GET /hello"), span("GET /owners/{ownerId}")));

    assertTrue(result.join(10, TimeUnit.SECONDS).isSuccess());
    assertEquals(1, received().size());
    LoopbackCollector.Request request = received().get(0);
    assertEquals("application/x-protobuf", request.header("Content-Type"));
    assertEquals("Bearer t0ken", request.header("Authorization"));
    assertEquals("obs-agent/1.2.3", request.header("User-Agent"));
    assertEquals(List.of("GET /hello", "GET /owners/{ownerId}"), spanNames(request));
  }

  @Test
  void aUserAgentAmongTheHeadersIsSentInPlaceOfTheAgents() throws IOException {
    OtlpSpanExporter exporter = exporter(collector(), Map.of("user-agent", "gateway-client"));

    assertTrue(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());

    assertEquals("gateway-client", received().get(0).header("User-Agent"));
  }

  @Test
  void eachExportCarriesOnlyItsOwnSpansThoughTheBufferIsReused() throws IOException {
    OtlpSpanExporter exporter = exporter(collector(), Map.of());

    exporter.export(List.of(span("first, and longer than the second"), span("b")));
    exporter.export(List.of(span("second")));

    assertEquals(List.of("first, and longer than the second", "b"), spanNames(received().get(0)));
    assertEquals(List.of("second"), spanNames(received().get(1)));
  }

  @Test
  void aRefusedExportFailsWithoutARetry() throws IOException {
    OtlpSpanExporter exporter = exporter(collector(400), Map.of());

    assertFalse(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());

    assertEquals(1, received().size());
  }

  @Test
  void aBusyCollectorIsAskedAgain() throws IOException {
    OtlpSpanExporter exporter = exporter(collector(503), Map.of());

    // The SDK's default retry policy waits about a second before the second attempt.
    assertTrue(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());

    assertEquals(2, received().size());
    assertEquals(List.of("a"), spanNames(received().get(1)));
  }

  @Test
  void afterShutdownNothingIsSent() throws IOException {
    OtlpSpanExporter exporter = exporter(collector(), Map.of());
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertFalse(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());

    assertEquals(List.of(), received());
  }
}
