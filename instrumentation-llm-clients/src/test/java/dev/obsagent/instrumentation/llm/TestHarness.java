package dev.obsagent.instrumentation.llm;

import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.core.metrics.AgentMetrics;
import dev.obsagent.instrumentation.llm.content.ContentCapture;
import dev.obsagent.instrumentation.llm.endpoint.ConfiguredEndpoints;
import dev.obsagent.instrumentation.llm.endpoint.LlmEndpoints;
import dev.obsagent.instrumentation.llm.pricing.PriceTable;
import dev.obsagent.instrumentation.llm.telemetry.LlmTelemetry;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The LLM core wired to real agent metrics on a fresh registry, the OpenTelemetry SDK with an
 * in-memory exporter, a fake clock and a captured agent log.
 */
final class TestHarness implements AutoCloseable {

  final PrometheusRegistry registry = new PrometheusRegistry();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final AgentLog previousLog = AgentLog.get();
  final LlmCalls calls;

  TestHarness() {
    this(ContentCapture.OFF);
  }

  TestHarness(ContentCapture capture) {
    AgentLog.set(new AgentLog(AgentLog.Level.WARN, new PrintStream(log, true, StandardCharsets.UTF_8)));
    AgentMetrics metrics = new AgentMetrics(registry, 2000);
    PriceTable prices = PriceTable.load(null, AgentLog.get()::warn);
    LlmTelemetry telemetry =
        new LlmTelemetry(metrics, tracerProvider.get("test"), new SpanExceptions(false), prices);
    calls = new LlmCalls(new LlmEndpoints(ConfiguredEndpoints.NONE), telemetry, nanos::get, capture);
  }

  void advanceSeconds(double seconds) {
    nanos.addAndGet((long) (seconds * 1e9));
  }

  Scrape scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Scrape.parse(out.toString(StandardCharsets.UTF_8));
  }

  List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    AgentLog.set(previousLog);
    tracerProvider.close();
  }
}
