package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * `kubectl kustomize monitoring/kubernetes` builds, and what it builds is the stack: the demo
 * Deployment on the agent image with the agent's properties file mounted, its Service, the
 * PodMonitor, one PrometheusRule per rule file holding exactly that file's groups, and one
 * dashboard ConfigMap per dashboard holding exactly that JSON.
 */
@RequiresBinary(value = "kubectl", install = "kubectl with its built-in kustomize, 1.21 or later; Debian's kubernetes-client is too old")
class KustomizeBuildTest {

  @Test
  void kustomizationBuildsTheStackFromTheSources() throws Exception {
    Command.Result build = Command.run(Monitoring.dir(), List.of("kubectl", "kustomize", "kubernetes")).assertSuccess();
    Map<String, JsonNode> objects = new TreeMap<>();
    for (JsonNode object : Monitoring.yamlDocuments(build.output())) {
      objects.put(object.path("kind").asText() + "/" + object.path("metadata").path("name").asText(), object);
    }

    JsonNode deployment = objects.get("Deployment/demo-app");
    assertTrue(deployment != null, objects.keySet().toString());
    assertEquals("obs-agent-demo:0.1.0",
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText());
    String configMap = deployment.path("spec").path("template").path("spec").path("volumes").get(0)
        .path("configMap").path("name").asText();
    assertTrue(configMap.startsWith("demo-app-obs-agent-"), "the agent's properties ConfigMap is not hashed: " + configMap);
    assertTrue(objects.containsKey("ConfigMap/" + configMap), objects.keySet().toString());
    assertTrue(objects.containsKey("Service/demo-app"), objects.keySet().toString());
    assertTrue(objects.containsKey("PodMonitor/obs-agent"), objects.keySet().toString());

    for (Path ruleFile : Monitoring.ruleFiles()) {
      JsonNode rule = objects.get("PrometheusRule/" + KubernetesManifests.prometheusRuleName(ruleFile));
      assertTrue(rule != null, "no PrometheusRule for " + ruleFile);
      assertTrue(Monitoring.yaml(ruleFile).path("groups").equals(rule.path("spec").path("groups")),
          ruleFile.getFileName() + " differs from its PrometheusRule: run monitoring/kubernetes/generate.sh");
    }
    for (Path dashboard : Monitoring.dashboardFiles()) {
      JsonNode map = objects.get("ConfigMap/" + KubernetesManifests.dashboardConfigMapName(dashboard));
      assertTrue(map != null, "no ConfigMap for " + dashboard);
      String json = map.path("data").path(dashboard.getFileName().toString()).asText();
      assertTrue(Monitoring.json(dashboard).equals(Monitoring.JSON.readTree(json)),
          dashboard.getFileName() + " differs from its ConfigMap: run monitoring/kubernetes/generate.sh");
    }
    System.out.println("kubectl kustomize kubernetes: " + objects.keySet());
  }
}
