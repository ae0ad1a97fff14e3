package dev.obsagent.bootstrap.jdbc;

import dev.obsagent.bootstrap.CallDepth;

/**
 * What JDBC advice calls: holds the agent's {@link JdbcRecorder} and measures only the outermost
 * of nested JDBC calls on a thread. A pool's statement (HikariCP's {@code ProxyStatement}) calls
 * the driver's, a driver's {@code prepareCall} may run its own metadata queries: one call the
 * application made is one measurement.
 *
 * <p>Every {@code enter} is paired with exactly one exit on every path, even when the recorder
 * throws: the advice exit always runs, and the depth is released before anything else happens.
 */
public final class JdbcBridge {

  private static final CallDepth CALLS = new CallDepth();
  private static volatile JdbcRecorder recorder = JdbcRecorder.NOOP;

  private JdbcBridge() {}

  public static void install(JdbcRecorder newRecorder) {
    recorder = newRecorder;
  }

  public static JdbcRecorder recorder() {
    return recorder;
  }

  /** Enter advice of {@code prepare*} and {@code addBatch}: true for the outermost call. */
  public static boolean enter() {
    return CALLS.enter() == 0;
  }

  /** Enter advice of {@code execute*}: the measured call, or null when nested. */
  public static JdbcCall startExecute(Object statement, String sql) {
    if (CALLS.enter() != 0) {
      return null;
    }
    return recorder.startExecute(statement, sql);
  }

  /** Enter advice of {@code executeBatch}/{@code executeLargeBatch}. */
  public static JdbcCall startBatch(Object statement) {
    if (CALLS.enter() != 0) {
      return null;
    }
    return recorder.startBatch(statement);
  }

  /** Exit advice of {@code execute*} and {@code executeBatch}. */
  public static void end(JdbcCall call, Throwable thrown) {
    CALLS.exit();
    if (call != null) {
      call.end(thrown);
    }
  }

  /**
   * Exit advice of {@code prepare*}. The recorder runs before the depth is released, so that
   * whatever the driver does while the agent reads the connection's URL is not measured.
   */
  public static void prepared(boolean outermost, Object connection, Object statement, String sql) {
    try {
      if (outermost && statement != null && sql != null) {
        recorder.prepared(connection, statement, sql);
      }
    } finally {
      CALLS.exit();
    }
  }

  /** Exit advice of {@code addBatch}; only a successful outermost call joins the batch. */
  public static void batchAdded(boolean outermost, Object statement, String sql, boolean succeeded) {
    try {
      if (outermost && succeeded) {
        recorder.batchAdded(statement, sql);
      }
    } finally {
      CALLS.exit();
    }
  }
}
