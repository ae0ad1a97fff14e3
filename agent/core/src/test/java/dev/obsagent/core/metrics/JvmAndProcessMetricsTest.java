package dev.obsagent.core.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The test JVM runs without -XX:NativeMemoryTracking. */
class JvmAndProcessMetricsTest {

  @Test
  void theJvmSaysNativeMemoryTrackingIsOff() {
    assertFalse(JvmAndProcessMetrics.nativeMemoryTrackingMayBeOn());
  }

  @Test
  void registersTheStandardFamiliesButNotTheNativeMemoryOnes() {
    PrometheusRegistry registry = new PrometheusRegistry();

    JvmAndProcessMetrics.register(registry);

    Set<String> names =
        registry.scrape().stream().map(snapshot -> snapshot.getMetadata().getPrometheusName()).collect(Collectors.toSet());
    for (String expected :
        Set.of(
            "jvm_threads_current",
            "jvm_buffer_pool_used_bytes",
            "jvm_classes_currently_loaded",
            "jvm_compilation_time_seconds",
            "jvm_gc_collection_seconds",
            "jvm_memory_pool_allocated_bytes",
            "jvm_memory_used_bytes",
            "jvm_runtime",
            "process_cpu_seconds")) {
      assertTrue(names.contains(expected), expected + " not in " + names);
    }
    assertFalse(names.contains("jvm_native_memory_committed_bytes"), names.toString());
  }
}
