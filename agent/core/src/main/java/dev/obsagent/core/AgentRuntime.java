package dev.obsagent.core;

import dev.obsagent.bootstrap.AgentThreads;
import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import dev.obsagent.core.install.InstrumentationInstaller;
import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.core.metrics.AgentMetrics;
import dev.obsagent.core.metrics.ExemplarSpanContext;
import dev.obsagent.core.metrics.JvmAndProcessMetrics;
import dev.obsagent.core.metrics.MetricsServer;
import dev.obsagent.core.tracing.TracingSetup;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.prometheus.metrics.core.util.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The running agent: configuration, metrics, tracing and the woven instrumentations, in the order
 * premain -> config -> telemetry -> install every instrumentation module.
 */
public final class AgentRuntime {

  /** What differs between a real start and the agent's own in-process tests. */
  public static final class Options {
    boolean registerShutdownHook = true;
    boolean attachedLate;
    SpanProcessor spanProcessor;

    public static Options production(boolean attachedLate) {
      Options options = new Options();
      options.attachedLate = attachedLate;
      return options;
    }

    /** No shutdown hook; spans go to the given processor. */
    public static Options inProcessTest(SpanProcessor spanProcessor) {
      Options options = new Options();
      options.registerShutdownHook = false;
      options.spanProcessor = spanProcessor;
      // Test classes may already be loaded when the agent goes in: retransform them.
      options.attachedLate = true;
      return options;
    }
  }

  private final PrometheusRegistry registry;
  private final AgentMetrics metrics;
  private final TracingSetup tracing;
  private volatile MetricsServer metricsServer;
  private final List<String> enabledModules;

  private AgentRuntime(
      PrometheusRegistry registry,
      AgentMetrics metrics,
      TracingSetup tracing,
      List<String> enabledModules) {
    this.registry = registry;
    this.metrics = metrics;
    this.tracing = tracing;
    this.enabledModules = enabledModules;
  }

  /**
   * JVM metrics and the side port: nothing the application's classes depend on, so a real start
   * runs this on a background thread and the application's main method need not wait for it.
   */
  public void startSideServices(AgentConfig config) {
    JvmAndProcessMetrics.register(registry);
    if (config.getBoolean(ConfigKeys.METRICS_ENABLED, true)) {
      String host = config.getString(ConfigKeys.METRICS_HOST, "0.0.0.0");
      int port = config.getInt(ConfigKeys.METRICS_PORT, 9464, 0, 65535);
      metricsServer = MetricsServer.start(config, host, port, registry, AgentLog.get());
    }
  }

  public static AgentRuntime start(AgentConfig config, Instrumentation instrumentation, Options options) {
    AgentLog log = AgentLog.get();
    long startNanos = System.nanoTime();
    String version = agentVersion();
    int maxSeries = config.getInt(ConfigKeys.METRICS_MAX_SERIES, 2000, 1, 1_000_000);
    PrometheusRegistry registry = new PrometheusRegistry();
    List<InstrumentationModule> modules = enabledModules(config, log);

    // Telemetry (the agent's metrics, the OpenTelemetry SDK and exporter, each module's recorders)
    // and the weaving transformer share nothing, and no application code runs before premain
    // returns: they are made side by side, on two cores where there are two, and premain waits
    // for both. Each is mostly class loading, a few hundred milliseconds of it.
    FutureTask<Telemetry> telemetry =
        new FutureTask<>(() -> startTelemetry(config, options, log, version, registry, maxSeries, modules));
    InstrumentationInstaller weaving = new InstrumentationInstaller(AgentRuntime.class.getClassLoader());
    AgentThreads.factory("obs-agent-start")
        .newThread(
            () -> {
              telemetry.run();
              // premain waits for the telemetry only: the warm-up goes on beside the
              // application's own start, until its first matched class. With every
              // instrumentation turned off nothing will be woven, and it would be wasted.
              if (!modules.isEmpty()) {
                weaving.warmUp();
              }
            })
        .start();
    weaving.install(instrumentation, modules, options.attachedLate);
    long weavingMillis = (System.nanoTime() - startNanos) / 1_000_000;
    Telemetry started;
    try {
      started = telemetry.get();
    } catch (InterruptedException | ExecutionException e) {
      // Woven code would call bridges that were never connected: take it out again.
      weaving.uninstall(instrumentation);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("telemetry could not start", e instanceof ExecutionException ? e.getCause() : e);
    }
    try {
      weaving.catchUpOnJdkTypes(instrumentation);
    } catch (UnmodifiableClassException | RuntimeException e) {
      log.warn("java.net.http calls will not be measured: " + e);
    }
    log.debug("start: weaving installed after " + weavingMillis + " ms, telemetry ready after "
        + (System.nanoTime() - startNanos) / 1_000_000 + " ms");

    List<String> names = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      names.add(module.name());
    }
    AgentRuntime runtime = new AgentRuntime(registry, started.metrics, started.tracing, names);
    if (options.registerShutdownHook) {
      Thread hook = new Thread(runtime::shutdown, "obs-agent-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return runtime;
  }

  /** What the start thread makes: the agent's metrics and the tracer provider. */
  private static final class Telemetry {
    final AgentMetrics metrics;
    final TracingSetup tracing;

    Telemetry(AgentMetrics metrics, TracingSetup tracing) {
      this.metrics = metrics;
      this.tracing = tracing;
    }
  }

  /**
   * The agent's metrics and the bridge's error counter, the tracer provider and exporter, the
   * info metrics, and every module's recorders.
   */
  private static Telemetry startTelemetry(
      AgentConfig config,
      Options options,
      AgentLog log,
      String version,
      PrometheusRegistry registry,
      int maxSeries,
      List<InstrumentationModule> modules) {
    startExemplarScheduler(log);
    AgentMetrics metrics = new AgentMetrics(registry, maxSeries);
    InstrumentationErrors.install(
        (instrumentationName, error) -> {
          metrics.recordInstrumentationError(instrumentationName);
          log.debug("suppressed an error in instrumentation " + instrumentationName, error);
        });
    Resource resource =
        TracingSetup.resource(config, ServiceNames.fromCommand(System.getProperty("sun.java.command")), version);
    TracingSetup tracing = TracingSetup.create(config, resource, log, metrics::recordSpansDropped, options.spanProcessor);
    SpanContextSupplier.setSpanContext(new ExemplarSpanContext());
    registerInfoMetrics(metrics, resource, version);
    AgentContext context = new AgentContext(config, metrics, tracing.openTelemetry(), version);
    for (InstrumentationModule module : modules) {
      module.start(context);
    }
    return new Telemetry(metrics, tracing);
  }

  /**
   * The Prometheus client's exemplar scheduler starts its one thread on first use, which would be
   * the first request of some web application: the thread would inherit that application's
   * class loader as its context loader and keep it for the life of the JVM, past undeploy.
   * Started here, it inherits the agent's start thread's loader instead.
   */
  private static void startExemplarScheduler(AgentLog log) {
    try {
      Scheduler.awaitInitialization();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while starting the exemplar scheduler");
    }
  }

  private static List<InstrumentationModule> enabledModules(AgentConfig config, AgentLog log) {
    List<InstrumentationModule> modules = new ArrayList<>();
    for (InstrumentationModule module :
        ServiceLoader.load(InstrumentationModule.class, AgentRuntime.class.getClassLoader())) {
      if (config.getBoolean(ConfigKeys.instrumentationEnabledKey(module.name()), true)) {
        modules.add(module);
      } else {
        log.debug("instrumentation " + module.name() + " is disabled by configuration");
      }
    }
    return modules;
  }

  private static void registerInfoMetrics(AgentMetrics metrics, Resource resource, String version) {
    Map<String, String> agentLabels = new LinkedHashMap<>();
    agentLabels.put("version", version);
    agentLabels.put("java_version", System.getProperty("java.version", "unknown"));
    metrics.info("obs_agent_info", "The obs-agent attached to this JVM.", agentLabels);

    Map<String, String> targetLabels = new LinkedHashMap<>();
    resource
        .getAttributes()
        .forEach((key, value) -> targetLabels.put(key.getKey().replace('.', '_').replace('-', '_'), String.valueOf(value)));
    metrics.info("target_info", "Resource attributes of this service (OpenTelemetry target_info).", targetLabels);
  }

  static String agentVersion() {
    try (InputStream in = AgentRuntime.class.getResourceAsStream("/dev/obsagent/core/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public TracingSetup tracing() {
    return tracing;
  }

  /** The side port actually bound, or -1 when there is none. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** {@code http} or {@code https} for the side port. */
  public String metricsScheme() {
    return metricsServer == null ? "http" : metricsServer.scheme();
  }

  public List<String> enabledModules() {
    return enabledModules;
  }

  /** Flushes spans and closes the side port; called from the JVM shutdown hook. */
  public void shutdown() {
    try {
      tracing.shutdown();
    } finally {
      if (metricsServer != null) {
        metricsServer.close();
      }
    }
  }
}
