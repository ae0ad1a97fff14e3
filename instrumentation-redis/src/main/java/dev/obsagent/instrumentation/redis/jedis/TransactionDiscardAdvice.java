package dev.obsagent.instrumentation.redis.jedis;

import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.core.api.Advice;

/** Woven into a transaction's {@code discard}: one {@code DISCARD} operation. */
public final class TransactionDiscardAdvice {

  private TransactionDiscardAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter() {
    return RedisCall.enterTransaction(RedisCall.DISCARD);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter RedisCall call, @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.exit(thrown);
    }
  }
}
