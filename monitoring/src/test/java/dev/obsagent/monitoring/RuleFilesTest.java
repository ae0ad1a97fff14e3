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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What promtool does not check about the rule files: every alert is complete (severity, texts
 * with values, a runbook that exists) and unit-tested both ways, recorded series follow the
 * naming convention, and every name an expression reads exists in CONTRACT.md or is recorded here.
 */
class RuleFilesTest {

  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  /** level:metric:operation, e.g. job_route:http_server_requests:rate5m. */
  private static final Pattern RECORD_NAME = Pattern.compile("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+");

  @Test
  void everyAlertHasASeverityTextsWithValuesAndARunbook() {
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : alertRules()) {
      String alert = rule.get("alert").asText();
      String severity = rule.path("labels").path("severity").asText();
      if (!SEVERITIES.contains(severity)) {
        problems.add(alert + ": severity '" + severity + "' is not one of " + SEVERITIES);
      }
      JsonNode annotations = rule.path("annotations");
      if (annotations.path("summary").asText().isBlank()) {
        problems.add(alert + ": no summary");
      }
      // "with the values that matter": the description must show at least the value or a label.
      String description = annotations.path("description").asText();
      if (!description.contains("$value") && !description.contains("$labels")) {
        problems.add(alert + ": the description shows no value");
      }
      String runbook = annotations.path("runbook_url").asText();
      if (!runbook.equals(Monitoring.RUNBOOK_BASE_URL + alert + ".md")) {
        problems.add(alert + ": runbook_url should be " + Monitoring.RUNBOOK_BASE_URL + alert + ".md, is " + runbook);
      }
      if (!Files.isRegularFile(Monitoring.file("runbooks/" + alert + ".md"))) {
        problems.add(alert + ": monitoring/runbooks/" + alert + ".md is missing");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyRunbookBelongsToAnAlert() {
    Set<String> alerts = alertNames();
    List<String> orphans = new ArrayList<>();
    for (Path runbook : Monitoring.runbookFiles()) {
      String name = runbook.getFileName().toString().replace(".md", "");
      if (!alerts.contains(name) && !name.equals("README")) {
        orphans.add(runbook.getFileName().toString());
      }
    }
    assertEquals(List.of(), orphans, "runbooks without an alert");
  }

  /** promtool proves what is tested; this proves that everything is: fires, and stays quiet. */
  @Test
  void everyAlertIsUnitTestedFiringAndQuiet() {
    Map<String, Integer> firing = new TreeMap<>();
    Map<String, Integer> quiet = new TreeMap<>();
    for (Path file : Monitoring.ruleTestFiles()) {
      for (JsonNode test : Monitoring.yaml(file).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String alert = check.path("alertname").asText();
          boolean fires = check.path("exp_alerts").size() > 0;
          (fires ? firing : quiet).merge(alert, 1, Integer::sum);
        }
      }
    }
    List<String> untested = new ArrayList<>();
    for (String alert : alertNames()) {
      if (!firing.containsKey(alert)) {
        untested.add(alert + " is never tested firing");
      }
      if (!quiet.containsKey(alert)) {
        untested.add(alert + " is never tested staying quiet");
      }
    }
    assertEquals(List.of(), untested);
  }

  /** promtool 2.42 (Debian bookworm) needs `interval` in each test group. */
  @Test
  void everyUnitTestGroupSetsItsInterval() {
    List<String> missing = new ArrayList<>();
    for (Path file : Monitoring.ruleTestFiles()) {
      for (JsonNode test : Monitoring.yaml(file).path("tests")) {
        if (!test.has("interval")) {
          missing.add(file.getFileName() + ": " + test.path("name").asText("(unnamed)"));
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everyRuleFileIsLoadedBySomeUnitTest() {
    Set<Path> tested = new TreeSet<>();
    for (Path file : Monitoring.ruleTestFiles()) {
      for (JsonNode ruleFile : Monitoring.yaml(file).path("rule_files")) {
        tested.add(file.getParent().resolve(ruleFile.asText()).normalize());
      }
    }
    List<Path> untested = new ArrayList<>(Monitoring.ruleFiles());
    untested.removeAll(tested);
    assertEquals(List.of(), untested);
  }

  @Test
  void recordedSeriesFollowTheNamingConventionAndAreRecordedOnce() {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (JsonNode rule : Monitoring.allRules()) {
      if (!rule.has("record")) {
        continue;
      }
      String name = rule.get("record").asText();
      if (!RECORD_NAME.matcher(name).matches()) {
        problems.add(name + " is not level:metric:operation");
      }
      if (!seen.add(name)) {
        problems.add(name + " is recorded twice");
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * Rules read only what the agent exports under CONTRACT.md's names, or what other rules
   * record. The contract lives beside the repository (../shared/CONTRACT.md).
   */
  @Test
  void everyExpressionReadsContractMetricsOrRecordedSeries() {
    Path contract = Monitoring.contractFile();
    Prerequisites.requireFile(getClass(), contract, "the shared CONTRACT.md beside the repository");
    KnownMetrics known = KnownMetrics.load(contract);
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : Monitoring.allRules()) {
      String name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
      Set<String> unknown = known.unknown(rule.get("expr").asText());
      if (!unknown.isEmpty()) {
        problems.add(name + " reads " + unknown);
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Every aggregation keeps `team`: Alertmanager routes on it, and a rule that drops it goes unowned. */
  @Test
  void aggregationsKeepTheTeamLabelAlertmanagerRoutesOn() {
    Pattern aggregation = Pattern.compile("\\b(?:sum|max|min|avg|count) by \\(([^)]*)\\)");
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : Monitoring.allRules()) {
      var matcher = aggregation.matcher(rule.get("expr").asText());
      while (matcher.find()) {
        List<String> labels = List.of(matcher.group(1).split("\\s*,\\s*"));
        if (!labels.contains("team")) {
          String name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
          problems.add(name + ": by (" + matcher.group(1) + ") drops team");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  static List<JsonNode> alertRules() {
    return Monitoring.allRules().stream().filter(rule -> rule.has("alert")).toList();
  }

  static Set<String> alertNames() {
    Set<String> names = new TreeSet<>();
    alertRules().forEach(rule -> names.add(rule.get("alert").asText()));
    return names;
  }

  @Test
  void thereAreAlertsAtAll() {
    assertTrue(alertNames().size() >= 20, "alerts: " + alertNames());
  }
}
