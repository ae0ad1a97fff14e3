package dev.obsagent.redistest;

// Outside dev.obsagent.instrumentation.*: the agent treats these as application classes.

import static dev.obsagent.redistest.ReflectiveCalls.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.bootstrap.redis.RedisBridge;
import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.bootstrap.redis.RedisRecorder;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.RequiresService;
import dev.obsagent.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The scenario every Jedis line runs (one surefire execution per line): the {@code Jedis} client,
 * {@code JedisPool}, pipelines, transactions, error replies and a refused connection, against the
 * Redis on loopback. Counts are asserted as deltas with exact label sets, since one agent serves
 * the whole JVM.
 */
@RequiresService(name = "Redis", port = 6379)
class JedisScenarioTest {

  private static final String HOST = "127.0.0.1";
  private static final int PORT = 6379;

  private static InProcessAgent agent;
  private static Observed observed;
  private static String prefix;

  private double errorsBefore;
  private boolean expectAgentErrors;

  @BeforeAll
  static void installAgent() {
    JedisLine.assertIsTheExpectedOne();
    agent = InProcessAgent.install(Map.of());
    observed = new Observed(agent);
    // Keys of their own per line and run: several lines or engineers may share this Redis.
    prefix = "obs-agent-test:" + JedisLine.version() + ":" + ProcessHandle.current().pid() + ":";
  }

  @BeforeEach
  void clearSpans() {
    agent.clearSpans();
    errorsBefore = observed.instrumentationErrors();
  }

  @AfterEach
  void agentRaisedNothing() {
    if (!expectAgentErrors) {
      assertEquals(errorsBefore, observed.instrumentationErrors(), "throwables suppressed inside the agent");
    }
  }

  @Test
  void eachCommandIsOneOperationWithItsSanitizedQuery() {
    String key = prefix + "user:42";
    String hash = prefix + "session:42";
    double[] before = observed.counts("SET", "GET", "HSET", "DEL");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      assertEquals("OK", jedis.set(key, "alice@example.com"));
      assertEquals("alice@example.com", jedis.get(key));
      assertEquals(1L, ((Number) call(jedis, "hset", hash, "token", "s3cr3t")).longValue());
      assertEquals(2L, ((Number) call(jedis, "del", (Object) new String[] {key, hash})).longValue());
    }

    double[] after = observed.counts("SET", "GET", "HSET", "DEL");
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i] + 1, after[i], "one operation per command, #" + i);
    }
    List<SpanData> spans = observed.spans();
    assertEquals(List.of("SET", "GET", "HSET", "DEL"), observed.spanNames());
    assertClientSpan(spans.get(0), "SET", "SET ? ?");
    assertClientSpan(spans.get(1), "GET", "GET ?");
    assertClientSpan(spans.get(2), "HSET", "HSET ? ? ?");
    assertClientSpan(spans.get(3), "DEL", "DEL ? ?");
    for (SpanData span : spans) {
      String attributes = span.getAttributes().toString();
      assertFalse(attributes.contains("alice") || attributes.contains("s3cr3t") || attributes.contains(prefix),
          "no key or value on the span: " + attributes);
      assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    }
  }

  @Test
  void binaryKeysAreNamedByTheirCommandToo() {
    byte[] key = (prefix + "binary").getBytes(StandardCharsets.UTF_8);
    byte[] value = {0, 1, 2, (byte) 0xff};
    double[] before = observed.counts("SET", "GET", "DEL");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      jedis.set(key, value);
      assertArrayEquals(value, jedis.get(key));
      call(jedis, "del", (Object) key);
    }
    assertArrayEquals(new double[] {before[0] + 1, before[1] + 1, before[2] + 1}, observed.counts("SET", "GET", "DEL"));
    assertEquals(List.of("SET", "GET", "DEL"), observed.spanNames());
    assertClientSpan(observed.spans().get(1), "GET", "GET ?");
  }

  @Test
  void aPipelineIsOneOperationWithItsCommandCount() {
    double pipelinesBefore = observed.count("PIPELINE");
    double[] before = observed.counts("SET", "GET");
    List<Response<String>> replies = new java.util.ArrayList<>();
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      Pipeline pipeline = jedis.pipelined();
      for (int i = 0; i < 50; i++) {
        pipeline.set(prefix + "p" + i, "v" + i);
        replies.add(pipeline.get(prefix + "p" + i));
      }
      pipeline.sync();
      pipeline.sync(); // nothing left to sync: no round trip, no operation
      pipeline.close(); // close syncs again: still nothing
      assertEquals("v49", replies.get(49).get());
      call(jedis, "del", prefix + "p0"); // the client is usable again; DEL's own operation
    }

    assertEquals(pipelinesBefore + 1, observed.count("PIPELINE"));
    assertArrayEquals(before, observed.counts("SET", "GET"), "queued commands are not counted again");
    assertEquals(List.of("PIPELINE", "DEL"), observed.spanNames());
    SpanData span = observed.spans().get(0);
    assertEquals(100L, span.getAttributes().get(Observed.BATCH_SIZE));
    assertEquals("PIPELINE", span.getAttributes().get(Observed.OPERATION));
    assertNull(span.getAttributes().get(Observed.QUERY), "a pipeline has no single query text");
    assertServer(span, HOST, PORT);
  }

  @Test
  void aTransactionIsOneMultiOperationMeasuredToItsExecReply() {
    double multiBefore = observed.count("MULTI");
    double[] before = observed.counts("SET", "INCR", "EXEC");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      Transaction transaction = jedis.multi();
      transaction.set(prefix + "counter", "41");
      Response<Long> incremented = transaction.incr(prefix + "counter");
      transaction.del(prefix + "counter");
      List<Object> results = transaction.exec();
      assertEquals(3, results.size());
      assertEquals(42L, incremented.get());
    }

    assertEquals(multiBefore + 1, observed.count("MULTI"));
    assertArrayEquals(before, observed.counts("SET", "INCR", "EXEC"), "queued commands are not counted again");
    assertEquals(List.of("MULTI"), observed.spanNames());
    SpanData span = observed.spans().get(0);
    assertEquals(3L, span.getAttributes().get(Observed.BATCH_SIZE));
    assertServer(span, HOST, PORT);
  }

  @Test
  void aDiscardedTransactionIsOneDiscardOperation() {
    double before = observed.count("DISCARD");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      Transaction transaction = jedis.multi();
      transaction.set(prefix + "never", "written");
      assertEquals("OK", transaction.discard());
      assertNull(jedis.get(prefix + "never"));
    }
    assertEquals(before + 1, observed.count("DISCARD"));
    assertEquals(List.of("DISCARD", "GET"), observed.spanNames());
  }

  @Test
  void anErrorReplyReachesTheApplicationUnchangedAndIsRecorded() {
    String key = prefix + "plain-string";
    String errorType = JedisDataException.class.getName();
    double failedBefore = observed.count("HGET", errorType);
    double succeededBefore = observed.count("HGET");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      jedis.set(key, "not a hash");
      JedisDataException thrown = assertThrows(JedisDataException.class, () -> jedis.hget(key, "field"));
      assertTrue(thrown.getMessage().startsWith("WRONGTYPE"), thrown.getMessage());
      assertSame(JedisDataException.class, thrown.getClass());
      call(jedis, "del", key);
    }

    assertEquals(failedBefore + 1, observed.count("HGET", errorType));
    assertEquals(succeededBefore, observed.count("HGET"));
    SpanData span = observed.spans().get(1);
    assertEquals("HGET", span.getName());
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(errorType, span.getAttributes().get(Observed.ERROR_TYPE));
    EventData event = span.getEvents().get(0);
    assertEquals(errorType, event.getAttributes().get(AttributeKey.stringKey("exception.type")));
    assertFalse(event.getAttributes().toString().contains("WRONGTYPE"), "no exception message by default");
  }

  @Test
  void aRefusedConnectionIsRecordedWithTheConnectionExceptionClass() {
    String errorType = JedisConnectionException.class.getName();
    double before = observed.count("GET", errorType);
    try (Jedis jedis = new Jedis(HOST, 1)) { // nothing listens on port 1
      assertThrows(JedisConnectionException.class, () -> jedis.get(prefix + "unreachable"));
    }
    assertEquals(before + 1, observed.count("GET", errorType));
    assertEquals(List.of("GET"), observed.spanNames());
    SpanData span = observed.spans().get(0);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(errorType, span.getAttributes().get(Observed.ERROR_TYPE));
    assertServer(span, HOST, 1);
  }

  @Test
  void aPooledClientCountsOncePerCommand() {
    double[] before = observed.counts("SET", "GET", "PING");
    try (JedisPool pool = new JedisPool(HOST, PORT)) {
      for (int i = 0; i < 3; i++) {
        try (Jedis jedis = pool.getResource()) {
          jedis.set(prefix + "pooled", "v" + i);
          assertEquals("v" + i, jedis.get(prefix + "pooled"));
        }
      }
      try (Jedis jedis = pool.getResource()) {
        call(jedis, "del", prefix + "pooled");
      }
    }
    assertArrayEquals(new double[] {before[0] + 3, before[1] + 3, before[2]}, observed.counts("SET", "GET", "PING"));
    assertEquals(List.of("SET", "GET", "SET", "GET", "SET", "GET", "DEL"), observed.spanNames());
  }

  @Test
  void commandsThatSendByHandAreMeasuredToo() {
    // PING and SELECT are sent and read by hand in every line, not through command objects.
    double[] before = observed.counts("PING", "SELECT");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      assertEquals("PONG", jedis.ping());
      assertEquals("OK", jedis.select(0));
    }
    assertArrayEquals(new double[] {before[0] + 1, before[1] + 1}, observed.counts("PING", "SELECT"));
    assertClientSpan(observed.spans().get(0), "PING", "PING");
    assertClientSpan(observed.spans().get(1), "SELECT", "SELECT ?");
  }

  @Test
  void anApplicationsOwnCommandIsNamedByItsBytesInUpperCase() {
    ProtocolCommand echo = new ProtocolCommand() {
      @Override
      public byte[] getRaw() {
        return "echo".getBytes(StandardCharsets.US_ASCII);
      }
    };
    double before = observed.count("ECHO");
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      for (int i = 0; i < 2; i++) {
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), (byte[]) jedis.sendCommand(echo, "hello"));
      }
    }
    assertEquals(before + 2, observed.count("ECHO"));
    assertClientSpan(observed.spans().get(0), "ECHO", "ECHO ?");
    assertClientSpan(observed.spans().get(1), "ECHO", "ECHO ?");
  }

  /** The duration histogram names the command's own span as its exemplar. */
  @Test
  void aCommandsSpanIsTheExemplarOfItsObservation() {
    // DBSIZE: a series of its own, whose first observation takes the exemplar. Sent as a raw
    // command: dbSize() returns long or Long depending on the Jedis line.
    ProtocolCommand dbSizeCommand = () -> "DBSIZE".getBytes(StandardCharsets.US_ASCII);
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      assertTrue((Long) jedis.sendCommand(dbSizeCommand) >= 0);
    }
    SpanData dbSize = observed.spans().get(0);
    assertEquals("DBSIZE", dbSize.getName());
    List<String> exemplars =
        agent.scrapeOpenMetrics().find("db_client_operation_duration_seconds_bucket",
                Scrape.labels("db_system_name", "redis", "db_operation_name", "DBSIZE")).stream()
            .filter(bucket -> bucket.exemplar != null)
            .map(bucket -> bucket.exemplar)
            .collect(Collectors.toList());
    assertEquals(1, exemplars.size(), exemplars.toString());
    assertTrue(exemplars.get(0).contains("span_id=\"" + dbSize.getSpanId() + "\""), exemplars.toString());
  }

  @Test
  void anExceptionInsideTheAgentIsCountedAndNeverReachesTheApplication() {
    expectAgentErrors = true;
    RedisRecorder real = RedisBridge.recorder();
    RedisBridge.install(new RedisRecorder() {
      @Override
      public void record(RedisCall call, Throwable error, long endNanos) {
        throw new IllegalStateException("injected fault");
      }
    });
    try (Jedis jedis = new Jedis(HOST, PORT)) {
      assertEquals("OK", jedis.set(prefix + "fault", "v"));
      assertEquals("v", jedis.get(prefix + "fault"));
      call(jedis, "del", prefix + "fault");
      // The fault left no half-open operation behind on this thread.
      RedisBridge.install(real);
      double before = observed.count("GET");
      jedis.get(prefix + "fault");
      assertEquals(before + 1, observed.count("GET"));
    } finally {
      RedisBridge.install(real);
    }
    assertEquals(errorsBefore + 3, observed.instrumentationErrors());
  }

  private static void assertClientSpan(SpanData span, String operation, String queryText) {
    assertEquals(operation, span.getName());
    assertEquals("redis", span.getAttributes().get(Observed.SYSTEM));
    assertEquals(operation, span.getAttributes().get(Observed.OPERATION));
    assertEquals(queryText, span.getAttributes().get(Observed.QUERY));
    assertNull(span.getAttributes().get(Observed.BATCH_SIZE));
    assertServer(span, HOST, PORT);
    assertTrue(span.getEndEpochNanos() > span.getStartEpochNanos(), "the span covers the round trip");
  }

  private static void assertServer(SpanData span, String host, int port) {
    assertEquals(host, span.getAttributes().get(Observed.SERVER_ADDRESS));
    assertEquals(port, span.getAttributes().get(Observed.SERVER_PORT));
  }
}
