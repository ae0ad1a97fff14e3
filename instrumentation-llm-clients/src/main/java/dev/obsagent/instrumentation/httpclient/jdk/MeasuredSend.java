package dev.obsagent.instrumentation.httpclient.jdk;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import dev.obsagent.bootstrap.httpclient.jdk.JavaHttpClientSend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * One send in flight: the request and handler the client uses in place of the application's,
 * and the end of the call when the response future completes, fails or is cancelled. The
 * response headers normally end the HTTP measurement earlier, in {@link ObservedBodyHandler}.
 */
final class MeasuredSend extends JavaHttpClientSend implements BiConsumer<Object, Throwable> {

  private final HttpClientCall call;
  private final HttpRequest request;
  private final HttpResponse.BodyHandler<?> bodyHandler;
  private final ObservedBodyHandler<?> observedHandler;

  private MeasuredSend(
      HttpClientCall call, HttpRequest request, HttpResponse.BodyHandler<?> bodyHandler, ObservedBodyHandler<?> observedHandler) {
    this.call = call;
    this.request = request;
    this.bodyHandler = bodyHandler;
    this.observedHandler = observedHandler;
  }

  /** Never throws: if the wrappers cannot be made, the application's own objects are sent. */
  static MeasuredSend of(HttpClientCall call, HttpRequest request, HttpResponse.BodyHandler<?> handler) {
    HttpRequest sent = request;
    ObservedBodyHandler<?> observed = null;
    try {
      sent = TracedHttpRequest.of(request, call);
      observed = new ObservedBodyHandler<>(handler, call);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, JavaHttpClientInstrumentationModule.NAME);
    }
    return new MeasuredSend(call, sent, observed != null ? observed : handler, observed);
  }

  @Override
  public Object request() {
    return request;
  }

  @Override
  public Object bodyHandler() {
    return bodyHandler;
  }

  @Override
  public void sent(Object responseFuture, Throwable thrown) {
    try {
      if (thrown != null) {
        call.onError(thrown);
      } else if (responseFuture instanceof CompletableFuture) {
        ((CompletableFuture<?>) responseFuture).whenComplete(this);
      } else {
        call.onError(new IllegalStateException("HttpClient returned no response future"));
      }
    } catch (Throwable error) {
      InstrumentationErrors.record(error, JavaHttpClientInstrumentationModule.NAME);
    }
  }

  /** The response future completed: the response (its body may still stream), or a failure. */
  @Override
  public void accept(Object response, Throwable error) {
    try {
      if (error != null) {
        call.onError(cause(error));
      } else if ((observedHandler == null || !observedHandler.applied()) && response instanceof HttpResponse) {
        // The handler never saw the headers (it could not be wrapped): end with what is known.
        HttpResponse<?> httpResponse = (HttpResponse<?>) response;
        call.onResponse(
            httpResponse.statusCode(),
            httpResponse.headers().firstValue("Content-Type").orElse(null),
            httpResponse.headers().firstValue("Content-Encoding").orElse(null));
        call.onResponseComplete();
      }
    } catch (Throwable internal) {
      InstrumentationErrors.record(internal, JavaHttpClientInstrumentationModule.NAME);
    }
  }

  /** What failed, without the future's wrappers: the exception {@code send} rethrows. */
  private static Throwable cause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
