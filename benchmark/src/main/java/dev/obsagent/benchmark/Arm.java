package dev.obsagent.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One way of starting the app: no agent, obs-agent, or the OpenTelemetry Java agent. Both agents
 * get the same job: traces over OTLP/HTTP to the local sink, and Prometheus metrics on a side
 * port.
 */
enum Arm {
  NONE("no agent"),
  OBS("obs-agent"),
  OTEL("OTel agent " + Versions.OTEL_AGENT);

  final String label;

  Arm(String label) {
    this.label = label;
  }

  /** The agent jar, or null for {@link #NONE}. */
  Path jar(Settings settings) {
    switch (this) {
      case OBS:
        return settings.obsAgentJar;
      case OTEL:
        return settings.otelAgentJar;
      default:
        return null;
    }
  }

  /** JVM options that attach and configure this arm's agent. */
  List<String> agentOptions(Settings settings, String otlpEndpoint, int metricsPort) {
    List<String> options = new ArrayList<>();
    switch (this) {
      case OBS:
        options.add("-javaagent:" + settings.obsAgentJar
            + "=obs.metrics.port=" + metricsPort
            + ",otel.service.name=benchmark"
            + ",otel.exporter.otlp.endpoint=" + otlpEndpoint);
        break;
      case OTEL:
        options.add("-javaagent:" + settings.otelAgentJar);
        options.add("-Dotel.service.name=benchmark");
        options.add("-Dotel.traces.exporter=otlp");
        options.add("-Dotel.exporter.otlp.protocol=http/protobuf");
        options.add("-Dotel.exporter.otlp.endpoint=" + otlpEndpoint);
        // Metrics for Prometheus on a side port, like obs-agent's; no logs export (obs-agent has none).
        options.add("-Dotel.metrics.exporter=prometheus");
        options.add("-Dotel.exporter.prometheus.port=" + metricsPort);
        options.add("-Dotel.logs.exporter=none");
        break;
      default:
        break;
    }
    return options;
  }

  /** A series each agent's metrics endpoint shows once it has measured a request. */
  static final String EXPECTED_METRIC = "http_server_request_duration_seconds_count{";
}
