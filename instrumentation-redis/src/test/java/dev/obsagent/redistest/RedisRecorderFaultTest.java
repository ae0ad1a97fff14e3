package dev.obsagent.redistest;

import static dev.obsagent.redistest.ReflectiveCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.bootstrap.redis.RedisBridge;
import dev.obsagent.bootstrap.redis.RedisCall;
import dev.obsagent.bootstrap.redis.RedisRecorder;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.RequiresService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * A recorder that throws (a runtime exception, an {@code AssertionError}, a
 * {@code StackOverflowError}) for every operation: commands, a pipeline, a transaction and an
 * error reply, on a pooled {@code Jedis}, give the application exactly what they give without the
 * agent; each throwable is counted in
 * {@code obs_agent_instrumentation_errors_total{instrumentation="jedis"}}, and the thread is left
 * ready to measure the next operation.
 */
@RequiresService(name = "Redis", port = 6379)
class RedisRecorderFaultTest {

  /** Operations {@link #workload} makes: SET, GET, PIPELINE, MULTI, HGET (failing), DEL. */
  private static final int OPERATIONS = 6;

  private static InProcessAgent agent;
  private static Observed observed;
  private static String prefix;

  @BeforeAll
  static void installAgent() {
    JedisLine.assertIsTheExpectedOne();
    agent = InProcessAgent.install(Map.of());
    observed = new Observed(agent);
    prefix = "obs-agent-test:" + JedisLine.version() + ":" + ProcessHandle.current().pid() + ":faults:";
  }

  static Stream<Arguments> faults() {
    List<Supplier<Throwable>> throwables = List.of(
        () -> new IllegalStateException("injected fault"),
        () -> new AssertionError("injected fault"),
        () -> new StackOverflowError("injected fault"));
    return throwables.stream().map(throwable -> Arguments.of(throwable.get().getClass().getSimpleName(), throwable));
  }

  @ParameterizedTest(name = "record throws {0}")
  @MethodSource("faults")
  void aThrowingRecorderNeverReachesTheApplicationAndIsCounted(String name, Supplier<Throwable> throwable) {
    RedisRecorder real = RedisBridge.recorder();
    List<String> withoutTheAgent;
    RedisBridge.install(new RedisRecorder() {
      @Override
      public void record(RedisCall call, Throwable error, long endNanos) {}
    });
    try {
      withoutTheAgent = workload();
    } finally {
      RedisBridge.install(real);
    }

    double errors = observed.instrumentationErrors();
    RedisBridge.install(new RedisRecorder() {
      @Override
      public void record(RedisCall call, Throwable error, long endNanos) {
        Throwable fault = throwable.get();
        if (fault instanceof Error) {
          throw (Error) fault;
        }
        throw (RuntimeException) fault;
      }
    });
    List<String> seen;
    try {
      seen = workload();
    } finally {
      RedisBridge.install(real);
    }
    assertEquals(withoutTheAgent, seen, "record threw " + name);
    assertEquals(errors + OPERATIONS, observed.instrumentationErrors(),
        "obs_agent_instrumentation_errors_total{instrumentation=jedis}");

    // Nothing was left half-open on this thread: the next operation is measured.
    agent.clearSpans();
    try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
      jedis.get(prefix + "after");
    }
    assertEquals(List.of("GET"), observed.spanNames());
  }

  /** What the application sees from each operation. */
  private static List<String> workload() {
    List<String> seen = new ArrayList<>();
    String key = prefix + "key";
    try (JedisPool pool = new JedisPool("127.0.0.1", 6379); Jedis jedis = pool.getResource()) {
      seen.add(jedis.set(key, "v"));
      seen.add(jedis.get(key));
      Pipeline pipeline = jedis.pipelined();
      Response<String> piped = pipeline.get(key);
      Response<Long> length = pipeline.strlen(key);
      pipeline.sync();
      seen.add("pipeline " + piped.get() + " " + length.get());
      Transaction transaction = jedis.multi();
      Response<Long> incremented = transaction.incr(key + ":n");
      transaction.del(key + ":n");
      seen.add("exec " + transaction.exec().size() + " " + incremented.get());
      try {
        seen.add(jedis.hget(key, "field"));
      } catch (RuntimeException e) {
        seen.add(e.getClass().getName() + ": " + e.getMessage());
      }
      seen.add("del " + call(jedis, "del", key));
    }
    return seen;
  }
}
