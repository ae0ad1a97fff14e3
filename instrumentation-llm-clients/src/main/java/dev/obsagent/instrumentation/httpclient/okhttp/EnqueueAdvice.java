package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.core.api.Advice;
import okhttp3.Callback;
import okhttp3.internal.connection.RealCall;

/**
 * Woven into {@code RealCall.enqueue(Callback)}: the call starts on the caller's thread, so its
 * span's parent is the caller's context; the wrapped callback ends it.
 */
public final class EnqueueAdvice {

  private EnqueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientCall onEnter(
      @Advice.This RealCall call, @Advice.Argument(value = 0, readOnly = false) Callback callback) {
    // Only asks whether this enqueue is nested in a measured call: the call itself runs on the
    // dispatcher's thread, and the application's callback must not count as nested.
    int depth = HttpClientBridge.CALL_DEPTH.enter();
    HttpClientBridge.CALL_DEPTH.exit();
    if (depth != 0 || callback == null) {
      return null;
    }
    HttpClientCall measured = OkHttpHelper.start(call);
    if (measured != null) {
      callback = new MeasuredCallback(callback, measured, call);
    }
    return measured;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter HttpClientCall measured, @Advice.Thrown Throwable thrown) {
    if (measured != null && thrown != null) {
      measured.onError(thrown);
    }
  }
}
