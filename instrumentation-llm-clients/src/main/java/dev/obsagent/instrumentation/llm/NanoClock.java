package dev.obsagent.instrumentation.llm;

/** A monotonic clock in nanoseconds: {@link System#nanoTime()} in the agent, a fake in tests. */
@FunctionalInterface
public interface NanoClock {

  NanoClock SYSTEM = System::nanoTime;

  long nanoTime();
}
