package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientBridge;
import dev.obsagent.core.api.Advice;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * Woven into {@code CloseableHttpAsyncClient.doExecute(HttpHost, AsyncRequestProducer,
 * AsyncResponseConsumer, HandlerFactory, HttpContext, FutureCallback)}, which every
 * {@code execute} form calls: the producer, consumer and callback are replaced by wrappers that
 * start the call when the request is produced and end it with the response or the failure.
 */
public final class ApacheAsyncAdvice {

  private ApacheAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ApacheAsyncExchange onEnter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(value = 1, readOnly = false) AsyncRequestProducer producer,
      @Advice.Argument(value = 2, readOnly = false) AsyncResponseConsumer<?> consumer,
      @Advice.Argument(value = 5, readOnly = false) FutureCallback<?> callback) {
    if (HttpClientBridge.CALL_DEPTH.enter() != 0 || producer == null || consumer == null) {
      return null;
    }
    ApacheAsyncExchange exchange = new ApacheAsyncExchange(target);
    producer = exchange.wrap(producer);
    consumer = exchange.wrap(consumer);
    callback = exchange.wrap(callback);
    return exchange;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter ApacheAsyncExchange exchange, @Advice.Thrown Throwable thrown) {
    HttpClientBridge.CALL_DEPTH.exit();
    if (exchange != null && thrown != null) {
      exchange.failed(thrown);
    }
  }
}
