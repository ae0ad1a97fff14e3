package dev.obsagent.instrumentation.redis.jedis;

import dev.obsagent.bootstrap.redis.RedisCall;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * What a Jedis {@code Connection} reports to the operation in progress on the current thread:
 * the commands it sends, the replies it reads and the server it talks to. Inside a scope
 * (a command object, a pipeline, a transaction) they only describe it; outside, a command sent
 * is an operation that the next reply read on the same connection completes.
 */
public final class JedisWire {

  private JedisWire() {}

  /**
   * A command went out, or failed to (a refused connection).
   *
   * @param startNanos when the send started, before the connection connected
   */
  public static void commandSent(
      ProtocolCommand command, int argumentCount, JedisSocketFactory sockets, Object connection,
      long startNanos, Throwable thrown) {
    RedisCall call = RedisCall.current();
    HostAndPort server = serverOf(sockets);
    if (call.isOpen()) {
      if (server != null) {
        call.server(server.getHost(), server.getPort());
      }
      return;
    }
    String name = JedisCommandNames.of(command);
    if (RedisCall.MULTI.equals(name)) {
      call.forgetAwaited(); // the transaction it opens is measured at exec
      return;
    }
    int connectionId = System.identityHashCode(connection);
    call.awaitReply(
        name, argumentCount, startNanos,
        server == null ? null : server.getHost(), server == null ? RedisCall.UNKNOWN : server.getPort(),
        connectionId);
    if (thrown != null) {
      call.replyRead(connectionId, thrown);
    }
  }

  /**
   * A connection is being set up (and perhaps failed to connect) inside the operation in progress:
   * the server it is for, known before any command goes out.
   */
  public static void connecting(JedisSocketFactory sockets) {
    RedisCall call = RedisCall.current();
    if (call.isOpen()) {
      HostAndPort server = serverOf(sockets);
      if (server != null) {
        call.server(server.getHost(), server.getPort());
      }
    }
  }

  /** One reply was read on a connection, or could not be. */
  public static void replyRead(Object connection, Throwable thrown) {
    RedisCall call = RedisCall.current();
    if (call.awaitsReply()) {
      call.replyRead(System.identityHashCode(connection), thrown);
    }
  }

  /** {@code count} replies are about to be read in one go (a pipeline, a transaction, a set-up). */
  public static void repliesAwaited(int count, JedisSocketFactory sockets) {
    RedisCall call = RedisCall.current();
    call.repliesRead(count);
    if (call.isOpen()) {
      HostAndPort server = serverOf(sockets);
      if (server != null) {
        call.server(server.getHost(), server.getPort());
      }
    }
  }

  /**
   * The host and port as the application configured them (no reverse lookup). Connections made
   * by a custom socket factory (a Unix socket, say) have none.
   */
  private static HostAndPort serverOf(JedisSocketFactory sockets) {
    return sockets instanceof DefaultJedisSocketFactory
        ? ((DefaultJedisSocketFactory) sockets).getHostAndPort()
        : null;
  }
}
