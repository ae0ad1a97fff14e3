package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.core.api.Advice;
import okhttp3.Response;
import okhttp3.internal.connection.RealCall;

/** Woven into {@code RealCall.execute()}: one synchronous call, measured to its response headers. */
public final class ExecuteAdvice {

  private ExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientCall onEnter(@Advice.This RealCall call) {
    if (HttpClientBridge.CALL_DEPTH.enter() != 0) {
      return null;
    }
    return OkHttpHelper.startSync(call);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpClientCall measured,
      @Advice.Return(readOnly = false) Response response,
      @Advice.Thrown Throwable thrown) {
    HttpClientBridge.CALL_DEPTH.exit();
    if (measured != null) {
      response = OkHttpHelper.endSync(measured, response, thrown);
    }
  }
}
