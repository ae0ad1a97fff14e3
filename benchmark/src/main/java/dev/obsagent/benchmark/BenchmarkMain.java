package dev.obsagent.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overhead benchmark (issue 7). For each run, each arm in turn (no agent, obs-agent, the
 * OpenTelemetry Java agent; the order rotates from run to run so that no arm always goes first):
 * start the demo app, time the first successful response, read the live heap after a full GC,
 * start JFR, warm every endpoint up with wrk, read the resident memory, then put each endpoint
 * under the same fixed wrk load while counting the process' CPU time and, with JFR, the bytes it
 * allocates. Then the medians, a markdown table and
 * a PNG chart. Started by benchmark/run.sh, which builds everything and passes the jars.
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("benchmark: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new BenchmarkMain().run(settings));
  }

  private final List<String> warnings = new ArrayList<>();

  private int run(Settings settings) throws Exception {
    for (Arm arm : settings.arms) {
      Path jar = arm.jar(settings);
      if (jar != null && !Files.isRegularFile(jar)) {
        System.err.println("benchmark: no " + arm.label + " jar at " + jar);
        return 1;
      }
    }
    if (settings.replot != null) {
      return replot(settings);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path directory = settings.resultsRoot.resolve(stamp + "-" + settings.mode);
    Files.createDirectories(directory.resolve("logs"));
    Path allocationSettings = AllocationRecorder.writeSettings(directory);
    Map<String, String> context = context(settings);
    log("benchmark: " + settings.describe());
    log("benchmark: results in " + directory);
    warmPageCache(settings);
    if (settings.profileOnly) {
      try (OtlpSink sink = new OtlpSink()) {
        System.out.println(Profiler.run(settings, sink, directory.resolve("profile")));
      }
      return 0;
    }

    List<RunResult> results = new ArrayList<>();
    List<Arm> arms = new ArrayList<>(settings.arms);
    try (OtlpSink sink = new OtlpSink()) {
      for (int run = 1; run <= settings.runs; run++) {
        for (int i = 0; i < arms.size(); i++) {
          Arm arm = arms.get((i + run - 1) % arms.size());
          RunResult result = runOnce(settings, arm, run, sink, allocationSettings, directory);
          results.add(result);
          log(summary(result));
        }
      }
      results.addAll(startups(settings, arms, sink, directory));
      context.put("load average at the end (1, 5, 15 min)", loadAverage());

      StringBuilder csv = new StringBuilder(RunResult.csvHeader()).append('\n');
      results.forEach(r -> csv.append(r.csvLines()));
      Files.writeString(directory.resolve("raw.csv"), csv);

      Report report = new Report(settings, results);
      String header = "## obs-agent overhead benchmark (" + settings.mode + " mode)";
      String markdown = report.markdown(header, context, warnings);
      Files.writeString(directory.resolve("results.md"), markdown);
      Charts.write(report, settings, "(" + settings.mode + ")", directory.resolve("chart.png"));
      System.out.println();
      System.out.println(markdown);
      if (settings.profile) {
        log("benchmark: profiling obs-agent with JFR");
        System.out.println(Profiler.run(settings, sink, directory.resolve("profile")));
      }
    }
    log("benchmark: wrote " + directory.resolve("results.md") + " and " + directory.resolve("chart.png"));
    return 0;
  }

  /**
   * Redraws an earlier run's table and chart with this harness' report code, from its raw.csv;
   * the context lines (date, machine, load) are kept from its results.md.
   */
  private int replot(Settings settings) throws IOException {
    Path directory = settings.replot;
    List<RunResult> results = RunResult.fromCsv(Files.readAllLines(directory.resolve("raw.csv")));
    Map<String, String> context = new LinkedHashMap<>();
    Path previous = directory.resolve("results.md");
    String header = "## obs-agent overhead benchmark";
    if (Files.exists(previous)) {
      List<String> lines = Files.readAllLines(previous);
      header = lines.get(0);
      for (String line : lines) {
        int colon = line.indexOf(": ");
        if (line.startsWith("- ") && colon > 0 && !line.startsWith("- **")) {
          context.put(line.substring(2, colon), line.substring(colon + 2));
        }
        if (line.startsWith("|")) {
          break;
        }
      }
    }
    settings.runs = (int) results.stream().filter(r -> r.arm == Arm.NONE && !r.startupOnly).count();
    settings.startups = (int) results.stream().filter(r -> r.arm == Arm.NONE && r.startupOnly).count();
    settings.endpoints = new ArrayList<>();
    RunResult fullRun = results.stream().filter(r -> !r.startupOnly).findFirst().orElseThrow();
    for (String name : fullRun.endpoints.keySet()) {
      settings.endpoints.add(Endpoint.defaults().stream().filter(e -> e.name().equals(name)).findFirst()
          .orElse(new Endpoint(name, "")));
    }
    Report report = new Report(settings, results);
    String markdown = report.markdown(header, context, warnings);
    Files.writeString(directory.resolve("results.md"), markdown);
    Charts.write(report, settings, "(" + (header.contains("full") ? "full" : "quick") + ")", directory.resolve("chart.png"));
    System.out.println(markdown);
    return 0;
  }

  private RunResult runOnce(Settings settings, Arm arm, int run, OtlpSink sink, Path allocationSettings, Path directory)
      throws IOException, InterruptedException {
    RunResult result = new RunResult(arm, run);
    long sinkRequests = sink.requests();
    long sinkBytes = sink.bytes();
    Path log = directory.resolve("logs").resolve("run" + run + "-" + arm.name().toLowerCase(Locale.ROOT) + ".log");
    try (AppProcess app = AppProcess.start(settings, arm, sink.endpoint(), log)) {
      result.startupMillis = app.awaitFirstSuccess(settings.endpoints.get(0).path());
      // Before any load: the SQL endpoint inserts a row per request, so the heap's live data
      // grows with each arm's throughput from here on. The warm-up puts the full GC behind it.
      result.liveHeapKib = app.liveHeapKibAfterFullGc();
      // JFR, started in a running JVM that has no agent, costs that JVM much of its throughput
      // until its code has been compiled again; a JVM with an agent does not pay this. Started
      // between warm-up and load, it made the no-agent arm look slower than both agents. JFR
      // therefore starts here, before the warm-up, in every arm alike; the recordings that count
      // allocations later start in a JVM that has JFR running already.
      AllocationRecorder.startIdleRecording(app);
      for (Endpoint endpoint : settings.endpoints) {
        Wrk.Result warmup = Wrk.run(settings, app.url(endpoint.path()), settings.warmupSeconds);
        check(arm, endpoint, warmup, "warm-up");
      }
      result.residentKib = app.residentKib();
      for (Endpoint endpoint : settings.endpoints) {
        Path recording = directory.resolve("logs").resolve("alloc-" + arm.name().toLowerCase(Locale.ROOT) + ".jfr");
        AllocationRecorder.start(app, allocationSettings, "bench", recording);
        long ticksBefore = app.cpuTicks();
        Wrk.Result load = Wrk.run(settings, app.url(endpoint.path()), settings.measureSeconds);
        long ticksAfter = app.cpuTicks();
        AllocationRecorder.stop(app, "bench");
        long allocated = AllocationRecorder.allocatedBytes(recording);
        Files.deleteIfExists(recording);
        check(arm, endpoint, load, "measured load");
        double cpuSeconds = (ticksAfter - ticksBefore) / (double) AppProcess.CLOCK_TICKS;
        result.endpoints.put(endpoint.name(), new RunResult.EndpointResult(
            load.requests(), load.requestsPerSecond(), load.p50Millis(), load.p99Millis(),
            load.requests() == 0 ? Double.NaN : cpuSeconds * 1000 / load.requests(),
            load.requests() == 0 ? Double.NaN : allocated / (double) load.requests()));
      }
      if (arm != Arm.NONE) {
        checkAgentWorks(arm, app, run);
      }
    }
    result.otlpRequests = sink.requests() - sinkRequests;
    result.otlpBytes = sink.bytes() - sinkBytes;
    if (arm != Arm.NONE && result.otlpRequests == 0) {
      warn(arm.label + ", run " + run + ": no spans reached the OTLP sink");
    }
    return result;
  }

  /**
   * The extra start-ups (Settings.startups), arms alternating as in the runs: each JVM is timed to
   * its first response and stopped.
   */
  private List<RunResult> startups(Settings settings, List<Arm> arms, OtlpSink sink, Path directory)
      throws IOException, InterruptedException {
    List<RunResult> results = new ArrayList<>();
    for (int round = 1; round <= settings.startups; round++) {
      for (int i = 0; i < arms.size(); i++) {
        Arm arm = arms.get((i + round - 1) % arms.size());
        Path log = directory.resolve("logs").resolve("startup" + round + "-" + arm.name().toLowerCase(Locale.ROOT) + ".log");
        RunResult result = new RunResult(arm, round);
        result.startupOnly = true;
        try (AppProcess app = AppProcess.start(settings, arm, sink.endpoint(), log)) {
          result.startupMillis = app.awaitFirstSuccess(settings.endpoints.get(0).path());
        }
        results.add(result);
        log(String.format(Locale.ROOT, "  start-up %d %-18s %6.0f ms", round, arm.label, result.startupMillis));
      }
    }
    return results;
  }

  /** A figure taken from errors is no figure: the endpoint must answer 2xx throughout. */
  private void check(Arm arm, Endpoint endpoint, Wrk.Result result, String phase) throws IOException {
    if (result.non2xx() > 0 || result.socketErrors() > 0 || result.requests() == 0) {
      String hint = endpoint.name().equals("redis")
          ? " (is Redis running on 127.0.0.1:6379? see DEMO_REDIS_HOST/DEMO_REDIS_PORT, or leave it out: --endpoints=hello,sql)"
          : "";
      throw new IOException(arm.label + ": " + endpoint.path() + " failed during " + phase + ": " + result.non2xx()
          + " non-2xx answers, " + result.socketErrors() + " socket errors of " + result.requests() + hint
          + "\n" + result.output());
    }
  }

  /** Each agent's metrics endpoint must show the requests it just measured. */
  private void checkAgentWorks(Arm arm, AppProcess app, int run) {
    String url = "http://127.0.0.1:" + app.metricsPort + "/metrics";
    try {
      AppProcess.Response metrics = AppProcess.get(url, 10_000);
      if (metrics.status() != 200 || !metrics.body().contains(Arm.EXPECTED_METRIC)) {
        warn(arm.label + ", run " + run + ": " + url + " answered " + metrics.status() + " without " + Arm.EXPECTED_METRIC);
      }
    } catch (IOException e) {
      warn(arm.label + ", run " + run + ": cannot scrape " + url + ": " + e);
    }
  }

  private void warn(String warning) {
    warnings.add(warning);
    log("benchmark: WARNING " + warning);
  }

  private static String summary(RunResult r) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  run %d %-18s start %6.0f ms  rss %4d MiB  live heap %5.1f MiB  spans %s",
        r.run, r.arm.label, r.startupMillis, r.residentKib / 1024, r.liveHeapKib / 1024.0,
        r.arm == Arm.NONE ? "-" : r.otlpRequests + " exports/" + r.otlpBytes / 1024 + " KiB"));
    r.endpoints.forEach((name, e) -> line.append(String.format(Locale.ROOT,
        "%n      %-6s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  cpu %.3f s/1k  alloc %6.1f KiB/req",
        name, e.requestsPerSecond(), e.p50Millis(), e.p99Millis(), e.cpuSecondsPer1000(), e.allocatedBytesPerRequest() / 1024)));
    return line.toString();
  }

  /** The first JVM to read a jar would pay for the disk; read them all once before the first run. */
  private static void warmPageCache(Settings settings) throws IOException {
    for (Path jar : new Path[] {settings.appJar, settings.obsAgentJar, settings.otelAgentJar}) {
      try (InputStream in = Files.newInputStream(jar)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
  }

  private static Map<String, String> context(Settings settings) {
    Map<String, String> context = new LinkedHashMap<>();
    context.put("date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
    context.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel() + "), "
        + memoryGib() + " GiB RAM");
    context.put("load average at the start (1, 5, 15 min)", loadAverage());
    context.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    context.put("settings", settings.describe());
    context.put("endpoints", String.join(", ", settings.endpoints.stream().map(e -> e.name() + " " + e.path()).toList()));
    return context;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memoryGib() {
    try {
      String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "");
      return Long.toString(Math.round(Long.parseLong(total) / (1024.0 * 1024.0)));
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = new String(Files.readAllBytes(Path.of("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void log(String line) {
    System.err.println(line);
  }
}
