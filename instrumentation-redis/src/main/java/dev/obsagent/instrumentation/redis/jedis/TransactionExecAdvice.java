package dev.obsagent.instrumentation.redis.jedis;

import dev.obsagent.bootstrap.redis.RedisCall;
import java.util.List;
import dev.obsagent.core.api.Advice;

/**
 * Woven into a transaction's {@code exec} (and 3.x's {@code execGetResponse}): the MULTI ... EXEC
 * block is one {@code MULTI} operation, measured from exec to the EXEC reply, whose batch size is
 * the number of commands EXEC ran. The queued commands are not counted again.
 */
public final class TransactionExecAdvice {

  private TransactionExecAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter() {
    return RedisCall.enterTransaction(RedisCall.MULTI);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter RedisCall call, @Advice.Thrown Throwable thrown, @Advice.Return List<?> results) {
    if (call != null) {
      // null: EXEC aborted (a watched key changed) or failed, nothing ran.
      call.exit(thrown, results == null ? RedisCall.UNKNOWN : results.size());
    }
  }
}
