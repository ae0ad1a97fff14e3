package dev.obsagent.redistest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.bootstrap.redis.RedisBridge;
import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.bootstrap.redis.RedisRecorder;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.RequiresService;
import dev.obsagent.testing.TcpProxy;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Redis going away mid-run and coming back, behind a {@link TcpProxy} so the real server is never
 * touched, through the pooled clients of each Jedis line ({@code JedisPool}, and the unified
 * {@code JedisPooled} and {@code RedisClient} where the line has them): the application sees
 * exactly the results and exceptions it would see without the agent, each failed command is
 * recorded with the server it was meant for, and after the restore commands are counted again.
 */
@RequiresService(name = "Redis", port = 6379)
class RedisOutageTest {

  private static final String JEDIS_POOL = "JedisPool";
  /** Successful GETs before the cut and after the restore. */
  private static final int COMMANDS = 10;
  private static final String CONNECTION_ERROR = JedisConnectionException.class.getName();

  private static InProcessAgent agent;
  private static Observed observed;
  private static TcpProxy proxy;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    JedisLine.assertIsTheExpectedOne();
    agent = InProcessAgent.install(Map.of());
    observed = new Observed(agent);
    proxy = TcpProxy.start("127.0.0.1", 6379);
    key = "obs-agent-test:" + JedisLine.version() + ":" + ProcessHandle.current().pid() + ":outage";
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  static Stream<String> clients() {
    return Stream.concat(Stream.of(JEDIS_POOL), UnifiedClients.available().stream());
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aRedisOutageReachesTheApplicationUnchangedIsRecordedAndRecovers(String kind) throws Exception {
    List<String> withoutTheAgent;
    RedisRecorder real = RedisBridge.recorder();
    RedisBridge.install(new RedisRecorder() {
      @Override
      public void record(RedisCall call, Throwable error, long endNanos) {}
    });
    try {
      withoutTheAgent = outage(kind);
    } finally {
      RedisBridge.install(real);
    }

    double gets = observed.count("GET");
    double failedGets = observed.count("GET", CONNECTION_ERROR);
    double agentErrors = observed.instrumentationErrors();
    agent.clearSpans();
    long started = System.nanoTime();
    List<String> seen = outage(kind);
    System.out.printf("Redis outage through %s (Jedis %s): %d steps in %d ms: %s%n",
        kind, JedisLine.version(), seen.size(), (System.nanoTime() - started) / 1_000_000, seen);

    assertEquals(withoutTheAgent, seen, "the application saw the same results and exceptions");
    // JedisPool: the command on the pooled connection that went away fails, then the pool fails
    // to make a connection before any command is sent. The unified clients borrow inside the
    // command: each of the three commands fails, the first on the broken connection, the others
    // connecting.
    int failed = JEDIS_POOL.equals(kind) ? 1 : 3;
    assertEquals(gets + 2 * COMMANDS, observed.count("GET"), "successful GETs before and after");
    assertEquals(failedGets + failed, observed.count("GET", CONNECTION_ERROR), "GETs that failed");
    assertEquals(agentErrors, observed.instrumentationErrors(), "obs_agent_instrumentation_errors_total{instrumentation=jedis}");

    List<SpanData> errors = observed.spans().stream()
        .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR)
        .collect(Collectors.toList());
    assertEquals(failed, errors.size());
    for (SpanData span : errors) {
      assertEquals("GET", span.getName());
      assertEquals(CONNECTION_ERROR, span.getAttributes().get(Observed.ERROR_TYPE));
      assertEquals("127.0.0.1", span.getAttributes().get(Observed.SERVER_ADDRESS), span.toString());
      assertEquals((long) proxy.port(), span.getAttributes().get(Observed.SERVER_PORT), span.toString());
    }
  }

  /** GETs, the cut, GETs that fail, the restore, GETs: what the application saw at each step. */
  private static List<String> outage(String kind) throws Exception {
    List<String> transcript = new ArrayList<>();
    try (Client client = Client.open(kind, proxy.port())) {
      transcript.add(outcome(() -> client.set(key, "v")));
      for (int i = 0; i < COMMANDS; i++) {
        transcript.add(outcome(() -> client.get(key)));
      }
      proxy.cut();
      for (int i = 0; i < 3; i++) {
        transcript.add(outcome(() -> client.get(key)));
      }
      proxy.restore();
      for (int i = 0; i < COMMANDS; i++) {
        transcript.add(outcome(() -> client.get(key)));
      }
      transcript.add(outcome(() -> client.del(key)));
    } finally {
      proxy.restore();
    }
    return transcript;
  }

  /** The two pooled shapes: borrow a {@code Jedis} per command, or a unified client. */
  private abstract static class Client implements AutoCloseable {
    abstract String set(String key, String value);

    abstract String get(String key);

    /** {@code del} returns {@code Long} in 3.x and {@code long} later: called by name. */
    abstract String del(String key);

    @Override
    public abstract void close();

    static Client open(String kind, int port) {
      if (JEDIS_POOL.equals(kind)) {
        JedisPool pool = new JedisPool("127.0.0.1", port);
        return new Client() {
          @Override
          String set(String key, String value) {
            try (Jedis jedis = pool.getResource()) {
              return jedis.set(key, value);
            }
          }

          @Override
          String get(String key) {
            try (Jedis jedis = pool.getResource()) {
              return jedis.get(key);
            }
          }

          @Override
          String del(String key) {
            try (Jedis jedis = pool.getResource()) {
              return String.valueOf(ReflectiveCalls.call(jedis, "del", key));
            }
          }

          @Override
          public void close() {
            pool.close();
          }
        };
      }
      UnifiedJedis unified = UnifiedClients.open(kind, "127.0.0.1", port);
      return new Client() {
        @Override
        String set(String key, String value) {
          return unified.set(key, value);
        }

        @Override
        String get(String key) {
          return unified.get(key);
        }

        @Override
        String del(String key) {
          return String.valueOf(ReflectiveCalls.call(unified, "del", key));
        }

        @Override
        public void close() {
          unified.close();
        }
      };
    }
  }

  interface Step {
    String run() throws Exception;
  }

  /** The result, or the exception as the application sees it: class and message, with causes. */
  private static String outcome(Step step) {
    try {
      return step.run();
    } catch (Exception e) {
      StringBuilder text = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        text.append(t == e ? "" : " caused by ").append(t.getClass().getName()).append(": ").append(t.getMessage());
      }
      return text.toString();
    }
  }
}
