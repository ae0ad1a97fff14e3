package dev.obsagent.instrumentation.redis.jedis;

import dev.obsagent.core.api.Advice;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Woven into {@code Connection.getMany(int)}, which pipelines and transactions of every Jedis
 * line call to read their queued replies (the count is a pipeline's batch size), and which a
 * new connection calls to read the replies to its own set-up commands.
 */
public final class ConnectionRepliesAdvice {

  private ConnectionRepliesAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(
      @Advice.Argument(0) int count, @Advice.FieldValue("socketFactory") JedisSocketFactory sockets) {
    JedisWire.repliesAwaited(count, sockets);
  }
}
