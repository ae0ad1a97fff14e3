package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.Scrape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md "jvm_*, process_*": the Prometheus client's standard JVM and process metrics, the
 * native memory ones where the JVM tracks native memory. They are registered without starting
 * JMX, which only the native memory metrics need (JvmAndProcessMetrics).
 */
class JvmMetricsSmokeTest {

  private AppProcess app;

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void standardJvmAndProcessMetricsWithoutNativeMemoryTracking() {
    Scrape scrape = startAndScrape("no-nmt", List.of());

    assertStandardMetrics(scrape);
    assertEquals(List.of(), scrape.find("jvm_native_memory_committed_bytes", Map.of()), "NMT is off");
  }

  @Test
  void nativeMemoryMetricsWhenTheJvmTracksNativeMemory() {
    Scrape scrape = startAndScrape("nmt", List.of("-XX:NativeMemoryTracking=summary"));

    assertStandardMetrics(scrape);
    assertTrue(
        scrape.value("jvm_native_memory_committed_bytes", Map.of("pool", "Java Heap")) > 0,
        scrape.find("jvm_native_memory_committed_bytes", Map.of()).toString());
    assertTrue(scrape.find("jvm_native_memory_reserved_bytes", Map.of()).size() > 5, "one series per NMT category");
  }

  private Scrape startAndScrape(String name, List<String> jvmOptions) {
    app =
        AppProcess.start(
            getClass().getSimpleName() + "-" + name,
            JavaRuntime.current(),
            Artifacts.javaxApp(),
            AgentArgs.exportingTo("http://127.0.0.1:9").with("otel.traces.exporter", "none"),
            Map.of(),
            jvmOptions);
    app.startLine();
    return app.scrape();
  }

  private static void assertStandardMetrics(Scrape scrape) {
    for (String name :
        List.of(
            "jvm_threads_current",
            "jvm_buffer_pool_used_bytes",
            "jvm_classes_currently_loaded",
            "jvm_compilation_time_seconds_total",
            "jvm_gc_collection_seconds_count",
            "jvm_memory_used_bytes",
            "jvm_runtime_info",
            "process_cpu_seconds_total")) {
      assertTrue(!scrape.find(name, Map.of()).isEmpty(), name + " missing");
    }
  }
}
