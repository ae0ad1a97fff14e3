package dev.obsagent.redisbench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.Arrays;
import redis.clients.jedis.Jedis;

/**
 * The added cost per Redis command: a loop of 100,000 GETs against the Redis on loopback, run in
 * two JVMs, one started with {@code -javaagent:agent/target/obs-agent.jar} and one without, and
 * compared by hand. Not a test: timings on a shared machine are no assertion.
 *
 * <p>Arguments: {@code [rounds [host [port]]]}. With {@code -Dbench.metrics=<port>} it prints the
 * agent's Redis series from its {@code /metrics} at the end, to show what was recorded. With
 * {@code -Dbench.in-memory=true} the GETs go to an in-memory stand-in instead of Redis, which
 * isolates the client's and the agent's own CPU cost from the round trip and the machine's load.
 */
public final class GetLoopBenchmark {

  private static final int GETS = 100_000;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 6379;

    long loadStart = System.nanoTime();
    Class.forName("redis.clients.jedis.Jedis");
    long loaded = System.nanoTime() - loadStart;
    boolean inMemory = Boolean.getBoolean("bench.in-memory");
    try (Jedis jedis = inMemory ? new Jedis(new InMemoryRedisSockets()) : new Jedis(host, port)) {
      long firstStart = System.nanoTime();
      if (!inMemory) {
        jedis.set("obs-agent-bench:key", "value");
      }
      long first = System.nanoTime() - firstStart;
      System.out.printf("load Jedis class: %.1f ms, first command (connect + SET): %.1f ms%n", loaded / 1e6, first / 1e6);

      loop(jedis, GETS); // warm-up: JIT, connection, agent caches
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      double[] wallMicros = new double[rounds];
      double[] cpuMicros = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        long wallStart = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        loop(jedis, GETS);
        cpuMicros[round] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / GETS;
        wallMicros[round] = (System.nanoTime() - wallStart) / 1e3 / GETS;
      }
      // The calling thread's CPU time is what the agent adds to; the wall time is mostly the
      // round trip, and on a shared machine also everyone else's load.
      print("wall", wallMicros);
      print("cpu ", cpuMicros);
      if (!inMemory) {
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.DEL, "obs-agent-bench:key");
      }
    }
    String metricsPort = System.getProperty("bench.metrics");
    if (metricsPort != null) {
      try (InputStream in = URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL().openStream()) {
        for (String line : new String(in.readAllBytes()).split("\n")) {
          if (line.startsWith("db_client_operation_duration_seconds_count") || line.startsWith("obs_agent_instrumentation_errors")) {
            System.out.println(line);
          }
        }
      }
    }
  }

  private static void print(String what, double[] microsPerGet) {
    Arrays.sort(microsPerGet);
    System.out.printf("%s per GET (%d x %d): min %.2f us, median %.2f us, max %.2f us%n", what, microsPerGet.length,
        GETS, microsPerGet[0], microsPerGet[microsPerGet.length / 2], microsPerGet[microsPerGet.length - 1]);
  }

  private static void loop(Jedis jedis, int gets) {
    int found = 0;
    for (int i = 0; i < gets; i++) {
      if (jedis.get("obs-agent-bench:key") != null) {
        found++;
      }
    }
    if (found != gets) {
      throw new IllegalStateException("the key vanished: " + found);
    }
  }
}
