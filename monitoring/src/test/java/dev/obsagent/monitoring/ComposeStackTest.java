package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, the Dockerfile and the configuration files the stack mounts, without a
 * Docker engine: parsed, and checked to fit together (every mounted file exists and is checked by
 * a real tool or parsed here, images are pinned, each service finds the others where they
 * listen).
 */
class ComposeStackTest {

  private static final Pattern PINNED_IMAGE = Pattern.compile("[\\w./-]+:v?\\d+\\.\\d+\\.\\d+[\\w.-]*");

  /**
   * Each configuration the compose file mounts, and the suite that checks it. A new mount must
   * be added here, with its check.
   */
  private static final Map<String, String> CHECKED_MOUNTS = Map.of(
      "./prometheus", "PromtoolTest (promtool check config, check rules, test rules)",
      "./alertmanager", "AlertmanagerConfigTest (amtool check-config, routes) and AlertmanagerInhibitionTest",
      "./grafana/provisioning", "GrafanaTest",
      "./grafana/dashboards", "GrafanaTest and LiveStackTest",
      "./otel-collector/otel-collector.yml", "ComposeStackTest.collectorPipelinesAreComplete",
      "./tempo/tempo.yml", "ComposeStackTest.tracesFlowFromTheAgentToGrafana",
      "./loki/loki.yml", "ComposeStackTest.logsFlowToLokiAndGrafana");

  private static final JsonNode COMPOSE = Monitoring.yaml(Monitoring.file("docker-compose.yml"));

  private static JsonNode service(String name) {
    JsonNode service = COMPOSE.path("services").path(name);
    assertTrue(service.isObject(), "no service " + name + " in docker-compose.yml");
    return service;
  }

  @Test
  void theStackHasEveryPart() {
    Set<String> services = new TreeSet<>();
    COMPOSE.path("services").fieldNames().forEachRemaining(services::add);
    assertTrue(services.containsAll(Set.of("demo-app", "prometheus", "alertmanager", "grafana", "tempo", "loki", "otel-collector")),
        services.toString());
  }

  @Test
  void everyImageIsPinnedToARelease() {
    List<String> unpinned = new ArrayList<>();
    COMPOSE.path("services").fields().forEachRemaining(service -> {
      JsonNode image = service.getValue().path("image");
      boolean built = service.getValue().has("build");
      if (!built && !PINNED_IMAGE.matcher(image.asText()).matches()) {
        unpinned.add(service.getKey() + ": " + image.asText());
      }
    });
    assertEquals(List.of(), unpinned);
  }

  @Test
  void everyMountedFileExistsAndIsChecked() {
    List<String> problems = new ArrayList<>();
    COMPOSE.path("services").fields().forEachRemaining(service -> {
      for (JsonNode volume : service.getValue().path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (!source.startsWith("./")) {
          continue; // a named volume, or a host path such as Docker's log directory
        }
        if (!Files.exists(Monitoring.dir().resolve(source))) {
          problems.add(service.getKey() + " mounts " + source + ", which does not exist");
        }
        if (!CHECKED_MOUNTS.containsKey(source)) {
          problems.add(service.getKey() + " mounts " + source + ", which no test checks");
        }
      }
    });
    assertEquals(List.of(), problems);
  }

  @Test
  void prometheusScrapesTheDemoAppWhereItsAgentListens() {
    JsonNode prometheus = Monitoring.yaml(Monitoring.file("prometheus/prometheus.yml"));
    JsonNode job = prometheus.path("scrape_configs").get(0);
    assertEquals("demo-app", job.path("job_name").asText());
    String port = service("demo-app").path("environment").path("OBS_METRICS_PORT").asText();
    assertEquals("demo-app:" + port, job.path("static_configs").get(0).path("targets").get(0).asText());
    assertTrue(job.path("static_configs").get(0).path("labels").has("team"), "the demo target has no team label");
    assertEquals("alertmanager:9093",
        prometheus.path("alerting").path("alertmanagers").get(0).path("static_configs").get(0).path("targets").get(0).asText());
    assertTrue(service("prometheus").path("command").toString().contains("--enable-feature=exemplar-storage"),
        "Prometheus drops the agent's exemplars without exemplar-storage");
  }

  @Test
  void tracesFlowFromTheAgentToGrafana() {
    // agent -> collector (OTLP/HTTP 4318)
    assertEquals("http://otel-collector:4318", service("demo-app").path("environment").path("OTEL_EXPORTER_OTLP_ENDPOINT").asText());
    JsonNode collector = collector();
    assertTrue(collector.path("receivers").path("otlp").path("protocols").path("http").path("endpoint").asText().endsWith(":4318"));
    // collector -> Tempo (OTLP/gRPC 4317)
    assertEquals("tempo:4317", collector.path("exporters").path("otlp/tempo").path("endpoint").asText());
    JsonNode tempo = Monitoring.yaml(Monitoring.file("tempo/tempo.yml"));
    assertTrue(tempo.path("distributor").path("receivers").path("otlp").path("protocols").path("grpc").path("endpoint")
        .asText().endsWith(":4317"));
    // Tempo -> Grafana (3200)
    assertEquals("http://tempo:" + tempo.path("server").path("http_listen_port").asInt(), datasourceUrl("tempo"));
    assertTrue(collector.path("service").path("pipelines").path("traces").path("exporters").toString().contains("otlp/tempo"));
  }

  @Test
  void logsFlowToLokiAndGrafana() {
    JsonNode loki = Monitoring.yaml(Monitoring.file("loki/loki.yml"));
    int port = loki.path("server").path("http_listen_port").asInt();
    assertEquals("http://loki:" + port + "/otlp", collector().path("exporters").path("otlphttp/loki").path("endpoint").asText());
    assertEquals("http://loki:" + port, datasourceUrl("loki"));
    assertTrue(loki.path("limits_config").path("allow_structured_metadata").asBoolean(),
        "OTLP logs keep their trace_id as structured metadata: Loki must accept it");
    assertEquals("http://prometheus:9090", datasourceUrl("prometheus"));
  }

  /** Every pipeline uses only defined components, and every defined component is used. */
  @Test
  void collectorPipelinesAreComplete() {
    JsonNode collector = collector();
    Map<String, Set<String>> used = new TreeMap<>();
    collector.path("service").path("pipelines").fields().forEachRemaining(pipeline -> {
      for (String kind : List.of("receivers", "processors", "exporters")) {
        for (JsonNode component : pipeline.getValue().path(kind)) {
          assertTrue(collector.path(kind).has(component.asText()),
              "pipeline " + pipeline.getKey() + " uses undefined " + kind + " " + component.asText());
          used.computeIfAbsent(kind, k -> new TreeSet<>()).add(component.asText());
        }
      }
    });
    for (String kind : List.of("receivers", "processors", "exporters")) {
      Set<String> defined = new TreeSet<>();
      collector.path(kind).fieldNames().forEachRemaining(defined::add);
      assertEquals(defined, used.get(kind), kind + " defined but unused");
    }
    collector.path("service").path("extensions").forEach(
        extension -> assertTrue(collector.path("extensions").has(extension.asText()), extension.asText()));
  }

  /** The image CONTRACT.md and the issue describe: Temurin JRE, the agent at its path, on. */
  @Test
  void dockerfileBuildsTheAgentImage() {
    String dockerfile = Monitoring.read(Monitoring.file("docker/Dockerfile"));
    Matcher base = Pattern.compile("(?m)^ARG JRE_IMAGE=(eclipse-temurin:(\\S+))$").matcher(dockerfile);
    assertTrue(base.find(), "no pinned Eclipse Temurin base image");
    assertTrue(base.group(2).matches("\\d+\\.\\d+\\.\\d+_\\d+-jre.*"), "not a pinned JRE release: " + base.group(1));
    assertTrue(dockerfile.contains("FROM ${JRE_IMAGE} AS agent-base"), dockerfile);
    assertTrue(dockerfile.contains("COPY agent/target/obs-agent.jar /opt/obs/obs-agent.jar"), dockerfile);
    assertTrue(dockerfile.contains("JAVA_TOOL_OPTIONS=\"-javaagent:/opt/obs/obs-agent.jar\""), dockerfile);
    assertTrue(dockerfile.contains("OBS_CONFIG=/etc/obs/obs.properties"), dockerfile);
    assertTrue(dockerfile.contains("FROM agent-base AS demo-app"), dockerfile);

    // Everything the Dockerfile copies is let through the build context's ignore file.
    String ignore = Monitoring.read(Monitoring.file("docker/Dockerfile.dockerignore"));
    Matcher copy = Pattern.compile("(?m)^COPY (\\S+) ").matcher(dockerfile);
    while (copy.find()) {
      assertTrue(ignore.contains("!" + copy.group(1)), copy.group(1) + " is not let through Dockerfile.dockerignore");
    }
    JsonNode build = service("demo-app").path("build");
    assertEquals("..", build.path("context").asText());
    assertEquals("monitoring/docker/Dockerfile", build.path("dockerfile").asText());
    assertEquals("demo-app", build.path("target").asText());
  }

  /** The properties file baked into the image only documents; it sets nothing by default. */
  @Test
  void defaultPropertiesFileUsesContractKeysOnly() {
    Pattern key = Pattern.compile("(?m)^#? ?((?:obs|otel)\\.[a-z.-]+)=");
    Matcher m = key.matcher(Monitoring.read(Monitoring.file("docker/obs.properties")));
    int keys = 0;
    Path contract = Monitoring.contractFile();
    String contractText = Files.exists(contract) ? Monitoring.read(contract) : null;
    while (m.find()) {
      keys++;
      if (contractText != null) {
        String name = m.group(1);
        String documented = name.startsWith("obs.instrumentation.") ? "obs.instrumentation.<name>.enabled" : name;
        assertTrue(contractText.contains("`" + documented + "`") || contractText.contains(documented + "`"),
            name + " is not a CONTRACT.md key");
      }
    }
    assertTrue(keys > 0);
  }

  private static JsonNode collector() {
    return Monitoring.yaml(Monitoring.file("otel-collector/otel-collector.yml"));
  }

  private static String datasourceUrl(String uid) {
    for (JsonNode ds : Monitoring.yaml(Monitoring.file("grafana/provisioning/datasources/datasources.yml")).path("datasources")) {
      if (uid.equals(ds.path("uid").asText())) {
        return ds.path("url").asText();
      }
    }
    throw new AssertionError("no datasource " + uid);
  }
}
