package dev.obsagent.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo app in one JVM, started for one run of one arm, and what /proc says about it. */
final class AppProcess implements AutoCloseable {

  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(180);

  /** The heap's line of GC.heap_info, e.g. "garbage-first heap   total 524288K, used 21305K [...". */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  /** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
  static final long CLOCK_TICKS = clockTicks();

  final int port;
  final int metricsPort;
  final Path log;
  private final Process process;
  private final long startNanos;

  private AppProcess(Process process, long startNanos, int port, int metricsPort, Path log) {
    this.process = process;
    this.startNanos = startNanos;
    this.port = port;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  static AppProcess start(Settings settings, Arm arm, String otlpEndpoint, Path log) throws IOException {
    int port = freePort();
    int metricsPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.heapOptions());
    command.addAll(arm.agentOptions(settings, otlpEndpoint, metricsPort));
    command.addAll(settings.appOptions);
    command.add("-Ddemo.port=" + port);
    command.add("-jar");
    command.add(settings.appJar.toString());
    Files.createDirectories(log.getParent());
    Files.writeString(log, String.join(" ", command) + "\n\n");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long startNanos = System.nanoTime();
    Process process = builder.start();
    return new AppProcess(process, startNanos, port, metricsPort, log);
  }

  long pid() {
    return process.pid();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /**
   * Milliseconds from the JVM's launch to the first 200 from {@code path}, polled every 10 ms:
   * the start-up cost a user sees, agent premain and class transformation included.
   */
  double awaitFirstSuccess(String path) throws IOException, InterruptedException {
    while (System.nanoTime() - startNanos < START_TIMEOUT_NANOS) {
      if (!process.isAlive()) {
        throw new IOException("the app exited during start-up with " + process.exitValue() + "; see " + log);
      }
      try {
        if (get(url(path), 5000).status() == 200) {
          return (System.nanoTime() - startNanos) / 1e6;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IOException("no 200 from " + path + " within " + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NANOS) + " s; see " + log);
  }

  /**
   * Resident memory now, in KiB (VmRSS: heap and off-heap pages the process has touched). The
   * heap is pre-touched in full, so its share is the same in every arm.
   */
  long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid() + "/status");
  }

  /**
   * The Java heap's live objects, in KiB: a full GC, then what the heap still holds. With the heap
   * fixed and pre-touched, resident memory cannot show an agent's objects; this does.
   */
  long liveHeapKibAfterFullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher used = HEAP_USED.matcher(info);
    if (!used.find()) {
      throw new IOException("no heap total and used in jcmd GC.heap_info:\n" + info);
    }
    return Long.parseLong(used.group(1));
  }

  /** User plus system CPU time of every thread of the process so far, in clock ticks. */
  long cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** Runs {@code jcmd <pid> <arguments>}; throws unless it succeeds. */
  String jcmd(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(pid()));
    command.addAll(List.of(arguments));
    Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (jcmd.waitFor() != 0 || output.contains("Exception") || output.contains("Could not")) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  /** Stops the JVM and waits for it. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /** A status and body. */
  record Response(int status, String body) {}

  static Response get(String url, int readTimeoutMillis) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setConnectTimeout(200);
    connection.setReadTimeout(readTimeoutMillis);
    try {
      int status = connection.getResponseCode();
      InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, text);
    } finally {
      connection.disconnect();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      getconf.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // the Linux default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
