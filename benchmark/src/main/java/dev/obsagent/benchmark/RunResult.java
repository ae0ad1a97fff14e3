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
  double startupMillis;
  long residentKib;
  long otlpRequests;
  long otlpBytes;
  final Map<String, EndpointResult> endpoints = new LinkedHashMap<>();

  RunResult(Arm arm, int run) {
    this.arm = arm;
    this.run = run;
  }

  static String csvHeader() {
    return "arm,run,startup_ms,rss_kib,otlp_requests,otlp_bytes,endpoint,requests,requests_per_s,p50_ms,p99_ms,"
        + "cpu_s_per_1000,alloc_bytes_per_request";
  }

  /** One line per endpoint; the run's own figures repeat on each. */
  String csvLines() {
    StringBuilder lines = new StringBuilder();
    endpoints.forEach((name, e) -> lines.append(String.join(",",
        arm.name().toLowerCase(), Integer.toString(run), fmt(startupMillis), Long.toString(residentKib),
        Long.toString(otlpRequests), Long.toString(otlpBytes), name, Long.toString(e.requests()),
        fmt(e.requestsPerSecond()), fmt(e.p50Millis()), fmt(e.p99Millis()), fmt(e.cpuSecondsPer1000()),
        fmt(e.allocatedBytesPerRequest()))).append('\n'));
    return lines.toString();
  }

  private static String fmt(double value) {
    return String.format(java.util.Locale.ROOT, "%.4f", value);
  }
}
