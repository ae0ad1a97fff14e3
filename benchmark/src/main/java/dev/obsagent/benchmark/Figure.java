package dev.obsagent.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the report: how to read it from a run, its unit, which way is better, and the share
 * of the OpenTelemetry agent's overhead that issue 7 allows obs-agent (null: no target).
 */
record Figure(String key, String label, String unit, boolean lowerIsBetter, Double target,
    ToDoubleFunction<RunResult> value) {

  static final String STARTUP = "startup";

  static List<Figure> all(Settings settings) {
    List<Figure> figures = new ArrayList<>();
    figures.add(new Figure(STARTUP, "Start to first response", "ms", true, 0.10, r -> r.startupMillis));
    figures.add(new Figure("rss", "Resident memory after warm-up", "MiB", true, 0.25, r -> r.residentKib / 1024.0));
    // The heap is fixed and pre-touched (Settings.heap), so resident memory leaves out the
    // agent's objects on the heap; they are here, under the same target.
    figures.add(new Figure("heap", "Live heap after start (full GC)", "MiB", true, 0.25,
        r -> r.liveHeapKib < 0 ? Double.NaN : r.liveHeapKib / 1024.0));
    // No agent has no jar: the overhead is the jar's size, and the target is a quarter of the OTel agent's.
    figures.add(new Figure("jar", "Agent jar size", "MiB", true, 0.25, r -> jarMib(settings, r.arm)));
    for (Endpoint endpoint : settings.endpoints) {
      String n = endpoint.name();
      String where = n + " " + endpoint.path();
      figures.add(new Figure(n + ".rps", "Throughput, " + where, "req/s", false, null,
          r -> r.endpoints.get(n).requestsPerSecond()));
      figures.add(new Figure(n + ".p50", "p50 latency, " + where, "ms", true, null, r -> r.endpoints.get(n).p50Millis()));
      figures.add(new Figure(n + ".p99", "p99 latency, " + where, "ms", true, null, r -> r.endpoints.get(n).p99Millis()));
      figures.add(new Figure(n + ".cpu", "CPU per 1,000 requests, " + where, "CPU s", true, 1.0 / 3,
          r -> r.endpoints.get(n).cpuSecondsPer1000()));
      figures.add(new Figure(n + ".alloc", "Allocated per request, " + where, "KiB", true, 1.0 / 3,
          r -> r.endpoints.get(n).allocatedBytesPerRequest() / 1024));
    }
    return figures;
  }

  private static double jarMib(Settings settings, Arm arm) {
    Path jar = arm.jar(settings);
    try {
      return jar == null ? 0 : Files.size(jar) / (1024.0 * 1024.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
