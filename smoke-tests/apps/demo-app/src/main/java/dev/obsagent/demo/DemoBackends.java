package dev.obsagent.demo;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the controllers talk to: an in-memory H2 database, filled at start, and a Redis client.
 * Both are ordinary application code; the agent sees every SQL statement and Redis command
 * they issue without being told about them.
 *
 * <p>Redis is at {@code DEMO_REDIS_HOST}:{@code DEMO_REDIS_PORT} (default 127.0.0.1:6379). It
 * need not be running: the client connects on first use, not here, so the demo starts anyway
 * and /owners/{ownerId}/visits answers 503. The assistant's chat API: see {@link #llmApi()}.
 */
@Configuration
public class DemoBackends {

  /**
   * The default database: in-memory, kept while the JVM runs ({@code DB_CLOSE_DELAY=-1}); the
   * agent reports it as db.namespace "demo". {@code DEMO_DB_URL}, {@code DEMO_DB_USER} and
   * {@code DEMO_DB_PASSWORD} replace it and its credentials (an H2 URL: the demo creates the
   * database with that user and password).
   */
  static final String DATABASE_URL = "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1";

  /** Short, so that a Redis that is down or unreachable answers 503 quickly instead of hanging a request. */
  static final int REDIS_TIMEOUT_MILLIS = 500;

  /** The pet clinic's owners and pets, after Spring's PetClinic sample. */
  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE owners (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL)",
      "CREATE TABLE types (id INT PRIMARY KEY, name VARCHAR(30) NOT NULL)",
      "CREATE TABLE pets (id INT PRIMARY KEY, name VARCHAR(30) NOT NULL,"
          + " owner_id INT NOT NULL REFERENCES owners (id), type_id INT NOT NULL REFERENCES types (id))",
      // Who looked at whose data. The foreign key is what tells PetsController an owner is unknown.
      "CREATE TABLE audit_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, owner_id INT NOT NULL REFERENCES owners (id),"
          + " action VARCHAR(30) NOT NULL, note VARCHAR(200), at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
      "INSERT INTO owners (id, name) VALUES (1, 'George Franklin'), (2, 'Betty Davis'), (3, 'Eduardo Rodriquez')",
      "INSERT INTO types (id, name) VALUES (1, 'cat'), (2, 'dog'), (3, 'hamster'), (4, 'bird')",
      "INSERT INTO pets (id, name, owner_id, type_id) VALUES (1, 'Leo', 1, 1), (2, 'Basil', 2, 3),"
          + " (3, 'Rosy', 3, 2), (4, 'Jewel', 3, 2), (5, 'Lucky', 2, 4)");

  @Bean(destroyMethod = "dispose")
  public JdbcConnectionPool database() throws SQLException {
    JdbcConnectionPool pool = JdbcConnectionPool.create(
        environment("DEMO_DB_URL", DATABASE_URL), environment("DEMO_DB_USER", "sa"), environment("DEMO_DB_PASSWORD", ""));
    // Through JDBC like any application's start-up migration: these statements show in the
    // metrics too (CREATE, INSERT), as root spans, since no request is in progress.
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      for (String sql : SCHEMA) {
        statement.execute(sql);
      }
    }
    return pool;
  }

  @Bean(destroyMethod = "close")
  public UnifiedJedis redis() {
    String host = environment("DEMO_REDIS_HOST", "127.0.0.1");
    int port = Integer.parseInt(environment("DEMO_REDIS_PORT", "6379"));
    return RedisClient.builder()
        .hostAndPort(host, port)
        .clientConfig(
            DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(REDIS_TIMEOUT_MILLIS)
                .socketTimeoutMillis(REDIS_TIMEOUT_MILLIS)
                .build())
        .build();
  }

  /** Where the assistant's chat API is, and its key (null for the fake provider). */
  public static final class LlmApi {
    private final String baseUrl;
    private final String apiKey;

    LlmApi(String baseUrl, String apiKey) {
      this.baseUrl = baseUrl;
      this.apiKey = apiKey;
    }

    public String baseUrl() {
      return baseUrl;
    }

    public String apiKey() {
      return apiKey;
    }
  }

  /**
   * The real OpenAI API (or {@code DEMO_LLM_BASE_URL}) when {@code OPENAI_API_KEY} is set, else
   * the demo's fake provider on loopback, so no key and no network are needed. A base URL may
   * end in a query string ({@code https://gateway/v1?key=...}, as gateways that take the key
   * in the URL want): it goes after the API path on every call.
   */
  @Bean
  public LlmApi llmApi() throws IOException {
    String key = environment("OPENAI_API_KEY", null);
    if (key != null) {
      return new LlmApi(environment("DEMO_LLM_BASE_URL", "https://api.openai.com/v1"), key);
    }
    String baseUrl = FakeLlmProvider.start().baseUrl();
    System.out.println("DEMO_LLM=" + baseUrl + " (the demo's fake OpenAI-compatible provider; set OPENAI_API_KEY for the real one)");
    return new LlmApi(baseUrl, null);
  }

  private static String environment(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
