package dev.obsagent.jdbctest;

// Outside dev.obsagent.instrumentation.*, which the agent never weaves: this is application code.

import static dev.obsagent.testing.Scrape.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.bootstrap.jdbc.JdbcCall;
import dev.obsagent.bootstrap.jdbc.JdbcRecorder;
import dev.obsagent.testing.InProcessAgent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the JDBC instrumentation promises, checked against one real database per subclass: the
 * exact metric series and span attributes of CONTRACT.md for plain, prepared, callable and batch
 * statements, failures, transactions, huge statements, and HikariCP's wrappers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcInstrumentationContract {

  static final String HISTOGRAM = "db_client_operation_duration_seconds";
  static final String OWNERS = "jdbc_it_owners";
  static final String BLOBS = "jdbc_it_blobs";

  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  private static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
  private static final AttributeKey<String> PROCEDURE = AttributeKey.stringKey("db.stored_procedure.name");
  private static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("db.namespace");
  private static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  private static final AttributeKey<String> STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  InProcessAgent agent;

  // ---- what differs between databases

  /** A JDBC URL with credentials. */
  abstract String url();

  /** {@code db.system.name}. */
  abstract String system();

  abstract String namespace();

  /** {@code server.address}, or empty for an embedded database. */
  abstract String host();

  abstract long port();

  /** A column type for a 1 MB text. */
  abstract String largeTextType();

  /** Creates the stored function or procedure {@code jdbc_it_add} that adds two integers. */
  abstract void createAddRoutine(Statement statement) throws SQLException;

  /** The JDBC call escape that runs {@code jdbc_it_add}. */
  abstract String addCall();

  /** Runs {@link #addCall()} with 2 and 3 and returns what it computed. */
  abstract int callAdd(CallableStatement call) throws SQLException;

  // ---- fixture

  @BeforeAll
  void createSchema() throws SQLException {
    agent = InProcessAgent.install(Map.of());
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + OWNERS);
      statement.execute("CREATE TABLE " + OWNERS + " (id INT PRIMARY KEY, name VARCHAR(100))");
      statement.execute("DROP TABLE IF EXISTS " + BLOBS);
      statement.execute("CREATE TABLE " + BLOBS + " (id INT PRIMARY KEY, body " + largeTextType() + ")");
      createAddRoutine(statement);
    }
  }

  @BeforeEach
  void resetRows() throws SQLException {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM " + OWNERS);
      statement.execute("DELETE FROM " + BLOBS);
      statement.execute("INSERT INTO " + OWNERS + " (id, name) VALUES (1, 'George'), (2, 'Betty')");
    }
    agent.clearSpans();
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  // ---- statements

  @Test
  void aPlainStatementIsOneClientSpanAndOneObservation() throws SQLException {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      agent.clearSpans();
      double before = count("SELECT", OWNERS, "");
      try (ResultSet rows = statement.executeQuery("SELECT name FROM " + OWNERS + " WHERE id = 1")) {
        assertTrue(rows.next());
        assertEquals("George", rows.getString(1));
      }
      assertEquals(before + 1, count("SELECT", OWNERS, ""));
    }
    SpanData span = onlySpan();
    assertEquals("SELECT " + OWNERS, span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertAttributes(expectedAttributes("SELECT", OWNERS, "SELECT name FROM " + OWNERS + " WHERE id = ?"), span);
  }

  @Test
  void aPreparedStatementReportsTheSqlItWasPreparedWith() throws SQLException {
    String sql = "SELECT name FROM " + OWNERS + " WHERE id = ?";
    try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
      agent.clearSpans();
      double before = count("SELECT", OWNERS, "");
      for (int id = 1; id <= 2; id++) {
        statement.setInt(1, id);
        try (ResultSet rows = statement.executeQuery()) {
          assertTrue(rows.next());
        }
      }
      assertEquals(before + 2, count("SELECT", OWNERS, ""));
    }
    List<SpanData> spans = clientSpans();
    assertEquals(2, spans.size());
    for (SpanData span : spans) {
      assertEquals("SELECT " + OWNERS, span.getName());
      assertAttributes(expectedAttributes("SELECT", OWNERS, sql), span);
    }
  }

  @Test
  void updatesInsertsAndLargeUpdatesAreMeasuredWithTheirOperation() throws SQLException {
    double updates = count("UPDATE", OWNERS, "");
    double inserts = count("INSERT", OWNERS, "");
    double deletes = count("DELETE", OWNERS, "");
    try (Connection connection = connect();
        PreparedStatement update = connection.prepareStatement("UPDATE " + OWNERS + " SET name = ? WHERE id = ?");
        Statement statement = connection.createStatement()) {
      agent.clearSpans();
      update.setString(1, "Jean");
      update.setInt(2, 1);
      assertEquals(1, update.executeUpdate());
      assertFalse(statement.execute("INSERT INTO " + OWNERS + " (id, name) VALUES (10, 'Harold')"));
      assertEquals(1L, statement.executeLargeUpdate("DELETE FROM " + OWNERS + " WHERE id = 10"));
    }
    assertEquals(updates + 1, count("UPDATE", OWNERS, ""));
    assertEquals(inserts + 1, count("INSERT", OWNERS, ""));
    assertEquals(deletes + 1, count("DELETE", OWNERS, ""));
    List<SpanData> spans = clientSpans();
    assertEquals(List.of("UPDATE " + OWNERS, "INSERT " + OWNERS, "DELETE " + OWNERS), names(spans));
    assertEquals("INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?)", spans.get(1).getAttributes().get(QUERY_TEXT));
    assertEquals("DELETE FROM " + OWNERS + " WHERE id = ?", spans.get(2).getAttributes().get(QUERY_TEXT));
  }

  @Test
  void aCallableStatementNamesTheProcedure() throws SQLException {
    double before = count("CALL", "", "");
    try (Connection connection = connect()) {
      agent.clearSpans();
      try (CallableStatement call = connection.prepareCall(addCall())) {
        assertEquals(5, callAdd(call));
      }
    }
    assertEquals(before + 1, count("CALL", "", ""));
    SpanData span = onlySpan();
    assertEquals("CALL jdbc_it_add", span.getName());
    assertAttributes(expectedAttributes("CALL", "", addCall()).put(PROCEDURE, "jdbc_it_add"), span);
  }

  // ---- batches

  @Test
  void aPreparedBatchIsOneOperationWithItsSize() throws SQLException {
    String sql = "INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?)";
    double batches = count("BATCH INSERT", OWNERS, "");
    double inserts = count("INSERT", OWNERS, "");
    try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(sql)) {
      agent.clearSpans();
      for (int id = 20; id < 23; id++) {
        insert.setInt(1, id);
        insert.setString(2, "owner " + id);
        insert.addBatch();
      }
      assertEquals(3, insert.executeBatch().length);
    }
    assertEquals(batches + 1, count("BATCH INSERT", OWNERS, ""));
    assertEquals(inserts, count("INSERT", OWNERS, ""));
    SpanData span = onlySpan();
    assertEquals("BATCH INSERT " + OWNERS, span.getName());
    assertAttributes(expectedAttributes("BATCH INSERT", OWNERS, sql).put(BATCH_SIZE, 3L), span);
  }

  @Test
  void aPlainBatchOfDifferentStatementsIsABatchWithTheTextsJoined() throws SQLException {
    double before = count("BATCH", "", "");
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      agent.clearSpans();
      statement.addBatch("INSERT INTO " + OWNERS + " (id, name) VALUES (30, 'Eduardo')");
      statement.addBatch("UPDATE " + OWNERS + " SET name = 'Ed' WHERE id = 30");
      assertEquals(2, statement.executeBatch().length);
    }
    assertEquals(before + 1, count("BATCH", "", ""));
    SpanData span = onlySpan();
    assertEquals("BATCH", span.getName());
    assertAttributes(
        expectedAttributes("BATCH", "",
                "INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?); UPDATE " + OWNERS + " SET name = ? WHERE id = ?")
            .put(BATCH_SIZE, 2L),
        span);
  }

  @Test
  void aClearedBatchIsForgottenAndABatchOfOneIsNoBatch() throws SQLException {
    double inserts = count("INSERT", OWNERS, "");
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      agent.clearSpans();
      statement.addBatch("DELETE FROM " + OWNERS);
      statement.clearBatch();
      statement.addBatch("INSERT INTO " + OWNERS + " (id, name) VALUES (40, 'Maria')");
      assertEquals(1, statement.executeBatch().length);
    }
    assertEquals(inserts + 1, count("INSERT", OWNERS, ""));
    SpanData span = onlySpan();
    assertEquals("INSERT " + OWNERS, span.getName());
    assertAttributes(expectedAttributes("INSERT", OWNERS, "INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?)"), span);
  }

  // ---- failures

  @Test
  void aFailingStatementRecordsTheSqlStateClassAndTheApplicationGetsTheSameException() throws SQLException {
    String sql = "SELECT * FROM jdbc_it_missing";
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      SQLException unobserved = withoutTheAgent(() -> assertThrows(SQLException.class, () -> statement.executeQuery(sql)));
      agent.clearSpans();
      double before = count("SELECT", "jdbc_it_missing", "42");
      SQLException observed = assertThrows(SQLException.class, () -> statement.executeQuery(sql));

      assertEquals(unobserved.getClass(), observed.getClass());
      assertEquals(unobserved.getMessage(), observed.getMessage());
      assertEquals(unobserved.getSQLState(), observed.getSQLState());
      assertEquals(unobserved.getErrorCode(), observed.getErrorCode());
      assertEquals("42", observed.getSQLState().substring(0, 2));
      assertEquals(before + 1, count("SELECT", "jdbc_it_missing", "42"));

      SpanData span = onlySpan();
      assertEquals("SELECT jdbc_it_missing", span.getName());
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertAttributes(expectedAttributes("SELECT", "jdbc_it_missing", sql)
              .put(ERROR_TYPE, "42")
              .put(STATUS_CODE, observed.getSQLState())
              , span);
      EventData event = span.getEvents().get(0);
      assertEquals(observed.getClass().getName(), event.getAttributes().get(AttributeKey.stringKey("exception.type")));
      assertFalse(event.getAttributes().toString().contains("jdbc_it_missing"), "no exception message by default");
    }
  }

  @Test
  void aSyntaxErrorIsAClass42Error() throws SQLException {
    double before = count("SELECT", "", "42");
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      agent.clearSpans();
      assertThrows(SQLException.class, () -> statement.executeQuery("SELECT * FROM"));
    }
    assertEquals(before + 1, count("SELECT", "", "42"));
    assertEquals("42", onlySpan().getAttributes().get(ERROR_TYPE));
  }

  @Test
  void aFaultInsideTheAgentIsCountedAndNeverReachesTheApplication() throws SQLException {
    Map<String, String> errorLabels = labels("instrumentation", "jdbc");
    double errors = agent.scrape().value("obs_agent_instrumentation_errors_total", errorLabels);
    JdbcRecorder real = JdbcBridge.recorder();
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      JdbcBridge.install(new FailingRecorder());
      try (ResultSet rows = statement.executeQuery("SELECT name FROM " + OWNERS + " WHERE id = 2")) {
        assertTrue(rows.next());
        assertEquals("Betty", rows.getString(1));
      } finally {
        JdbcBridge.install(real);
      }
      assertEquals(errors + 1, agent.scrape().value("obs_agent_instrumentation_errors_total", errorLabels));

      // The nesting depth was released: the next call on this thread is measured again.
      agent.clearSpans();
      statement.executeQuery("SELECT name FROM " + OWNERS + " WHERE id = 2").close();
      assertEquals("SELECT " + OWNERS, onlySpan().getName());
    }
  }

  /** Each point where JDBC advice calls the agent's recorder. */
  enum RecorderPoint {
    PREPARED(2), EXECUTE_START(5), EXECUTE_END(5), BATCH_ADDED(3), BATCH_CLEARED(1), BATCH_START(1), BATCH_END(1);

    /** How often {@link #recorderWorkload} reaches it. */
    final int calls;

    RecorderPoint(int calls) {
      this.calls = calls;
    }
  }

  static Stream<Arguments> recorderFaults() {
    List<Supplier<Throwable>> throwables = List.of(
        () -> new IllegalStateException("injected fault"),
        () -> new AssertionError("injected fault"),
        () -> new StackOverflowError("injected fault"));
    Stream.Builder<Arguments> cases = Stream.builder();
    for (RecorderPoint point : RecorderPoint.values()) {
      for (Supplier<Throwable> throwable : throwables) {
        cases.add(Arguments.of(point, throwable.get().getClass().getSimpleName(), throwable));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} throws {1}")
  @MethodSource("recorderFaults")
  void aThrowableAtAnyRecorderCallNeverReachesTheApplicationAndIsCounted(
      RecorderPoint point, String name, Supplier<Throwable> throwable) throws SQLException {
    List<String> withoutTheAgent = withoutTheAgent(this::recorderWorkload);
    Map<String, String> errorLabels = labels("instrumentation", "jdbc");
    double errors = agent.scrape().value("obs_agent_instrumentation_errors_total", errorLabels);
    JdbcRecorder real = JdbcBridge.recorder();
    JdbcBridge.install(new FaultAt(point, throwable));
    List<String> seen;
    try {
      seen = recorderWorkload();
    } finally {
      JdbcBridge.install(real);
    }
    assertEquals(withoutTheAgent, seen, point + " threw " + name);
    assertEquals(errors + point.calls, agent.scrape().value("obs_agent_instrumentation_errors_total", errorLabels),
        "obs_agent_instrumentation_errors_total{instrumentation=jdbc}");

    // Every nesting depth was released: the next call on this thread is measured again.
    agent.clearSpans();
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.executeQuery("SELECT name FROM " + OWNERS + " WHERE id = 2").close();
    }
    assertEquals("SELECT " + OWNERS, onlySpan().getName());
  }

  /**
   * Prepared, plain, batched, cleared and failing statements; what the application saw. Reaches
   * every {@link RecorderPoint} {@code calls} times.
   */
  private List<String> recorderWorkload() {
    List<String> seen = new ArrayList<>();
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      try (PreparedStatement select = connection.prepareStatement("SELECT name FROM " + OWNERS + " WHERE id = ?")) {
        select.setInt(1, 1);
        try (ResultSet rows = select.executeQuery()) {
          seen.add(rows.next() ? rows.getString(1) : "no row");
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT name FROM " + OWNERS + " WHERE id = 2")) {
        seen.add(rows.next() ? rows.getString(1) : "no row");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?)")) {
        for (int id = 70; id < 72; id++) {
          insert.setInt(1, id);
          insert.setString(2, "batched " + id);
          insert.addBatch();
        }
        seen.add("batch " + java.util.Arrays.toString(normalized(insert.executeBatch())));
      }
      statement.addBatch("DELETE FROM " + OWNERS);
      statement.clearBatch();
      try {
        statement.executeQuery("SELECT * FROM jdbc_it_missing").close();
        seen.add("no exception");
      } catch (SQLException e) {
        // MariaDB's messages name the connection's id.
        String message = String.valueOf(e.getMessage()).replaceAll("\\(conn=\\d+\\)", "(conn=<id>)");
        seen.add(e.getClass().getName() + ": " + message + " [" + e.getSQLState() + ", " + e.getErrorCode() + "]");
      }
      try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + OWNERS)) {
        seen.add(rows.next() ? "rows " + rows.getLong(1) : "no count");
      }
      seen.add("deleted " + statement.executeUpdate("DELETE FROM " + OWNERS + " WHERE id >= 70"));
    } catch (SQLException e) {
      seen.add("unexpected " + e);
    }
    return seen;
  }

  /** Measures nothing and throws at one point. */
  static final class FaultAt extends JdbcRecorder {
    private final RecorderPoint point;
    private final Supplier<Throwable> throwable;

    FaultAt(RecorderPoint point, Supplier<Throwable> throwable) {
      this.point = point;
      this.throwable = throwable;
    }

    private void maybeThrow(RecorderPoint at) {
      if (at == point) {
        Throwable fault = throwable.get();
        if (fault instanceof Error) {
          throw (Error) fault;
        }
        throw (RuntimeException) fault;
      }
    }

    private JdbcCall call(RecorderPoint end) {
      return point != end ? null : new JdbcCall() {
        @Override
        public void end(Throwable thrown) {
          maybeThrow(end);
        }
      };
    }

    @Override
    public void prepared(Object connection, Object statement, String sql) {
      maybeThrow(RecorderPoint.PREPARED);
    }

    @Override
    public JdbcCall startExecute(Object statement, String sql) {
      maybeThrow(RecorderPoint.EXECUTE_START);
      return call(RecorderPoint.EXECUTE_END);
    }

    @Override
    public void batchAdded(Object statement, String sql) {
      maybeThrow(RecorderPoint.BATCH_ADDED);
    }

    @Override
    public void batchCleared(Object statement) {
      maybeThrow(RecorderPoint.BATCH_CLEARED);
    }

    @Override
    public JdbcCall startBatch(Object statement) {
      maybeThrow(RecorderPoint.BATCH_START);
      return call(RecorderPoint.BATCH_END);
    }
  }

  // ---- transactions and size

  @Test
  void statementsInATransactionAreMeasuredAndCommitted() throws SQLException {
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      agent.clearSpans();
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?)");
          Statement statement = connection.createStatement()) {
        insert.setInt(1, 50);
        insert.setString(2, "Jeff");
        insert.executeUpdate();
        statement.executeUpdate("UPDATE " + OWNERS + " SET name = 'Jeff Black' WHERE id = 50");
      }
      connection.commit();
    }
    assertEquals(List.of("INSERT " + OWNERS, "UPDATE " + OWNERS), names(clientSpans()));
    try (Connection other = connect();
        Statement statement = other.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM " + OWNERS + " WHERE id = 50")) {
      assertTrue(rows.next());
      assertEquals("Jeff Black", rows.getString(1));
    }
  }

  @Test
  void aOneMegabyteStatementRunsAndItsTextIsCapped() throws SQLException {
    String body = "x".repeat(1024 * 1024);
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      agent.clearSpans();
      assertEquals(1, statement.executeUpdate("INSERT INTO " + BLOBS + " (id, body) VALUES (1, '" + body + "')"));
      SpanData span = onlySpan();
      assertEquals("INSERT " + BLOBS, span.getName());
      assertEquals("INSERT INTO " + BLOBS + " (id, body) VALUES (?, ?...", span.getAttributes().get(QUERY_TEXT));
      try (ResultSet rows = statement.executeQuery("SELECT LENGTH(body) FROM " + BLOBS + " WHERE id = 1")) {
        assertTrue(rows.next());
        assertEquals(body.length(), rows.getInt(1));
      }
    }
  }

  // ---- pools and traces

  @Test
  void hikariWrappersAreMeasuredOncePerCall() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url());
    config.setMaximumPoolSize(2);
    config.setPoolName("jdbc-it-" + system());
    try (HikariDataSource pool = new HikariDataSource(config); Connection connection = pool.getConnection()) {
      assertTrue(connection.getClass().getName().startsWith("com.zaxxer.hikari."), connection.getClass().getName());
      agent.clearSpans();
      double selects = count("SELECT", OWNERS, "");
      double batches = count("BATCH INSERT", OWNERS, "");
      try (PreparedStatement select = connection.prepareStatement("SELECT name FROM " + OWNERS + " WHERE id = ?")) {
        select.setInt(1, 1);
        select.executeQuery().close();
      }
      assertEquals(selects + 1, count("SELECT", OWNERS, ""));
      try (Statement statement = connection.createStatement()) {
        statement.executeQuery("SELECT name FROM " + OWNERS).close();
      }
      assertEquals(selects + 2, count("SELECT", OWNERS, ""));
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + OWNERS + " (id, name) VALUES (?, ?)")) {
        for (int id = 60; id < 62; id++) {
          insert.setInt(1, id);
          insert.setString(2, "pooled");
          insert.addBatch();
        }
        assertArrayEquals(new int[] {1, 1}, normalized(insert.executeBatch()));
      }
      assertEquals(batches + 1, count("BATCH INSERT", OWNERS, ""));
    }
    List<SpanData> spans = clientSpans();
    assertEquals(List.of("SELECT " + OWNERS, "SELECT " + OWNERS, "BATCH INSERT " + OWNERS), names(spans));
    assertAttributes(expectedAttributes("SELECT", OWNERS, "SELECT name FROM " + OWNERS + " WHERE id = ?"), spans.get(0));
    assertEquals(2L, spans.get(2).getAttributes().get(BATCH_SIZE));
  }

  @Test
  void withoutAParentSpansAreRootsAndWithOneTheyAreItsChildren() throws SQLException {
    Tracer tracer = agent.runtime().tracing().openTelemetry().getTracer("jdbc-test");
    Span parent = tracer.spanBuilder("parent").startSpan();
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      agent.clearSpans();
      statement.executeQuery("SELECT 1").close();
      statement.executeQuery("SELECT 2").close();
      try (Scope ignored = parent.makeCurrent()) {
        statement.executeQuery("SELECT 3").close();
      }
    } finally {
      parent.end();
    }
    List<SpanData> spans = clientSpans();
    assertEquals(3, spans.size());
    assertFalse(spans.get(0).getParentSpanContext().isValid());
    assertFalse(spans.get(1).getParentSpanContext().isValid());
    assertNotEquals(spans.get(0).getTraceId(), spans.get(1).getTraceId());
    assertEquals(parent.getSpanContext().getTraceId(), spans.get(2).getTraceId());
    assertEquals(parent.getSpanContext().getSpanId(), spans.get(2).getParentSpanId());
    assertEquals("SELECT", spans.get(2).getName());
    assertEquals("SELECT ?", spans.get(2).getAttributes().get(QUERY_TEXT));
  }

  /** The duration histogram names the statement's own span as its exemplar, under a parent span too. */
  @Test
  void aStatementsSpanIsTheExemplarOfItsObservation() throws SQLException {
    String table = "jdbc_it_exemplars"; // a series of its own: its first observation takes the exemplar
    Tracer tracer = agent.runtime().tracing().openTelemetry().getTracer("jdbc-test");
    Span parent = tracer.spanBuilder("parent").startSpan();
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
      agent.clearSpans();
      try (Scope ignored = parent.makeCurrent()) {
        statement.executeQuery("SELECT id FROM " + table).close();
      }
      statement.execute("DROP TABLE " + table);
    } finally {
      parent.end();
    }
    SpanData select = clientSpans().get(0);
    assertEquals("SELECT " + table, select.getName());
    List<String> exemplars =
        agent.scrapeOpenMetrics().find(HISTOGRAM + "_bucket", labels("db_system_name", system(),
                "db_operation_name", "SELECT", "db_collection_name", table)).stream()
            .filter(bucket -> bucket.exemplar != null)
            .map(bucket -> bucket.exemplar)
            .collect(Collectors.toList());
    assertEquals(1, exemplars.size(), exemplars.toString());
    assertTrue(exemplars.get(0).contains("span_id=\"" + select.getSpanId() + "\""), exemplars.toString());
  }

  // ---- helpers

  /** The span attributes every statement on this database carries, plus operation, table and text. */
  AttributesBuilder expectedAttributes(String operation, String table, String text) {
    AttributesBuilder attributes = Attributes.builder().put(SYSTEM, system()).put(OPERATION, operation);
    if (!table.isEmpty()) {
      attributes.put(COLLECTION, table);
    }
    attributes.put(NAMESPACE, namespace()).put(QUERY_TEXT, text);
    if (!host().isEmpty()) {
      attributes.put(SERVER_ADDRESS, host()).put(SERVER_PORT, port());
    }
    return attributes;
  }

  /** Exactly these attributes. */
  static void assertAttributes(AttributesBuilder expected, SpanData span) {
    Map<String, Object> actual = byName(span.getAttributes());
    assertEquals(byName(expected.build()), actual, span.getName());
  }

  private static Map<String, Object> byName(Attributes attributes) {
    Map<String, Object> byName = new java.util.TreeMap<>();
    attributes.forEach((key, value) -> byName.put(key.getKey(), value));
    return byName;
  }

  double count(String operation, String table, String errorType) {
    return agent.scrape().value(HISTOGRAM + "_count",
        labels("db_system_name", system(), "db_operation_name", operation, "db_collection_name", table,
            "error_type", errorType));
  }

  List<SpanData> clientSpans() {
    return agent.spans().stream()
        .filter(span -> span.getInstrumentationScopeInfo().getName().equals("dev.obsagent.jdbc"))
        .collect(Collectors.toList());
  }

  SpanData onlySpan() {
    List<SpanData> spans = clientSpans();
    assertEquals(1, spans.size(), "one JDBC span: " + names(spans));
    return spans.get(0);
  }

  static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).collect(Collectors.toList());
  }

  /** Drivers may answer SUCCESS_NO_INFO (-2) for batched rows. */
  static int[] normalized(int[] updateCounts) {
    int[] counts = updateCounts.clone();
    for (int i = 0; i < counts.length; i++) {
      counts[i] = counts[i] == Statement.SUCCESS_NO_INFO ? 1 : counts[i];
    }
    return counts;
  }

  /** Runs with a recorder that sees nothing, as if the agent were absent. */
  static <T> T withoutTheAgent(java.util.function.Supplier<T> action) {
    JdbcRecorder real = JdbcBridge.recorder();
    JdbcBridge.install(JdbcRecorder.NOOP);
    try {
      return action.get();
    } finally {
      JdbcBridge.install(real);
    }
  }

  /** Fails where the real recorder would start measuring. */
  static final class FailingRecorder extends JdbcRecorder {
    @Override
    public JdbcCall startExecute(Object statement, String sql) {
      throw new IllegalStateException("injected fault");
    }
  }
}
