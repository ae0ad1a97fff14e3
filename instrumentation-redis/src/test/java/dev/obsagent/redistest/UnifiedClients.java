package dev.obsagent.redistest;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The pooled unified clients this Jedis line has: {@code JedisPooled} (4.x to 7.x) and
 * {@code RedisClient} (7.x and later). Each is made in its own nested class, loaded only when
 * used, so a line without it never resolves the missing class.
 */
final class UnifiedClients {

  static final String JEDIS_POOLED = "JedisPooled";
  static final String REDIS_CLIENT = "RedisClient";

  private UnifiedClients() {}

  static List<String> available() {
    List<String> kinds = new ArrayList<>();
    if (present("redis.clients.jedis.JedisPooled")) {
      kinds.add(JEDIS_POOLED);
    }
    if (present("redis.clients.jedis.RedisClient")) {
      kinds.add(REDIS_CLIENT);
    }
    return kinds;
  }

  static UnifiedJedis open(String kind, String host, int port) {
    return JEDIS_POOLED.equals(kind) ? Pooled.open(host, port) : Client.open(host, port);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, UnifiedClients.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static final class Pooled {
    static UnifiedJedis open(String host, int port) {
      return new JedisPooled(host, port);
    }
  }

  private static final class Client {
    static UnifiedJedis open(String host, int port) {
      return RedisClient.create(host, port);
    }
  }
}
