package dev.obsagent.redistest;

import static dev.obsagent.redistest.ReflectiveCalls.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.RequiresService;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Jedis 4.x and later: the unified clients ({@code JedisPooled}, {@code RedisClient}) borrow a
 * pooled connection per command, and may open it then, yet each command is one operation.
 */
@RequiresService(name = "Redis", port = 6379)
class UnifiedJedisTest {

  private static final String HOST = "127.0.0.1";
  private static final int PORT = 6379;

  private static InProcessAgent agent;
  private static Observed observed;
  private static String prefix;
  private double errorsBefore;

  @BeforeAll
  static void installAgent() {
    JedisLine.assertIsTheExpectedOne();
    agent = InProcessAgent.install(Map.of());
    observed = new Observed(agent);
    prefix = "obs-agent-test:" + JedisLine.version() + ":" + ProcessHandle.current().pid() + ":unified:";
  }

  static List<String> clients() {
    return UnifiedClients.available();
  }

  @BeforeEach
  void clearSpans() {
    agent.clearSpans();
    errorsBefore = observed.instrumentationErrors();
  }

  @AfterEach
  void agentRaisedNothing() {
    assertEquals(errorsBefore, observed.instrumentationErrors(), "throwables suppressed inside the agent");
  }

  @ParameterizedTest
  @MethodSource("clients")
  void eachCommandIsOneOperationThoughItBorrowsAndConnects(String kind) {
    String key = prefix + kind + ":user";
    String hash = prefix + kind + ":session";
    double[] before = observed.counts("SET", "GET", "HSET", "DEL", "CLIENT");
    try (UnifiedJedis client = UnifiedClients.open(kind, HOST, PORT)) {
      assertEquals("OK", client.set(key, "alice"));
      assertEquals("alice", client.get(key));
      assertEquals(1L, client.hset(hash, "token", "s3cr3t"));
      assertEquals(2L, client.del(key, hash));
    }
    assertArrayEquals(
        new double[] {before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1, before[4]},
        observed.counts("SET", "GET", "HSET", "DEL", "CLIENT"),
        "the new connection's own CLIENT SETINFO is not an application operation");
    assertEquals(List.of("SET", "GET", "HSET", "DEL"), observed.spanNames());
    List<String> queries = List.of("SET ? ?", "GET ?", "HSET ? ? ?", "DEL ? ?");
    for (int i = 0; i < queries.size(); i++) {
      SpanData span = observed.spans().get(i);
      assertEquals(queries.get(i), span.getAttributes().get(Observed.QUERY));
      assertEquals(HOST, span.getAttributes().get(Observed.SERVER_ADDRESS));
      assertEquals(PORT, span.getAttributes().get(Observed.SERVER_PORT));
      assertFalse(span.getAttributes().toString().contains("alice"));
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aPipelineIsOneOperation(String kind) throws Exception {
    double pipelinesBefore = observed.count("PIPELINE");
    double setsBefore = observed.count("SET");
    try (UnifiedJedis client = UnifiedClients.open(kind, HOST, PORT)) {
      // pipelined() returns Pipeline in 4.x and AbstractPipeline later: called by name.
      try (AutoCloseable pipeline = (AutoCloseable) call(client, "pipelined")) {
        for (int i = 0; i < 100; i++) {
          call(pipeline, "set", prefix + kind + ":p" + i, "v");
        }
        call(pipeline, "sync");
      }
    }
    assertEquals(pipelinesBefore + 1, observed.count("PIPELINE"));
    assertEquals(setsBefore, observed.count("SET"));
    assertEquals(List.of("PIPELINE"), observed.spanNames());
    assertEquals(100L, observed.spans().get(0).getAttributes().get(Observed.BATCH_SIZE));
    assertEquals(PORT, observed.spans().get(0).getAttributes().get(Observed.SERVER_PORT));
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aTransactionIsOneOperation(String kind) throws Exception {
    double before = observed.count("MULTI");
    try (UnifiedJedis client = UnifiedClients.open(kind, HOST, PORT)) {
      try (AutoCloseable transaction = (AutoCloseable) call(client, "multi")) {
        call(transaction, "set", prefix + kind + ":t", "v");
        call(transaction, "del", prefix + kind + ":t");
        assertEquals(2, ((List<?>) call(transaction, "exec")).size());
      }
    }
    assertEquals(before + 1, observed.count("MULTI"));
    assertEquals(List.of("MULTI"), observed.spanNames());
    assertEquals(2L, observed.spans().get(0).getAttributes().get(Observed.BATCH_SIZE));
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aRefusedConnectionIsOneFailedOperation(String kind) {
    String errorType = JedisConnectionException.class.getName();
    double before = observed.count("GET", errorType);
    try (UnifiedJedis client = UnifiedClients.open(kind, HOST, 1)) {
      assertThrows(JedisConnectionException.class, () -> client.get(prefix + "unreachable"));
    }
    assertEquals(before + 1, observed.count("GET", errorType));
    assertEquals(List.of("GET"), observed.spanNames());
    SpanData span = observed.spans().get(0);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    // The pool's connection failed to connect before any command went out: the server is the
    // one the connection was for.
    assertEquals(HOST, span.getAttributes().get(Observed.SERVER_ADDRESS));
    assertEquals(1L, span.getAttributes().get(Observed.SERVER_PORT));
  }
}
