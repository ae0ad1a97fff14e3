package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * promtool on everything Prometheus loads: both configurations, every rule file, and every unit
 * test of prometheus/tests (each alert firing when it should and staying quiet when it should
 * not; RuleFilesTest checks that every alert has both).
 */
@RequiresBinary(value = "promtool", install = "apt-get install prometheus")
class PromtoolTest {

  private static final Path PROMETHEUS = Monitoring.file("prometheus");

  @Test
  void composeConfigIsValidWithItsRuleFiles() {
    Command.Result result = promtool("check", "config", "prometheus.yml");
    // The rule_files glob must find every rule file, not silently none.
    assertTrue(
        result.output().contains(Monitoring.ruleFiles().size() + " rule files found"),
        "prometheus.yml does not load every rule file:\n" + result.output());
  }

  /**
   * Debian's Prometheus is built without Kubernetes service discovery, so promtool rejects
   * kubernetes_sd_configs itself. Everything else of the example (relabelling, rule files,
   * alerting) is checked with the discovery block swapped for a static one.
   */
  @Test
  void kubernetesExampleConfigIsValidApartFromItsDiscovery(@TempDir Path dir) throws IOException {
    JsonNode config = Monitoring.yaml(PROMETHEUS.resolve("prometheus-kubernetes.yml"));
    int swapped = 0;
    for (JsonNode job : config.path("scrape_configs")) {
      if (job.has("kubernetes_sd_configs")) {
        ObjectNode scrape = (ObjectNode) job;
        scrape.remove("kubernetes_sd_configs");
        scrape.putArray("static_configs").addObject().putArray("targets").add("pod.example:9464");
        swapped++;
      }
    }
    assertTrue(swapped > 0, "the Kubernetes example discovers no pods");
    Files.createSymbolicLink(dir.resolve("rules"), PROMETHEUS.resolve("rules"));
    Monitoring.write(dir.resolve("prometheus-kubernetes.yml"), Monitoring.toYaml(config));
    Command.Result result =
        Command.run(dir, List.of("promtool", "check", "config", "prometheus-kubernetes.yml")).assertSuccess();
    assertTrue(result.output().contains(Monitoring.ruleFiles().size() + " rule files found"), result.output());
  }

  @Test
  void ruleFilesAreValid() {
    List<String> command = new ArrayList<>(List.of("check", "rules"));
    Monitoring.ruleFiles().forEach(file -> command.add(PROMETHEUS.relativize(file).toString()));
    promtool(command.toArray(String[]::new));
  }

  /** One test per unit-test file, so a report names the file that failed. */
  @TestFactory
  Stream<DynamicTest> ruleUnitTestsPass() {
    return Monitoring.ruleTestFiles().stream()
        .map(file -> DynamicTest.dynamicTest(
            "promtool test rules " + file.getFileName(),
            () -> promtool("test", "rules", PROMETHEUS.relativize(file).toString())));
  }

  private static Command.Result promtool(String... args) {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Command.Result result = Command.run(PROMETHEUS, command).assertSuccess();
    System.out.println(String.join(" ", command) + "\n" + result.output());
    return result;
  }
}
