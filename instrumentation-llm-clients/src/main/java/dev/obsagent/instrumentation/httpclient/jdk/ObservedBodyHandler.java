package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.net.http.HttpResponse;

/**
 * The application's body handler, called by the client when the final response's headers
 * arrived (after any redirect or authentication round): that ends the HTTP measurement. The
 * application's subscriber is returned as it is, except for an LLM call, whose body the agent
 * reads as it streams past ({@link ObservedBodySubscriber}).
 */
final class ObservedBodyHandler<T> implements HttpResponse.BodyHandler<T> {

  private final HttpResponse.BodyHandler<T> delegate;
  private final HttpClientCall call;
  private volatile boolean applied;

  ObservedBodyHandler(HttpResponse.BodyHandler<T> delegate, HttpClientCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  boolean applied() {
    return applied;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    applied = true;
    call.onResponse(
        info.statusCode(),
        info.headers().firstValue("Content-Type").orElse(null),
        info.headers().firstValue("Content-Encoding").orElse(null));
    HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
    if (subscriber == null || !call.observesBodies()) {
      return subscriber;
    }
    try {
      return new ObservedBodySubscriber<>(subscriber, call);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, JavaHttpClientInstrumentationModule.NAME);
      call.onResponseComplete();
      return subscriber;
    }
  }
}
