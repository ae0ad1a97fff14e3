package dev.obsagent.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where obs-agent spends on the per-request path: one extra obs-agent run with JFR allocation
 * samples ({@code jdk.ObjectAllocationSample}, weighted by the bytes each sample stands for) and
 * CPU samples ({@code jdk.ExecutionSample}, every 10 ms) while each endpoint is under load. A
 * sample counts for the agent when a frame of the agent's packages (its own code and the
 * libraries it shades under {@code dev.obsagent.shaded}) is on the stack; it is charged to the topmost such frame. Code that advice
 * weaves into a library method runs in that method's frame, so it shows under the library's name,
 * with the bridge call it makes above it.
 */
final class Profiler {

  static final String SETTINGS = """
      <?xml version="1.0" encoding="UTF-8"?>
      <configuration version="2.0" label="obs-agent benchmark: hot spots">
        <event name="jdk.ObjectAllocationSample">
          <setting name="enabled">true</setting>
          <setting name="throttle">5000/s</setting>
          <setting name="stackTrace">true</setting>
        </event>
        <event name="jdk.ExecutionSample">
          <setting name="enabled">true</setting>
          <setting name="period">10 ms</setting>
        </event>
      </configuration>
      """;

  private static final String AGENT_PACKAGE = "dev.obsagent.";
  /** The agent's packages; the demo app shares the dev.obsagent prefix and is not among them. */
  private static final List<String> AGENT_PACKAGES = List.of(
      "dev.obsagent.bootstrap.", "dev.obsagent.launcher.", "dev.obsagent.core.", "dev.obsagent.instrumentation.",
      "dev.obsagent.shaded.");
  private static final int TOP = 15;

  private final Map<String, Double> allocationByAgentFrame = new HashMap<>();
  private final Map<String, Double> allocationSites = new HashMap<>();
  private final Map<String, Double> cpuByAgentFrame = new HashMap<>();
  private final Map<String, Double> cpuSelf = new HashMap<>();
  private double allocationTotal;
  private double allocationAgent;
  private double cpuTotal;
  private double cpuAgent;

  /** Runs obs-agent once under profiling and writes profile.md; returns its text. */
  static String run(Settings settings, OtlpSink sink, Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path jfc = directory.resolve("profile.jfc");
    Files.writeString(jfc, SETTINGS);
    Settings profiled = settings.copyWithAppOption("-XX:FlightRecorderOptions:stackdepth=256");
    Profiler profiler = new Profiler();
    try (AppProcess app = AppProcess.start(profiled, Arm.OBS, sink.endpoint(), directory.resolve("profile-app.log"))) {
      app.awaitFirstSuccess(settings.endpoints.get(0).path());
      for (Endpoint endpoint : settings.endpoints) {
        Wrk.run(settings, app.url(endpoint.path()), settings.warmupSeconds);
      }
      for (Endpoint endpoint : settings.endpoints) {
        Path recording = directory.resolve("profile-" + endpoint.name() + ".jfr");
        Files.deleteIfExists(recording);
        app.jcmd("JFR.start", "name=profile", "settings=" + jfc.toAbsolutePath(), "filename=" + recording.toAbsolutePath());
        Wrk.run(settings, app.url(endpoint.path()), settings.measureSeconds);
        app.jcmd("JFR.stop", "name=profile");
        profiler.read(recording);
      }
    }
    String md = profiler.markdown(settings);
    Files.writeString(directory.resolve("profile.md"), md);
    return md;
  }

  private void read(Path recording) throws IOException {
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      String type = event.getEventType().getName();
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null) {
        continue;
      }
      List<RecordedFrame> frames = stack.getFrames();
      RecordedFrame agentFrame = frames.stream().filter(f -> f.isJavaFrame() && isAgent(typeName(f)))
          .findFirst().orElse(null);
      if (type.equals("jdk.ObjectAllocationSample")) {
        double weight = event.getLong("weight");
        allocationTotal += weight;
        if (agentFrame != null) {
          allocationAgent += weight;
          allocationByAgentFrame.merge(name(agentFrame), weight, Double::sum);
          String objectClass = event.getClass("objectClass").getName();
          allocationSites.merge(objectClass + " in " + name(frames.get(0)) + ", under " + name(agentFrame), weight, Double::sum);
        }
      } else if (type.equals("jdk.ExecutionSample")) {
        cpuTotal++;
        if (agentFrame != null) {
          cpuAgent++;
          cpuByAgentFrame.merge(name(agentFrame), 1.0, Double::sum);
          cpuSelf.merge(name(frames.get(0)), 1.0, Double::sum);
        }
      }
    }
  }

  private String markdown(Settings settings) {
    StringBuilder md = new StringBuilder("# obs-agent hot spots (JFR)\n\n");
    md.append("One obs-agent run, every endpoint (")
        .append(String.join(", ", settings.endpoints.stream().map(Endpoint::path).toList()))
        .append(") under the same load as the benchmark, ").append(settings.measureSeconds).append(" s each.\n\n");
    md.append(String.format(Locale.ROOT, "- allocation under obs-agent frames: %.1f%% of %.1f MiB sampled%n",
        percent(allocationAgent, allocationTotal), allocationTotal / (1024 * 1024)));
    md.append(String.format(Locale.ROOT, "- CPU samples with an obs-agent frame: %.1f%% of %.0f%n%n",
        percent(cpuAgent, cpuTotal), cpuTotal));
    section(md, "Allocation by topmost obs-agent frame", allocationByAgentFrame, allocationAgent, true);
    section(md, "Allocation sites under obs-agent frames (class allocated, where)", allocationSites, allocationAgent, true);
    section(md, "CPU samples by topmost obs-agent frame", cpuByAgentFrame, cpuAgent, false);
    section(md, "CPU samples under obs-agent frames, by the frame on top (self time)", cpuSelf, cpuAgent, false);
    return md.toString();
  }

  private static void section(StringBuilder md, String title, Map<String, Double> counts, double total, boolean bytes) {
    md.append("## ").append(title).append("\n\n| share | ").append(bytes ? "MiB" : "samples").append(" | frame |\n|---:|---:|---|\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(TOP)
        .forEach(e -> md.append(String.format(Locale.ROOT, "| %.1f%% | %s | `%s` |%n", percent(e.getValue(), total),
            bytes ? String.format(Locale.ROOT, "%.1f", e.getValue() / (1024 * 1024)) : String.format(Locale.ROOT, "%.0f", e.getValue()),
            e.getKey())));
    md.append('\n');
  }

  private static double percent(double part, double total) {
    return total == 0 ? 0 : part * 100 / total;
  }

  private static boolean isAgent(String type) {
    for (String prefix : AGENT_PACKAGES) {
      if (type.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String typeName(RecordedFrame frame) {
    return frame.getMethod().getType().getName();
  }

  private static String name(RecordedFrame frame) {
    String type = typeName(frame);
    if (type.startsWith(AGENT_PACKAGE)) {
      type = type.substring(AGENT_PACKAGE.length());
    }
    return type + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
  }
}
