package dev.obsagent.redistest;

import static dev.obsagent.redistest.ReflectiveCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@code JedisCluster} against a two-node cluster this class starts on loopback: each command is
 * one operation on the node that serves its key (in 3.x the cluster client drives a {@code Jedis}
 * per node; from 4.0 it is a unified client), and a cluster pipeline (4.0 and later) is one
 * operation whatever the nodes it spans.
 */
class JedisClusterTest {

  private static InProcessAgent agent;
  private static Observed observed;
  private static LocalRedisCluster cluster;
  private static String prefix;
  private double errorsBefore;

  @BeforeAll
  static void startCluster() throws Exception {
    JedisLine.assertIsTheExpectedOne();
    if (!LocalRedisCluster.serverBinaryAvailable()) {
      String reason = "redis-server is not on the PATH, so no local cluster can be started";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true and " + reason + ": install it (see .ci/run)");
      }
      System.out.println("SKIPPED SUITE JedisClusterTest: " + reason);
      abort(reason);
    }
    agent = InProcessAgent.install(Map.of());
    observed = new Observed(agent);
    cluster = LocalRedisCluster.start();
    prefix = "obs-agent-test:" + JedisLine.version() + ":cluster:";
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
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

  private static JedisCluster client() {
    return new JedisCluster(new HostAndPort("127.0.0.1", cluster.port(0)));
  }

  /** A key of ours served by the given node. */
  private static String keyOn(int node) {
    for (int i = 0; ; i++) {
      String key = prefix + i;
      if (cluster.portServing(JedisClusterCRC16.getSlot(key)) == cluster.port(node)) {
        return key;
      }
    }
  }

  @Test
  void eachCommandIsOneOperationOnTheNodeServingItsKey() {
    String first = keyOn(0);
    String second = keyOn(1);
    double[] before = observed.counts("SET", "GET");
    try (JedisCluster jedisCluster = client()) {
      agent.clearSpans(); // the client's slot discovery at start is not what this test is about
      assertEquals("OK", jedisCluster.set(first, "1"));
      assertEquals("OK", jedisCluster.set(second, "2"));
      assertEquals("1", jedisCluster.get(first));
      assertEquals("2", jedisCluster.get(second));
    }
    double[] after = observed.counts("SET", "GET");
    assertEquals(before[0] + 2, after[0]);
    assertEquals(before[1] + 2, after[1]);
    List<SpanData> spans = observed.spans();
    assertEquals(List.of("SET", "SET", "GET", "GET"), observed.spanNames());
    int[] expectedPorts = {cluster.port(0), cluster.port(1), cluster.port(0), cluster.port(1)};
    for (int i = 0; i < spans.size(); i++) {
      assertEquals("127.0.0.1", spans.get(i).getAttributes().get(Observed.SERVER_ADDRESS));
      assertEquals(expectedPorts[i], spans.get(i).getAttributes().get(Observed.SERVER_PORT), "span " + i);
    }
    assertNotEquals(cluster.port(0), cluster.port(1));
  }

  @Test
  void aClusterPipelineOverBothNodesIsOneOperation() throws Exception {
    assumeTrue(JedisLine.major() >= 4, "JedisCluster has pipelines from 4.0 on");
    double pipelinesBefore = observed.count("PIPELINE");
    double setsBefore = observed.count("SET");
    try (JedisCluster jedisCluster = client()) {
      agent.clearSpans();
      // pipelined() returns ClusterPipeline; called by name, as its declared type moved.
      try (AutoCloseable pipeline = (AutoCloseable) call(jedisCluster, "pipelined")) {
        for (int i = 0; i < 20; i++) {
          call(pipeline, "set", prefix + "pipelined:" + i, "v");
        }
        call(pipeline, "sync");
      }
    }
    assertEquals(pipelinesBefore + 1, observed.count("PIPELINE"));
    assertEquals(setsBefore, observed.count("SET"));
    assertEquals(List.of("PIPELINE"), observed.spanNames());
    SpanData span = observed.spans().get(0);
    assertEquals(20L, span.getAttributes().get(Observed.BATCH_SIZE));
    assertNull(span.getAttributes().get(Observed.SERVER_ADDRESS), "the pipeline spans two servers");
  }

  @Test
  void aClusterPipelineOnOneNodeNamesThatNode() throws Exception {
    assumeTrue(JedisLine.major() >= 4, "JedisCluster has pipelines from 4.0 on");
    try (JedisCluster jedisCluster = client()) {
      agent.clearSpans();
      try (AutoCloseable pipeline = (AutoCloseable) call(jedisCluster, "pipelined")) {
        for (int i = 0; i < 5; i++) {
          call(pipeline, "set", "{" + keyOn(1) + "}:" + i, "v"); // one hash tag: one slot
        }
        call(pipeline, "sync");
      }
    }
    assertEquals(List.of("PIPELINE"), observed.spanNames());
    SpanData span = observed.spans().get(0);
    assertEquals(5L, span.getAttributes().get(Observed.BATCH_SIZE));
    assertEquals(cluster.port(1), span.getAttributes().get(Observed.SERVER_PORT));
  }
}
