package dev.obsagent.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the Kubernetes objects that carry the monitoring sources, so that the Prometheus rule
 * files and the Grafana dashboards stay the one source of truth:
 *
 * <ul>
 *   <li>{@code kubernetes/generated/prometheus-rules.yaml}: one {@code PrometheusRule} per
 *       {@code prometheus/rules/*.rules.yml}, whose {@code spec} is that file, indented;
 *   <li>{@code kubernetes/generated/grafana-dashboards.yaml}: one {@code ConfigMap} per
 *       {@code grafana/dashboards/*.json}, labelled for the Grafana sidecar.
 * </ul>
 *
 * <p>Plain text wrapping, no YAML library: a rule file indented as a whole is the same YAML one
 * level down, comments included. Dependency-free on purpose, so that {@code
 * kubernetes/generate.sh} runs it straight from source ({@code java KubernetesManifests.java}).
 * The monitoring module's tests render it again and fail when the files on disk differ.
 */
public final class KubernetesManifests {

  static final String RULES_DIR = "prometheus/rules";
  static final String RULES_SUFFIX = ".rules.yml";
  static final String DASHBOARDS_DIR = "grafana/dashboards";
  static final String GENERATED_DIR = "kubernetes/generated";
  static final String PROMETHEUS_RULES = GENERATED_DIR + "/prometheus-rules.yaml";
  static final String GRAFANA_DASHBOARDS = GENERATED_DIR + "/grafana-dashboards.yaml";

  private static final String HOW_TO_REGENERATE = "monitoring/kubernetes/generate.sh";

  private KubernetesManifests() {}

  /** {@code java KubernetesManifests.java [monitoring-dir]}: rewrites the generated files. */
  public static void main(String[] args) throws IOException {
    Path monitoring = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    for (Map.Entry<String, String> file : render(monitoring).entrySet()) {
      Path target = monitoring.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
      System.out.println("wrote " + monitoring.relativize(target));
    }
  }

  /** The generated files, by path relative to the monitoring directory. */
  public static Map<String, String> render(Path monitoring) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(PROMETHEUS_RULES, prometheusRules(monitoring));
    files.put(GRAFANA_DASHBOARDS, grafanaDashboards(monitoring));
    return files;
  }

  /** The rule files, in name order. */
  public static List<Path> ruleFiles(Path monitoring) {
    return list(monitoring.resolve(RULES_DIR), RULES_SUFFIX);
  }

  /** The dashboard files, in name order. */
  public static List<Path> dashboardFiles(Path monitoring) {
    return list(monitoring.resolve(DASHBOARDS_DIR), ".json");
  }

  /** {@code http.rules.yml} is {@code obs-agent-http}. */
  public static String prometheusRuleName(Path ruleFile) {
    String name = ruleFile.getFileName().toString();
    return "obs-agent-" + name.substring(0, name.length() - RULES_SUFFIX.length());
  }

  /** {@code service-red.json} is {@code obs-agent-dashboard-service-red}. */
  public static String dashboardConfigMapName(Path dashboardFile) {
    String name = dashboardFile.getFileName().toString();
    return "obs-agent-dashboard-" + name.substring(0, name.length() - ".json".length());
  }

  private static String prometheusRules(Path monitoring) {
    StringBuilder out = new StringBuilder(header());
    for (Path file : ruleFiles(monitoring)) {
      out.append("---\n")
          .append("# From monitoring/").append(RULES_DIR).append('/').append(file.getFileName()).append('\n')
          .append("apiVersion: monitoring.coreos.com/v1\n")
          .append("kind: PrometheusRule\n")
          .append("metadata:\n")
          .append("  name: ").append(prometheusRuleName(file)).append('\n')
          .append("  labels:\n")
          .append("    app.kubernetes.io/part-of: obs-agent\n")
          .append("spec:\n")
          .append(indent(read(file), "  "));
    }
    return out.toString();
  }

  private static String grafanaDashboards(Path monitoring) {
    StringBuilder out = new StringBuilder(header());
    for (Path file : dashboardFiles(monitoring)) {
      out.append("---\n")
          .append("# From monitoring/").append(DASHBOARDS_DIR).append('/').append(file.getFileName()).append('\n')
          .append("apiVersion: v1\n")
          .append("kind: ConfigMap\n")
          .append("metadata:\n")
          .append("  name: ").append(dashboardConfigMapName(file)).append('\n')
          .append("  labels:\n")
          .append("    app.kubernetes.io/part-of: obs-agent\n")
          // The label the Grafana sidecar (kube-prometheus-stack's default) looks for.
          .append("    grafana_dashboard: \"1\"\n")
          .append("  annotations:\n")
          // Honoured where the sidecar's folderAnnotation is set to grafana_folder.
          .append("    grafana_folder: obs-agent\n")
          .append("data:\n")
          .append("  ").append(file.getFileName()).append(": |\n")
          .append(indent(read(file), "    "));
    }
    return out.toString();
  }

  private static String header() {
    return "# GENERATED by " + HOW_TO_REGENERATE + " from the files named below: do not edit.\n"
        + "# Edit the source and run the script; the monitoring module's tests fail while they differ.\n";
  }

  /** Every line indented, empty lines left empty; the text ends with exactly one newline. */
  static String indent(String text, String prefix) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      out.append(line.isBlank() ? "" : prefix + line).append('\n');
    }
    String result = out.toString();
    while (result.endsWith("\n\n")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(suffix))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
