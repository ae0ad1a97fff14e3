package dev.obsagent.instrumentation.jdbc.advice;

import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.bootstrap.jdbc.JdbcCall;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code execute}, {@code executeQuery}, {@code executeUpdate} and
 * {@code executeLargeUpdate} of every {@code java.sql.Statement} implementation: with a SQL
 * argument ({@code Statement}) or without ({@code PreparedStatement}, {@code CallableStatement}).
 */
public final class ExecuteAdvice {

  private ExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static JdbcCall onEnter(
      @Advice.This Object statement, @Advice.Argument(value = 0, optional = true) String sql) {
    return JdbcBridge.startExecute(statement, sql);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter JdbcCall call, @Advice.Thrown Throwable thrown) {
    JdbcBridge.end(call, thrown);
  }
}
