package dev.obsagent.jdbctest;

import dev.obsagent.testing.InProcessAgent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;

/**
 * A timed loop, not a test: 100k executions of one cached prepared statement (a primary-key
 * lookup on embedded H2), so the per-statement cost of the instrumentation stands out against a
 * query that takes about a microsecond. Run it in separate JVMs, one per mode:
 *
 * <pre>
 *   plain                  nothing installed here: run it without an agent for the baseline, or
 *                          with -javaagent:agent/target/obs-agent.jar=... for the real agent
 *   in-process             the agent core installed in this JVM, every span sampled and exported
 *                          synchronously to memory (the test setup, not production's pipeline)
 *   in-process-unsampled   the same with otel.traces.sampler=always_off: metrics only
 * </pre>
 *
 * It prints, per execution and as the median over the rounds: wall-clock time, the CPU time of
 * the benchmark thread (the cost the application thread pays, unaffected by other processes on a
 * busy machine) and the CPU time of the whole process (adds GC and background span export).
 */
public final class JdbcOverheadBenchmark {

  private static final int WARM_UP_ROUNDS = 5;
  private static final int ROUNDS = 15;
  private static final int EXECUTIONS = 100_000;

  private JdbcOverheadBenchmark() {}

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  public static void main(String[] args) throws SQLException {
    String mode = args.length > 0 ? args[0] : "plain";
    InProcessAgent agent = null;
    if (mode.equals("in-process")) {
      agent = InProcessAgent.install(Map.of("obs.log.level", "warn"));
    } else if (mode.equals("in-process-unsampled")) {
      agent = InProcessAgent.install(Map.of("obs.log.level", "warn", "otel.traces.sampler", "always_off"));
    } else if (!mode.equals("plain")) {
      throw new IllegalArgumentException("mode: plain, in-process or in-process-unsampled");
    }
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE bench_owners (id INT PRIMARY KEY, name VARCHAR(100))");
        statement.execute("INSERT INTO bench_owners VALUES (1, 'George')");
      }
      try (PreparedStatement lookup = connection.prepareStatement("SELECT name FROM bench_owners WHERE id = ?")) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean process = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] wall = new long[ROUNDS];
        long[] threadCpu = new long[ROUNDS];
        long[] processCpu = new long[ROUNDS];
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
          long wallStart = System.nanoTime();
          long threadStart = threads.getCurrentThreadCpuTime();
          long processStart = process.getProcessCpuTime();
          for (int i = 0; i < EXECUTIONS; i++) {
            lookup.setInt(1, 1);
            try (ResultSet rows = lookup.executeQuery()) {
              rows.next();
            }
          }
          if (round >= WARM_UP_ROUNDS) {
            int measured = round - WARM_UP_ROUNDS;
            wall[measured] = (System.nanoTime() - wallStart) / EXECUTIONS;
            threadCpu[measured] = (threads.getCurrentThreadCpuTime() - threadStart) / EXECUTIONS;
            processCpu[measured] = (process.getProcessCpuTime() - processStart) / EXECUTIONS;
          }
          if (agent != null) {
            agent.clearSpans(); // the in-memory exporter would otherwise keep every span
          }
        }
        System.out.printf("%s: per execution, median of %d rounds of %d: wall %d ns, thread CPU %d ns, process CPU %d ns%n",
            mode, ROUNDS, EXECUTIONS, median(wall), median(threadCpu), median(processCpu));
      }
    }
  }
}
