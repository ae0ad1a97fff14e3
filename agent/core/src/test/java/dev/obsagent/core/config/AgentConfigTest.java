package dev.obsagent.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @TempDir Path dir;

  private static List<String> warnings(AgentConfig config) {
    List<String> warnings = new ArrayList<>();
    config.drainWarnings(warnings::add);
    return warnings;
  }

  @Test
  void precedenceIsArgumentThenSystemPropertyThenEnvironmentThenFileThenDefault() throws Exception {
    Path file = dir.resolve("obs.properties");
    Files.writeString(file, "obs.metrics.port=1001\nobs.metrics.host=file-host\nobs.log.level=debug\notel.service.name=from-file\n");
    Properties system = new Properties();
    system.setProperty("obs.metrics.port", "1002");
    system.setProperty("obs.metrics.host", "system-host");
    Map<String, String> environment =
        Map.of("OBS_METRICS_PORT", "1003", "OBS_METRICS_HOST", "env-host", "OBS_LOG_LEVEL", "warn", "OBS_CONFIG", file.toString());

    AgentConfig config = AgentConfig.load("obs.metrics.port=1004", system, environment);

    assertEquals(1004, config.getInt("obs.metrics.port", 9464, 0, 65535));
    assertEquals("system-host", config.getString("obs.metrics.host", "0.0.0.0"));
    assertEquals("warn", config.getString("obs.log.level", "info"));
    assertEquals("from-file", config.getString("otel.service.name", null));
    assertEquals("default", config.getString("otel.resource.attributes", "default"));
    assertEquals(List.of(), warnings(config));
  }

  @Test
  void agentArgumentWithoutEqualsIsAPropertiesFile() throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, "otel.service.name=checkout\n", StandardCharsets.UTF_8);
    AgentConfig config = AgentConfig.load(file.toString(), new Properties(), Map.of());
    assertEquals("checkout", config.getString("otel.service.name", null));
  }

  @Test
  void commaSeparatedArgumentKeepsListValuesTogether() {
    AgentConfig config =
        AgentConfig.load(
            "obs.servlet.exclude-paths=/health,/actuator/*,otel.service.name=checkout,otel.resource.attributes=team=pay,region=eu",
            new Properties(),
            Map.of());
    assertEquals(List.of("/health", "/actuator/*"), config.getList("obs.servlet.exclude-paths"));
    assertEquals("checkout", config.getString("otel.service.name", null));
    assertEquals(Map.of("team", "pay", "region", "eu"), config.getMap("otel.resource.attributes"));
  }

  @Test
  void badValuesWarnNamingKeyAndValueAndFallBackToTheDefault() {
    AgentConfig config =
        AgentConfig.of(Map.of("obs.metrics.port", "abc", "obs.metrics.max-series", "0", "obs.enabled", "yes"));
    assertEquals(9464, config.getInt("obs.metrics.port", 9464, 0, 65535));
    assertEquals(2000, config.getInt("obs.metrics.max-series", 2000, 1, 1_000_000));
    assertTrue(config.getBoolean("obs.enabled", true));
    assertEquals(
        List.of(
            "invalid value 'abc' for obs.metrics.port (not a number); using 9464",
            "invalid value '0' for obs.metrics.max-series (expected a number from 1 to 1000000); using 2000",
            "invalid value 'yes' for obs.enabled (expected true or false); using true"),
        warnings(config));
  }

  @Test
  void secretValuesAreNeverRepeatedInWarnings() {
    AgentConfig config = AgentConfig.of(Map.of("otel.exporter.otlp.headers", "Authorization"));
    config.getMap("otel.exporter.otlp.headers");
    List<String> warnings = warnings(config);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("otel.exporter.otlp.headers"), warnings.get(0));
    assertFalse(warnings.get(0).contains("Authorization"), warnings.get(0));
  }

  @Test
  void unknownObsKeysAreReportedFromEverySource() {
    Properties system = new Properties();
    system.setProperty("obs.metric.port", "1");
    system.setProperty("unrelated.key", "1");
    AgentConfig config =
        AgentConfig.load(
            "obs.instrumentation.servlet.enabled=false,obs.instrumentation.grpc.enabled=false",
            system,
            Map.of("OBS_METRICS_PROT", "1", "OBS_INSTRUMENTATION_JAVA_HTTP_CLIENT_ENABLED", "false", "PATH", "/bin"));
    config.checkForUnknownKeys();
    assertEquals(
        List.of(
            "unknown configuration key obs.instrumentation.grpc.enabled; it is ignored",
            "unknown configuration key obs.metric.port; it is ignored",
            "unknown configuration environment variable OBS_METRICS_PROT; it is ignored"),
        warnings(config));
  }

  @Test
  void unreadableConfigFileIsOneWarningNamingIt() {
    AgentConfig config = AgentConfig.load("obs.config=/nonexistent/obs.properties", new Properties(), Map.of());
    List<String> warnings = warnings(config);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("/nonexistent/obs.properties"), warnings.get(0));
  }

  @Test
  void environmentNamesFollowTheContract() {
    assertEquals("OBS_METRICS_PORT", ConfigKeys.environmentName("obs.metrics.port"));
    assertEquals("OBS_METRICS_MAX_SERIES", ConfigKeys.environmentName("obs.metrics.max-series"));
    assertEquals("OTEL_EXPORTER_OTLP_ENDPOINT", ConfigKeys.environmentName("otel.exporter.otlp.endpoint"));
  }
}
