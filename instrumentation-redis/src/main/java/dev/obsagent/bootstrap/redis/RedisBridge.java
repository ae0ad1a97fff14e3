package dev.obsagent.bootstrap.redis;

/** Holds the agent's {@link RedisRecorder}; read once per recorded operation. */
public final class RedisBridge {

  private static volatile RedisRecorder recorder = RedisRecorder.NOOP;

  private RedisBridge() {}

  public static RedisRecorder recorder() {
    return recorder;
  }

  public static void install(RedisRecorder newRecorder) {
    recorder = newRecorder;
  }
}
