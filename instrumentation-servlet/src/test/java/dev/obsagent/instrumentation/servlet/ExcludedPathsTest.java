package dev.obsagent.instrumentation.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.core.config.AgentConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExcludedPathsTest {

  private final ExcludedPaths paths = new ExcludedPaths(List.of("/health", "/actuator/*", "/static/*.css", "*.ico"));

  @Test
  void exactPathsMatchOnlyThemselves() {
    assertTrue(paths.matches("/health"));
    assertFalse(paths.matches("/health/live"));
    assertFalse(paths.matches("/healthz"));
  }

  @Test
  void prefixGlobMatchesThePrefixAndEverythingBelow() {
    assertTrue(paths.matches("/actuator"));
    assertTrue(paths.matches("/actuator/"));
    assertTrue(paths.matches("/actuator/prometheus"));
    assertTrue(paths.matches("/actuator/a/b"));
    assertFalse(paths.matches("/actuators"));
  }

  @Test
  void starElsewhereMatchesAnyRun() {
    assertTrue(paths.matches("/static/site.css"));
    assertTrue(paths.matches("/static/a/b.css"));
    assertFalse(paths.matches("/static/site.js"));
    assertTrue(paths.matches("/favicon.ico"));
  }

  @Test
  void entriesWithoutLeadingSlashAreWarnedAndSkipped() {
    AgentConfig config = AgentConfig.of(Map.of("obs.servlet.exclude-paths", "health,/ready"));
    ExcludedPaths fromConfig = ExcludedPaths.fromConfig(config);
    List<String> warnings = new ArrayList<>();
    config.drainWarnings(warnings::add);
    assertEquals(
        List.of("invalid entry 'health' in obs.servlet.exclude-paths (an entry must start with /); it is skipped"),
        warnings);
    assertTrue(fromConfig.matches("/ready"));
    assertFalse(fromConfig.matches("health"));
  }
}
