package dev.obsagent.core.tracing;

import dev.obsagent.core.logging.AgentLog;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One agent log line about failing span exports, not a flood: the first failure, then at most
 * one line per {@link #INTERVAL_MINUTES} minutes with the number of failures since. The relocated
 * OpenTelemetry SDK's own {@code java.util.logging} output, written through the application's
 * logging setup, is switched off: the agent's log says what matters.
 */
final class ExportFailureLog implements Runnable {

  static final long INTERVAL_MINUTES = 5;

  /** Held strongly: {@code java.util.logging} keeps loggers only weakly, and would forget the level. */
  private static Logger silencedExporterLogger;

  private final String target;
  private final AgentLog log;
  private final LongSupplier nanoClock;
  private final AtomicLong failuresSinceLine = new AtomicLong();
  private final AtomicLong nextLineNanos;

  ExportFailureLog(String target, AgentLog log, LongSupplier nanoClock) {
    this.target = target;
    this.log = log;
    this.nanoClock = nanoClock;
    this.nextLineNanos = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * In the agent jar OpenTelemetry is relocated under the agent's package, so its loggers are
   * the agent's own and silencing them leaves the application's OpenTelemetry (if any) alone.
   */
  static synchronized void silenceRelocatedOpenTelemetryLogging() {
    String sdkPackage = io.opentelemetry.sdk.trace.SdkTracerProvider.class.getPackage().getName();
    if (silencedExporterLogger == null && sdkPackage.startsWith("dev.obsagent.")) {
      Logger logger = Logger.getLogger(sdkPackage.substring(0, sdkPackage.length() - ".sdk.trace".length()));
      logger.setLevel(Level.OFF);
      silencedExporterLogger = logger;
    }
  }

  @Override
  public void run() {
    long failures = failuresSinceLine.incrementAndGet();
    long now = nanoClock.getAsLong();
    long next = nextLineNanos.get();
    if (now - next >= 0 && nextLineNanos.compareAndSet(next, now + TimeUnit.MINUTES.toNanos(INTERVAL_MINUTES))) {
      failuresSinceLine.addAndGet(-failures);
      log.warn("span export to " + target + " failed" + (failures > 1 ? " " + failures + " times" : "")
          + "; the spans are dropped and counted in obs_agent_spans_dropped_total, the application is"
          + " unaffected (next report in " + INTERVAL_MINUTES + " minutes at the earliest)");
    }
  }
}
