package dev.obsagent.smoke;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits on other JVMs with deadlines instead of fixed sleeps: a test goes on the moment its
 * condition holds, and a failure says what it waited for and what it saw last.
 */
final class Poll {

  /** Generous for two busy cores; a passing check takes milliseconds to a few seconds. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final long INTERVAL_MILLIS = 50;

  private Poll() {}

  static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
    return until(what, TIMEOUT, probe, done);
  }

  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; last seen: " + value);
      }
      sleep();
    }
  }

  /**
   * Checks that something does not happen for a while: the one place a test must spend time,
   * so callers keep the period short and first wait for a positive sign that work was done.
   */
  static void holdsFor(String what, Duration period, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(INTERVAL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
