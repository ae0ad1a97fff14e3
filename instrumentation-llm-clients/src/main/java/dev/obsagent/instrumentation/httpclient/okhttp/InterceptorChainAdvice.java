package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.core.api.Advice;
import okhttp3.internal.connection.RealCall;

/**
 * Woven into {@code RealCall.getResponseWithInterceptorChain}: while a measured asynchronous call
 * runs its interceptors on the dispatcher's thread, other instrumented clients they call are
 * nested in it (a synchronous call is already nested through {@code execute}).
 */
public final class InterceptorChainAdvice {

  private InterceptorChainAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter(@Advice.This RealCall call) {
    if (OkHttpHelper.isPendingAsync(call)) {
      HttpClientBridge.CALL_DEPTH.enter();
      return true;
    }
    return false;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter boolean nested) {
    if (nested) {
      HttpClientBridge.CALL_DEPTH.exit();
    }
  }
}
