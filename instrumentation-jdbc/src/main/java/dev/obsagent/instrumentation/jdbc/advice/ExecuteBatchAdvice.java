package dev.obsagent.instrumentation.jdbc.advice;

import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.bootstrap.jdbc.JdbcCall;
import dev.obsagent.core.api.Advice;

/** Woven into {@code executeBatch} and {@code executeLargeBatch}: one measurement per batch. */
public final class ExecuteBatchAdvice {

  private ExecuteBatchAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static JdbcCall onEnter(@Advice.This Object statement) {
    return JdbcBridge.startBatch(statement);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter JdbcCall call, @Advice.Thrown Throwable thrown) {
    JdbcBridge.end(call, thrown);
  }
}
