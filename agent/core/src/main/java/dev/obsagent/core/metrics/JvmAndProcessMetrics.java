package dev.obsagent.core.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;

/**
 * The Prometheus client's standard JVM and process metrics: what its {@code JvmMetrics} registers,
 * but the native memory metrics only where they can have values.
 *
 * <p>Those come from the JVM's Native Memory Tracking, off unless the JVM was started with
 * {@code -XX:NativeMemoryTracking}. To find out, the client runs a diagnostic command through the
 * platform MBean server, which it creates for that: every platform MXBean registered with JMX,
 * about 130 classes and 100 ms of the agent's start on a JVM that would otherwise never start JMX.
 * Asking the JVM's option directly costs none of that.
 */
public final class JvmAndProcessMetrics {

  private JvmAndProcessMetrics() {}

  /** The same list as the client's JvmMetrics of the pinned version: check it when the pin moves. */
  public static void register(PrometheusRegistry registry) {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryPoolAllocationMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    if (nativeMemoryTrackingMayBeOn()) {
      JvmNativeMemoryMetrics.builder().register(registry);
    }
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
  }

  /** False only when the JVM says its Native Memory Tracking is off; any doubt leaves it to the client. */
  static boolean nativeMemoryTrackingMayBeOn() {
    try {
      HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (hotSpot == null) {
        return true;
      }
      VMOption option = hotSpot.getVMOption("NativeMemoryTracking");
      return !"off".equals(option.getValue());
    } catch (RuntimeException | LinkageError notHotSpot) {
      return true;
    }
  }
}
