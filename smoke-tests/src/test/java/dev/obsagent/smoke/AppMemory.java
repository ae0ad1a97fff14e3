package dev.obsagent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.testing.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The memory of an app under test, as an operator would read it: heap in use right after a full
 * GC that {@code jcmd <pid> GC.run} forces, read from the agent's own
 * {@code jvm_memory_used_bytes{area="heap"}}, and the resident set size from
 * {@code /proc/<pid>/status}.
 */
final class AppMemory {

  private AppMemory() {}

  /** Forces a full GC in the app, then reads its heap in use, in bytes. */
  static long heapAfterGc(AppProcess app) {
    runJcmd(app, "GC.run");
    Scrape scrape = app.scrape();
    return (long) scrape.find("jvm_memory_used_bytes", Map.of("area", "heap")).stream().mapToDouble(s -> s.value).sum();
  }

  /** {@code VmRSS} of the app, in bytes. */
  static long residentBytes(AppProcess app) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + app.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no VmRSS for " + app);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static void runJcmd(AppProcess app, String command) {
    Path jcmd = JavaRuntime.current().tool("jcmd");
    try {
      Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(app.pid()), command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("jcmd " + command + " did not finish");
      }
      assertEquals(0, process.exitValue(), "jcmd " + app.pid() + " " + command + ": " + output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
