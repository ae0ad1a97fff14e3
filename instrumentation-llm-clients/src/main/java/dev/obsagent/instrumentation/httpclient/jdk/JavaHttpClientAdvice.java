package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.bootstrap.httpclient.jdk.JavaHttpClientBridge;
import dev.obsagent.bootstrap.httpclient.jdk.JavaHttpClientSend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import dev.obsagent.core.api.Advice;

/**
 * Woven into {@code HttpClientImpl}'s private {@code sendAsync(request, handler, pushHandler,
 * executor)}, which {@code send} and both public {@code sendAsync} go through: the request goes
 * out with the trace headers, the handler is observed, and the call ends with the response
 * future. Runs in the platform loader inside the {@code java.net.http} module: only JDK types
 * and the bootstrap bridge.
 */
public final class JavaHttpClientAdvice {

  private JavaHttpClientAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static JavaHttpClientSend onEnter(
      @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
      @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler) {
    if (HttpClientBridge.CALL_DEPTH.enter() > 0) {
      return null;
    }
    JavaHttpClientSend send = JavaHttpClientBridge.start(request, handler);
    if (send != null) {
      request = (HttpRequest) send.request();
      handler = (HttpResponse.BodyHandler<?>) send.bodyHandler();
    }
    return send;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter JavaHttpClientSend send,
      @Advice.Return CompletableFuture<?> future,
      @Advice.Thrown Throwable thrown) {
    HttpClientBridge.CALL_DEPTH.exit();
    if (send != null) {
      send.sent(future, thrown);
    }
  }
}
