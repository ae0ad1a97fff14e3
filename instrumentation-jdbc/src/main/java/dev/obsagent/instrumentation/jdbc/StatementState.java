package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.instrumentation.jdbc.sql.SqlSummary;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * What the agent remembers about one statement object between calls: the SQL it was prepared
 * with and its pending batch. A JDBC statement is used by one thread at a time, so the mutable
 * parts need no locking.
 */
final class StatementState {

  final ConnectionInfo connection;
  /** The prepared SQL, or null for a plain {@code Statement}. */
  final SqlSummary prepared;
  /** The successful-execution series of {@link #prepared}, resolved at its first execution. */
  DistributionDataPoint preparedSuccesses;
  private PendingBatch batch;

  StatementState(ConnectionInfo connection, SqlSummary prepared) {
    this.connection = connection;
    this.prepared = prepared;
  }

  PendingBatch batch() {
    if (batch == null) {
      batch = new PendingBatch();
    }
    return batch;
  }

  /** The pending batch, emptied: {@code executeBatch} always starts a new one. */
  PendingBatch takeBatch() {
    PendingBatch taken = batch == null ? PendingBatch.EMPTY : batch;
    batch = null;
    return taken;
  }

  void clearBatch() {
    batch = null;
  }
}
