package dev.obsagent.smoke;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code key=value,...} argument after {@code -javaagent:obs-agent.jar=}. */
final class AgentArgs {

  private final Map<String, String> values = new LinkedHashMap<>();

  private AgentArgs() {}

  /**
   * What every smoke test starts from: a free side port (the start line tells which), spans to
   * the fake backend, and a short batch delay so they arrive within a fraction of a second.
   */
  static AgentArgs exportingTo(FakeOtlpBackend backend) {
    return exportingTo(backend.endpoint());
  }

  /** The same, to the collector at this OTLP/HTTP base URL. */
  static AgentArgs exportingTo(String otlpEndpoint) {
    return new AgentArgs()
        .with("obs.metrics.port", "0")
        .with("otel.exporter.otlp.endpoint", otlpEndpoint)
        .with("otel.bsp.schedule.delay", "200");
  }

  /** Sets or replaces one key. */
  AgentArgs with(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
