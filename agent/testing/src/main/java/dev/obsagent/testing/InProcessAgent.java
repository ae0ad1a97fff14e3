package dev.obsagent.testing;

import dev.obsagent.core.AgentRuntime;
import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.logging.AgentLog;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The agent core installed in the test JVM itself, with every instrumentation module on the test
 * class path, spans kept in memory and metrics read straight from the registry. One per JVM:
 * woven classes stay woven, so the first configuration wins.
 */
public final class InProcessAgent {

  private static InProcessAgent instance;

  private final AgentRuntime runtime;
  private final InMemorySpanExporter spans;

  private InProcessAgent(AgentRuntime runtime, InMemorySpanExporter spans) {
    this.runtime = runtime;
    this.spans = spans;
  }

  public static synchronized InProcessAgent install(Map<String, String> config) {
    if (instance == null) {
      String level = config.getOrDefault("obs.log.level", System.getProperty("obs.log.level", "info"));
      AgentLog.set(new AgentLog(AgentLog.Level.parse(level), System.err));
      Instrumentation instrumentation = ByteBuddyAgent.install();
      InMemorySpanExporter exporter = InMemorySpanExporter.create();
      AgentRuntime runtime =
          AgentRuntime.start(
              AgentConfig.of(config),
              instrumentation,
              AgentRuntime.Options.inProcessTest(SimpleSpanProcessor.create(exporter)));
      instance = new InProcessAgent(runtime, exporter);
    }
    return instance;
  }

  public AgentRuntime runtime() {
    return runtime;
  }

  /** The registry in Prometheus text format, as {@code /metrics} would serve it. */
  public Scrape scrape() {
    return scrape(PrometheusTextFormatWriter.create());
  }

  /** The registry in OpenMetrics, as {@code /metrics} serves it to a scraper that asks: with exemplars. */
  public Scrape scrapeOpenMetrics() {
    return scrape(OpenMetricsTextFormatWriter.create());
  }

  private Scrape scrape(ExpositionFormatWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, runtime.registry().scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Scrape.parse(out.toString(StandardCharsets.UTF_8));
  }

  public List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  public void clearSpans() {
    spans.reset();
  }

  /** Waits until the finished spans match, since servers end spans after the response is sent. */
  public List<SpanData> awaitSpans(Predicate<List<SpanData>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<SpanData> current = spans();
      if (condition.test(current)) {
        return current;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "spans did not arrive in " + timeout + "; have: "
                + current.stream().map(SpanData::getName).collect(Collectors.toList()));
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
