package dev.obsagent.instrumentation.jdbc.advice;

import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code Connection.prepareStatement} and {@code prepareCall}: the SQL text is
 * remembered for the returned statement, whose {@code execute*} methods take no SQL argument.
 */
public final class PrepareAdvice {

  private PrepareAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter() {
    return JdbcBridge.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter boolean outermost,
      @Advice.This Object connection,
      @Advice.Argument(0) String sql,
      @Advice.Return Object statement) {
    JdbcBridge.prepared(outermost, connection, statement, sql);
  }
}
