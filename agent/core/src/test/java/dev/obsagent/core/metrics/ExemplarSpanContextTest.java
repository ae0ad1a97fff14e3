package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExemplarSpanContextTest {

  private static final Pattern EXEMPLAR_SPAN_ID = Pattern.compile("# \\{span_id=\"([0-9a-f]{16})\"");
  private static SdkTracerProvider tracing;
  private static Tracer tracer;

  @BeforeAll
  static void install() {
    SpanContextSupplier.setSpanContext(new ExemplarSpanContext()); // as AgentRuntime does
    tracing = SdkTracerProvider.builder().build();
    tracer = tracing.get("test");
  }

  @AfterAll
  static void close() {
    tracing.close();
  }

  @Test
  void aClientOperationsSpanIsItsExemplarWithoutBecomingCurrent() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    Histogram histogram = histogram(registry);
    Span server = tracer.spanBuilder("server").startSpan();
    Span client = tracer.spanBuilder("client").startSpan();

    try (Scope ignored = server.makeCurrent()) {
      ExemplarSpanContext.observe(histogram, 0.01, client);
      assertSame(server, Span.current(), "the client span was never made current");
    }
    assertEquals(List.of(client.getSpanContext().getSpanId()), exemplarSpanIds(registry));
  }

  @Test
  void otherObservationsKeepTheCurrentSpanAsTheirExemplar() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    Histogram before = histogram(registry, "first_seconds");
    Histogram during = histogram(registry, "second_seconds");
    Histogram after = histogram(registry, "third_seconds");
    Span server = tracer.spanBuilder("server").startSpan();
    Span client = tracer.spanBuilder("client").startSpan();

    try (Scope ignored = server.makeCurrent()) {
      before.observe(0.01);
      ExemplarSpanContext.observe(during, 0.01, client);
      after.observe(0.01);
    }
    String serverId = server.getSpanContext().getSpanId();
    assertEquals(List.of(serverId, client.getSpanContext().getSpanId(), serverId), exemplarSpanIds(registry));
  }

  @Test
  void anUnsampledSpanGivesNoExemplarEvenUnderASampledCurrentOne() throws IOException {
    SdkTracerProvider neverSampling = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
    Span unsampled = neverSampling.get("test").spanBuilder("client").startSpan();
    PrometheusRegistry registry = new PrometheusRegistry();
    Histogram histogram = histogram(registry);
    Span server = tracer.spanBuilder("server").startSpan();

    try (Scope ignored = server.makeCurrent()) {
      ExemplarSpanContext.observe(histogram, 0.01, unsampled);
    }
    assertEquals(List.of(), exemplarSpanIds(registry));
    neverSampling.close();
  }

  private static Histogram histogram(PrometheusRegistry registry) {
    return histogram(registry, "test_seconds");
  }

  private static Histogram histogram(PrometheusRegistry registry, String name) {
    return Histogram.builder().name(name).classicOnly().classicUpperBounds(AgentMetrics.DURATION_BUCKETS).register(registry);
  }

  /** The span ids of the exemplars in an OpenMetrics scrape, metrics in the order of their names. */
  private static List<String> exemplarSpanIds(PrometheusRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenMetricsTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    List<String> ids = new ArrayList<>();
    Matcher matcher = EXEMPLAR_SPAN_ID.matcher(out.toString(StandardCharsets.UTF_8));
    while (matcher.find()) {
      ids.add(matcher.group(1));
    }
    return ids;
  }
}
