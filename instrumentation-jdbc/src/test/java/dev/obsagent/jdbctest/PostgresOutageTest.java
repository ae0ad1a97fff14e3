package dev.obsagent.jdbctest;

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.bootstrap.jdbc.JdbcRecorder;
import dev.obsagent.testing.InProcessAgent;
import dev.obsagent.testing.RequiresService;
import dev.obsagent.testing.TcpProxy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PostgreSQL going away mid-run and coming back, behind a {@link TcpProxy} so the real server is
 * never touched, with HikariCP in between as in most applications: the application sees exactly
 * the exceptions it would see without the agent, the failed statement is recorded, and once the
 * database is back statements succeed and are counted again.
 */
@RequiresService(name = "PostgreSQL", port = 5432)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOutageTest {

  private static final String HISTOGRAM_COUNT = "db_client_operation_duration_seconds_count";
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  /** Successful statements before the cut and after the restore. */
  private static final int STATEMENTS = 10;

  private InProcessAgent agent;
  private TcpProxy proxy;

  @BeforeAll
  void start() throws Exception {
    agent = InProcessAgent.install(Map.of());
    proxy = TcpProxy.start("127.0.0.1", 5432);
  }

  @AfterAll
  void stop() {
    proxy.close();
  }

  @Test
  void aDatabaseOutageReachesTheApplicationUnchangedIsRecordedAndRecovers() throws Exception {
    List<String> withoutTheAgent;
    JdbcRecorder real = JdbcBridge.recorder();
    JdbcBridge.install(JdbcRecorder.NOOP);
    try {
      withoutTheAgent = outage();
    } finally {
      JdbcBridge.install(real);
    }

    double succeeded = count("");
    double failed = count("08");
    double agentErrors = agentErrors();
    agent.clearSpans();
    long started = System.nanoTime();
    List<String> observed = outage();
    System.out.printf("PostgreSQL outage through HikariCP: %d steps in %d ms: %s%n",
        observed.size(), (System.nanoTime() - started) / 1_000_000, observed);

    assertEquals(withoutTheAgent, observed, "the application saw the same results and exceptions");
    assertEquals(succeeded + 2 * STATEMENTS + 1, count(""), "successful statements before and after");
    assertEquals(failed + 1, count("08"), "the statement on the connection that went away");
    assertEquals(agentErrors, agentErrors(), "obs_agent_instrumentation_errors_total{instrumentation=jdbc}");

    List<SpanData> spans = agent.spans().stream()
        .filter(span -> span.getInstrumentationScopeInfo().getName().equals("dev.obsagent.jdbc"))
        .collect(Collectors.toList());
    assertEquals(2 * STATEMENTS + 2, spans.size());
    List<SpanData> errors = spans.stream()
        .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR)
        .collect(Collectors.toList());
    assertEquals(1, errors.size());
    assertEquals("08", errors.get(0).getAttributes().get(ERROR_TYPE));
    assertEquals((long) proxy.port(), errors.get(0).getAttributes().get(SERVER_PORT));
    assertEquals("SELECT", spans.get(spans.size() - 1).getName(), "the last statement, after the restore");
    assertEquals(StatusCode.UNSET, spans.get(spans.size() - 1).getStatus().getStatusCode());
  }

  /**
   * Statements through a one-connection pool; the proxy is cut while the application holds the
   * connection; then the pool has none to give; then the database comes back. Returns what the
   * application saw at each step.
   */
  private List<String> outage() throws Exception {
    List<String> transcript = new ArrayList<>();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?user=postgres&connectTimeout=5");
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(500);
    config.setPoolName("outage");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      for (int i = 0; i < STATEMENTS; i++) {
        transcript.add(select(pool));
      }
      try (Connection held = pool.getConnection(); Statement statement = held.createStatement()) {
        transcript.add(outcome(() -> selectOne(statement)));
        proxy.cut();
        transcript.add(outcome(() -> selectOne(statement)));
      }
      transcript.add(select(pool));
      transcript.add(select(pool));
      proxy.restore();
      // The pool reconnects in the background: the first borrows may still time out.
      long deadline = System.nanoTime() + 20_000_000_000L;
      String recovered;
      do {
        recovered = select(pool);
      } while (!recovered.equals("1") && System.nanoTime() < deadline);
      transcript.add("recovered: " + recovered);
      for (int i = 1; i < STATEMENTS; i++) {
        transcript.add(select(pool));
      }
    } finally {
      proxy.restore();
    }
    return transcript;
  }

  private static String select(HikariDataSource pool) {
    return outcome(() -> {
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        return selectOne(statement);
      }
    });
  }

  private static String selectOne(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT 1")) {
      assertTrue(rows.next());
      return rows.getString(1);
    }
  }

  interface Step {
    String run() throws Exception;
  }

  /** The result, or the exception as the application sees it: class, message, SQL state, cause. */
  private static String outcome(Step step) {
    try {
      return step.run();
    } catch (Exception e) {
      StringBuilder text = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        text.append(t == e ? "" : " caused by ").append(t.getClass().getName()).append(": ")
            // HikariCP's timeout message quotes the milliseconds it waited.
            .append(String.valueOf(t.getMessage()).replaceAll("\\d+ms", "<n>ms"));
        if (t instanceof SQLException) {
          text.append(" [").append(((SQLException) t).getSQLState()).append(']');
        }
      }
      return text.toString();
    }
  }

  private double count(String errorType) {
    return agent.scrape().value(HISTOGRAM_COUNT, labels("db_system_name", "postgresql", "db_operation_name", "SELECT",
        "db_collection_name", "", "error_type", errorType));
  }

  private double agentErrors() {
    return agent.scrape().value("obs_agent_instrumentation_errors_total", labels("instrumentation", "jdbc"));
  }
}
