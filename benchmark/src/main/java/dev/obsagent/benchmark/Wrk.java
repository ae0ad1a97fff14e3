package dev.obsagent.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk with a fixed load and reads what it printed. */
final class Wrk {

  /** What one wrk run measured. */
  record Result(long requests, double seconds, double requestsPerSecond, double p50Millis, double p99Millis,
      long non2xx, long socketErrors, String output) {}

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h)");
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  static Result run(Settings settings, String url, int seconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        "wrk", "-t" + settings.wrkThreads, "-c" + settings.wrkConnections, "-d" + seconds + "s",
        "--timeout", "10s", "--latency", url));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException("wrk exited with " + exit + ":\n" + output);
    }
    return parse(output);
  }

  static Result parse(String output) {
    Matcher requests = find(REQUESTS, output, "the request count");
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher percentile = PERCENTILE.matcher(output);
    while (percentile.find()) {
      double millis = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
      if (percentile.group(1).equals("50")) {
        p50 = millis;
      } else {
        p99 = millis;
      }
    }
    if (Double.isNaN(p50) || Double.isNaN(p99)) {
      throw new IllegalStateException("wrk printed no latency distribution (is --latency supported?):\n" + output);
    }
    long socketErrors = 0;
    Matcher errors = SOCKET_ERRORS.matcher(output);
    if (errors.find()) {
      for (int group = 1; group <= 4; group++) {
        socketErrors += Long.parseLong(errors.group(group));
      }
    }
    Matcher non2xx = NON_2XX.matcher(output);
    return new Result(
        Long.parseLong(requests.group(1)),
        millis(Double.parseDouble(requests.group(2)), requests.group(3)) / 1000,
        Double.parseDouble(find(RPS, output, "Requests/sec").group(1)),
        p50,
        p99,
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
        socketErrors,
        output);
  }

  private static Matcher find(Pattern pattern, String output, String what) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("cannot find " + what + " in wrk's output:\n" + output);
    }
    return matcher;
  }

  private static double millis(double value, String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "us": return value / 1000;
      case "ms": return value;
      case "s": return value * 1000;
      case "m": return value * 60_000;
      case "h": return value * 3_600_000;
      default: throw new IllegalArgumentException("unknown wrk unit " + unit);
    }
  }
}
