package dev.obsagent.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Where the monitoring files are, and how the tests read them. */
final class Monitoring {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** What every alert's runbook_url starts with; the rest is {@code <alertname>.md}. */
  static final String RUNBOOK_BASE_URL = "https://github.com/obs-agent/obs-agent/blob/main/monitoring/runbooks/";

  private Monitoring() {}

  /** The repository root, which surefire passes in; outside Maven, the parent of this module. */
  static Path projectDir() {
    String dir = System.getProperty("obs.project.dir");
    return (dir != null ? Path.of(dir) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Path dir() {
    return projectDir().resolve("monitoring");
  }

  static Path file(String relative) {
    return dir().resolve(relative);
  }

  static Path agentJar() {
    String jar = System.getProperty("obs.agent.jar");
    return jar != null && !jar.isBlank() ? Path.of(jar) : projectDir().resolve("agent/target/obs-agent.jar");
  }

  static Path demoAppJar() {
    String jar = System.getProperty("obs.demo-app.jar");
    return jar != null && !jar.isBlank() ? Path.of(jar) : projectDir().resolve("smoke-tests/apps/demo-app/target/demo-app.jar");
  }

  /** CONTRACT.md, which lives beside the repository (shared/), not in it. */
  static Path contractFile() {
    String file = System.getProperty("obs.contract.file");
    return (file != null ? Path.of(file) : projectDir().resolve("../shared/CONTRACT.md")).toAbsolutePath().normalize();
  }

  static List<Path> ruleFiles() {
    return KubernetesManifests.ruleFiles(dir());
  }

  static List<Path> ruleTestFiles() {
    return list(file("prometheus/tests"), ".test.yml");
  }

  static List<Path> dashboardFiles() {
    return KubernetesManifests.dashboardFiles(dir());
  }

  static List<Path> runbookFiles() {
    return list(file("runbooks"), ".md");
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** Every document of a multi-document YAML file ("---"), comment-only ones left out. */
  static List<JsonNode> yamlDocuments(String text) {
    try {
      List<JsonNode> documents = new ArrayList<>();
      Iterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text);
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML documents", e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rules of every group of a rule file, as (group name, rule) pairs. */
  static List<Map.Entry<String, JsonNode>> rules(Path ruleFile) {
    List<Map.Entry<String, JsonNode>> rules = new ArrayList<>();
    for (JsonNode group : yaml(ruleFile).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(Map.entry(group.path("name").asText(), rule));
      }
    }
    return rules;
  }

  static List<JsonNode> allRules() {
    List<JsonNode> rules = new ArrayList<>();
    for (Path file : ruleFiles()) {
      rules(file).forEach(entry -> rules.add(entry.getValue()));
    }
    return rules;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
