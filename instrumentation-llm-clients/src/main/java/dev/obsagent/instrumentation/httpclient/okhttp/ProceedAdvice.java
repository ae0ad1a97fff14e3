package dev.obsagent.instrumentation.httpclient.okhttp;

import dev.obsagent.core.api.Advice;
import okhttp3.Request;
import okhttp3.internal.http.RealInterceptorChain;

/**
 * Woven into {@code RealInterceptorChain.proceed(Request)}: the first {@code proceed} of a
 * measured call (the one that enters the application's interceptors) sends a copy of the request
 * with the trace headers, so every retry, redirect and follow-up carries them too.
 */
public final class ProceedAdvice {

  private ProceedAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(
      @Advice.This RealInterceptorChain chain, @Advice.Argument(value = 0, readOnly = false) Request request) {
    request = OkHttpHelper.decorate(chain, request);
  }
}
