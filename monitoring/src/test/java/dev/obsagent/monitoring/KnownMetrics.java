package dev.obsagent.monitoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a rule or dashboard may read: those of CONTRACT.md's metrics table (with
 * _bucket, _sum and _count for histograms, and its {@code jvm_*} and {@code process_*}
 * families), the series the rule files record, and the few Prometheus makes itself.
 */
final class KnownMetrics {

  /** Series Prometheus writes on its own: per scrape, and for alerting rules. */
  static final Set<String> PROMETHEUS_OWN =
      Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
          "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE");

  private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`([^|]+?)`\\s*\\|\\s*([^|]+?)\\s*\\|");
  private static final Pattern BACKTICKED = Pattern.compile("`([a-zA-Z_:*][a-zA-Z0-9_:*]*)`");

  private final Set<String> names = new TreeSet<>();
  private final List<String> prefixes = new ArrayList<>();

  private KnownMetrics() {}

  /** From CONTRACT.md's "## Metrics" table and the recording rules. */
  static KnownMetrics load(Path contract) {
    KnownMetrics known = new KnownMetrics();
    boolean inMetrics = false;
    for (String line : Monitoring.read(contract).split("\n")) {
      if (line.startsWith("## ")) {
        inMetrics = line.trim().equals("## Metrics");
        continue;
      }
      Matcher row = TABLE_ROW.matcher(line);
      if (!inMetrics || !row.find()) {
        continue;
      }
      String type = row.group(2);
      Matcher name = BACKTICKED.matcher(line.substring(0, row.end(1) + 1));
      while (name.find()) {
        known.add(name.group(1), type);
      }
    }
    if (known.names.isEmpty()) {
      throw new IllegalStateException("no metrics table found in " + contract);
    }
    known.names.addAll(PROMETHEUS_OWN);
    known.names.addAll(recordedSeries());
    return known;
  }

  /** The names the rule files record. */
  static Set<String> recordedSeries() {
    Set<String> recorded = new TreeSet<>();
    for (var rule : Monitoring.allRules()) {
      if (rule.has("record")) {
        recorded.add(rule.get("record").asText());
      }
    }
    return recorded;
  }

  private void add(String name, String type) {
    if (name.endsWith("*")) {
      prefixes.add(name.substring(0, name.length() - 1));
    } else if (type.startsWith("histogram")) {
      names.add(name + "_bucket");
      names.add(name + "_sum");
      names.add(name + "_count");
    } else {
      names.add(name);
    }
  }

  boolean contains(String metric) {
    return names.contains(metric) || prefixes.stream().anyMatch(metric::startsWith);
  }

  /** The names of the expression that are not known. */
  Set<String> unknown(String expr) {
    Set<String> unknown = new TreeSet<>();
    for (String metric : PromQl.metricNames(expr)) {
      if (!contains(metric)) {
        unknown.add(metric);
      }
    }
    return unknown;
  }
}
