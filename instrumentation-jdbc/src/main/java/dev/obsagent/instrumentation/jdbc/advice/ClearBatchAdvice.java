package dev.obsagent.instrumentation.jdbc.advice;

import dev.obsagent.bootstrap.jdbc.JdbcBridge;
import dev.obsagent.core.api.Advice;

/** Woven into {@code clearBatch}: the pending batch is forgotten. */
public final class ClearBatchAdvice {

  private ClearBatchAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Object statement) {
    JdbcBridge.recorder().batchCleared(statement);
  }
}
