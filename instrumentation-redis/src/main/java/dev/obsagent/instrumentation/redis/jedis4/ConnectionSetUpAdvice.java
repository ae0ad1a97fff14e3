package dev.obsagent.instrumentation.redis.jedis4;

import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.instrumentation.redis.jedis.JedisWire;
import dev.obsagent.core.api.Advice;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Jedis 4.x and later: woven into {@code Connection.initializeFromClientConfig}, where a new
 * connection sends its own HELLO, AUTH, SELECT and CLIENT SETINFO. Those are the client's
 * housekeeping, not the application's operations: nothing inside is recorded. A pooled client
 * (JedisPooled, RedisClient) makes its connection inside the command, and a connection that cannot
 * be made fails here, before any command is sent: the command learns its server here.
 */
public final class ConnectionSetUpAdvice {

  private ConnectionSetUpAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter() {
    return RedisCall.enterSetUp();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter RedisCall call,
      @Advice.FieldValue("socketFactory") JedisSocketFactory sockets,
      @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.exit(thrown);
      JedisWire.connecting(sockets); // to the command around the set-up, if any
    }
  }
}
