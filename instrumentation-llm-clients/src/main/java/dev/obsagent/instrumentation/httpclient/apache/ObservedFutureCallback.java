package dev.obsagent.instrumentation.httpclient.apache;

import java.util.concurrent.CancellationException;
import org.apache.hc.core5.concurrent.FutureCallback;

/**
 * The application's callback (or none): a failure or cancellation that never reached the
 * response consumer still ends the call.
 */
public final class ObservedFutureCallback<T> implements FutureCallback<T> {

  private final FutureCallback<T> callback;
  private final ApacheAsyncExchange exchange;

  ObservedFutureCallback(FutureCallback<T> callback, ApacheAsyncExchange exchange) {
    this.callback = callback;
    this.exchange = exchange;
  }

  @Override
  public void completed(T result) {
    exchange.completed();
    if (callback != null) {
      callback.completed(result);
    }
  }

  @Override
  public void failed(Exception cause) {
    exchange.failed(cause);
    if (callback != null) {
      callback.failed(cause);
    }
  }

  @Override
  public void cancelled() {
    exchange.failed(new CancellationException("the request was cancelled"));
    if (callback != null) {
      callback.cancelled();
    }
  }
}
