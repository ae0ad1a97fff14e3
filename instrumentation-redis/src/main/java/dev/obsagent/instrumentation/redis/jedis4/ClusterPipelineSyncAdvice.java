package dev.obsagent.instrumentation.redis.jedis4;

import dev.obsagent.bootstrap.redis.RedisCall;
import java.util.Collection;
import java.util.Map;
import dev.obsagent.core.api.Advice;

/**
 * Jedis 4.x and later: woven into {@code MultiNodePipelineBase.sync} (cluster and sharded
 * pipelines). Over several nodes the replies are read on pool threads, so the batch size and
 * server are taken from the queued responses per node before the sync starts.
 */
public final class ClusterPipelineSyncAdvice {

  private ClusterPipelineSyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter(
      @Advice.FieldValue("pipelinedResponses") Map<?, ? extends Collection<?>> queuesByNode) {
    return ClusterPipelines.enter(queuesByNode);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter RedisCall call, @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.exit(thrown);
    }
  }
}
