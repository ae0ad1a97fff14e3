package dev.obsagent.core.logging;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The agent's own log: one line per event on standard error, prefixed {@code [obs-agent]}.
 *
 * <p>Deliberately not a logging framework: the agent must not touch the application's logging
 * setup, and must log before anything else is ready.
 */
public final class AgentLog {

  /** Levels in increasing verbosity; a message shows when its level is at or below the threshold. */
  public enum Level {
    OFF,
    ERROR,
    WARN,
    INFO,
    DEBUG;

    /** Parses a user-facing level name ({@code off}, {@code warn}, {@code info}, {@code debug}). */
    public static Level parse(String name) {
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "off":
          return OFF;
        case "error":
          return ERROR;
        case "warn":
          return WARN;
        case "info":
          return INFO;
        case "debug":
          return DEBUG;
        default:
          throw new IllegalArgumentException(name);
      }
    }
  }

  private static volatile AgentLog instance = new AgentLog(Level.INFO, System.err);

  private final Level threshold;
  private final PrintStream out;

  public AgentLog(Level threshold, PrintStream out) {
    this.threshold = threshold;
    this.out = out;
  }

  public static AgentLog get() {
    return instance;
  }

  public static void set(AgentLog log) {
    instance = log;
  }

  public boolean isEnabled(Level level) {
    return level != Level.OFF && level.ordinal() <= threshold.ordinal();
  }

  public void error(String message) {
    log(Level.ERROR, message);
  }

  public void warn(String message) {
    log(Level.WARN, message);
  }

  public void info(String message) {
    log(Level.INFO, message);
  }

  public void debug(String message) {
    log(Level.DEBUG, message);
  }

  public void debug(String message, Throwable error) {
    if (isEnabled(Level.DEBUG)) {
      log(Level.DEBUG, message + ": " + error);
      error.printStackTrace(out);
    }
  }

  private void log(Level level, String message) {
    if (isEnabled(level)) {
      out.println("[obs-agent] " + level.name() + " " + message);
    }
  }
}
