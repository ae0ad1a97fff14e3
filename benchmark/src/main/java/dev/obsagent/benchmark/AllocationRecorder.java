package dev.obsagent.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Bytes the app allocates while one endpoint is under load, from JFR's
 * {@code jdk.ThreadAllocationStatistics}: per Java thread, the exact number of bytes it has
 * allocated since it started (the same counter as {@code ThreadMXBean.getThreadAllocatedBytes}),
 * written when a recording starts and when it stops. Summing, per thread, the stop value minus
 * the start value gives every byte allocated in between, agent threads (span export, metrics)
 * included, with no sampling error. The recording is started with {@code jcmd} after start-up
 * and warm-up, so start time and memory are measured without JFR; it enables this one event
 * only, which costs next to nothing.
 *
 * <p>Not counted: JFR's own threads and the attach listener serving {@code jcmd}, and threads
 * that end while the load runs (their last value is never written); the app's threads are
 * pooled and outlive the run.
 */
final class AllocationRecorder {

  static final String SETTINGS = """
      <?xml version="1.0" encoding="UTF-8"?>
      <configuration version="2.0" label="obs-agent benchmark: allocated bytes per thread">
        <event name="jdk.ThreadAllocationStatistics">
          <setting name="enabled">true</setting>
          <setting name="period">everyChunk</setting>
        </event>
      </configuration>
      """;

  private AllocationRecorder() {}

  /** Writes the settings file that {@code JFR.start settings=...} reads. */
  static Path writeSettings(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve("allocation.jfc");
    Files.writeString(file, SETTINGS);
    return file;
  }

  /**
   * A recording of no events, left running until the app stops: JFR's own start, with its cost,
   * is then behind the app before the warm-up ends (see BenchmarkMain.runOnce).
   */
  static void startIdleRecording(AppProcess app) throws IOException, InterruptedException {
    app.jcmd("JFR.start", "name=idle", "settings=none");
  }

  static void start(AppProcess app, Path settings, String name, Path recording) throws IOException, InterruptedException {
    Files.deleteIfExists(recording);
    app.jcmd("JFR.start", "name=" + name, "settings=" + settings.toAbsolutePath(), "filename=" + recording.toAbsolutePath());
  }

  static void stop(AppProcess app, String name) throws IOException, InterruptedException {
    app.jcmd("JFR.stop", "name=" + name);
  }

  /** Bytes allocated between the recording's start and stop, by all threads but JFR's own. */
  static long allocatedBytes(Path recording) throws IOException {
    List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
    Instant first = null;
    Instant last = null;
    for (RecordedEvent event : events) {
      if (event.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
        first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
        last = last == null || event.getStartTime().isAfter(last) ? event.getStartTime() : last;
      }
    }
    if (first == null || first.equals(last)) {
      throw new IOException("expected allocation statistics at the start and the end of " + recording);
    }
    Instant middle = first.plusMillis((last.toEpochMilli() - first.toEpochMilli()) / 2);
    Map<Long, long[]> byThread = new HashMap<>(); // thread id -> {value at start, value at stop}, -1 if absent
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
        continue;
      }
      RecordedThread thread = event.getThread("thread");
      if (thread == null || ignored(thread.getJavaName())) {
        continue;
      }
      long[] values = byThread.computeIfAbsent(thread.getJavaThreadId(), id -> new long[] {-1, -1});
      int slot = event.getStartTime().isBefore(middle) ? 0 : 1;
      values[slot] = Math.max(values[slot], event.getLong("allocated"));
    }
    long total = 0;
    for (long[] values : byThread.values()) {
      if (values[1] < 0) {
        continue; // ended during the load: its allocations since the start are not known
      }
      total += values[1] - Math.max(values[0], 0); // started during the load: all of it counts
    }
    return total;
  }

  private static boolean ignored(String threadName) {
    return threadName == null || threadName.startsWith("JFR ") || threadName.equals("Attach Listener");
  }
}
