package dev.obsagent.instrumentation.redis.jedis;

import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code Connection.readProtocolWithCheckingBroken()}, through which every reply of
 * every Jedis line is read: it completes a command sent outside any scope. An error reply
 * ({@code WRONGTYPE}) is thrown from here and recorded as the command's failure.
 */
public final class ConnectionReplyAdvice {

  private ConnectionReplyAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
    JedisWire.replyRead(connection, thrown);
  }
}
