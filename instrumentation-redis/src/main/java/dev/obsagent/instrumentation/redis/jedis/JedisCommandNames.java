package dev.obsagent.instrumentation.redis.jedis;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * The operation name of a Jedis command: its raw bytes as upper-case text ({@code GET},
 * {@code FT.SEARCH}). Commands are enum constants, so the name is built once per constant and
 * then found by identity.
 *
 * <p>A helper injected into the class loader that loaded Jedis: the cache holds that loader's
 * own command objects and goes away with it.
 */
public final class JedisCommandNames {

  /** Bounds the cache against applications that make a new command object per call. */
  private static final int MAX_CACHED = 1024;

  private static final ConcurrentHashMap<ProtocolCommand, String> NAMES = new ConcurrentHashMap<>();

  private JedisCommandNames() {}

  public static String of(ProtocolCommand command) {
    String name = NAMES.get(command);
    if (name == null) {
      name = new String(command.getRaw(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
      if (NAMES.size() < MAX_CACHED) {
        NAMES.putIfAbsent(command, name);
      }
    }
    return name;
  }
}
