package dev.obsagent.core.metrics;

import dev.obsagent.bootstrap.AgentThreads;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the side port's exchanges so that slow or hostile clients cannot starve scrapes.
 *
 * <p>The JDK server reads a request's head on an executor thread, from a blocking channel. With
 * the Prometheus default (10 threads, and a dispatcher that waits when all are busy) ten clients
 * that send half a request head and stop would hold every thread, and no scrape would get an
 * answer again. Here: more threads; a connection arriving when all are busy is closed at once
 * instead of stalling the dispatcher; and a watchdog interrupts any exchange whose request head
 * has not arrived within {@link #REQUEST_HEAD_TIMEOUT_MILLIS} (interrupting a blocking channel
 * read closes that connection), or that runs past {@link #EXCHANGE_TIMEOUT_MILLIS} in all.
 */
final class SidePortExecutor extends ThreadPoolExecutor {

  static final int MAX_THREADS = 64;
  static final long REQUEST_HEAD_TIMEOUT_MILLIS = 5_000;
  static final long EXCHANGE_TIMEOUT_MILLIS = 60_000;

  /** The exchange running on this thread, so the authenticator can mark its head as read. */
  private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(AgentThreads.factory("obs-agent-side-port-watchdog"));

  SidePortExecutor() {
    super(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        AgentThreads.factory("obs-agent-side-port"), new AbortPolicy());
    watchdog.scheduleWithFixedDelay(this::interruptOverdue, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Called once the request head was read (the JDK runs the authenticator right after). */
  static void requestHeadRead() {
    Running current = CURRENT.get();
    if (current != null) {
      current.headRead = true;
    }
  }

  @Override
  protected void beforeExecute(Thread thread, Runnable task) {
    Running entry = new Running(thread, System.nanoTime());
    CURRENT.set(entry);
    running.add(entry);
  }

  @Override
  protected void afterExecute(Runnable task, Throwable error) {
    Running entry = CURRENT.get();
    CURRENT.remove();
    if (entry != null) {
      running.remove(entry);
      Thread.interrupted(); // a watchdog interrupt that came late must not leak into the next task
    }
  }

  private void interruptOverdue() {
    long now = System.nanoTime();
    for (Running entry : running) {
      long millis = TimeUnit.NANOSECONDS.toMillis(now - entry.startNanos);
      if ((!entry.headRead && millis > REQUEST_HEAD_TIMEOUT_MILLIS) || millis > EXCHANGE_TIMEOUT_MILLIS) {
        if (running.remove(entry)) {
          entry.thread.interrupt();
        }
      }
    }
  }

  @Override
  public void shutdown() {
    watchdog.shutdownNow();
    super.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    watchdog.shutdownNow();
    return super.shutdownNow();
  }

  private static final class Running {
    final Thread thread;
    final long startNanos;
    volatile boolean headRead;

    Running(Thread thread, long startNanos) {
      this.thread = thread;
      this.startNanos = startNanos;
    }
  }
}
