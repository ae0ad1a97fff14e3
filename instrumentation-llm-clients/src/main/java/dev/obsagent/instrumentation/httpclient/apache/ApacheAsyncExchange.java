package dev.obsagent.instrumentation.httpclient.apache;

import dev.obsagent.bootstrap.httpclient.HttpClientCall;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * One async execution: the call starts when the client asks the request producer for the request
 * (inside {@code doExecute}, on the application's thread, so the span's parent is the caller's
 * context) and ends on the I/O thread with the response, its body, or the failure.
 */
public final class ApacheAsyncExchange {

  private final HttpHost target;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile HttpClientCall call;
  private volatile String[] headers;

  public ApacheAsyncExchange(HttpHost target) {
    this.target = target;
  }

  public AsyncRequestProducer wrap(AsyncRequestProducer producer) {
    return new ObservedRequestProducer(producer, this);
  }

  public <T> AsyncResponseConsumer<T> wrap(AsyncResponseConsumer<T> consumer) {
    return new ObservedResponseConsumer<>(consumer, this);
  }

  public <T> FutureCallback<T> wrap(FutureCallback<T> callback) {
    return new ObservedFutureCallback<>(callback, this);
  }

  /** The request is being sent: start measuring (once) and add the trace headers. */
  void onRequest(HttpRequest request) {
    if (started.compareAndSet(false, true)) {
      HttpClientCall started = ApacheRequests.start(target, request);
      if (started != null) {
        headers = started.propagationHeaders();
        call = started;
      }
      return;
    }
    String[] again = headers;
    if (again != null) {
      try {
        ApacheRequests.addHeaders(again, request);
      } catch (Throwable ignored) {
        // the request keeps what it has
      }
    }
  }

  HttpClientCall call() {
    return call;
  }

  /** The call reads bodies (an LLM call). */
  boolean observesBodies() {
    HttpClientCall current = call;
    return current != null && current.observesBodies();
  }

  void requestBytes(byte[] bytes, int offset, int length) {
    HttpClientCall current = call;
    if (current != null) {
      ApacheRequests.requestBytes(current, bytes, offset, length);
    }
  }

  void onResponse(HttpResponse response, EntityDetails entity) {
    HttpClientCall current = call;
    if (current == null) {
      return;
    }
    String contentType = null;
    String contentEncoding = null;
    try {
      if (entity != null) {
        // The entity details, not the header: after the exec chain decompressed the body they
        // describe what the consumer gets.
        contentType = entity.getContentType();
        contentEncoding = entity.getContentEncoding();
      } else {
        Header header = response.getFirstHeader("Content-Type");
        contentType = header == null ? null : header.getValue();
      }
    } catch (Throwable ignored) {
      // measured without them
    }
    ApacheRequests.response(current, response.getCode(), contentType, contentEncoding);
    if (entity == null) {
      ApacheRequests.complete(current);
    }
  }

  void responseBytes(ByteBuffer buffer) {
    HttpClientCall current = call;
    if (current != null && current.observesBodies()) {
      ApacheRequests.responseBytes(current, buffer);
    }
  }

  void completed() {
    HttpClientCall current = call;
    if (current != null) {
      ApacheRequests.complete(current);
    }
  }

  /** The call failed; also used by the advice when {@code doExecute} itself throws. */
  public void failed(Throwable error) {
    HttpClientCall current = call;
    if (current != null) {
      ApacheRequests.failed(current, error);
    }
  }
}
