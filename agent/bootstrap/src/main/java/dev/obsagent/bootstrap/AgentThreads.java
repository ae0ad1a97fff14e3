package dev.obsagent.bootstrap;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's own worker threads. Instrumentation asks {@link #isAgentThread()} to leave the
 * agent's own work unmeasured: above all the OTLP exporter's HTTP calls, which would otherwise
 * make a span for every span export, forever.
 */
public final class AgentThreads {

  private AgentThreads() {}

  /** True on a thread made by {@link #factory}; a type check, cheap on every call. */
  public static boolean isAgentThread() {
    return Thread.currentThread() instanceof AgentThread;
  }

  /** Daemon threads named {@code <name>-<n>}, holding no application class loader. */
  public static ThreadFactory factory(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new AgentThread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      // A thread inherits its creator's context loader; created from a web application's thread
      // (an idle pool thread comes back on demand) it would keep that application from unloading.
      thread.setContextClassLoader(null);
      return thread;
    };
  }

  private static final class AgentThread extends Thread {
    AgentThread(Runnable task, String name) {
      super(task, name);
    }
  }
}
