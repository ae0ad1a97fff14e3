package dev.obsagent.instrumentation.redis.jedis4;

import dev.obsagent.instrumentation.redis.jedis.JedisWire;
import dev.obsagent.core.api.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Jedis 4.x and later: woven into {@code Connection.sendCommand(CommandArguments)}, through which
 * every command goes out: inside a command object's execution, queued by a pipeline or
 * transaction, or sent by hand by the {@code Jedis} methods that still do ({@code ping},
 * {@code select}, {@code sendCommand}, ...).
 */
public final class CommandArgumentsSendAdvice {

  private CommandArgumentsSendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long onEnter() {
    return System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter long startNanos,
      @Advice.This Object connection,
      @Advice.Argument(0) CommandArguments arguments,
      @Advice.FieldValue("socketFactory") JedisSocketFactory sockets,
      @Advice.Thrown Throwable thrown) {
    // The first argument is the command itself.
    JedisWire.commandSent(arguments.getCommand(), arguments.size() - 1, sockets, connection, startNanos, thrown);
  }
}
