package dev.obsagent.instrumentation.redis.jedis3;

import dev.obsagent.instrumentation.redis.jedis.JedisWire;
import dev.obsagent.core.api.Advice;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Jedis 3.x: woven into {@code Connection.sendCommand(ProtocolCommand, byte[]...)}, through which
 * every command of the line goes out (the String overloads encode and delegate to it). A
 * connection that connects lazily may send its own AUTH or SELECT from inside it; that one is
 * reported (and awaited) first, and the application's command after it.
 */
public final class Jedis3SendCommandAdvice {

  private Jedis3SendCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long onEnter() {
    return System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter long startNanos,
      @Advice.This Object connection,
      @Advice.Argument(0) ProtocolCommand command,
      @Advice.Argument(1) byte[][] arguments,
      @Advice.FieldValue("socketFactory") JedisSocketFactory sockets,
      @Advice.Thrown Throwable thrown) {
    JedisWire.commandSent(
        command, arguments == null ? 0 : arguments.length, sockets, connection, startNanos, thrown);
  }
}
