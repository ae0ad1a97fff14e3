package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.core.api.Advice;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;

/**
 * Woven into {@code CloseableHttpClient.doExecute(HttpHost, ClassicHttpRequest, HttpContext)},
 * which every {@code execute} form calls: the outermost call is measured, from the request to the
 * response headers (and, for LLM calls, to the end of the body the application reads).
 */
public final class ApacheClassicAdvice {

  private ApacheClassicAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ApacheClassicCall onEnter(
      @Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
    if (HttpClientBridge.CALL_DEPTH.enter() != 0) {
      return null;
    }
    return ApacheClassicCall.start(target, request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter ApacheClassicCall call,
      @Advice.Argument(1) ClassicHttpRequest request,
      @Advice.Return CloseableHttpResponse response,
      @Advice.Thrown Throwable thrown) {
    HttpClientBridge.CALL_DEPTH.exit();
    if (call != null) {
      call.end(request, response, thrown);
    }
  }
}
