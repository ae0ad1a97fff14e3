package dev.obsagent.instrumentation.redis.jedis4;

import dev.obsagent.bootstrap.redis.RedisCall;
import net.bytebuddy.asm.Advice;

/**
 * Jedis 4.x and later: woven into {@code Connection.initializeFromClientConfig}, where a new
 * connection sends its own HELLO, AUTH, SELECT and CLIENT SETINFO. Those are the client's
 * housekeeping, not the application's operations: nothing inside is recorded.
 */
public final class ConnectionSetUpAdvice {

  private ConnectionSetUpAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter() {
    return RedisCall.enterSetUp();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter RedisCall call, @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.exit(thrown);
    }
  }
}
