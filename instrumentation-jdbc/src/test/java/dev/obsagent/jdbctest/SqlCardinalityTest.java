package dev.obsagent.jdbctest;

// Outside dev.obsagent.instrumentation.*, which the agent never weaves: this is application code.

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.Scrape;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cardinality attack through SQL: {@value #STATEMENTS} statements, each naming a table never seen
 * before (distinct SQL texts, distinct {@code db_collection_name}s), with
 * {@code obs.metrics.max-series=}{@value #MAX_SERIES}. The metric keeps at most max-series + 1
 * series, every statement is counted, and the SQL analysis cache (2,048 texts at most) and the
 * series cap keep the agent's memory bounded. The demo app of the smoke tests runs only its own
 * statements, so this attack runs here, with the agent in this JVM on H2.
 *
 * <p>Its own surefire execution (pom.xml): the agent in a JVM keeps its first configuration, and
 * the other tests here must not share a 50-series cap.
 */
class SqlCardinalityTest {

  static final int MAX_SERIES = 50;
  static final int STATEMENTS = 10_000;
  static final String COUNT = "db_client_operation_duration_seconds_count";
  /** A leak of 100 bytes per distinct statement would pass 1 MiB; the bound is generous for GC noise. */
  static final long HEAP_GROWTH_BOUND = 8L << 20;

  @Test
  void distinctTableNamesFoldIntoOtherAndMemoryStaysBounded() throws SQLException {
    InProcessAgent agent = InProcessAgent.install(Map.of("obs.metrics.max-series", String.valueOf(MAX_SERIES)));
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:sql_cardinality;DB_CLOSE_DELAY=-1");
        Statement statement = connection.createStatement()) {
      // Warm up: the driver, the agent's per-connection facts, the failure path.
      runAttack(statement, "warm", 200);
      agent.clearSpans();
      long heapBefore = heapAfterGc();
      double before = total(agent.scrape());

      runAttack(statement, "attack", STATEMENTS);
      agent.clearSpans(); // the test's in-memory span exporter, not the agent's
      Scrape after = agent.scrape();
      long heapAfter = heapAfterGc();

      List<Scrape.Sample> series = after.find(COUNT, Map.of());
      Map<String, String> other = Scrape.labels(
          "db_system_name", "_other", "db_operation_name", "_other", "db_collection_name", "_other", "error_type", "_other");
      System.out.printf("%d distinct SQL texts: %d db_client series (max-series %d), _other holds %.0f, +%.0f observations;"
              + " heap after GC %.1f MiB before, %.1f MiB after (%+d KiB)%n",
          STATEMENTS, series.size(), MAX_SERIES, after.value(COUNT, other), total(after) - before,
          heapBefore / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBefore) / 1024);

      assertEquals(MAX_SERIES + 1, series.size(), "series: " + series.size());
      assertEquals(STATEMENTS, total(after) - before, "observations lost or counted twice");
      assertTrue(after.value(COUNT, other) >= STATEMENTS, "_other: " + after.value(COUNT, other));
      assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
          "heap after GC grew " + (heapAfter - heapBefore) / 1024 + " KiB");
    }
  }

  /** SELECTs from tables that do not exist: each a new text and a new table name, each failing (SQLState 42S..). */
  private static void runAttack(Statement statement, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      String sql = "SELECT COUNT(*) FROM " + prefix + "_table_" + i + " WHERE id = " + i;
      SQLException e = assertThrows(SQLException.class, () -> statement.executeQuery(sql));
      assertTrue(e.getSQLState().startsWith("42"), e.getSQLState() + " " + e.getMessage());
    }
  }

  private static double total(Scrape scrape) {
    return scrape.find(COUNT, Map.of()).stream().mapToDouble(sample -> sample.value).sum();
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
