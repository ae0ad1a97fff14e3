package dev.obsagent.core.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.logging.AgentLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSetupTest {

  @Test
  void tracesEndpointIsBaseUrlPlusV1TracesUnlessGivenInFull() {
    assertEquals("http://localhost:4318/v1/traces", TracingSetup.tracesEndpoint(AgentConfig.of(Map.of())));
    assertEquals("http://collector:4318/v1/traces",
        TracingSetup.tracesEndpoint(AgentConfig.of(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318/"))));
    assertEquals("https://x/api/traces",
        TracingSetup.tracesEndpoint(AgentConfig.of(Map.of(
            "otel.exporter.otlp.endpoint", "http://collector:4318",
            "otel.exporter.otlp.traces.endpoint", "https://x/api/traces"))));
  }

  @Test
  void anEndpointThatIsNoHttpUrlIsOneWarningAndTheDefaultIsUsed() {
    assertEquals(null, TracingSetup.httpUri("ftp://collector/v1/traces"));
    assertEquals(null, TracingSetup.httpUri("collector:4318/v1/traces"));
    assertEquals(null, TracingSetup.httpUri("http://exa mple/v1/traces"));
    assertEquals("https://collector:4318/v1/traces", String.valueOf(TracingSetup.httpUri("https://collector:4318/v1/traces")));

    AgentConfig config = AgentConfig.of(Map.of("otel.exporter.otlp.endpoint", "collector:4318"));
    TracingSetup tracing = TracingSetup.create(config, Resource.empty(), AgentLog.get(), n -> {}, null);
    List<String> warnings = new ArrayList<>();
    config.drainWarnings(warnings::add);
    assertEquals(List.of("invalid value 'collector:4318/v1/traces' for otel.exporter.otlp.endpoint (not an http(s) URL);"
        + " using http://localhost:4318"), warnings);
    assertEquals("http://localhost:4318/v1/traces", tracing.exportTarget());
    tracing.shutdown();
  }

  @Test
  void samplersFollowTheOpenTelemetryNames() {
    assertEquals("AlwaysOffSampler", TracingSetup.sampler(AgentConfig.of(Map.of("otel.traces.sampler", "always_off"))).getDescription());
    assertEquals("TraceIdRatioBased{0.250000}",
        TracingSetup.sampler(AgentConfig.of(Map.of("otel.traces.sampler", "traceidratio", "otel.traces.sampler.arg", "0.25"))).getDescription());
    assertTrue(TracingSetup.sampler(AgentConfig.of(Map.of())).getDescription().startsWith("ParentBased{root:AlwaysOnSampler"));
  }

  @Test
  void unknownSamplerOrRatioWarnsAndUsesTheDefault() {
    AgentConfig config = AgentConfig.of(Map.of("otel.traces.sampler", "sometimes", "otel.traces.sampler.arg", "2"));
    assertTrue(TracingSetup.sampler(config).getDescription().startsWith("ParentBased{root:AlwaysOnSampler"));
    List<String> warnings = new ArrayList<>();
    config.drainWarnings(warnings::add);
    assertEquals(List.of(
        "invalid value '2' for otel.traces.sampler.arg (expected a ratio from 0 to 1); using 1.0",
        "invalid value 'sometimes' for otel.traces.sampler (unknown sampler); using parentbased_always_on"), warnings);
  }

  @Test
  void unsupportedProtocolIsOneErrorLineAndTracesGoNowhere() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AgentLog log = new AgentLog(AgentLog.Level.INFO, new PrintStream(out, true, StandardCharsets.UTF_8));
    TracingSetup tracing =
        TracingSetup.create(AgentConfig.of(Map.of("otel.exporter.otlp.protocol", "grpc")), Resource.empty(), log, n -> {}, null);
    String logged = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, logged.lines().count(), logged);
    assertTrue(logged.startsWith("[obs-agent] ERROR unsupported otel.exporter.otlp.protocol='grpc'"), logged);
    assertEquals("nowhere (unsupported protocol grpc)", tracing.exportTarget());
    tracing.shutdown();
  }

  @Test
  void resourceCarriesServiceNameAndExtraAttributes() {
    Resource resource = TracingSetup.resource(
        AgentConfig.of(Map.of("otel.resource.attributes", "deployment.environment=prod,service.name=ignored",
            "otel.service.name", "checkout")), "fallback", "1.2.3");
    assertEquals("checkout", resource.getAttribute(AttributeKey.stringKey("service.name")));
    assertEquals("prod", resource.getAttribute(AttributeKey.stringKey("deployment.environment")));
    assertEquals("obs-agent", resource.getAttribute(AttributeKey.stringKey("telemetry.distro.name")));
    assertEquals("fallback",
        TracingSetup.resource(AgentConfig.of(Map.of()), "fallback", "1").getAttribute(AttributeKey.stringKey("service.name")));
  }
}
