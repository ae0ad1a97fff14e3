package dev.obsagent.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Medians per arm and the markdown table that puts the arms side by side. */
final class Report {

  private final Settings settings;
  private final List<RunResult> results;
  private final List<Figure> figures;
  private final List<Arm> arms;

  Report(Settings settings, List<RunResult> results) {
    this.settings = settings;
    this.results = results;
    this.figures = Figure.all(settings);
    this.arms = new ArrayList<>(settings.arms);
  }

  List<Figure> figures() {
    return figures;
  }

  List<Arm> arms() {
    return arms;
  }

  /** The median over this arm's runs. */
  double median(Figure figure, Arm arm) {
    double[] values = values(figure, arm);
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** A start-up alone counts for the start-up figure only. */
  private double[] values(Figure figure, Arm arm) {
    boolean startup = figure.key().equals(Figure.STARTUP);
    return results.stream()
        .filter(r -> r.arm == arm && (startup || !r.startupOnly))
        .mapToDouble(figure.value())
        .toArray();
  }

  /** How much worse than no agent: arm minus none, sign flipped where higher is better. */
  double overhead(Figure figure, Arm arm) {
    double delta = median(figure, arm) - median(figure, Arm.NONE);
    return figure.lowerIsBetter() ? delta : -delta;
  }

  /** Arm over none, as a percentage change; NaN where none is 0 (the jar). */
  double changePercent(Figure figure, Arm arm) {
    double none = median(figure, Arm.NONE);
    return none == 0 ? Double.NaN : (median(figure, arm) / none - 1) * 100;
  }

  String markdown(String header, Map<String, String> context, List<String> warnings) {
    StringBuilder md = new StringBuilder();
    md.append(header).append("\n\n");
    context.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append('\n');
    if (!warnings.isEmpty()) {
      md.append("**Warnings**\n\n");
      warnings.forEach(w -> md.append("- ").append(w).append('\n'));
      md.append('\n');
    }
    md.append(table());
    md.append('\n');
    md.append("Median of ").append(settings.runs).append(" runs per arm (start-up: of ")
        .append(settings.runs + settings.startups).append(" start-ups per arm). \"vs none\": the change from no agent. ")
        .append("\"obs ÷ OTel overhead\": obs-agent's overhead over no agent as a share of the OTel agent's, ")
        .append("on the same runs, with issue 7's target in brackets (for the jar: the ratio of the sizes).\n\n");
    md.append(spread());
    md.append('\n').append(sanity());
    return md.toString();
  }

  String table() {
    boolean obs = arms.contains(Arm.OBS);
    boolean otel = arms.contains(Arm.OTEL);
    StringBuilder md = new StringBuilder();
    List<String> head = new ArrayList<>(List.of("figure", "unit"));
    arms.forEach(arm -> head.add(arm.label));
    if (obs) head.add("obs-agent vs none");
    if (otel) head.add("OTel vs none");
    if (obs && otel) head.add("obs ÷ OTel overhead (target)");
    row(md, head);
    row(md, head.stream().map(h -> h.equals("figure") || h.equals("unit") ? "---" : "---:").toList());
    for (Figure figure : figures) {
      List<String> cells = new ArrayList<>(List.of(figure.label(), figure.unit()));
      for (Arm arm : arms) {
        // No agent has no jar.
        cells.add(figure.key().equals("jar") && arm == Arm.NONE ? "–" : number(median(figure, arm)));
      }
      if (obs) cells.add(change(figure, Arm.OBS));
      if (otel) cells.add(change(figure, Arm.OTEL));
      if (obs && otel) cells.add(share(figure));
      row(md, cells);
    }
    return md.toString();
  }

  /** Lowest and highest run per arm, to show how far the medians can be trusted. */
  private String spread() {
    StringBuilder md = new StringBuilder("Spread (lowest – highest run):\n\n");
    List<String> head = new ArrayList<>(List.of("figure"));
    arms.forEach(arm -> head.add(arm.label));
    row(md, head);
    row(md, head.stream().map(h -> h.equals("figure") ? "---" : "---:").toList());
    for (Figure figure : figures) {
      if (figure.key().equals("jar")) {
        continue;
      }
      List<String> cells = new ArrayList<>(List.of(figure.label() + " (" + figure.unit() + ")"));
      for (Arm arm : arms) {
        double[] values = values(figure, arm);
        double min = Arrays.stream(values).min().orElse(Double.NaN);
        double max = Arrays.stream(values).max().orElse(Double.NaN);
        cells.add(number(min) + " – " + number(max));
      }
      row(md, cells);
    }
    return md.toString();
  }

  /** What reached the OTLP sink: shows that tracing was on, and how each agent batches. */
  private String sanity() {
    StringBuilder md = new StringBuilder("Spans received by the OTLP sink per run (median):\n\n");
    row(md, List.of("arm", "export requests", "KiB received"));
    row(md, List.of("---", "---:", "---:"));
    for (Arm arm : arms) {
      if (arm == Arm.NONE) {
        continue;
      }
      Figure requests = new Figure("otlp.requests", "", "", true, null, r -> r.otlpRequests);
      Figure bytes = new Figure("otlp.bytes", "", "", true, null, r -> r.otlpBytes / 1024.0);
      row(md, List.of(arm.label, number(median(requests, arm)), number(median(bytes, arm))));
    }
    return md.toString();
  }

  private String change(Figure figure, Arm arm) {
    double percent = changePercent(figure, arm);
    return Double.isNaN(percent) ? "" : String.format(Locale.ROOT, "%+.1f%%", percent);
  }

  private String share(Figure figure) {
    double obs = overhead(figure, Arm.OBS);
    double otel = overhead(figure, Arm.OTEL);
    String target = figure.target() == null ? "" : String.format(Locale.ROOT, " (≤ %.0f%%)", figure.target() * 100);
    if (otel <= 0) {
      return "n/a (OTel: none)" + target;
    }
    double share = Math.max(obs, 0) / otel;
    String verdict = figure.target() == null ? "" : share <= figure.target() ? " met" : " not met";
    return String.format(Locale.ROOT, "%.0f%%", share * 100) + target + verdict;
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    double abs = Math.abs(value);
    String format = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, format, value);
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }
}
