package dev.obsagent.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What one benchmark invocation does: the mode's defaults, then command-line overrides. */
final class Settings {

  String mode = "quick";
  /** Runs of each arm; every figure is the median over them. */
  int runs = 3;
  /** Load before measuring, per endpoint, so that the JIT and the caches have settled. */
  int warmupSeconds = 3;
  /** Measured load per endpoint. */
  int measureSeconds = 5;
  /**
   * Start-ups per arm beyond the runs, timed to the first response and stopped there: start-up
   * is the noisiest figure (a few hundred ms from run to run) and the cheapest to repeat.
   */
  int startups = 2;
  /** wrk's fixed load: threads and open connections (closed loop: each waits for its answer). */
  int wrkThreads = 1;
  int wrkConnections = 8;
  /**
   * The app's heap, the same in every arm: fixed in size and touched in full at start, so that
   * resident memory does not follow how far G1 grows the heap for each arm's throughput.
   */
  String heap = "512m";
  /** Only redraw the table and chart of an earlier run from its raw.csv (and its results.md header). */
  Path replot;
  /** Also profile obs-agent with JFR (allocation and CPU samples) and list its hot spots. */
  boolean profile = false;
  /** Only the profile, no benchmark runs. */
  boolean profileOnly = false;

  Set<Arm> arms = EnumSet.allOf(Arm.class);
  List<Endpoint> endpoints = Endpoint.defaults();
  /** Extra JVM options for the app in every arm (e.g. where a fake LLM server listens). */
  List<String> appOptions = new ArrayList<>();

  Path appJar;
  Path obsAgentJar;
  Path otelAgentJar;
  Path resultsRoot;

  static Settings parse(String[] args) {
    Settings settings = new Settings();
    List<Endpoint> extraEndpoints = new ArrayList<>();
    List<Endpoint> onlyEndpoints = null;
    // The mode sets the defaults; the options below override them wherever they stand.
    if (List.of(args).contains("--full")) {
      settings.full();
    }
    for (String arg : args) {
      switch (arg) {
        case "--quick":
        case "--full":
          break;
        case "--profile":
          settings.profile = true;
          break;
        case "--profile-only":
          settings.profile = true;
          settings.profileOnly = true;
          break;
        default:
          int eq = arg.indexOf('=');
          if (!arg.startsWith("--") || eq < 0) {
            throw new IllegalArgumentException("unknown argument: " + arg);
          }
          String key = arg.substring(2, eq);
          String value = arg.substring(eq + 1);
          switch (key) {
            case "runs": settings.runs = positive(key, value); break;
            case "warmup-seconds": settings.warmupSeconds = positive(key, value); break;
            case "measure-seconds": settings.measureSeconds = positive(key, value); break;
            case "startups": settings.startups = zeroOrMore(key, value); break;
            case "threads": settings.wrkThreads = positive(key, value); break;
            case "connections": settings.wrkConnections = positive(key, value); break;
            case "heap": settings.heap = heapSize(value); break;
            case "endpoint": extraEndpoints.add(Endpoint.parse(value)); break;
            case "endpoints":
              onlyEndpoints = new ArrayList<>();
              for (String name : value.split(",")) {
                onlyEndpoints.add(settings.endpointNamed(name.trim(), extraEndpoints));
              }
              break;
            case "arms":
              settings.arms = EnumSet.noneOf(Arm.class);
              for (String name : value.split(",")) {
                settings.arms.add(Arm.valueOf(name.trim().toUpperCase()));
              }
              settings.arms.add(Arm.NONE); // every figure is relative to it
              break;
            case "app-option": settings.appOptions.add(value); break;
            case "app-jar": settings.appJar = Path.of(value); break;
            case "obs-agent-jar": settings.obsAgentJar = Path.of(value); break;
            case "otel-agent-jar": settings.otelAgentJar = Path.of(value); break;
            case "results": settings.resultsRoot = Path.of(value); break;
            case "replot": settings.replot = Path.of(value); break;
            default: throw new IllegalArgumentException("unknown option: --" + key);
          }
      }
    }
    settings.endpoints.addAll(extraEndpoints);
    if (onlyEndpoints != null) {
      settings.endpoints = onlyEndpoints;
    }
    for (String name : List.of("app-jar", "obs-agent-jar", "otel-agent-jar", "results")) {
      if (settings.path(name) == null) {
        throw new IllegalArgumentException("--" + name + "= is required (benchmark/run.sh passes it)");
      }
    }
    return settings;
  }

  /** These settings with one more JVM option for the app. */
  Settings copyWithAppOption(String option) {
    Settings copy = new Settings();
    copy.mode = mode;
    copy.runs = runs;
    copy.warmupSeconds = warmupSeconds;
    copy.measureSeconds = measureSeconds;
    copy.startups = startups;
    copy.wrkThreads = wrkThreads;
    copy.wrkConnections = wrkConnections;
    copy.heap = heap;
    copy.profile = profile;
    copy.profileOnly = profileOnly;
    copy.arms = arms;
    copy.endpoints = endpoints;
    copy.appOptions = new ArrayList<>(appOptions);
    copy.appOptions.add(option);
    copy.appJar = appJar;
    copy.obsAgentJar = obsAgentJar;
    copy.otelAgentJar = otelAgentJar;
    copy.resultsRoot = resultsRoot;
    copy.replot = replot;
    return copy;
  }

  /** Fits in 10 minutes with the build on a 2-core machine: proves the harness, figures are rough. */
  private void quick() {
    mode = "quick";
    runs = 3;
    warmupSeconds = 3;
    measureSeconds = 5;
    startups = 2;
  }

  /** For figures worth publishing: about 35 minutes, on a machine doing nothing else. */
  private void full() {
    mode = "full";
    runs = 5;
    warmupSeconds = 15;
    measureSeconds = 20;
    startups = 10;
  }

  private Endpoint endpointNamed(String name, List<Endpoint> extra) {
    for (Endpoint endpoint : endpoints) {
      if (endpoint.name().equals(name)) {
        return endpoint;
      }
    }
    for (Endpoint endpoint : extra) {
      if (endpoint.name().equals(name)) {
        return endpoint;
      }
    }
    throw new IllegalArgumentException("no endpoint named " + name + " (give it first with --endpoint " + name + "=/path)");
  }

  private Path path(String name) {
    switch (name) {
      case "app-jar": return appJar;
      case "obs-agent-jar": return obsAgentJar;
      case "otel-agent-jar": return otelAgentJar;
      default: return resultsRoot;
    }
  }

  /** The JVM options that fix the heap at {@link #heap}. */
  List<String> heapOptions() {
    return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch");
  }

  private static String heapSize(String value) {
    if (!value.matches("[0-9]+[kKmMgG]?")) {
      throw new IllegalArgumentException("--heap takes a size such as 512m (it sets -Xms and -Xmx): " + value);
    }
    return value;
  }

  private static int zeroOrMore(String key, String value) {
    int n = Integer.parseInt(value);
    if (n < 0) {
      throw new IllegalArgumentException("--" + key + " must not be negative: " + value);
    }
    return n;
  }

  private static int positive(String key, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException("--" + key + " must be positive: " + value);
    }
    return n;
  }

  String describe() {
    return mode + ": " + runs + " runs per arm, arms alternating, and " + startups + " start-ups more per arm; per endpoint " + warmupSeconds + " s warm-up then "
        + measureSeconds + " s measured; wrk -t" + wrkThreads + " -c" + wrkConnections + "; app heap " + heap + " fixed (-Xms = -Xmx) and pre-touched";
  }
}
