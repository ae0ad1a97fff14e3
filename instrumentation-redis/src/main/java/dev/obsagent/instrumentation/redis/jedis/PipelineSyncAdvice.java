package dev.obsagent.instrumentation.redis.jedis;

import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code Pipeline.sync} and {@code syncAndReturnAll}: the whole pipeline is one
 * {@code PIPELINE} operation whose batch size is the number of replies read. The queued commands
 * themselves were sent outside any operation and are not counted again.
 */
public final class PipelineSyncAdvice {

  private PipelineSyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter() {
    return RedisCall.enterPipeline();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter RedisCall call, @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.exit(thrown);
    }
  }
}
