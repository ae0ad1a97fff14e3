package dev.obsagent.core;

import dev.obsagent.core.config.AgentConfig;
import dev.obsagent.core.config.ConfigKeys;
import dev.obsagent.core.logging.AgentLog;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Called by the launcher, inside the agent's own class loader. Reads the configuration, puts the
 * bridge on the bootstrap class path, starts the runtime and logs one start-up line. Anything
 * that goes wrong is logged and the application starts without the agent.
 */
public final class AgentStarter {

  private AgentStarter() {}

  public static void start(
      Instrumentation instrumentation, String agentArgs, File agentJar, boolean attachedLate, long startNanos) {
    AgentConfig config = AgentConfig.load(agentArgs, System.getProperties(), System.getenv());
    AgentLog log = configureLog(config);
    try {
      if (!config.getBoolean(ConfigKeys.ENABLED, true)) {
        log.debug("disabled by obs.enabled=false");
        return;
      }
      // The bridge (dev.obsagent.bootstrap.*) must be visible from every class loader.
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar, false));
      AgentRuntime runtime =
          AgentRuntime.start(config, instrumentation, AgentRuntime.Options.production(attachedLate));
      long blockingMillis = (System.nanoTime() - startNanos) / 1_000_000;
      Thread sideServices =
          new Thread(
              () -> {
                try {
                  runtime.startSideServices(config);
                  config.checkForUnknownKeys();
                  config.drainWarnings(log::warn);
                  long totalMillis = (System.nanoTime() - startNanos) / 1_000_000;
                  log.info(startLine(runtime, config, blockingMillis, totalMillis));
                } catch (Throwable t) {
                  log.error("the agent's metrics endpoint could not start: " + t);
                }
              },
              "obs-agent-init");
      sideServices.setDaemon(true);
      sideServices.start();
    } catch (Throwable t) {
      config.drainWarnings(log::warn);
      log.error("the agent could not start, the application runs without it: " + t);
      log.debug("start failure", t);
    }
  }

  private static AgentLog configureLog(AgentConfig config) {
    String level = config.getString(ConfigKeys.LOG_LEVEL, "info");
    AgentLog.Level threshold;
    try {
      threshold = AgentLog.Level.parse(level);
    } catch (IllegalArgumentException e) {
      config.warnBadValue(ConfigKeys.LOG_LEVEL, level, "expected off, warn, info or debug", "info");
      threshold = AgentLog.Level.INFO;
    }
    AgentLog log = new AgentLog(threshold, System.err);
    AgentLog.set(log);
    return log;
  }

  private static String startLine(AgentRuntime runtime, AgentConfig config, long blockingMillis, long totalMillis) {
    String metrics =
        runtime.metricsPort() < 0
            ? "off"
            : runtime.metricsScheme() + "://" + config.getString(ConfigKeys.METRICS_HOST, "0.0.0.0") + ":"
                + runtime.metricsPort() + "/metrics";
    return "obs-agent " + AgentRuntime.agentVersion()
        + " started in " + blockingMillis + " ms (" + totalMillis + " ms with the side port)"
        + "; metrics: " + metrics
        + "; traces: " + runtime.tracing().exportTarget()
        + "; instrumentations: " + String.join(", ", runtime.enabledModules());
  }
}
