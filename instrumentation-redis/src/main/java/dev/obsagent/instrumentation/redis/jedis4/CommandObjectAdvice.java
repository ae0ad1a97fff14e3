package dev.obsagent.instrumentation.redis.jedis4;

import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.instrumentation.redis.jedis.JedisCommandNames;
import dev.obsagent.core.api.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;

/**
 * Jedis 4.x and later: woven into {@code Connection.executeCommand(CommandObject)}, which most
 * {@code Jedis} methods call, and into the command executors' {@code executeCommand}, which
 * every command of the unified clients ({@code JedisPooled}, {@code RedisClient},
 * {@code JedisCluster}) goes through. The outermost is one operation named by its command
 * object, whatever happens inside: a pool borrowing (and perhaps connecting), a cluster retrying
 * on another node.
 */
public final class CommandObjectAdvice {

  private CommandObjectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static RedisCall onEnter(@Advice.Argument(0) CommandObject<?> command) {
    CommandArguments arguments = command.getArguments();
    return RedisCall.enterCommand(JedisCommandNames.of(arguments.getCommand()), arguments.size() - 1);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter RedisCall call, @Advice.Thrown Throwable thrown) {
    if (call != null) {
      call.exit(thrown);
    }
  }
}
