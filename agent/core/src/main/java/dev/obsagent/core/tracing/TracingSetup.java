package dev.obsagent.core.tracing;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import dev.obsagent.core.logging.AgentLog;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Builds the agent's own OpenTelemetry SDK from the {@code otel.*} keys, with the meaning they
 * have for the OpenTelemetry SDK. It is never registered as the global instance: the
 * application's own OpenTelemetry, if any, stays untouched.
 */
public final class TracingSetup {

  public static final String SUPPORTED_PROTOCOL = "http/protobuf";

  private final SdkTracerProvider tracerProvider;
  private final OpenTelemetry openTelemetry;
  private final String exportTarget;

  private TracingSetup(SdkTracerProvider tracerProvider, ContextPropagators propagators, String exportTarget) {
    this.tracerProvider = tracerProvider;
    this.openTelemetry = new TracingOnly(tracerProvider, propagators);
    this.exportTarget = exportTarget;
  }

  /**
   * Traces and propagators only. The SDK's {@code OpenTelemetrySdk} would also build a meter and
   * a logger provider: the agent ships neither the metrics nor the logs SDK (about 1 MB of
   * classes), since its metrics go through the Prometheus client.
   */
  private static final class TracingOnly implements OpenTelemetry {
    private final TracerProvider tracerProvider;
    private final ContextPropagators propagators;

    TracingOnly(TracerProvider tracerProvider, ContextPropagators propagators) {
      this.tracerProvider = tracerProvider;
      this.propagators = propagators;
    }

    @Override
    public TracerProvider getTracerProvider() {
      return tracerProvider;
    }

    @Override
    public ContextPropagators getPropagators() {
      return propagators;
    }
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** Where spans go, for the start-up log line: a URL, or why they go nowhere. */
  public String exportTarget() {
    return exportTarget;
  }

  public void shutdown() {
    tracerProvider.shutdown().join(5, TimeUnit.SECONDS);
  }

  /** Builds the SDK; a span processor may be given by tests in place of the OTLP export. */
  public static TracingSetup create(
      AgentConfig config,
      Resource resource,
      AgentLog log,
      LongConsumer droppedSpans,
      SpanProcessor processorOverride) {
    SdkTracerProviderBuilder tracerProvider =
        SdkTracerProvider.builder().setResource(resource).setSampler(sampler(config));
    String target;
    if (processorOverride != null) {
      tracerProvider.addSpanProcessor(processorOverride);
      target = "a test processor";
    } else {
      String exporter = config.getString(ConfigKeys.TRACES_EXPORTER, "otlp").toLowerCase(Locale.ROOT);
      if ("none".equals(exporter)) {
        target = "nowhere (otel.traces.exporter=none)";
      } else {
        if (!"otlp".equals(exporter)) {
          config.warnBadValue(ConfigKeys.TRACES_EXPORTER, exporter, "expected otlp or none", "otlp");
        }
        target = addOtlpExport(config, resource, tracerProvider, log, droppedSpans);
      }
    }
    return new TracingSetup(tracerProvider.build(), propagators(config), target);
  }

  private static String addOtlpExport(
      AgentConfig config,
      Resource resource,
      SdkTracerProviderBuilder tracerProvider,
      AgentLog log,
      LongConsumer droppedSpans) {
    String protocolKey =
        config.raw(ConfigKeys.OTLP_TRACES_PROTOCOL) != null
            ? ConfigKeys.OTLP_TRACES_PROTOCOL
            : ConfigKeys.OTLP_PROTOCOL;
    String protocol = config.getString(protocolKey, SUPPORTED_PROTOCOL);
    if (!SUPPORTED_PROTOCOL.equals(protocol)) {
      log.error(
          "unsupported " + protocolKey + "='" + protocol + "' (only " + SUPPORTED_PROTOCOL
              + " is served); traces are off, metrics and the application are unaffected");
      return "nowhere (unsupported protocol " + protocol + ")";
    }
    String endpoint = tracesEndpoint(config);
    URI uri = httpUri(endpoint);
    if (uri == null) {
      config.warnBadValue(ConfigKeys.OTLP_ENDPOINT, endpoint, "not an http(s) URL", "http://localhost:4318");
      endpoint = "http://localhost:4318/v1/traces";
      uri = URI.create(endpoint);
    }
    int timeoutMillis = config.getInt(ConfigKeys.OTLP_TIMEOUT, 10_000, 1, 600_000);
    Map<String, String> headers = config.getMap(ConfigKeys.OTLP_HEADERS);
    headers.putAll(config.getMap(ConfigKeys.OTLP_TRACES_HEADERS));
    OtlpSenderConfig senderConfig =
        new OtlpSenderConfig(uri, Duration.ofMillis(timeoutMillis), headers, userAgent(resource));
    ExportFailureLog.silenceRelocatedOpenTelemetryLogging();
    tracerProvider.addSpanProcessor(
        new BoundedSpanProcessor(
            new OtlpSpanExporter(new UrlConnectionHttpSender(senderConfig)),
            config.getInt(ConfigKeys.BSP_MAX_QUEUE_SIZE, 2048, 1, 1_000_000),
            config.getInt(ConfigKeys.BSP_MAX_EXPORT_BATCH_SIZE, 512, 1, 100_000),
            config.getInt(ConfigKeys.BSP_SCHEDULE_DELAY, 1000, 1, 600_000),
            timeoutMillis,
            droppedSpans,
            new ExportFailureLog(endpoint, log, System::nanoTime)));
    return endpoint;
  }

  /** An absolute http(s) URL with a host, or null. */
  static URI httpUri(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** {@code obs-agent/<version>}: the version is the resource's {@code telemetry.distro.version}. */
  private static String userAgent(Resource resource) {
    String version = resource.getAttribute(AttributeKey.stringKey("telemetry.distro.version"));
    return version == null ? "obs-agent" : "obs-agent/" + version;
  }

  /** {@code otel.exporter.otlp.traces.endpoint} as is, else {@code <endpoint>/v1/traces}. */
  static String tracesEndpoint(AgentConfig config) {
    String full = config.getString(ConfigKeys.OTLP_TRACES_ENDPOINT, null);
    if (full != null) {
      return full;
    }
    String base = config.getString(ConfigKeys.OTLP_ENDPOINT, "http://localhost:4318");
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
  }

  static Sampler sampler(AgentConfig config) {
    String name = config.getString(ConfigKeys.SAMPLER, "parentbased_always_on").toLowerCase(Locale.ROOT);
    double ratio = ratio(config);
    switch (name) {
      case "always_on":
        return Sampler.alwaysOn();
      case "always_off":
        return Sampler.alwaysOff();
      case "traceidratio":
        return Sampler.traceIdRatioBased(ratio);
      case "parentbased_always_on":
        return Sampler.parentBased(Sampler.alwaysOn());
      case "parentbased_always_off":
        return Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio":
        return Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
      default:
        config.warnBadValue(ConfigKeys.SAMPLER, name, "unknown sampler", "parentbased_always_on");
        return Sampler.parentBased(Sampler.alwaysOn());
    }
  }

  private static double ratio(AgentConfig config) {
    String raw = config.getString(ConfigKeys.SAMPLER_ARG, null);
    if (raw == null) {
      return 1.0;
    }
    try {
      double ratio = Double.parseDouble(raw);
      if (ratio >= 0 && ratio <= 1) {
        return ratio;
      }
    } catch (NumberFormatException ignored) {
      // warned below
    }
    config.warnBadValue(ConfigKeys.SAMPLER_ARG, raw, "expected a ratio from 0 to 1", "1.0");
    return 1.0;
  }

  static ContextPropagators propagators(AgentConfig config) {
    List<String> names = config.getList(ConfigKeys.PROPAGATORS);
    if (names.isEmpty()) {
      names = List.of("tracecontext", "baggage");
    }
    List<TextMapPropagator> propagators = new ArrayList<>();
    for (String name : names) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "tracecontext":
          propagators.add(W3CTraceContextPropagator.getInstance());
          break;
        case "baggage":
          propagators.add(W3CBaggagePropagator.getInstance());
          break;
        case "none":
          break;
        default:
          config.warnBadEntry(ConfigKeys.PROPAGATORS, name, "unknown propagator");
      }
    }
    return ContextPropagators.create(TextMapPropagator.composite(propagators));
  }

  /** The resource: service.name, otel.resource.attributes, and the agent as telemetry distro. */
  public static Resource resource(AgentConfig config, String defaultServiceName, String agentVersion) {
    AttributesBuilder attributes = Attributes.builder();
    Map<String, String> extra = config.getMap(ConfigKeys.RESOURCE_ATTRIBUTES);
    extra.forEach(attributes::put);
    String serviceName = config.getString(ConfigKeys.SERVICE_NAME, null);
    if (serviceName == null) {
      serviceName = extra.getOrDefault("service.name", defaultServiceName);
    }
    attributes.put("service.name", serviceName);
    attributes.put("telemetry.distro.name", "obs-agent");
    attributes.put("telemetry.distro.version", agentVersion);
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }
}
