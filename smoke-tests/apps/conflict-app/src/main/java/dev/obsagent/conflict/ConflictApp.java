package dev.obsagent.conflict;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Uses its own OpenTelemetry SDK, Prometheus client and Byte Buddy the ordinary way, and prints
 * one line that says each worked, for example
 *
 * <pre>CONFLICT_APP_OK otel=1.40.0 spans=1 prometheus=ok bytebuddy=ok</pre>
 *
 * or {@code CONFLICT_APP_FAILED <why>} and exits 1. Before that it prints
 * {@code CONFLICT_APP_METRICS_PORT=<port>}, where its own registry is served. It then stays up
 * (until killed) so that the agent's side port can be checked too.
 */
public final class ConflictApp {

  private ConflictApp() {}

  public static void main(String[] args) throws Exception {
    try {
      String otel = useOpenTelemetry();
      String prometheus = usePrometheus();
      String byteBuddy = useByteBuddy();
      System.out.println("CONFLICT_APP_OK " + otel + " " + prometheus + " " + byteBuddy);
    } catch (Exception | LinkageError e) {
      // A LinkageError is the typical symptom of an agent leaking its copy of a library.
      System.out.println("CONFLICT_APP_FAILED " + e);
      e.printStackTrace();
      System.exit(1);
    }
    new CountDownLatch(1).await();
  }

  /**
   * Registers the app's SDK as the global one, which fails if an agent took that place first,
   * and exports one span through it.
   */
  private static String useOpenTelemetry() {
    List<SpanData> exported = new CopyOnWriteArrayList<>();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new ListExporter(exported))).build();
    OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).buildAndRegisterGlobal();
    GlobalOpenTelemetry.getTracer("conflict-app").spanBuilder("conflict-app-work").startSpan().end();
    tracerProvider.forceFlush().join(5, TimeUnit.SECONDS);
    String version = Resource.getDefault().getAttribute(AttributeKey.stringKey("telemetry.sdk.version"));
    return "otel=" + version + " spans=" + exported.size();
  }

  /** Serves the default registry on a port of its own and reads its counter back over HTTP. */
  private static String usePrometheus() throws IOException {
    Counter runs =
        Counter.builder().name("conflict_app_runs_total").help("Runs of the conflict app.").register();
    runs.inc();
    HTTPServer server =
        HTTPServer.builder().port(0).registry(PrometheusRegistry.defaultRegistry).buildAndStart();
    System.out.println("CONFLICT_APP_METRICS_PORT=" + server.getPort());
    String scrape;
    try (InputStream in = new URL("http://127.0.0.1:" + server.getPort() + "/metrics").openStream()) {
      scrape = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return scrape.contains("conflict_app_runs_total 1.0") ? "prometheus=ok" : "prometheus=missing-counter";
  }

  /** Generates and loads a class, as mocking and ORM libraries do at run time. */
  private static String useByteBuddy() throws ReflectiveOperationException {
    Class<?> generated =
        new ByteBuddy()
            .subclass(Object.class)
            .name("dev.obsagent.conflict.Generated")
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("generated"))
            .make()
            .load(ConflictApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded();
    Object instance = generated.getDeclaredConstructor().newInstance();
    return "generated".equals(instance.toString()) ? "bytebuddy=ok" : "bytebuddy=wrong-result";
  }

  /** Keeps exported spans in memory: the app's own exporter, in its own SDK version. */
  private static final class ListExporter implements SpanExporter {
    private final List<SpanData> spans;

    ListExporter(List<SpanData> spans) {
      this.spans = spans;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
