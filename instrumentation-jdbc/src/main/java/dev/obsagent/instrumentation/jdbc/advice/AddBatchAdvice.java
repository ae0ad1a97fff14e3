package dev.obsagent.instrumentation.jdbc.advice;

import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code Statement.addBatch(String)} and {@code PreparedStatement.addBatch()}: counts
 * the batch (and, for plain statements, remembers what it holds) until it is executed.
 */
public final class AddBatchAdvice {

  private AddBatchAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter() {
    return JdbcBridge.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter boolean outermost,
      @Advice.This Object statement,
      @Advice.Argument(value = 0, optional = true) String sql,
      @Advice.Thrown Throwable thrown) {
    JdbcBridge.batchAdded(outermost, statement, sql, thrown == null);
  }
}
