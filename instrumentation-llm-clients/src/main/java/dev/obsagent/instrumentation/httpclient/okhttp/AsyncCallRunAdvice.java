package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.core.api.Advice;
import okhttp3.Callback;

/**
 * Woven into {@code RealCall$AsyncCall.run()}, on the dispatcher's thread: a callback of ours
 * tells which measured call this thread now runs, so its first {@code proceed} gets the trace
 * headers.
 */
public final class AsyncCallRunAdvice {

  private AsyncCallRunAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object onEnter(@Advice.FieldValue("responseCallback") Callback callback) {
    return OkHttpHelper.enterAsync(callback);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter Object pending) {
    OkHttpHelper.exitAsync(pending);
  }
}
