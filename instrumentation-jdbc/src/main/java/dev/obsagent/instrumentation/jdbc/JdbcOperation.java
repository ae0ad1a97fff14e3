package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.bootstrap.jdbc.JdbcCall;
import dev.obsagent.core.api.BoxedLongs;
import dev.obsagent.core.metrics.ExemplarSpanContext;
import dev.obsagent.instrumentation.jdbc.sql.SqlSummary;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/** One measured statement execution: a CLIENT span and one duration observation. */
final class JdbcOperation extends JdbcCall {

  /** The batch size of a call that is not a batch. */
  static final int NOT_A_BATCH = -1;

  private final JdbcTelemetry telemetry;
  private final ConnectionInfo connection;
  private final SqlSummary sql;
  private final DistributionDataPoint successes;
  private final Span span;
  private final long startNanos;

  /**
   * @param successes the series of a successful execution when already resolved, else null
   */
  JdbcOperation(
      JdbcTelemetry telemetry, ConnectionInfo connection, SqlSummary sql, int batchSize,
      DistributionDataPoint successes) {
    this.telemetry = telemetry;
    this.connection = connection;
    this.sql = sql;
    this.successes = successes;
    this.span = startSpan(telemetry, connection, sql, batchSize);
    this.startNanos = System.nanoTime();
  }

  private static Span startSpan(JdbcTelemetry telemetry, ConnectionInfo connection, SqlSummary sql, int batchSize) {
    String name = sql.spanName().isEmpty() ? connection.system : sql.spanName();
    Span span = telemetry.tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).startSpan();
    if (!span.isRecording()) {
      return span; // not sampled: no attribute work
    }
    span.setAttribute(DbAttributes.DB_SYSTEM_NAME, connection.system);
    setIfPresent(span, DbAttributes.DB_NAMESPACE, connection.namespace);
    setIfPresent(span, DbAttributes.SERVER_ADDRESS, connection.host);
    if (connection.port > 0) {
      span.setAttribute(DbAttributes.SERVER_PORT, BoxedLongs.of(connection.port));
    }
    setIfPresent(span, DbAttributes.DB_OPERATION_NAME, sql.operation());
    setIfPresent(span, DbAttributes.DB_COLLECTION_NAME, sql.collection());
    setIfPresent(span, DbAttributes.DB_STORED_PROCEDURE_NAME, sql.storedProcedure());
    setIfPresent(span, DbAttributes.DB_QUERY_TEXT, sql.queryText());
    if (batchSize != NOT_A_BATCH) {
      span.setAttribute(DbAttributes.DB_OPERATION_BATCH_SIZE, (long) batchSize);
    }
    return span;
  }

  private static void setIfPresent(Span span, AttributeKey<String> key, String value) {
    if (!value.isEmpty()) {
      span.setAttribute(key, value);
    }
  }

  @Override
  public void end(Throwable thrown) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String errorType = thrown == null ? "" : SqlErrorTypes.of(thrown);
    DistributionDataPoint series =
        thrown == null && successes != null ? successes : telemetry.series(connection, sql, errorType);
    if (span.getSpanContext().isSampled()) {
      ExemplarSpanContext.observe(series, seconds, span); // the span as exemplar, without making it current
    } else {
      series.observe(seconds);
    }
    if (thrown != null) {
      String sqlState = SqlErrorTypes.sqlState(thrown);
      if (sqlState != null) {
        span.setAttribute(DbAttributes.DB_RESPONSE_STATUS_CODE, sqlState);
      }
      telemetry.spanExceptions.recordFailure(span, errorType, thrown);
    }
    span.end();
  }
}
