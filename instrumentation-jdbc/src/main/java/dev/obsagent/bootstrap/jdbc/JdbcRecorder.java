package dev.obsagent.bootstrap.jdbc;

/**
 * Bridge from JDBC advice (woven into drivers and pools, in the application's class loaders) to
 * the agent. Statements and connections cross it as {@code Object}: this class sits on the
 * bootstrap class path, which cannot see {@code java.sql} (a platform-loader module). Every
 * method measures nothing by default; the agent's recorder overrides them all.
 */
public abstract class JdbcRecorder {

  /** Used until the agent installs the real recorder (and by tests): measures nothing. */
  public static final JdbcRecorder NOOP = new JdbcRecorder() {};

  /** {@code Connection.prepareStatement/prepareCall} returned {@code statement} for {@code sql}. */
  public void prepared(Object connection, Object statement, String sql) {}

  /**
   * Starts measuring one {@code execute*} call.
   *
   * @param sql the SQL passed to {@code Statement.execute*(String, ...)}, or null for the
   *     argument-less {@code PreparedStatement} methods (the SQL given at prepare time applies)
   * @return the call to end, or null when nothing is measured
   */
  public JdbcCall startExecute(Object statement, String sql) {
    return null;
  }

  /** {@code addBatch} succeeded: {@code sql} for {@code Statement.addBatch(String)}, else null. */
  public void batchAdded(Object statement, String sql) {}

  /** {@code clearBatch} emptied the statement's batch. */
  public void batchCleared(Object statement) {}

  /** Starts measuring one {@code executeBatch}/{@code executeLargeBatch} call. */
  public JdbcCall startBatch(Object statement) {
    return null;
  }
}
