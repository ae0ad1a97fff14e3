package dev.obsagent.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The panels and queries of the Grafana dashboards, rows opened up. */
final class Dashboards {

  /** One query of one panel. */
  record Query(String dashboard, String panel, String refId, String expr, JsonNode target, JsonNode panelNode) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + " / " + refId;
    }
  }

  /** One template variable whose options come from a query. */
  record Variable(String dashboard, String name, String query) {}

  private Dashboards() {}

  /** Every panel but rows, including those inside collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if ("row".equals(panel.path("type").asText())) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (Path file : Monitoring.dashboardFiles()) {
      String name = file.getFileName().toString();
      for (JsonNode panel : panels(Monitoring.json(file))) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(new Query(name, panel.path("title").asText(), target.path("refId").asText(),
              target.path("expr").asText(), target, panel));
        }
      }
    }
    return queries;
  }

  static List<Variable> queryVariables() {
    List<Variable> variables = new ArrayList<>();
    for (Path file : Monitoring.dashboardFiles()) {
      for (JsonNode variable : Monitoring.json(file).path("templating").path("list")) {
        if ("query".equals(variable.path("type").asText())) {
          JsonNode query = variable.path("query");
          variables.add(new Variable(file.getFileName().toString(), variable.path("name").asText(),
              query.isTextual() ? query.asText() : query.path("query").asText()));
        }
      }
    }
    return variables;
  }
}
