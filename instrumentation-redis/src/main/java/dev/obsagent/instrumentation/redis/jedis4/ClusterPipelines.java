package dev.obsagent.instrumentation.redis.jedis4;

import dev.obsagent.bootstrap.redis.RedisCall;
import java.util.Collection;
import java.util.Map;
import redis.clients.jedis.HostAndPort;

/** Opens the {@code PIPELINE} operation of a cluster pipeline from its per-node queues. */
public final class ClusterPipelines {

  private ClusterPipelines() {}

  public static RedisCall enter(Map<?, ? extends Collection<?>> queuesByNode) {
    int commands = 0;
    for (Collection<?> queue : queuesByNode.values()) {
      commands += queue.size();
    }
    if (queuesByNode.size() == 1) {
      Object node = queuesByNode.keySet().iterator().next();
      if (node instanceof HostAndPort) {
        HostAndPort server = (HostAndPort) node;
        return RedisCall.enterPipeline(commands, server.getHost(), server.getPort());
      }
    }
    return RedisCall.enterPipeline(commands, null, RedisCall.UNKNOWN);
  }
}
