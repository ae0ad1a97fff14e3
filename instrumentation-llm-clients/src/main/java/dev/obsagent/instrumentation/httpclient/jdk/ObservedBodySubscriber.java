package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An LLM response's body subscriber: the application's (a string, bytes, lines, an input
 * stream, ...), with every buffer shown to the agent before it is passed on, untouched. The body
 * ends for the agent when it completes, fails, or the application cancels it (closing an
 * {@code ofInputStream} stream early).
 */
final class ObservedBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {

  private final HttpResponse.BodySubscriber<T> delegate;
  private final HttpClientCall call;

  ObservedBodySubscriber(HttpResponse.BodySubscriber<T> delegate, HttpClientCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    delegate.onSubscribe(new ObservedSubscription(subscription, call));
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (buffers != null) {
      for (ByteBuffer buffer : buffers) {
        call.onResponseBytes(buffer); // leaves position and limit as they were
      }
    }
    delegate.onNext(buffers);
  }

  @Override
  public void onError(Throwable throwable) {
    call.onError(throwable);
    delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    call.onResponseComplete();
    delegate.onComplete();
  }

  private static final class ObservedSubscription implements Flow.Subscription {
    private final Flow.Subscription delegate;
    private final HttpClientCall call;

    ObservedSubscription(Flow.Subscription delegate, HttpClientCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public void request(long n) {
      delegate.request(n);
    }

    @Override
    public void cancel() {
      call.onResponseComplete(); // the application stopped reading: what it read is the body
      delegate.cancel();
    }
  }
}
