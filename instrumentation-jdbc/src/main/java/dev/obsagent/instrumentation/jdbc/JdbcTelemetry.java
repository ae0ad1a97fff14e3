package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.bootstrap.jdbc.JdbcCall;
import dev.obsagent.bootstrap.jdbc.JdbcRecorder;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.SpanExceptions;
import dev.obsagent.core.metrics.CappedSeries;
import dev.obsagent.instrumentation.jdbc.sql.SqlAnalyzer;
import dev.obsagent.instrumentation.jdbc.sql.SqlDialect;
import dev.obsagent.instrumentation.jdbc.sql.SqlSummary;
import dev.obsagent.instrumentation.jdbc.util.WeakIdentityMap;
import io.opentelemetry.api.trace.Tracer;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.sql.Connection;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns what JDBC advice saw into the database metrics and CLIENT spans of CONTRACT.md. It ties
 * SQL to statements and connection facts to connections through weak identity maps, so a
 * prepared statement's execution costs one map read and no SQL analysis.
 */
final class JdbcTelemetry extends JdbcRecorder {

  final Tracer tracer;
  final SpanExceptions spanExceptions;
  private final CappedSeries<DistributionDataPoint> durations;
  private final ConnectionInfos connections = new ConnectionInfos();
  private final WeakIdentityMap<Statement, StatementState> statements = new WeakIdentityMap<>();
  private final Map<SqlDialect, SqlAnalyzer> analyzers = new EnumMap<>(SqlDialect.class);

  JdbcTelemetry(AgentContext context) {
    this.tracer = context.tracer("jdbc");
    this.spanExceptions = context.spanExceptions();
    this.durations =
        context.metrics().durationHistogram(
            "db_client_operation_duration_seconds",
            "Duration of database client operations.",
            "db_system_name", "db_operation_name", "db_collection_name", "error_type");
    for (SqlDialect dialect : SqlDialect.values()) {
      analyzers.put(dialect, new SqlAnalyzer(dialect));
    }
  }

  @Override
  public void prepared(Object connection, Object statement, String sql) {
    ConnectionInfo info = connections.of((Connection) connection);
    statements.put((Statement) statement, new StatementState(info, analyze(info, sql)));
  }

  @Override
  public JdbcCall startExecute(Object statement, String sql) {
    Statement jdbcStatement = (Statement) statement;
    if (sql != null) {
      ConnectionInfo info = connections.of(jdbcStatement);
      SqlSummary summary = analyze(info, sql);
      return summary == SqlSummary.NO_STATEMENT
          ? null
          : new JdbcOperation(this, info, summary, JdbcOperation.NOT_A_BATCH, null);
    }
    StatementState state = statements.get(jdbcStatement);
    if (state == null || state.prepared == null) { // prepared before the agent was attached
      return new JdbcOperation(
          this, connections.of(jdbcStatement), SqlSummary.UNKNOWN, JdbcOperation.NOT_A_BATCH, null);
    }
    if (state.prepared == SqlSummary.NO_STATEMENT) {
      return null;
    }
    return new JdbcOperation(
        this, state.connection, state.prepared, JdbcOperation.NOT_A_BATCH, preparedSuccesses(state));
  }

  /** A prepared statement's success series, resolved at its first execution and kept with it. */
  private DistributionDataPoint preparedSuccesses(StatementState state) {
    DistributionDataPoint successes = state.preparedSuccesses;
    if (successes == null) {
      successes = series(state.connection, state.prepared, "");
      state.preparedSuccesses = successes; // a racing thread resolves the same series: harmless
    }
    return successes;
  }

  @Override
  public void batchAdded(Object statement, String sql) {
    Statement jdbcStatement = (Statement) statement;
    StatementState state = statements.get(jdbcStatement);
    if (state == null) { // a plain Statement's first addBatch(String)
      state = new StatementState(connections.of(jdbcStatement), null);
      statements.put(jdbcStatement, state);
    }
    state.batch().add(sql == null ? null : analyze(state.connection, sql));
  }

  @Override
  public void batchCleared(Object statement) {
    StatementState state = statements.get((Statement) statement);
    if (state != null) {
      state.clearBatch();
    }
  }

  @Override
  public JdbcCall startBatch(Object statement) {
    Statement jdbcStatement = (Statement) statement;
    StatementState state = statements.get(jdbcStatement);
    if (state == null) { // nothing was added: an empty batch
      return new JdbcOperation(this, connections.of(jdbcStatement), PendingBatch.EMPTY.summary(null), 0, null);
    }
    PendingBatch batch = state.takeBatch();
    int size = batch.size() == 1 ? JdbcOperation.NOT_A_BATCH : batch.size();
    return new JdbcOperation(this, state.connection, batch.summary(state.prepared), size, null);
  }

  /** The duration series for this statement's outcome; {@code errorType} is empty on success. */
  DistributionDataPoint series(ConnectionInfo connection, SqlSummary sql, String errorType) {
    return durations.get(connection.system, sql.operation(), sql.collection(), errorType);
  }

  private SqlSummary analyze(ConnectionInfo connection, String sql) {
    return analyzers.get(connection.dialect).analyze(sql);
  }
}
