package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inhibition rules of alertmanager.yml, in a real Alertmanager (amtool cannot test them): the
 * alerts are posted as Prometheus would, and Alertmanager says which it suppresses. The routing
 * tree and inhibitions are the file's own; only the receivers are emptied, so nothing is ever
 * sent anywhere.
 */
@RequiresBinary(value = "prometheus-alertmanager", install = "apt-get install prometheus-alertmanager")
class AlertmanagerInhibitionTest {

  @TempDir static Path dir;
  private static ServerProcess alertmanager;
  private static String api;

  @BeforeAll
  static void startAlertmanager() {
    JsonNode config = Monitoring.yaml(Monitoring.file("alertmanager/alertmanager.yml"));
    ArrayNode receivers = (ArrayNode) config.get("receivers");
    for (int i = 0; i < receivers.size(); i++) {
      receivers.set(i, Monitoring.YAML.createObjectNode().put("name", receivers.get(i).get("name").asText()));
    }
    ((ObjectNode) config).remove("templates");
    Path file = dir.resolve("alertmanager.yml");
    Monitoring.write(file, Monitoring.toYaml(config));
    int port = ServerProcess.freePort();
    api = "http://127.0.0.1:" + port + "/api/v2";
    alertmanager = ServerProcess.start("alertmanager", List.of(
        "prometheus-alertmanager",
        "--config.file=" + file,
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        // No cluster: a single instance that opens no other port.
        "--cluster.listen-address="));
    alertmanager.awaitHttpOk("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopAlertmanager() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  @Test
  void aCriticalAlertSilencesTheWarningOfTheSameAlertAndServiceOnly() throws IOException {
    post(
        alert("HttpAvailabilityBudgetBurn", "severity", "critical", "team", "payments", "job", "checkout",
            "long_window", "1h", "short_window", "5m"),
        alert("HttpAvailabilityBudgetBurn", "severity", "warning", "team", "payments", "job", "checkout",
            "long_window", "3d", "short_window", "6h"),
        // Another service's ticket, and another alert of the same service: not silenced.
        alert("HttpAvailabilityBudgetBurn", "severity", "warning", "team", "shop", "job", "catalog",
            "long_window", "3d", "short_window", "6h"),
        alert("HttpServerErrorRatioHigh", "severity", "warning", "team", "payments", "job", "checkout"));

    Map<String, String> states = states("checkout", "catalog");
    assertEquals("active", states.get("HttpAvailabilityBudgetBurn/critical/checkout"), states.toString());
    assertEquals("suppressed", states.get("HttpAvailabilityBudgetBurn/warning/checkout"), states.toString());
    assertEquals("active", states.get("HttpAvailabilityBudgetBurn/warning/catalog"), states.toString());
    assertEquals("active", states.get("HttpServerErrorRatioHigh/warning/checkout"), states.toString());
  }

  @Test
  void aTargetThatCannotBeScrapedSilencesTheOtherAlertsOfThatTargetOnly() throws IOException {
    post(
        alert("ObsTargetDown", "severity", "critical", "team", "shop", "job", "search", "instance", "search-0:9464"),
        alert("JvmHeapUsageHigh", "severity", "warning", "team", "shop", "job", "search", "instance", "search-0:9464"),
        alert("ObsAgentSpansDropped", "severity", "warning", "team", "observability", "job", "search",
            "instance", "search-0:9464"),
        alert("JvmHeapUsageHigh", "severity", "warning", "team", "shop", "job", "search", "instance", "search-1:9464"));

    Map<String, String> states = states("search");
    assertEquals("active", states.get("ObsTargetDown/critical/search/search-0:9464"), states.toString());
    assertEquals("suppressed", states.get("JvmHeapUsageHigh/warning/search/search-0:9464"), states.toString());
    assertEquals("suppressed", states.get("ObsAgentSpansDropped/warning/search/search-0:9464"), states.toString());
    assertEquals("active", states.get("JvmHeapUsageHigh/warning/search/search-1:9464"), states.toString());
  }

  private static ObjectNode alert(String name, String... labels) {
    ObjectNode alert = Monitoring.JSON.createObjectNode();
    ObjectNode labelNode = alert.putObject("labels").put("alertname", name);
    for (int i = 0; i < labels.length; i += 2) {
      labelNode.put(labels[i], labels[i + 1]);
    }
    alert.putObject("annotations").put("summary", name);
    alert.put("startsAt", Instant.now().minusSeconds(60).toString());
    alert.put("endsAt", Instant.now().plusSeconds(600).toString());
    return alert;
  }

  private static void post(ObjectNode... alerts) throws IOException {
    ArrayNode body = Monitoring.JSON.createArrayNode();
    for (ObjectNode alert : alerts) {
      body.add(alert);
    }
    HttpResponse<String> response = ServerProcess.post(api + "/alerts", "application/json", body.toString());
    assertEquals(200, response.statusCode(), response.body());
  }

  /** alertname/severity/job[/instance] to Alertmanager's state of it, for the given jobs. */
  private static Map<String, String> states(String... jobs) throws IOException {
    HttpResponse<String> response = ServerProcess.get(api + "/alerts");
    assertEquals(200, response.statusCode(), response.body());
    Map<String, String> states = new TreeMap<>();
    for (JsonNode alert : Monitoring.JSON.readTree(response.body())) {
      JsonNode labels = alert.path("labels");
      if (!List.of(jobs).contains(labels.path("job").asText())) {
        continue;
      }
      String key = labels.path("alertname").asText() + "/" + labels.path("severity").asText() + "/"
          + labels.path("job").asText() + (labels.has("instance") ? "/" + labels.path("instance").asText() : "");
      states.put(key, alert.path("status").path("state").asText());
    }
    assertTrue(states.size() >= 4, "Alertmanager does not have the posted alerts: " + response.body());
    return states;
  }
}
