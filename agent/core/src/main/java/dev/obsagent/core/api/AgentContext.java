package dev.obsagent.core.api;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.metrics.AgentMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;

/** What an instrumentation module gets at start: configuration, metrics and tracing. */
public final class AgentContext {

  private final AgentConfig config;
  private final AgentMetrics metrics;
  private final OpenTelemetry openTelemetry;
  private final String agentVersion;
  private final SpanExceptions spanExceptions;

  public AgentContext(AgentConfig config, AgentMetrics metrics, OpenTelemetry openTelemetry, String agentVersion) {
    this.config = config;
    this.metrics = metrics;
    this.openTelemetry = openTelemetry;
    this.agentVersion = agentVersion;
    this.spanExceptions =
        new SpanExceptions(config.getBoolean(dev.obsagent.core.config.ConfigKeys.EXCEPTIONS_CAPTURE_MESSAGE, false));
  }

  public AgentConfig config() {
    return config;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public Tracer tracer(String instrumentationName) {
    return openTelemetry.getTracer("dev.obsagent." + instrumentationName, agentVersion);
  }

  public ContextPropagators propagators() {
    return openTelemetry.getPropagators();
  }

  /** Records exceptions on spans, without their messages unless the user opted in. */
  public SpanExceptions spanExceptions() {
    return spanExceptions;
  }
}
