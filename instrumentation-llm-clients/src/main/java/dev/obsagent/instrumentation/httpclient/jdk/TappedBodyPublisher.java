package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An LLM request's body publisher: the application's, with the first subscription's bytes shown
 * to the agent as the client takes them. A redirect or retry that sends the body again is not
 * read twice. Every signal is passed on unchanged.
 */
final class TappedBodyPublisher implements HttpRequest.BodyPublisher {

  private final HttpRequest.BodyPublisher delegate;
  private final HttpClientCall call;
  private final AtomicBoolean tapped = new AtomicBoolean();

  TappedBodyPublisher(HttpRequest.BodyPublisher delegate, HttpClientCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    delegate.subscribe(tapped.compareAndSet(false, true) ? new Tap(subscriber, call) : subscriber);
  }

  private static final class Tap implements Flow.Subscriber<ByteBuffer> {
    private final Flow.Subscriber<? super ByteBuffer> client;
    private final HttpClientCall call;

    Tap(Flow.Subscriber<? super ByteBuffer> client, HttpClientCall call) {
      this.client = client;
      this.call = call;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      client.onSubscribe(subscription);
    }

    @Override
    public void onNext(ByteBuffer item) {
      if (item != null) {
        if (item.hasArray()) {
          call.onRequestBytes(item.array(), item.arrayOffset() + item.position(), item.remaining());
        } else {
          byte[] copy = new byte[item.remaining()];
          item.duplicate().get(copy); // a duplicate: the client's buffer position stays put
          call.onRequestBytes(copy, 0, copy.length);
        }
      }
      client.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      client.onError(throwable);
    }

    @Override
    public void onComplete() {
      client.onComplete();
    }
  }
}
