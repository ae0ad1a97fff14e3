package dev.obsagent.bootstrap.httpclient;

import dev.obsagent.bootstrap.InstrumentationErrors;
import java.nio.ByteBuffer;

/**
 * Keeps whatever a recorder throws from the application. The clients call an
 * {@link HttpClientCall} from places no advice surrounds: body wrappers the application reads
 * through, a client's own callbacks and I/O threads (where an {@code Error} would even stop
 * Apache HttpClient's I/O reactor). Every call goes through here: a throwable is counted in
 * {@code obs_agent_instrumentation_errors_total} under the call's instrumentation, and the call
 * carries on as if that event had not been seen.
 */
final class GuardedRecorder extends HttpClientRecorder {

  private final HttpClientRecorder delegate;

  GuardedRecorder(HttpClientRecorder delegate) {
    this.delegate = delegate;
  }

  @Override
  public HttpClientCall start(
      String instrumentation, String method, String scheme, String host, int port, String path) {
    try {
      HttpClientCall call = delegate.start(instrumentation, method, scheme, host, port, path);
      return call == null ? null : new GuardedCall(call, instrumentation);
    } catch (Throwable error) {
      InstrumentationErrors.record(error, instrumentation);
      return null;
    }
  }

  private static final class GuardedCall extends HttpClientCall {
    private static final String[] NO_HEADERS = new String[0];

    private final HttpClientCall call;
    private final String instrumentation;

    GuardedCall(HttpClientCall call, String instrumentation) {
      this.call = call;
      this.instrumentation = instrumentation;
    }

    @Override
    public String[] propagationHeaders() {
      try {
        String[] headers = call.propagationHeaders();
        return headers == null ? NO_HEADERS : headers;
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
        return NO_HEADERS;
      }
    }

    @Override
    public boolean observesBodies() {
      try {
        return call.observesBodies();
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
        return false;
      }
    }

    @Override
    public void onRequestBytes(byte[] bytes, int offset, int length) {
      try {
        call.onRequestBytes(bytes, offset, length);
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
      }
    }

    @Override
    public void onResponse(int status, String contentType, String contentEncoding) {
      try {
        call.onResponse(status, contentType, contentEncoding);
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
      }
    }

    @Override
    public void onResponseBytes(byte[] bytes, int offset, int length) {
      try {
        call.onResponseBytes(bytes, offset, length);
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
      }
    }

    @Override
    public void onResponseBytes(ByteBuffer buffer) {
      try {
        call.onResponseBytes(buffer);
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
      }
    }

    @Override
    public void onResponseComplete() {
      try {
        call.onResponseComplete();
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
      }
    }

    @Override
    public void onError(Throwable failure) {
      try {
        call.onError(failure);
      } catch (Throwable error) {
        InstrumentationErrors.record(error, instrumentation);
      }
    }
  }
}
