package dev.obsagent.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana provisioning and dashboards, parsed: the data sources link metrics, traces and logs
 * to each other, and every dashboard has the datasource, service and instance variables, every
 * panel and query uses the datasource variable, and every query reads contract metrics or
 * recorded series, filtered to the chosen service. LiveStackTest runs the queries themselves.
 */
class GrafanaTest {

  private static final String DATASOURCE = "${datasource}";

  @Test
  void dataSourcesLinkMetricsTracesAndLogs() {
    JsonNode provisioning = Monitoring.yaml(Monitoring.file("grafana/provisioning/datasources/datasources.yml"));
    Map<String, JsonNode> byUid = new HashMap<>();
    provisioning.path("datasources").forEach(ds -> byUid.put(ds.path("uid").asText(), ds));
    assertEquals(Set.of("prometheus", "tempo", "loki"), byUid.keySet());
    assertEquals("prometheus", byUid.get("prometheus").path("type").asText());
    assertEquals("tempo", byUid.get("tempo").path("type").asText());
    assertEquals("loki", byUid.get("loki").path("type").asText());

    // Exemplars (the agent's trace_id) open the trace in Tempo.
    JsonNode exemplar = byUid.get("prometheus").path("jsonData").path("exemplarTraceIdDestinations").get(0);
    assertEquals("trace_id", exemplar.path("name").asText());
    assertEquals("tempo", exemplar.path("datasourceUid").asText());
    // Traces open logs and metrics.
    JsonNode tempo = byUid.get("tempo").path("jsonData");
    assertEquals("loki", tempo.path("tracesToLogsV2").path("datasourceUid").asText());
    assertEquals("prometheus", tempo.path("tracesToMetrics").path("datasourceUid").asText());
    // Logs open traces.
    JsonNode derived = byUid.get("loki").path("jsonData").path("derivedFields");
    assertTrue(derived.size() > 0, "Loki has no derived field to traces");
    derived.forEach(field -> assertEquals("tempo", field.path("datasourceUid").asText()));
  }

  /** Grafana expands $VAR from the environment in provisioning files: its own must be $$. */
  @Test
  void grafanaVariablesInProvisioningAreEscaped() {
    String text = Monitoring.read(Monitoring.file("grafana/provisioning/datasources/datasources.yml"));
    Matcher unescaped = Pattern.compile("(?<!\\$)\\$(\\{__|__)").matcher(text);
    boolean found = unescaped.find();
    assertFalse(found, found ? "unescaped Grafana variable in datasources.yml at offset " + unescaped.start() : "");
  }

  @Test
  void dashboardProviderReadsWhereComposeMountsTheDashboards() {
    JsonNode provider = Monitoring.yaml(Monitoring.file("grafana/provisioning/dashboards/dashboards.yml"))
        .path("providers").get(0);
    String path = provider.path("options").path("path").asText();
    JsonNode grafana = Monitoring.yaml(Monitoring.file("docker-compose.yml")).path("services").path("grafana");
    List<String> volumes = new ArrayList<>();
    grafana.path("volumes").forEach(v -> volumes.add(v.asText()));
    assertTrue(volumes.contains("./grafana/dashboards:" + path + ":ro"), volumes + " does not mount the dashboards at " + path);
  }

  @Test
  void everyDashboardHasTheDatasourceServiceAndInstanceVariables() {
    Set<String> uids = new TreeSet<>();
    for (Path file : Monitoring.dashboardFiles()) {
      JsonNode dashboard = Monitoring.json(file);
      String name = file.getFileName().toString();
      assertTrue(uids.add(dashboard.path("uid").asText()), name + ": uid used twice");
      assertFalse(dashboard.path("title").asText().isBlank(), name + ": no title");
      assertTrue(dashboard.path("tags").toString().contains("obs-agent"), name + ": not tagged obs-agent (the links use it)");
      Map<String, JsonNode> variables = new HashMap<>();
      dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
      assertEquals("datasource", variables.get("datasource").path("type").asText(), name);
      assertEquals("prometheus", variables.get("datasource").path("query").asText(), name);
      for (String variable : List.of("job", "instance")) {
        JsonNode v = variables.get(variable);
        assertTrue(v != null, name + ": no $" + variable + " variable");
        assertEquals(DATASOURCE, v.path("datasource").path("uid").asText(), name + ": $" + variable);
      }
      // The instance list follows the chosen service.
      assertTrue(Dashboards.queryVariables().stream().anyMatch(
          q -> q.dashboard().equals(name) && q.name().equals("instance") && q.query().contains("$job")), name);
    }
  }

  @Test
  void everyPanelAndQueryUsesTheDatasourceVariable() {
    List<String> problems = new ArrayList<>();
    for (Path file : Monitoring.dashboardFiles()) {
      for (JsonNode panel : Dashboards.panels(Monitoring.json(file))) {
        String where = file.getFileName() + " / " + panel.path("title").asText();
        if (!DATASOURCE.equals(panel.path("datasource").path("uid").asText())) {
          problems.add(where + ": panel datasource " + panel.path("datasource"));
        }
        if (panel.path("targets").isEmpty()) {
          problems.add(where + ": no query");
        }
        for (JsonNode target : panel.path("targets")) {
          if (!DATASOURCE.equals(target.path("datasource").path("uid").asText())) {
            problems.add(where + " / " + target.path("refId").asText() + ": query datasource " + target.path("datasource"));
          }
          if (target.path("expr").asText().isBlank()) {
            problems.add(where + " / " + target.path("refId").asText() + ": empty query");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * Every series a query selects from the agent is filtered to the chosen service and instance;
   * recorded series (no instance label) to the service. Constants and Prometheus' own ALERTS are
   * the exceptions.
   */
  @Test
  void everyQueryIsFilteredToTheChosenServiceAndInstance() {
    Pattern selector = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\{([^}]*)}");
    Set<String> recorded = KnownMetrics.recordedSeries();
    List<String> problems = new ArrayList<>();
    for (Dashboards.Query query : Dashboards.queries()) {
      String expr = query.expr();
      Matcher m = selector.matcher(expr);
      Set<String> selected = new TreeSet<>();
      while (m.find()) {
        String metric = m.group(1) == null ? "" : m.group(1);
        String matchers = m.group(2);
        selected.add(metric);
        boolean recordedSeries = recorded.contains(metric);
        if (!matchers.contains("job=~\"$job\"")) {
          problems.add(query + ": " + m.group() + " is not filtered by job=~\"$job\"");
        }
        if (!recordedSeries && !metric.equals("ALERTS") && !matchers.contains("instance=~\"$instance\"")) {
          problems.add(query + ": " + m.group() + " is not filtered by instance=~\"$instance\"");
        }
      }
      // A bare metric name would read every service: only constants (obs:*) may go unfiltered.
      for (String metric : PromQl.metricNames(expr)) {
        if (!metric.startsWith("obs:") && !selected.contains(metric) && !expr.contains("__name__")) {
          problems.add(query + ": " + metric + " is read without a selector");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyQueryReadsContractMetricsOrRecordedSeries() {
    Path contract = Monitoring.contractFile();
    Prerequisites.requireFile(getClass(), contract, "the shared CONTRACT.md beside the repository");
    KnownMetrics known = KnownMetrics.load(contract);
    List<String> problems = new ArrayList<>();
    for (Dashboards.Query query : Dashboards.queries()) {
      Set<String> unknown = known.unknown(query.expr());
      if (!unknown.isEmpty()) {
        problems.add(query + " reads " + unknown);
      }
    }
    for (Dashboards.Variable variable : Dashboards.queryVariables()) {
      Set<String> unknown = known.unknown(variable.query().replaceAll("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
      if (!unknown.isEmpty()) {
        problems.add(variable.dashboard() + " $" + variable.name() + " reads " + unknown);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void latencyPanelsShowExemplars() {
    List<String> without = new ArrayList<>();
    for (Dashboards.Query query : Dashboards.queries()) {
      boolean latency = query.expr().startsWith("histogram_quantile(") && query.expr().contains("_seconds_bucket")
          && "timeseries".equals(query.panelNode().path("type").asText());
      if (latency && !query.target().path("exemplar").asBoolean()) {
        without.add(query.toString());
      }
    }
    assertEquals(List.of(), without, "latency panels without exemplars (the link to traces)");
  }
}
