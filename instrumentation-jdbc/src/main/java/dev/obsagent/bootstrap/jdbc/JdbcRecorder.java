package dev.obsagent.bootstrap.jdbc;

/**
 * Bridge from JDBC advice (woven into drivers and pools, in the application's class loaders) to
 * the agent. Statements and connections cross it as {@code Object}: this class sits on the
 * bootstrap class path, which cannot see {@code java.sql} (a platform-loader module).
 */
public abstract class JdbcRecorder {

  /** Used until the agent installs the real recorder: measures nothing. */
  static final JdbcRecorder NOOP =
      new JdbcRecorder() {
        @Override
        public void prepared(Object connection, Object statement, String sql) {}

        @Override
        public JdbcCall startExecute(Object statement, String sql) {
          return null;
        }

        @Override
        public void batchAdded(Object statement, String sql) {}

        @Override
        public void batchCleared(Object statement) {}

        @Override
        public JdbcCall startBatch(Object statement) {
          return null;
        }
      };

  /** {@code Connection.prepareStatement/prepareCall} returned {@code statement} for {@code sql}. */
  public abstract void prepared(Object connection, Object statement, String sql);

  /**
   * Starts measuring one {@code execute*} call.
   *
   * @param sql the SQL passed to {@code Statement.execute*(String, ...)}, or null for the
   *     argument-less {@code PreparedStatement} methods (the SQL given at prepare time applies)
   * @return the call to end, or null when nothing is measured
   */
  public abstract JdbcCall startExecute(Object statement, String sql);

  /** {@code addBatch} succeeded: {@code sql} for {@code Statement.addBatch(String)}, else null. */
  public abstract void batchAdded(Object statement, String sql);

  /** {@code clearBatch} emptied the statement's batch. */
  public abstract void batchCleared(Object statement);

  /** Starts measuring one {@code executeBatch}/{@code executeLargeBatch} call. */
  public abstract JdbcCall startBatch(Object statement);
}
