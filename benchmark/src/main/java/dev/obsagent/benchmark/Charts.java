package dev.obsagent.benchmark;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report as one PNG: six bar charts, each arm in the same colour everywhere. */
final class Charts {

  private static final Color NONE = new Color(0x9E, 0x9E, 0x9E);
  private static final Color OBS = new Color(0x1B, 0x7F, 0x3B);
  private static final Color OTEL = new Color(0x42, 0x5C, 0xC7);
  private static final int WIDTH = 640;
  private static final int HEIGHT = 430;

  private Charts() {}

  static void write(Report report, Settings settings, String subtitle, Path png) throws IOException {
    List<CategoryChart> charts = new ArrayList<>();
    charts.add(overheads(report, subtitle));
    charts.add(perEndpoint(report, settings, "rps", "Throughput (req/s, higher is better)"));
    charts.add(perEndpoint(report, settings, "p99", "p99 latency (ms)"));
    charts.add(perEndpoint(report, settings, "cpu", "CPU seconds per 1,000 requests"));
    charts.add(perEndpoint(report, settings, "alloc", "Allocated per request (KiB)"));
    if (report.arms().contains(Arm.OBS) && report.arms().contains(Arm.OTEL)) {
      charts.add(shareOfOtel(report));
    }
    // XChart fills every cell of the grid: six charts in two rows, five (no OTel arm) in one.
    int columns = charts.size() % 3 == 0 ? 3 : charts.size();
    BitmapEncoder.saveBitmap(charts, charts.size() / columns, columns, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Overhead over no agent in percent, per figure that has a target, obs-agent next to OTel. */
  private static CategoryChart overheads(Report report, String subtitle) {
    CategoryChart chart = base("Overhead vs no agent, % " + subtitle);
    List<String> categories = new ArrayList<>();
    List<Double> obs = new ArrayList<>();
    List<Double> otel = new ArrayList<>();
    for (Figure figure : report.figures()) {
      if (figure.target() == null || figure.key().equals("jar")) {
        continue;
      }
      categories.add(shortName(figure));
      obs.add(percentOrZero(report.changePercent(figure, Arm.OBS), report.arms().contains(Arm.OBS)));
      otel.add(percentOrZero(report.changePercent(figure, Arm.OTEL), report.arms().contains(Arm.OTEL)));
    }
    if (report.arms().contains(Arm.OBS)) {
      chart.addSeries(Arm.OBS.label, categories, obs).setFillColor(OBS);
    }
    if (report.arms().contains(Arm.OTEL)) {
      chart.addSeries(Arm.OTEL.label, categories, otel).setFillColor(OTEL);
    }
    chart.getStyler().setXAxisLabelRotation(35);
    return chart;
  }

  private static CategoryChart perEndpoint(Report report, Settings settings, String suffix, String title) {
    CategoryChart chart = base(title);
    List<String> categories = settings.endpoints.stream().map(Endpoint::name).toList();
    for (Arm arm : report.arms()) {
      List<Double> values = new ArrayList<>();
      for (Endpoint endpoint : settings.endpoints) {
        values.add(report.median(figure(report, endpoint.name() + "." + suffix), arm));
      }
      chart.addSeries(arm.label, categories, values).setFillColor(color(arm));
    }
    return chart;
  }

  /** obs-agent's overhead as a share of the OTel agent's, next to issue 7's target for it. */
  private static CategoryChart shareOfOtel(Report report) {
    CategoryChart chart = base("obs-agent overhead as % of OTel's (lower is better)");
    List<String> categories = new ArrayList<>();
    List<Double> shares = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    for (Figure figure : report.figures()) {
      if (figure.target() == null) {
        continue;
      }
      double otel = report.overhead(figure, Arm.OTEL);
      categories.add(figure.key().equals("jar") ? "jar size" : shortName(figure));
      // Where OTel shows no overhead the share means nothing: drawn as 0, the table says n/a.
      shares.add(otel <= 0 ? 0 : Math.max(report.overhead(figure, Arm.OBS), 0) / otel * 100);
      targets.add(figure.target() * 100);
    }
    chart.addSeries("obs-agent ÷ OTel", categories, shares).setFillColor(OBS);
    chart.addSeries("target (issue 7)", categories, targets).setFillColor(new Color(0xE0, 0xA0, 0x30));
    chart.getStyler().setXAxisLabelRotation(35);
    return chart;
  }

  private static CategoryChart base(String title) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
    Styler styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setLabelsVisible(false);
    chart.getStyler().setOverlapped(false);
    return chart;
  }

  private static Figure figure(Report report, String key) {
    return report.figures().stream().filter(f -> f.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no figure " + key));
  }

  private static String shortName(Figure figure) {
    String key = figure.key();
    if (key.equals(Figure.STARTUP)) return "start";
    if (key.equals("rss")) return "RSS";
    if (key.equals("heap")) return "live heap";
    int dot = key.indexOf('.');
    return key.substring(dot + 1).replace("alloc", "alloc/req").replace("cpu", "CPU/req") + " " + key.substring(0, dot);
  }

  private static double percentOrZero(double value, boolean present) {
    return present && !Double.isNaN(value) ? value : 0;
  }

  private static Color color(Arm arm) {
    switch (arm) {
      case OBS: return OBS;
      case OTEL: return OTEL;
      default: return NONE;
    }
  }
}
