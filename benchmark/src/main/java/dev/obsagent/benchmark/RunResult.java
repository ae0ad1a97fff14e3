package dev.obsagent.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one run of one arm measured. */
final class RunResult {

  /** One endpoint under the measured load. */
  record EndpointResult(long requests, double requestsPerSecond, double p50Millis, double p99Millis,
      double cpuSecondsPer1000, double allocatedBytesPerRequest) {}

  final Arm arm;
  final int run;
  /** Timed to the first response only (see Settings.startups): no other figure comes from it. */
  boolean startupOnly;
  double startupMillis;
  long residentKib;
  /** Java heap after a full GC right after the first response; -1 where an older raw.csv has no column for it. */
  long liveHeapKib = -1;
  long otlpRequests;
  long otlpBytes;
  final Map<String, EndpointResult> endpoints = new LinkedHashMap<>();

  RunResult(Arm arm, int run) {
    this.arm = arm;
    this.run = run;
  }

  private static final String STARTUP_ONLY = "-";

  static String csvHeader() {
    return "arm,run,startup_ms,rss_kib,otlp_requests,otlp_bytes,endpoint,requests,requests_per_s,p50_ms,p99_ms,"
        + "cpu_s_per_1000,alloc_bytes_per_request,heap_live_kib";
  }

  /** One line per endpoint; the run's own figures repeat on each. A start-up alone: endpoint "-". */
  String csvLines() {
    StringBuilder lines = new StringBuilder();
    if (startupOnly) {
      return String.join(",", arm.name().toLowerCase(), Integer.toString(run), fmt(startupMillis),
          "0,0,0", STARTUP_ONLY, "0,0,0,0,0,0,0,-1") + '\n';
    }
    endpoints.forEach((name, e) -> lines.append(String.join(",",
        arm.name().toLowerCase(), Integer.toString(run), fmt(startupMillis), Long.toString(residentKib),
        Long.toString(otlpRequests), Long.toString(otlpBytes), name, Long.toString(e.requests()),
        fmt(e.requestsPerSecond()), fmt(e.p50Millis()), fmt(e.p99Millis()), fmt(e.cpuSecondsPer1000()),
        fmt(e.allocatedBytesPerRequest()), Long.toString(liveHeapKib))).append('\n'));
    return lines.toString();
  }

  /** Reads back what {@link #csvLines} wrote (for --replot). */
  static java.util.List<RunResult> fromCsv(java.util.List<String> lines) {
    Map<String, RunResult> runs = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      RunResult r = runs.computeIfAbsent(f[0] + "," + f[1] + (f[6].equals(STARTUP_ONLY) ? ",start-up" : ""),
          k -> new RunResult(Arm.valueOf(f[0].toUpperCase(java.util.Locale.ROOT)), Integer.parseInt(f[1])));
      r.startupMillis = Double.parseDouble(f[2]);
      r.residentKib = Long.parseLong(f[3]);
      r.otlpRequests = Long.parseLong(f[4]);
      r.otlpBytes = Long.parseLong(f[5]);
      if (f[6].equals(STARTUP_ONLY)) {
        r.startupOnly = true;
        continue;
      }
      r.endpoints.put(f[6], new EndpointResult(Long.parseLong(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
          Double.parseDouble(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12])));
      r.liveHeapKib = f.length > 13 ? Long.parseLong(f[13]) : -1;
    }
    return new java.util.ArrayList<>(runs.values());
  }

  private static String fmt(double value) {
    return String.format(java.util.Locale.ROOT, "%.4f", value);
  }
}
