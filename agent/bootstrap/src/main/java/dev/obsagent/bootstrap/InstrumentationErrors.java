package dev.obsagent.bootstrap;

/**
 * Where woven advice reports a throwable it suppressed. Every advice is woven with an exception
 * handler that calls {@link #record(Throwable, String)}, so an exception inside the agent is
 * counted in {@code obs_agent_instrumentation_errors_total} and never reaches the application.
 */
public final class InstrumentationErrors {

  /** Receives suppressed throwables; installed by the agent core at start. */
  public interface Sink {
    void record(String instrumentation, Throwable error);
  }

  private static volatile Sink sink;

  private InstrumentationErrors() {}

  public static void install(Sink newSink) {
    sink = newSink;
  }

  /** Called from woven code with the suppressed throwable; must never throw itself. */
  public static void record(Throwable error, String instrumentation) {
    try {
      Sink current = sink;
      if (current != null) {
        current.record(instrumentation, error);
      }
    } catch (Throwable ignored) {
      // counting failed: there is nothing safer left to do than to drop it
    }
  }
}
