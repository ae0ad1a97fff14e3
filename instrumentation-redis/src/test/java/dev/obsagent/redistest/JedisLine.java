package dev.obsagent.redistest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import redis.clients.jedis.Jedis;

/** The Jedis release on this test JVM's class path: one per surefire execution of the matrix. */
final class JedisLine {

  private JedisLine() {}

  static String version() {
    try (InputStream in = Jedis.class.getResourceAsStream("/META-INF/maven/redis.clients/jedis/pom.properties")) {
      assertNotNull(in, "the Jedis jar has its pom.properties");
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int major() {
    return Integer.parseInt(version().substring(0, version().indexOf('.')));
  }

  /** Guards the matrix itself: each execution must really run against its own release. */
  static void assertIsTheExpectedOne() {
    String expected = System.getProperty("expected.jedis.version");
    if (expected != null) {
      assertEquals(expected, version(), "Jedis on the class path");
    }
  }
}
