package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes objects carry the rule files and dashboards unchanged: kubernetes/generated/ is
 * exactly what generate.sh makes of the sources (one source of truth), and the deployment, the
 * PodMonitor and the plain-Prometheus example agree on the labels and port the rules and
 * dashboards rely on. KustomizeBuildTest builds the whole kustomization.
 */
class KubernetesManifestsTest {

  @Test
  void generatedFilesAreUpToDate() {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> file : KubernetesManifests.render(Monitoring.dir()).entrySet()) {
      var path = Monitoring.file(file.getKey());
      String onDisk = java.nio.file.Files.exists(path) ? Monitoring.read(path) : "";
      if (!onDisk.equals(file.getValue())) {
        stale.add(file.getKey());
      }
    }
    assertEquals(List.of(), stale, "out of date: run monitoring/kubernetes/generate.sh");
  }

  @Test
  void generatedPrometheusRulesHoldTheRuleFilesUnchanged() {
    List<JsonNode> objects = Monitoring.yamlDocuments(Monitoring.read(Monitoring.file(KubernetesManifests.PROMETHEUS_RULES)));
    var ruleFiles = Monitoring.ruleFiles();
    assertEquals(ruleFiles.size(), objects.size());
    for (int i = 0; i < ruleFiles.size(); i++) {
      JsonNode object = objects.get(i);
      assertEquals("PrometheusRule", object.path("kind").asText());
      assertEquals(KubernetesManifests.prometheusRuleName(ruleFiles.get(i)), object.path("metadata").path("name").asText());
      assertTrue(Monitoring.yaml(ruleFiles.get(i)).equals(object.path("spec")),
          ruleFiles.get(i).getFileName() + " differs from its PrometheusRule: run monitoring/kubernetes/generate.sh");
    }
  }

  @Test
  void generatedConfigMapsHoldTheDashboardsUnchanged() throws Exception {
    List<JsonNode> objects = Monitoring.yamlDocuments(Monitoring.read(Monitoring.file(KubernetesManifests.GRAFANA_DASHBOARDS)));
    var dashboards = Monitoring.dashboardFiles();
    assertEquals(dashboards.size(), objects.size());
    for (int i = 0; i < dashboards.size(); i++) {
      JsonNode object = objects.get(i);
      String key = dashboards.get(i).getFileName().toString();
      assertEquals("ConfigMap", object.path("kind").asText());
      assertEquals("1", object.path("metadata").path("labels").path("grafana_dashboard").asText(), key);
      assertTrue(Monitoring.json(dashboards.get(i)).equals(Monitoring.JSON.readTree(object.path("data").path(key).asText())),
          key + " differs from its ConfigMap: run monitoring/kubernetes/generate.sh");
    }
  }

  /** The opt-in port name and the labels that become job and team, in all three places. */
  @Test
  void deploymentPodMonitorAndPrometheusExampleAgree() {
    JsonNode deployment = Monitoring.yaml(Monitoring.file("kubernetes/deployment.yaml"));
    JsonNode podMonitor = Monitoring.yaml(Monitoring.file("kubernetes/podmonitor.yaml"));
    JsonNode example = Monitoring.yaml(Monitoring.file("prometheus/prometheus-kubernetes.yml"));

    JsonNode pod = deployment.path("spec").path("template");
    List<String> ports = new ArrayList<>();
    pod.path("spec").path("containers").get(0).path("ports").forEach(p -> ports.add(p.path("name").asText()));
    assertTrue(ports.contains("obs-metrics"), "the deployment names no port obs-metrics: " + ports);
    JsonNode podLabels = pod.path("metadata").path("labels");
    assertTrue(podLabels.has("app.kubernetes.io/name") && podLabels.has("team"), podLabels.toString());

    JsonNode endpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
    assertEquals("obs-metrics", endpoint.path("port").asText());
    assertEquals("/metrics", endpoint.path("path").asText());
    assertEquals("app.kubernetes.io/name", podMonitor.path("spec").path("jobLabel").asText());
    assertEquals("team", podMonitor.path("spec").path("podTargetLabels").get(0).asText());

    String relabelling = example.path("scrape_configs").get(0).path("relabel_configs").toString();
    assertTrue(relabelling.contains("\"regex\":\"obs-metrics\""), relabelling);
    assertTrue(relabelling.contains("__meta_kubernetes_pod_label_app_kubernetes_io_name"), relabelling);
    assertTrue(relabelling.contains("__meta_kubernetes_pod_label_team"), relabelling);
  }
}
