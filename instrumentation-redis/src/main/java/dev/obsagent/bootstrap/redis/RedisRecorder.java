package dev.obsagent.bootstrap.redis;

/**
 * Bridge from Redis client advice (in the application's class loader) to the agent: records one
 * finished operation. Only JDK types cross it.
 */
public abstract class RedisRecorder {

  /** Used until the agent installs the real recorder: records nothing. */
  static final RedisRecorder NOOP =
      new RedisRecorder() {
        @Override
        public void record(RedisCall call, Throwable error, long endNanos) {}
      };

  /**
   * Records a finished operation. The call object is this thread's and is reused for the next
   * operation: read it here, never keep it.
   *
   * @param error what the client threw to the application, or null
   * @param endNanos {@link System#nanoTime()} when the reply had been read
   */
  public abstract void record(RedisCall call, Throwable error, long endNanos);
}
